"""Fixture strategy.

Unit tests (tests/unit) need no database. Everything else talks to a real Neo4j server
that this file starts once per test process: the project's own local server (graph/server.py)
in a throw-away folder on a free port. Set SANCT_TEST_NEO4J_URI (with NEO4J_USER /
NEO4J_PASSWORD) to test against another Neo4j 5 instead; the run refuses a database
that holds data these tests did not create.

Pick the smallest fixture that has what the test needs:
- `demo_graph`: the database holds exactly the bundled demo data (graph.loading.DEMO).
  Loaded once and shared; a test that changes it must use `empty_graph` instead.
- `empty_graph`: an empty database, for tests that load their own files.
- `case_graph`: the curated case on a small graph (the OFAC entries it names, Canada's
  list of 2025-09-22, the case). Loaded once and shared by the modules of the xdist
  group "case-graph" (ON_THE_CASE_GRAPH); a test that makes case lists in it asks for
  `changed_case_graph` instead, which runs after the others, deletes them, and has the
  next test load the graph again unless every count is as before.
- `canada`: Canada's two versions and the EU's 2020/1998 extract, for what changed
  between them; its modules are one xdist group (ON_CANADAS_PAIR).
- another graph a module needs: `loaded(graph, state, jobs)`, which loads it once while
  no other test has changed it (`graph.state` names what the database holds).

The run is parallel: `make test` (pyproject.toml's addopts) runs the tests on two
pytest-xdist workers, each a process with its own server and its own local folder
(SANCT_LOCAL_DIR: the downloads, pid and progress files the code writes); `-n 0` runs
them in this one process. So that the demo data is loaded once per run, every test
that uses `demo_graph` is in one xdist group, run in order by one worker (the tests that
use it run first there), and the other takes the rest, a module at a time, so that each
module fixture is made once (pytest_collection_modifyitems). Modules that share what
one process remembers across them (tests/reliability/large_load.py, the resolved lists
of tests/resolution) name a group of their own; pytest-xdist 3.8 needs help to see the
groups under pytest 9.2 (name_group_in_nodeid). An external database is one database:
with SANCT_TEST_NEO4J_URI the run is serial.

Neo4j's warnings about a label, relationship type or property it has never held fail
the test that caused them (`no_unknown_names`): the test database knows every label and
type graph/model.yaml declares from the start (ensure_schema), so such a name is one the
model lacks or a query misspells. Property keys Neo4j knows only once data has held them
(ensure_schema says why): a warning about a property the model declares is let pass. The
app, run in-process, asks for the warnings too (SANCT_NEO4J_NOTIFICATIONS); so do the
CLI's subprocesses, but nothing reads what they log.

There is no skipping: without Java, Maven or a free port the run fails and says why.
"""

from __future__ import annotations

import logging
import os
import re
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from graph import SanctionsGraph
from graph import settings as settings_module
from graph.loading import DEMO
from graph.model import model
from graph.server import LocalServer
from graph.store import ensure_schema
from reliability.graph_state import counts

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MARKER = "MATCH (m:TestMarker) RETURN count(m) AS n"
#: The server's notifications the tests ask for: a label, relationship type or property
#: that the database has never held.
NOTIFICATIONS = ("UNRECOGNIZED",)
#: The tests' own labels: the marker of a test database, and what refused writes would
#: have created, which tests look for and must never find.
TEST_LABELS = ("TestMarker", "Probe", "Intruder")
#: Neo4j's words for a property key it has never held.
UNKNOWN_PROPERTY = re.compile(r"The property `([^`]+)` does not exist")


def pytest_configure(config):
    """An external database is one: workers side by side would wipe each other's data.
    (Before pytest-xdist's own pytest_configure, which starts the workers.)"""
    if os.environ.get("SANCT_TEST_NEO4J_URI") and config.getoption("dist", "no") != "no":
        config.option.dist, config.option.tx = "no", []


@pytest.fixture(scope="session", autouse=True)
def local_dir(tmp_path_factory) -> Iterator[Path]:
    """A local folder of this process's own (SANCT_LOCAL_DIR): what the code writes there
    (the lists `update` downloads, the app's pid and progress files) lands neither in the
    checkout's .local/, which a developer's `make run` reads, nor in another worker's.
    Subprocesses inherit it (cli_env). Run files and a server folder set for the
    developer's own use are not this run's either."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("local")
        patch.setenv("SANCT_LOCAL_DIR", str(folder))
        patch.delenv("SANCT_RUN_DIR", raising=False)
        patch.delenv("SANCT_NEO4J_HOME", raising=False)
        yield folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server_settings(tmp_path_factory) -> settings_module.Settings:
    base = replace(settings_module.load(), notifications=NOTIFICATIONS)
    external = os.environ.get("SANCT_TEST_NEO4J_URI")
    if external:
        yield replace(base, uri=external)
        return
    settings = replace(
        base, uri=None, password=None, home=tmp_path_factory.mktemp("neo4j"),
        bolt_port=free_port(), heap="1g", pagecache="256m",
    )
    server = LocalServer(settings)
    server.start()
    yield settings
    server.stop()


def new_server(tmp_path_factory, server_settings, folder: str) -> Iterator[settings_module.Settings]:
    """A local Neo4j for one module alone, new: for tests that kill it, or that need its
    indexes' statistics as a new server has them. Used as `yield from` in a fixture."""
    settings = replace(server_settings, uri=None, password=None, home=tmp_path_factory.mktemp(folder),
                       bolt_port=free_port(), heap="512m", pagecache="128m")
    server = LocalServer(settings)
    server.start()
    yield settings
    server.stop()


@pytest.fixture(scope="session")
def graph(server_settings) -> SanctionsGraph:
    g = SanctionsGraph.connect(server_settings, start=False)
    nodes = g.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    if nodes and not g.read(MARKER)[0]["n"]:
        pytest.exit(f"refusing to run: the test database holds {nodes} nodes these tests did "
                    "not create. Point SANCT_TEST_NEO4J_URI at an empty database.", returncode=3)
    # Every label and type the model declares is known before a test reads, as after a load.
    ensure_schema(g.driver, g.database, model())
    with g.driver.session(database=g.database) as session:
        session.run("UNWIND $labels AS label CALL db.createLabel(label)", labels=TEST_LABELS).consume()
    g.state = None
    yield g
    g.close()


def wipe(g: SanctionsGraph) -> None:
    with g.driver.session(database=g.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        session.run("CREATE (:TestMarker)").consume()


def resolution_state(g) -> dict:
    """Everything resolution decides, as stored (to compare a graph with a rebuild)."""
    return {
        "entity_id": {r["key"]: r["entity"] for r in g.read(
            "MATCH (r:Record) WHERE r.status <> 'stub' RETURN r.key AS key, r.entity_id AS entity")},
        "describes": {r["key"]: r["entity"] for r in g.read(
            "MATCH (r:Record)-[:DESCRIBES]->(e:Entity) RETURN r.key AS key, e.id AS entity")},
        # Lists, not sets: an edge stored twice is a difference too.
        "same_as": sorted((r["a"], r["b"], r["method"], round(r["score"], 9), tuple(r["features"]))
                    for r in g.read("MATCH (a:Record)-[m:SAME_AS]->(b:Record) RETURN a.key AS a, "
                                    "b.key AS b, m.method AS method, m.score AS score, "
                                    "m.features AS features")),
        "candidates": sorted((r["a"], r["b"], round(r["score"], 9), tuple(r["features"]), r["ok"])
                       for r in g.read("MATCH (a:Record)-[c:CANDIDATE]->(b:Record) RETURN a.key AS a, "
                                       "b.key AS b, c.score AS score, c.features AS features, "
                                       "c.within_list_ok AS ok")),
        "entities": {r["id"]: (sorted(r["records"]), sorted(r["names"])) for r in g.read(
            "MATCH (e:Entity) RETURN e.id AS id, e.record_keys AS records, e.names AS names")},
    }


@pytest.fixture
def empty_graph(graph) -> SanctionsGraph:
    wipe(graph)
    graph.state = "dirty"
    return graph


def loaded(graph: SanctionsGraph, state: str, jobs) -> SanctionsGraph:
    """The graph holding exactly these loads, (kind, *paths) each, in order: loaded once
    while `graph.state` says it holds them; "dirty" until they are all loaded."""
    if graph.state != state:
        wipe(graph)
        graph.state = "dirty"
        for kind, *paths in jobs:
            graph.load(kind, *paths)
        graph.state = state
    return graph


@pytest.fixture
def demo_graph(graph) -> SanctionsGraph:
    return loaded(graph, "demo", [(kind, *paths) for kind, paths in DEMO])


#: The ten OFAC entries (ent_num) the curated case names.
CASE_OFAC_ENTRIES = frozenset({"29159", "29160", "29162", "29219", "29220", "29299", "29300", "29319",
                               "31492", "31493"})


@pytest.fixture(scope="session")
def case_ofac_sdn(tmp_path_factory) -> Path:
    """An sdn.csv of the case's OFAC entries (their lines of data/ofac/sdn.csv): its
    targets and their US designations without the whole list."""
    lines = (DATA / "ofac" / "sdn.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path_factory.mktemp("ofac") / "sdn.csv"
    path.write_text("".join(x for x in lines if x.split(",", 1)[0] in CASE_OFAC_ENTRIES), encoding="utf-8")
    return path


@pytest.fixture
def case_graph(graph, case_ofac_sdn) -> SanctionsGraph:
    """The case's OFAC entries, Canada's list of 2025-09-22 and the curated case."""
    return loaded(graph, "case", [("ofac-sdn-csv", case_ofac_sdn),
                                  ("ca-sema-xml", DATA / "canada" / "sema-lmes_2025-09-22.xml"),
                                  ("curated", DATA / "curated")])


#: Canada's two versions, and the EU's Regulation 2020/1998 extract: the graph of `canada`.
CA_2020 = DATA / "canada" / "sema-lmes_2020-04-15.xml"
CA_2025 = DATA / "canada" / "sema-lmes_2025-09-22.xml"
EU_OJ = DATA / "eu" / "eu_oj_32020R1998.csv"
#: For a module that reads `canada`: its xdist group, so that the graph is loaded once.
ON_CANADAS_PAIR = pytest.mark.xdist_group("changes")


@pytest.fixture
def canada(graph) -> SanctionsGraph:
    """Canada's list of 2020-04-15, then its list of 2025-09-22, then the EU extract."""
    return loaded(graph, "changes:canada+eu", [("ca-sema-xml", CA_2020), ("ca-sema-xml", CA_2025),
                                               ("eu-oj-csv", EU_OJ)])


#: For a test or module that reads the case graph: its xdist group, so that the graph is
#: loaded once for all of them.
ON_THE_CASE_GRAPH = pytest.mark.xdist_group("case-graph")


def without_case_lists(graph: SanctionsGraph) -> Iterator[SanctionsGraph]:
    """The graph for a test that makes case lists in it: afterwards they are deleted, and
    if that does not give back every count of before, the next test loads it again."""
    before = counts(graph)
    yield graph
    with graph.driver.session(database=graph.database) as session:
        session.run("MATCH (c:CaseList) DETACH DELETE c").consume()
    if counts(graph) != before:
        graph.state = "dirty"


@pytest.fixture
def changed_case_graph(case_graph) -> Iterator[SanctionsGraph]:
    """`case_graph` for a test that makes case lists in it (without_case_lists)."""
    yield from without_case_lists(case_graph)


class _Recorded(logging.Handler):
    """Neo4j's warnings about unknown names, but for properties the model declares."""

    def __init__(self, declared: set[str]):
        super().__init__(logging.WARNING)
        self.declared = declared
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        unknown = UNKNOWN_PROPERTY.search(message)
        if not (unknown and unknown[1] in self.declared):
            self.messages.append(message)


@pytest.fixture(autouse=True)
def no_unknown_names(monkeypatch):
    """Fail the test if Neo4j warned of a name it has never held. The driver logs every
    notification the server sends to `neo4j.notifications`; the server sends only
    NOTIFICATIONS. SANCT_NEO4J_NOTIFICATIONS asks for them in the app."""
    monkeypatch.setenv("SANCT_NEO4J_NOTIFICATIONS", ",".join(NOTIFICATIONS))
    recorded = _Recorded(model().property_names)
    logger = logging.getLogger("neo4j.notifications")
    logger.addHandler(recorded)
    yield recorded
    logger.removeHandler(recorded)
    if recorded.messages:
        pytest.fail("Neo4j warned of names it has never held; graph/model.yaml declares every "
                    "name a query may use:\n" + "\n".join(recorded.messages), pytrace=False)


@pytest.fixture
def cli_env(server_settings) -> dict[str, str]:
    """Environment for `python -m graph …` subprocesses to use the test server."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if server_settings.uri:
        env["NEO4J_URI"] = server_settings.uri
    else:
        env["NEO4J_BOLT_PORT"] = str(server_settings.bolt_port)
        env["SANCT_NEO4J_HOME"] = str(server_settings.home)
        env.pop("NEO4J_URI", None)
        env.pop("NEO4J_PASSWORD", None)
    return env


def uses_demo(item: pytest.Item) -> bool:
    return "demo_graph" in getattr(item, "fixturenames", ())


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Demo-data tests first, so the demo graph is loaded once, not after every wipe; in
    a parallel run (--dist loadgroup) all of them on one worker, as the group "demo", and
    every other module a group of its own, unless it names one (pytestmark). A test that
    restarts the server (marked restarts_server) comes after the others of its kind: a
    restarted JVM compiles Neo4j's code and plans every query again, minutes of CPU for
    the tests after it (a JVM's JIT alone spent 70-90 s of CPU in its first minutes).
    A test that changes the case graph comes after the others too: they share one load."""
    for item in items:
        if not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group("demo" if uses_demo(item) else item.nodeid.split("::")[0]))
    items.sort(key=lambda item: (not uses_demo(item), bool(item.get_closest_marker("restarts_server")),
                                 "changed_case_graph" in getattr(item, "fixturenames", ())))
    result = yield  # the other plugins: pytest-xdist reads the groups
    if config.getoption("loadgroup", False):  # an xdist worker's
        for item in items:
            name_group_in_nodeid(item)
    return result


def name_group_in_nodeid(item: pytest.Item) -> None:
    """pytest-xdist 3.8 tells its scheduler an item's group by the suffix `@group` of the
    nodeid the worker reports, which it writes to item._nodeid. pytest 9.2 keeps the
    nodeid in item._id (a structured NodeId), so the suffix is lost and every group
    silently ignored (pytest-dev/pytest-xdist#1386; test_parallel.py sees it). Until
    pytest-xdist writes it there, this does."""
    from _pytest.nodeid import NodeId

    suffix = "@" + item.get_closest_marker("xdist_group").args[0]
    if not item.nodeid.endswith(suffix):
        item._id = NodeId.parse(item.nodeid + suffix)
