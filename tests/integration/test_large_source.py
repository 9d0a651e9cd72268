"""A source above SANCT_LARGE_SOURCE records is written in chunks, a transaction each
(graph/store.py write_source): it leaves the graph one transaction would leave, and a
load that stops half-way converges once the file is loaded again."""

from __future__ import annotations

import pytest

from conftest import DATA, wipe
from graph import loading, store

FTM = DATA / "opensanctions" / "zala_entities.ftm.json"
CURATED = DATA / "curated"


def state(g) -> dict:
    return {
        "nodes": {r["label"]: r["n"] for r in g.read(
            "MATCH (n) WHERE NOT n:WriteLock UNWIND labels(n) AS label RETURN label, count(*) AS n")},
        "relationships": {r["type"]: r["n"] for r in g.read(
            "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")},
        "entities": sorted(tuple(r.values()) for r in g.read(
            "MATCH (e:Entity) RETURN e.id AS id, e.name AS name, e.names AS names, e.kind AS kind")),
        "links": sorted(tuple(r.values()) for r in g.read(
            "MATCH (a:Entity)-[l]->(b:Entity) RETURN a.id AS a, type(l) AS type, b.id AS b, l.role AS role")),
        "designations": sorted(tuple(r.values()) for r in g.read(
            "MATCH (d:Designation)-[:TARGETS]->(e:Entity) RETURN d.id AS d, e.id AS e, d.status AS status")),
        "sources": sorted(tuple(r.values()) for r in g.read(
            "MATCH (s:Source) RETURN s.id AS id, s.records AS records, s.fingerprint IS NOT NULL AS done, "
            "s.input_digest IS NOT NULL AS skippable")),
    }


def load(g, large_source: int, force: bool = False):
    for kind, paths in (("ftm", [FTM]), ("curated", [CURATED])):
        loading.load(g.driver, g.database, kind, paths, batch_size=10, force=force,
                     large_source=large_source)


@pytest.fixture
def atomic(graph) -> dict:
    wipe(graph)
    load(graph, large_source=10_000)
    return state(graph)


def test_chunked_load_leaves_what_one_transaction_leaves(graph, atomic, monkeypatch):
    monkeypatch.setattr(store, "CHUNK_BATCHES", 2)
    wipe(graph)
    load(graph, large_source=10)
    assert state(graph) == atomic


def test_a_chunked_load_that_stops_converges_when_loaded_again(graph, atomic, monkeypatch):
    monkeypatch.setattr(store, "CHUNK_BATCHES", 2)
    wipe(graph)
    describe = store.Derivation.describe
    calls = 0

    def failing(self, keys):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("the loader was stopped")
        return describe(self, keys)

    monkeypatch.setattr(store.Derivation, "describe", failing)
    with pytest.raises(RuntimeError):
        load(graph, large_source=10)
    stopped = state(graph)
    assert stopped["nodes"].get("Record") and stopped != atomic  # chunks were committed
    # The source that stopped is not taken for finished: a reload parses and writes it
    # again (a finished one is skipped before parsing).
    assert all(done and skippable for *_, done, skippable in atomic["sources"])
    assert (False, False) in [(done, skippable) for *_, done, skippable in stopped["sources"]]
    monkeypatch.setattr(store.Derivation, "describe", describe)
    load(graph, large_source=10)
    assert state(graph) == atomic
