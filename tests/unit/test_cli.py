"""The command line's contract for errors (graph/__main__.py, graph/exc.py): a user's
mistake is one line `error: …` and exit status 2; a bug is a traceback. None of these
needs a database: the saved queries are checked before connecting."""

import inspect
import subprocess
import sys

import pytest

import graph
import loaders
from conftest import ROOT
from graph import __main__ as cli
from graph import exc


def python(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("args, error", [
    (["query", "gapz"], "error: no saved query 'gapz'; the saved queries are changes, closed_gaps,"),
    (["query", "lags", "-p", "as_of=soon"], "error: lags: parameter 'as_of' must be a date (YYYY-MM-DD), got 'soon'"),
    (["query", "lags", "-p", "hops=2"], "error: lags: no parameter 'hops'; its parameters are base,"),
    (["query", "lags", "-p", "base"], "error: --param needs KEY=VALUE, got 'base'"),
    (["query", "--format", "xlsx"], "error: unknown --format 'xlsx'; choose one of table, csv, json"),
])
def test_a_user_error_is_one_line_and_exit_status_2(args, error, capsys):
    assert cli.main(args) == 2
    out, err = capsys.readouterr()
    assert err.startswith(error) and len(err.strip().splitlines()) == 1, err
    assert out == ""


def test_a_bad_setting_is_a_user_error_in_its_own_process(tmp_path):
    """In a process of its own, as a user runs it: the variable named, no traceback."""
    import os
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEO4J_BOLT_PORT": "seven"}
    done = python("-m", "graph", "query", "lags", env=env)
    assert done.returncode == 2, done.stderr
    assert done.stderr == "error: NEO4J_BOLT_PORT must be a whole number, got 'seven'\n"


def test_a_bug_is_raised_not_said_in_one_line(monkeypatch):
    """The command line used to catch KeyError and ValueError: a bug printed as `error: 'x'`."""
    def broken():
        return {}["x"]
    monkeypatch.setattr(cli, "catalogue", broken)
    with pytest.raises(KeyError, match="'x'"):
        cli.main(["query"])


def test_a_bug_shows_its_traceback_in_its_own_process():
    """The same bug, injected into the command's own process: Python's traceback, pointing at
    the line, and exit status 1, not the 2 of a user's error."""
    import os
    program = ("import sys\n"
               "from graph import __main__ as cli\n"
               "def broken():\n"
               "    return {}['x']\n"
               "cli.catalogue = broken\n"
               "sys.exit(cli.main(['query']))\n")
    done = python("-c", program, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr
    assert "in cmd_query" in done.stderr and "in broken" in done.stderr
    assert done.stderr.rstrip().endswith("KeyError: 'x'")
    assert "error:" not in done.stderr


def test_listing_the_saved_queries_needs_no_database(capsys):
    assert cli.main(["query"]) == 0
    assert "neighbourhood(id: str, hops: int[1..3] = 1," in capsys.readouterr().out


def test_every_project_error_is_one_family():
    """Every exception class the project defines derives from SanctionsGraphError, whatever
    module defines or exports it, and loaders get theirs without the Neo4j driver."""
    import importlib
    import pkgutil
    modules = [importlib.import_module(f"graph.{m.name}") for m in pkgutil.iter_modules(graph.__path__)
               if m.name != "__main__"]
    modules += [importlib.import_module(f"loaders.{m.name}") for m in pkgutil.iter_modules(loaders.__path__)]
    found = {cls for module in modules for _, cls in inspect.getmembers(module, inspect.isclass)
             if issubclass(cls, BaseException) and cls.__module__.startswith(("graph", "loaders"))}
    # graph/history.py's _Damaged is a signal that never leaves its module (replay turns it
    # into a warning or a LoadError).
    outside = {cls.__qualname__ for cls in found if not issubclass(cls, exc.SanctionsGraphError)}
    assert outside == {"_Damaged"}
    public = {"GraphUnavailable", "LoadRefused", "SearchFailed", "QueryError", "ReadOnlyError",
              "QueryTimeout", "DownloadError", "DuplicateRecords", "ServerError", "LoadError"}
    assert public <= {cls.__name__ for cls in found}
    # the names where callers found them before
    from graph.client import GraphUnavailable, LoadRefused, SearchFailed
    from graph.queries import QueryError, QueryTimeout, ReadOnlyError
    from graph.server import ServerError
    from graph.store import DuplicateRecords
    from graph.update import DownloadError
    from loaders.base import LoadError
    assert {GraphUnavailable, LoadRefused, SearchFailed, QueryError, QueryTimeout, ReadOnlyError,
            ServerError, DuplicateRecords, DownloadError, LoadError} <= found


def test_loaders_import_no_driver():
    done = python("-c", "import sys, loaders, loaders.base; from graph.exc import LoadError; "
                        "assert loaders.base.LoadError is LoadError; "
                        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('neo4j', 'graph')))")
    assert done.returncode == 0, done.stderr
    # The errors, where the bundled files are (data/datasets.yaml), and the model kept as
    # data (the programs' spellings, for OFAC's archive of changes): nothing of the driver.
    assert done.stdout.strip() == "['graph', 'graph.bundled', 'graph.exc', 'graph.model']"
