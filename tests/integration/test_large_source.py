"""A source above SANCT_LARGE_SOURCE records is written in chunks, a transaction each
(graph/store.py write_source): it leaves the graph one transaction would leave, and a
load that stops half-way converges once the file is loaded again."""

from __future__ import annotations

import gc
import logging
import re

import pytest
from neo4j.exceptions import ClientError

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


def test_a_write_that_fails_unread_fails_the_load_and_leaves_the_graph_as_it_was(graph, monkeypatch):
    """A load leaves its writes' results unread, so that the server writes while the
    loader prepares what comes next (store.SourceWriter.run): a write the server refuses
    still stops the load, at the statement after it, and its transaction leaves nothing."""
    wipe(graph)
    loading.load(graph.driver, graph.database, "ftm", [FTM], batch_size=10)
    before = state(graph)
    # The new records' entities, refused by the server as it runs the statement (a
    # constant would be refused as it is planned, when it is sent).
    refused = store.CREATE_ENTITIES.replace(
        "UNWIND $rows AS row", "UNWIND $rows AS row WITH row, 1 / (size($rows) - size($rows)) AS refused", 1)
    assert refused != store.CREATE_ENTITIES
    monkeypatch.setattr(store, "CREATE_ENTITIES", refused)
    run, sent = store.run_forgetting_rows, []

    def recording(tx, statement, **params):
        sent.append(statement)
        return run(tx, statement, **params)

    monkeypatch.setattr(store, "run_forgetting_rows", recording)
    with pytest.raises(ClientError, match="/ by zero"):
        loading.load(graph.driver, graph.database, "curated", [CURATED], batch_size=2)
    # The loader had sent the next statement when the server's error reached it.
    assert refused in sent and sent[-1] != refused
    assert state(graph) == before


def test_the_rows_a_load_sends_are_not_written_out_for_the_drivers_log(graph, caplog):
    """The driver writes each statement's parameters out for its debug log before it asks
    whether the log is on (neo4j 6.4.1): the writer's lists say how many values they hold
    instead of being written out, which cost 7% of the five lists' CPU (bench/README.md,
    stop 41). Nothing of a list's records reaches the log."""
    wipe(graph)
    with caplog.at_level(logging.DEBUG, logger="neo4j"):
        loading.load(graph.driver, graph.database, "ftm", [FTM], batch_size=10)
    runs = [r.getMessage() for r in caplog.records if " C: RUN " in r.getMessage()]
    created = [m for m in runs if repr(store.CREATE_RECORDS) in m]
    names = [r["name"] for r in graph.read("MATCH (r:Record) RETURN r.name AS name")]
    assert created and all(re.search(r"\{'rows': \[\d+ values\]", m) for m in created)
    assert len(names) >= 5 and not [name for name in names for m in runs if name in m]


def _records_sent() -> int:
    """The rows of new records (CREATE_RECORDS) alive in this process: dicts of a record's
    properties as the writer sends them, a history and a record key ("dataset:id") among
    them (the model declares the same properties, each with its type as its value)."""
    return sum(
        1
        for o in gc.get_objects()
        if type(o) is dict and "history" in o and "first_seen" in o and ":" in str(o.get("key"))
    )


@pytest.mark.parametrize("large_source", [10, 10_000], ids=["chunked", "one transaction"])
def test_a_load_keeps_no_row_it_has_sent(graph, monkeypatch, large_source):
    """The driver keeps a statement's parameters with its result to the end of the
    transaction, and its results are a reference cycle, which a load collects rarely: a
    load held every row it sent until it committed (the US list's load peaked at 650 MiB,
    485 since), and a chunked one, every chunk's (the FtM 1M file: 1,132 MiB at stop 35;
    bench/README.md)."""
    monkeypatch.setattr(store, "CHUNK_BATCHES", 1)
    wipe(graph)
    run, sending, after_batches = store.run_forgetting_rows, [], []

    def watched(tx, statement, **params):
        if statement == store.CREATE_RECORDS:
            sending.append(_records_sent())  # the rows as they are sent: what is looked for
        return run(tx, statement, **params)

    checkpoint = store.SourceWriter._checkpoint

    def counting(self):
        checkpoint(self)
        after_batches.append(_records_sent())

    monkeypatch.setattr(store, "run_forgetting_rows", watched)
    monkeypatch.setattr(store.SourceWriter, "_checkpoint", counting)
    loading.load(graph.driver, graph.database, "ftm", [FTM], batch_size=10, large_source=large_source)
    assert sending and min(sending) >= 1  # the rows are seen while they are sent,
    assert len(after_batches) > len(sending) and max(after_batches) == 0  # never after a batch


def test_a_chunked_load_that_stops_converges_when_loaded_again(graph, atomic, monkeypatch):
    monkeypatch.setattr(store, "CHUNK_BATCHES", 2)
    wipe(graph)
    # Stopped as it writes the third batch of new records' entities, two batches (one
    # chunk) after the first commit.
    create_entities = store.SourceWriter._create_entities
    calls = 0

    def failing(self, rows, designations):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("the loader was stopped")
        return create_entities(self, rows, designations)

    monkeypatch.setattr(store.SourceWriter, "_create_entities", failing)
    with pytest.raises(RuntimeError):
        load(graph, large_source=10)
    stopped = state(graph)
    assert stopped["nodes"].get("Record") and stopped != atomic  # chunks were committed
    # The source that stopped is not taken for finished: a reload parses and writes it
    # again (a finished one is skipped before parsing).
    assert all(done and skippable for *_, done, skippable in atomic["sources"])
    assert (False, False) in [(done, skippable) for *_, done, skippable in stopped["sources"]]
    monkeypatch.setattr(store.SourceWriter, "_create_entities", create_entities)
    load(graph, large_source=10)
    assert state(graph) == atomic


def test_a_chunked_load_that_stops_before_resolving_converges(graph, atomic, monkeypatch):
    """A record's content digest is stored as the record is written: a chunked load that
    stopped before resolving left its committed records stored as the list states them,
    and the next load must not take them for resolved and derived (it writes every
    record again, SourceWriter._sort_records)."""
    monkeypatch.setattr(store, "CHUNK_BATCHES", 1)
    wipe(graph)
    loading.load(graph.driver, graph.database, "ftm", [FTM], batch_size=10, large_source=10)
    resolve = store.SourceWriter._resolve

    def stopped(self, incremental):
        raise RuntimeError("the loader was stopped")

    monkeypatch.setattr(store.SourceWriter, "_resolve", stopped)
    with pytest.raises(RuntimeError):
        loading.load(graph.driver, graph.database, "curated", [CURATED], batch_size=10, large_source=10)
    assert graph.read("MATCH (r:Record {dataset: 'curated'}) RETURN count(r) AS n")[0]["n"]  # committed
    monkeypatch.setattr(store.SourceWriter, "_resolve", resolve)
    load(graph, large_source=10)
    assert state(graph) == atomic


def test_a_load_that_stops_while_deriving_entities_converges(graph, atomic, monkeypatch):
    """Entities are derived a chunk at a time too (a million of them do not fit one
    transaction of the default heap): a load stopped after some of them were committed
    left its records without their content digest, so the next load derives them all."""
    monkeypatch.setattr(store, "CHUNK_BATCHES", 1)
    wipe(graph)
    materialise = store.Derivation.materialise

    def stopping(self, touched, refacted=None):
        commit, commits = self.checkpoint, 0

        def then_stop():
            nonlocal commits
            commit()
            commits += 1
            if commits == 2:
                raise RuntimeError("the loader was stopped")

        self.checkpoint = then_stop
        try:
            materialise(self, touched, refacted)
        finally:
            self.checkpoint = commit

    monkeypatch.setattr(store.Derivation, "materialise", stopping)
    with pytest.raises(RuntimeError):
        load(graph, large_source=10)
    stopped = state(graph)
    assert stopped["nodes"].get("Entity") and stopped != atomic
    monkeypatch.setattr(store.Derivation, "materialise", materialise)
    load(graph, large_source=10)
    assert state(graph) == atomic


def test_links_a_stopped_load_left_go_when_it_is_loaded_again(graph, monkeypatch, tmp_path):
    """A chunked load that stops after it replaced the dataset's statements leaves the
    links of the statements it dropped; the load after it finds them (_stale_links),
    though they are in neither its statements before nor after."""
    lines = FTM.read_text(encoding="utf-8").splitlines(keepends=True)
    without_family = tmp_path / FTM.name
    without_family.write_text("".join(x for x in lines if '"schema": "Family"' not in x), encoding="utf-8")
    assert len(lines) - len(without_family.read_text(encoding="utf-8").splitlines()) == 4

    def load_v2(large_source: int) -> None:
        loading.load(graph.driver, graph.database, "ftm", [without_family], batch_size=10,
                     large_source=large_source)

    family = "MATCH (:Entity)-[l:FAMILY_OF]->(:Entity) RETURN count(l) AS n"
    wipe(graph)
    load_v2(large_source=10_000)
    derived = ("entities", "links", "designations")  # the graph also keeps the first version
    expected = {k: state(graph)[k] for k in derived}
    assert graph.read(family)[0]["n"] == 0

    wipe(graph)
    loading.load(graph.driver, graph.database, "ftm", [FTM], batch_size=10)
    assert graph.read(family)[0]["n"] == 4
    # A commit after every batch: every statement of the new version is stored when the
    # load stops, so the next load finds no statement changed.
    monkeypatch.setattr(store, "CHUNK_BATCHES", 1)
    materialise = store.Derivation.materialise

    def stopped(self, touched, refacted=None):
        raise RuntimeError("the loader was stopped")

    monkeypatch.setattr(store.Derivation, "materialise", stopped)
    with pytest.raises(RuntimeError):
        load_v2(large_source=10)
    stated = "MATCH ()-[s:STATES {type: 'FAMILY_OF'}]->() RETURN count(s) AS n"
    assert graph.read(stated)[0]["n"] == 0  # the statements were replaced (committed)
    assert graph.read(family)[0]["n"] == 4  # and their links not yet derived again
    monkeypatch.setattr(store.Derivation, "materialise", materialise)
    load_v2(large_source=10)
    assert graph.read(family)[0]["n"] == 0
    assert {k: state(graph)[k] for k in derived} == expected
