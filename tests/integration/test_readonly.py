"""Ad-hoc Cypher is read-only and time-limited: every kind of write is refused with a
clear error, and nothing changes. The server's READ mode refuses writes on its own too."""

import warnings
from dataclasses import replace

import pytest

from graph import SanctionsGraph
from graph import queries
from graph.queries import QueryError, QueryTimeout, ReadOnlyError

EVERYTHING = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { MATCH (n) UNWIND keys(n) AS k RETURN count(k) AS properties }
CALL () { MATCH (n) UNWIND labels(n) AS l RETURN count(l) AS labels }
RETURN nodes, relationships, properties, labels
"""


def everything(g) -> list[dict]:
    """What a write would change: counts of the graph, its indexes and constraints."""
    return (g.read(EVERYTHING) + g.read("SHOW INDEXES YIELD name RETURN collect(name) AS indexes")
            + g.read("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS constraints"))

REFUSED = [
    ("CREATE (:Probe {x: 1})", "would write to the graph (Create)"),
    ("MERGE (p:Probe {x: 1}) RETURN p", "would write to the graph"),
    ("MATCH (e:Entity) SET e.name = 'x'", "would write to the graph (SetProperty)"),
    ("MATCH (e:Entity) SET e:Probe", "would write to the graph (SetLabels)"),
    ("MATCH (e:Entity) REMOVE e.name", "would write to the graph"),
    ("MATCH (d:Designation) DETACH DELETE d", "would write to the graph (DetachDelete)"),
    ("MATCH ()-[r:TARGETS]->() DELETE r", "would write to the graph (Delete)"),
    ("FOREACH (i IN [1] | CREATE (:Probe))", "would write to the graph"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "LOAD CSV reads files and URLs"),
    ("LOAD CSV FROM 'https://example.org/x.csv' AS line CREATE (:Probe)", "would write to the graph"),
    ("MATCH (e:Entity) CALL (e) { SET e.probe = 1 } IN TRANSACTIONS", "would write"),
    ("MATCH (e:Entity) CALL (e) { RETURN e.id AS i } IN TRANSACTIONS RETURN i", "IN TRANSACTIONS"),
    ("CREATE INDEX probe FOR (n:Entity) ON (n.probe)", "schema, administration and server commands"),
    ("DROP INDEX entity_name", "schema, administration and server commands"),
    ("DROP CONSTRAINT entity_id", "schema, administration and server commands"),
    ("CREATE USER probe SET PASSWORD 'probe-password-1'", "schema, administration and server commands"),
    ("CALL db.createLabel('Probe')", "would write to the graph"),
    ("CALL db.clearQueryCaches()", "schema, administration and server commands"),
    ("CALL dbms.listConfig()", "schema, administration and server commands"),
    ("CALL db.awaitIndexes(10)", "procedure db.awaitIndexes is not allowed"),
    ("SHOW SETTINGS", "server command ShowSettings"),
    ("SHOW TRANSACTIONS", "server command ShowTransactions"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "server command TerminateTransactions"),
]


@pytest.fixture
def g(demo_graph):
    return demo_graph


@pytest.mark.parametrize("text, message", REFUSED)
def test_writes_are_refused_and_nothing_changes(g, text, message):
    before = everything(g)
    with pytest.raises(ReadOnlyError) as e:
        g.cypher(text)
    assert message in str(e.value)
    assert everything(g) == before
    assert g.read("MATCH (p:Probe) RETURN count(p) AS n") == [{"n": 0}]


@pytest.mark.parametrize("text, message", [
    ("CREATE DATABASE probe", "Neo4j refused the query: Unsupported administration command"),
    ("MATCH (n) RETURN n LIMIT 1; CREATE (:Probe)", "Expected exactly one statement"),
    ("RETURN 1 +", "(line 1, column 11 (offset: 10))"),
    ("MATCH (e:Entity {id: $id}) RETURN e", "Expected parameter(s): id"),
    ("   ", "the query is empty"),
])
def test_what_neo4j_refuses_is_a_one_line_error(g, text, message):
    with pytest.raises(QueryError) as e:
        g.cypher(text)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_the_server_refuses_writes_in_a_read_transaction_on_its_own(g, monkeypatch):
    """The second line of defence: without the EXPLAIN check the READ transaction still
    refuses to write."""
    monkeypatch.setattr(queries, "check_read_only", lambda summary: None)
    before = everything(g)
    with pytest.raises(ReadOnlyError, match="refused by the server: Writing in read access mode not allowed"):
        g.cypher("CREATE (:Probe)")
    with pytest.raises(ReadOnlyError, match="refused by the server"):
        g.cypher("MATCH (e:Entity) SET e.probe = 1")
    assert everything(g) == before


def test_reads_run_with_parameters_and_allowed_procedures(g):
    frame = g.cypher("MATCH (e:Entity {id: $id}) RETURN e.name AS name, e.kind AS kind",
                     id="us-ofac-sdn:29220")
    assert frame.to_dict("records") == [{"name": "CHEN, Quanguo", "kind": "Person"}]
    assert "Designation" in set(g.cypher("CALL db.labels()").label)
    hits = g.cypher("CALL db.index.fulltext.queryNodes('entity_names', 'quanguo') YIELD node "
                    "RETURN node.id AS id LIMIT 5")
    assert "us-ofac-sdn:29220" in set(hits.id)
    dates = g.cypher("MATCH (d:Designation {id: 'us-ofac-sdn:29220/US-GLOMAG'}) RETURN d.announced_on AS day")
    assert str(dates.day.dtype).startswith("datetime64")


def limited(g, **changes) -> SanctionsGraph:
    """The same database through a client with other limits."""
    return SanctionsGraph(g.driver, replace(g.settings, **changes))


def test_a_long_query_is_stopped(g):
    slow = limited(g, query_timeout=1.0)
    with pytest.raises(QueryTimeout, match="ran longer than 1 s"):
        slow.cypher("MATCH (a:Designation), (b:Designation) WHERE a.id < b.id RETURN count(*) AS n")


def test_saved_queries_have_a_limit_of_their_own(g):
    # The changes since 2020 over every list: 1-2 s on the demo graph even when its plan
    # is cached, far beyond 0.2 s.
    quick = limited(g, query_timeout=0.2)
    assert len(quick.changes("2020-01-01")) > 1000
    slow = limited(g, saved_query_timeout=0.2)
    with pytest.raises(QueryTimeout, match=r"longer than 0.2 s .*\(SANCT_SAVED_QUERY_TIMEOUT"):
        slow.changes("2020-01-01", kinds=["added", "removed"])


def test_rows_are_capped(g):
    small = limited(g, query_max_rows=7)
    with pytest.warns(UserWarning, match="only the first 7 rows"):
        frame = small.cypher("MATCH (e:Entity) RETURN e.id AS id")
    assert len(frame) == 7 and frame.attrs["truncated"] is True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exact = small.cypher("MATCH (e:Entity) RETURN e.id AS id LIMIT 7")
    assert len(exact) == 7 and exact.attrs["truncated"] is False


def test_saved_queries_run_read_only_too(g):
    with pytest.raises(ReadOnlyError, match="would write"):
        queries.run_read_only(g.driver, g.database, "MATCH (e:Entity) SET e.probe = 1", {},
                              timeout=g.settings.query_timeout)
