"""One family of errors. Every error this project raises on purpose derives from
SanctionsGraphError, and its message says what went wrong in words a user can act on;
any other exception that escapes is a bug, and the command line shows its traceback.

    SanctionsGraphError
    ├── InvalidInput        what was given cannot be used: an argument, a setting, a data file
    │   ├── NotFound        it names nothing there is: an entity, a record, a case list, a file
    │   ├── LoadError       a list file cannot be loaded; names the file, line and record
    │   ├── DuplicateRecords
    │   └── QueryError      a query or its parameters cannot run
    │       ├── ReadOnlyError
    │       └── QueryTimeout
    ├── GraphUnavailable    Neo4j cannot be reached; says how to start it
    ├── GraphRefused        Neo4j refused for a reason of its own: rights, memory, the database
    │   └── SearchFailed
    ├── ServerError         the local server cannot be built or started
    ├── LoadRefused         this client may not load (the app in viewer mode)
    └── DownloadError       an official list could not be downloaded whole

The modules that raise them export them too (graph.client.GraphUnavailable,
graph.queries.QueryError, loaders.base.LoadError, …): both names are the same class.
This module imports nothing of the project, so loaders/ can use it without graph/'s
driver.
"""

from __future__ import annotations

from pathlib import Path


class SanctionsGraphError(Exception):
    """Base of every error the project raises on purpose."""


# -- what was given -------------------------------------------------------------------------


class InvalidInput(SanctionsGraphError):
    """What was given cannot be used as given: an argument, a setting, a data file. The
    message names it and what would do."""


class NotFound(InvalidInput):
    """What was named is not there: an entity, a record, a call, a case list, a file."""


class LoadError(InvalidInput):
    """A file cannot be loaded. Names the file and, where known, the line or record."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, record: str | None = None):
        self.path, self.line, self.record, self.message = str(path), line, record, message
        where = self.path
        if line is not None:
            where += f", line {line}"
        if record is not None:
            where += f", record {record}"
        super().__init__(f"{where}: {message}")


class DuplicateRecords(InvalidInput):
    """The source holds entries that share a record id; graph/loading.py names them."""

    def __init__(self, count: int):
        super().__init__(f"{count} entries repeat a record id")
        self.count = count


class QueryError(InvalidInput):
    """A query or its parameters cannot run; the message says why and names the culprit."""


class ReadOnlyError(QueryError):
    """The query would write or reach beyond the graph; nothing was run."""


class QueryTimeout(QueryError):
    """The query ran longer than allowed and was stopped by the server."""


# -- what the graph, its server or the network cannot do ------------------------------------


class GraphUnavailable(SanctionsGraphError):
    """Neo4j cannot be reached; the message says how to start it."""


class GraphRefused(SanctionsGraphError):
    """Neo4j refused what was asked for a reason of its own (the user's rights, its memory,
    the database named), in its own words. An error in this project's own Cypher is not
    one: that is a bug."""


class SearchFailed(GraphRefused):
    """The server could not run a search (it says why); never caused by what was typed."""


class ServerError(SanctionsGraphError):
    """The local server cannot be built, started or reached; the message says why."""


class LoadRefused(SanctionsGraphError):
    """This client may not load (the app in viewer mode); the message says why."""


class DownloadError(SanctionsGraphError):
    """A file could not be downloaded whole; the message says why."""
