"""Every setting in one place, read from prefixed environment variables.

NEO4J_* select the database (any Neo4j 5: the local server, Desktop, Aura, a cluster);
SANCT_* tune this project. A setting is read when a function asks for it, not at
import, so tests and the app can vary it with monkeypatch or st.secrets.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar, overload

from graph import bundled
from graph.exc import InvalidInput


@overload
def _env(name: str) -> str | None: ...
@overload
def _env(name: str, default: str) -> str: ...
def _env(name: str, default: str | None = None) -> str | None:
    """The variable's value; unset or empty, the default."""
    return os.environ.get(name) or default


@dataclass(frozen=True)
class Settings:
    #: Bolt or neo4j:// URI of an external server; unset means the local server.
    uri: str | None
    user: str
    #: Password of an external server, or the local server's own (else generated). Left
    #: out of repr(): settings get printed in error reports and logs.
    password: str | None = field(repr=False)
    database: str
    #: Where this copy keeps what it writes (SANCT_LOCAL_DIR, else default_local_dir):
    #: the default of `home` and `run_dir`, and of where `update` saves the lists it
    #: downloads. The tests give each of their processes one of its own.
    local_dir: Path
    #: Folder of the local server: data, logs, pid file, password file.
    home: Path
    #: Where `make run` keeps the app's pid file and the background load's progress.
    run_dir: Path
    bolt_port: int
    #: JVM heap and page cache of the local server, 2 GiB together. A load is one
    #: transaction, held in the heap until it commits: the OFAC list at its real size
    #: (19.5k entries) needs about 0.93 GiB at commit, and Neo4j allows transactions 70%
    #: of the heap. The bundled lists' store is a few hundred MiB: a small page cache holds it.
    heap: str
    pagecache: str
    #: Seconds the local server may take to answer Bolt after start.
    start_timeout: float
    #: Seconds and rows allowed to ad-hoc (user-typed) Cypher.
    query_timeout: float
    query_max_rows: int
    #: Seconds allowed to a saved query (queries/*.cypher, this project's own text, which
    #: ends): far more than ad-hoc Cypher gets, so that a slow or busy machine, or the first
    #: run of a long query (Neo4j plans the changes query in 2-7 s before it runs), shows
    #: the answer late rather than an error in its place.
    saved_query_timeout: float
    #: Rows per UNWIND batch when writing.
    batch_size: int
    #: A source of more records than this is written in chunks, a transaction each, not
    #: in one (graph/store.py write_source). In one transaction on the default heap (1536m:
    #: transactions may hold 1 GiB of it), the bench's US list of 19.5k records peaked at
    #: 954 MiB and an FtM file of 25.7k records at 979 MiB (bench/README.md, stop 34).
    #: Every official list is below it; a larger heap can take more.
    large_source: int = 20_000
    #: Where `python -m graph update` downloads from instead of the official URLs (tests
    #: serve the sample files from 127.0.0.1); unset means the official URLs.
    update_base_url: str | None = None
    #: The port of the app `make run` opens on 127.0.0.1.
    app_port: int = 8501
    #: "local" (default): the Data page loads lists once the user confirms; "viewer": a
    #: deployment investigators share, where the app shows no loading controls and its
    #: client refuses to load (load from the command line instead).
    app_mode: str = "local"
    #: Classifications of the server's notifications to receive, at severity WARNING and
    #: above (UNRECOGNIZED: a label, type or property the database has never held, i.e.
    #: one the model lacks; DEPRECATION, PERFORMANCE, …). The driver logs each to the
    #: `neo4j.notifications` logger; the tests fail on them. None by default: the server
    #: sends nothing.
    notifications: tuple[str, ...] = ()

    @property
    def viewer(self) -> bool:
        return self.app_mode == "viewer"

    @property
    def local(self) -> bool:
        return self.uri is None


def default_local_dir() -> Path:
    """Where this copy keeps what it writes between runs (the local server's data, the
    app's pid file, downloads): .local/ of the checkout it runs from (git-ignored); an
    installed copy, which must not write beside its code, the user's data folder
    ($XDG_DATA_HOME/sanctions-graph, else ~/.local/share/sanctions-graph), the same from
    any directory it runs in."""
    if bundled.CHECKOUT:
        return bundled.CHECKOUT / ".local"
    return Path(_env("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "sanctions-graph"


def load() -> Settings:
    local_dir = Path(_env("SANCT_LOCAL_DIR") or default_local_dir()).resolve()
    return Settings(
        uri=_env("NEO4J_URI"),
        user=_env("NEO4J_USER", "neo4j"),
        password=_env("NEO4J_PASSWORD"),
        database=_env("NEO4J_DATABASE", "neo4j"),
        local_dir=local_dir,
        home=Path(_env("SANCT_NEO4J_HOME", str(local_dir / "neo4j"))).resolve(),
        bolt_port=_number("NEO4J_BOLT_PORT", 7687),
        heap=_env("SANCT_NEO4J_HEAP", "1536m"),
        pagecache=_env("SANCT_NEO4J_PAGECACHE", "512m"),
        start_timeout=_number("SANCT_NEO4J_START_TIMEOUT", 180.0),
        query_timeout=_number("SANCT_QUERY_TIMEOUT", 10.0),
        query_max_rows=_number("SANCT_QUERY_MAX_ROWS", 10000),
        saved_query_timeout=_number("SANCT_SAVED_QUERY_TIMEOUT", 120.0),
        batch_size=_number("SANCT_BATCH_SIZE", 2000),
        large_source=_number("SANCT_LARGE_SOURCE", Settings.large_source),
        update_base_url=_env("SANCT_UPDATE_BASE_URL"),
        run_dir=Path(_env("SANCT_RUN_DIR", str(local_dir))).resolve(),
        app_port=_number("SANCT_APP_PORT", Settings.app_port),
        app_mode=_app_mode(_env("SANCT_APP_MODE", "local")),
        notifications=tuple(
            c.strip().upper() for c in _env("SANCT_NEO4J_NOTIFICATIONS", "").split(",") if c.strip()
        ),
    )


Number = TypeVar("Number", int, float)


def _number(name: str, default: Number) -> Number:
    """A number the variable holds, of the default's type (whole or not)."""
    value = _env(name)
    if value is None:
        return default
    try:
        return type(default)(value)
    except ValueError:
        kind = "a whole number" if isinstance(default, int) else "a number"
        raise InvalidInput(f"{name} must be {kind}, got {value!r}") from None


APP_MODES = ("local", "viewer")


def _app_mode(value: str) -> str:
    mode = value.strip().lower()
    if mode not in APP_MODES:
        raise InvalidInput(f"SANCT_APP_MODE must be one of {', '.join(APP_MODES)}, got {value!r}")
    return mode


#: The keys of a `[neo4j]` table (the app's .streamlit/secrets.toml) and the variables
#: they stand in for.
TABLE_VARIABLES = {
    "uri": "NEO4J_URI",
    "user": "NEO4J_USER",
    "password": "NEO4J_PASSWORD",
    "database": "NEO4J_DATABASE",
}


def load_with(table: Mapping[str, object]) -> Settings:
    """Settings where a `[neo4j]` table fills what the environment leaves unset: the
    environment wins, so one exported variable overrides a shared secrets file."""
    unknown = sorted(set(table) - set(TABLE_VARIABLES))
    if unknown:
        raise InvalidInput(
            f"unknown keys in the [neo4j] settings: {', '.join(unknown)} "
            f"(expected {', '.join(TABLE_VARIABLES)})"
        )
    given = {
        key: str(value)
        for key, value in table.items()
        if _env(TABLE_VARIABLES[key]) is None and value not in (None, "")
    }
    settings = load()
    return replace(
        settings,
        uri=given.get("uri", settings.uri),
        user=given.get("user", settings.user),
        password=given.get("password", settings.password),
        database=given.get("database", settings.database),
    )
