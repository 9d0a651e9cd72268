"""Issue 8, read-only: every attempt to change the graph, read files or URLs, or run the
server's commands through typed Cypher is refused before it runs, a query that would
run forever is stopped at the time limit, and one that returns millions of rows is cut
at the row limit. Each attempt goes through the client's cypher() and through the app's
Cypher box, on the demo data. The command line has no ad-hoc Cypher at all: `query`
runs saved queries by name, and every attempt given as the name is refused as an
unknown query. Nothing changes: the counts
after each attempt, the full snapshot (counts and checksums) after them all, are the
same as before.

tests/integration/test_readonly.py checks the client's messages for the common writes;
this corpus adds the evasions (comments, several statements, subqueries, FOREACH,
pre-parser options, system commands) and the other surfaces.
"""

from __future__ import annotations

import http.server
import threading
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import common
from conftest import ROOT
from graph import SanctionsGraph
from graph import __main__ as cli
from graph.queries import QueryError, QueryTimeout
from reliability.graph_state import counts, snapshot
from reliability.processes import command, environment, one_line_error, use_environment

#: A short limit, so that the query that must be stopped is stopped quickly.
TIMEOUT = 3
MAX_ROWS = 10_000
#: The port of a web server that counts requests: LOAD CSV must never reach it.
WATCHED = "http://127.0.0.1:{port}/names.csv"

REFUSED = {
    "create": "CREATE (:Probe {x: 1})",
    "merge": "MERGE (p:Probe {x: 1}) RETURN p",
    "set": "MATCH (e:Entity) SET e.name = 'x'",
    "set-map": "MATCH (e:Entity) SET e += {probe: 1}",
    "remove-label": "MATCH (e:Entity) REMOVE e:Person",
    "remove-property": "MATCH (e:Entity) REMOVE e.name",
    "delete": "MATCH (d:Designation) DELETE d",
    "detach-delete": "MATCH (d:Designation) DETACH DELETE d",
    "delete-everything": "MATCH (n) DETACH DELETE n",
    "drop-index": "DROP INDEX entity_names",
    "drop-constraint": "DROP CONSTRAINT entity_id",
    "create-index": "CREATE INDEX probe FOR (n:Entity) ON (n.probe)",
    "create-constraint": "CREATE CONSTRAINT probe FOR (n:Probe) REQUIRE n.x IS UNIQUE",
    "create-fulltext-index": "CREATE FULLTEXT INDEX probe FOR (n:Entity) ON EACH [n.name]",
    "load-csv-file": "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "load-csv-file-built": "WITH 'file:///etc/' + 'passwd' AS url LOAD CSV FROM url AS line RETURN line",
    "load-csv-http": f"LOAD CSV FROM '{WATCHED}' AS line RETURN line",
    "load-csv-http-write": f"LOAD CSV WITH HEADERS FROM '{WATCHED}' AS row CREATE (:Probe {{name: row.name}})",
    "dbms-list-config": "CALL dbms.listConfig()",
    "dbms-components": "CALL dbms.components()",
    "dbms-set-config": "CALL dbms.setConfigValue('db.transaction.timeout', '0')",
    "procedure-create-label": "CALL db.createLabel('Probe')",
    "procedure-create-property": "CALL db.createProperty('probe')",
    "procedure-clear-caches": "CALL db.clearQueryCaches()",
    "in-transactions": "MATCH (e:Entity) CALL (e) { SET e.probe = 1 } IN TRANSACTIONS OF 10 ROWS",
    "in-transactions-read": "MATCH (e:Entity) CALL (e) { RETURN e.id AS i } IN TRANSACTIONS RETURN i",
    "two-statements": "MATCH (n) RETURN count(n) AS n; CREATE (:Probe)",
    "two-statements-lines": "RETURN 1 AS x;\nMATCH (n) DETACH DELETE n",
    "comment-line": "// only reading\nCREATE (:Probe)",
    "comment-block": "/* RETURN 1 */ CREATE (:Probe) RETURN 1 AS x",
    "comment-after-read": "MATCH (e:Entity) WITH e LIMIT 1 // reading\nSET e.probe = 1 RETURN e.id",
    "write-in-subquery": "CALL () { CREATE (p:Probe) RETURN p } RETURN count(p) AS n",
    "write-in-union": "MATCH (e:Entity) RETURN e.id AS x LIMIT 1 UNION CREATE (p:Probe) RETURN 'p' AS x",
    "foreach": "MATCH (e:Entity) WITH collect(e) AS es FOREACH (e IN es | SET e.probe = 1)",
    "foreach-create": "FOREACH (i IN range(1, 10) | CREATE (:Probe {i: i}))",
    "write-after-search": ("CALL db.index.fulltext.queryNodes('entity_names', 'chen') YIELD node "
                           "SET node.probe = 1"),
    "profile": "PROFILE CREATE (:Probe)",
    "explain": "EXPLAIN CREATE (:Probe)",
    "pre-parser-option": "CYPHER runtime=slotted CREATE (:Probe)",
    "system-create-user": "USE system CREATE USER probe SET PASSWORD 'probe-password-1'",
    "change-password": "ALTER CURRENT USER SET PASSWORD FROM 'x' TO 'probe-password-2'",
    "create-database": "CREATE DATABASE probe",
    "show-settings": "SHOW SETTINGS",
    "terminate": "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
}
#: A cartesian product of the whole graph: it must hit the time limit. (Without the
#: WHERE, Neo4j multiplies three counts from its count store and answers at once.)
STOPPED = {"cartesian-product": "MATCH (a), (b), (c) WHERE a <> b AND b <> c RETURN count(*) AS n"}
#: Millions of rows: only the first MAX_ROWS are fetched.
CAPPED = {
    "five-million-rows": "UNWIND range(1, 5000000) AS i RETURN i",
    "cartesian-rows": "MATCH (a), (b) RETURN a.id AS a, b.id AS b",
}
ATTEMPTS = {**REFUSED, **STOPPED, **CAPPED}
PROBES = "MATCH (p:Probe) RETURN count(p) AS n"


@pytest.fixture(scope="module")
def watched_server():
    """A web server on 127.0.0.1 that counts the requests it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"name\nx\n")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], requests
    server.shutdown()


@pytest.fixture
def limited(demo_graph) -> SanctionsGraph:
    """The demo graph through a client with the short limits."""
    return SanctionsGraph(demo_graph.driver, replace(demo_graph.settings, query_timeout=TIMEOUT,
                                                     query_max_rows=MAX_ROWS))


BEFORE: dict[str, dict] = {}


def demo_before(g: SanctionsGraph) -> dict:
    """The demo graph's full snapshot before the corpus, taken once: it takes seconds.
    Each attempt is followed by counts(), the corpus by a full snapshot."""
    if "snapshot" not in BEFORE:
        BEFORE["snapshot"] = snapshot(g)
    return BEFORE["snapshot"]


def text_of(name: str, port: int) -> str:
    return ATTEMPTS[name].replace("{port}", str(port))


def test_the_corpus_is_complete():
    assert len(ATTEMPTS) >= 25


@pytest.mark.parametrize("name", list(ATTEMPTS))
def test_client_cypher(limited, watched_server, name):
    port, requests = watched_server
    before = demo_before(limited)
    if name in REFUSED:
        with pytest.raises(QueryError) as e:
            limited.cypher(text_of(name, port))
        assert not isinstance(e.value, QueryTimeout)
        assert "\n" not in str(e.value), str(e.value)
    elif name in STOPPED:
        with pytest.raises(QueryTimeout, match=f"longer than {TIMEOUT} s"):
            limited.cypher(text_of(name, port))
    else:
        with pytest.warns(UserWarning, match="only the first"):
            frame = limited.cypher(text_of(name, port))
        assert len(frame) == MAX_ROWS and frame.attrs["truncated"]
    assert counts(limited) == {k: before[k] for k in ("labels", "relationships")}
    assert limited.read(PROBES) == [{"n": 0}]
    assert requests == []


@pytest.fixture
def app(demo_graph, server_settings, monkeypatch) -> AppTest:
    """The app's saved-queries page, on the demo graph, with the short limits."""
    env = environment(server_settings, SANCT_QUERY_TIMEOUT=str(TIMEOUT), SANCT_QUERY_MAX_ROWS=str(MAX_ROWS))
    use_environment(monkeypatch, env)
    common.graph.clear()
    common.forget_results()
    page = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    page.secrets["neo4j"] = {}  # a developer's .streamlit/secrets.toml must not lead it away
    page.switch_page("app_pages/queries.py").run()
    yield page
    common.graph.clear()


def test_app_cypher_box(app, demo_graph, watched_server):
    """Every attempt typed into the app's Cypher box: refused or stopped with a message,
    or cut with a warning; the page shows no traceback, and nothing changes."""
    port, requests = watched_server
    before = demo_before(demo_graph)
    for name in ATTEMPTS:
        app.text_area(key="cypher").input(text_of(name, port)).run()
        assert not app.exception, (name, app.exception)
        if name in CAPPED:
            assert any(f"Only the first {MAX_ROWS:,} rows" in w.value for w in app.warning), name
        else:
            expected = f"ran longer than {TIMEOUT} s" if name in STOPPED else "Not run."
            assert any(expected in e.value for e in app.error), (name, [e.value for e in app.error])
    assert snapshot(demo_graph) == before
    assert demo_graph.read(PROBES) == [{"n": 0}]
    assert requests == []


def test_the_command_line_runs_no_typed_cypher(demo_graph, cli_env, watched_server, monkeypatch, capsys):
    """`query` runs saved queries by name only: each attempt given as the name is
    refused as no saved query (given as a parameter it is a value: test_injection.py).
    The whole corpus runs through the command line's own main() (in this process, with
    the command line's environment); one in a process of its own too."""
    port, requests = watched_server
    before = demo_before(demo_graph)
    use_environment(monkeypatch, cli_env)
    for name in ATTEMPTS:
        text = text_of(name, port)
        assert cli.main(["query", text]) == 2, name
        assert "error: no saved query" in capsys.readouterr().err, name
        assert counts(demo_graph) == {k: before[k] for k in ("labels", "relationships")}, name
    done = command(cli_env, "query", REFUSED["delete-everything"])
    assert done.returncode == 2
    assert "no saved query" in one_line_error(done.stderr)
    commands = command(cli_env, "--help").stdout
    assert ("{server,load,run,stop,history,search,entity,update,query,gaps,brief,briefing,case,"
            "export,resolve,changes}") in commands
    assert "cypher" not in commands.lower()
    assert snapshot(demo_graph) == before
    assert demo_graph.read(PROBES) == [{"n": 0}]
    assert requests == []


def test_after_the_corpus_the_graph_is_exactly_as_before(demo_graph):
    """Counts after each attempt; every value, by checksum, after them all."""
    assert snapshot(demo_graph) == demo_before(demo_graph)
