"""The two baselines the project's loaders are measured against, on the same server and
the same rows (bench/run.py):

(a) one MERGE per transaction, what tutorials do: a round trip and a commit per row;
(b) `UNWIND $rows … CREATE` in batches, with no uniqueness check (no constraint, no
    index on its labels): the practical ceiling of transactional ingest.

A row is one list record as the project's loaders read it; each baseline writes for it
what the project writes at least (ROW), with the same properties (graph/store.py's own
row builder), under labels of its own (Bench…) so that no project index or constraint
applies. The rows are parsed before the clock starts: the baselines neither parse,
resolve nor derive anything, and the project's figure includes all of that.
"""

from __future__ import annotations

import time
from pathlib import Path

from neo4j import Driver

from graph.model import model
from graph.names import search_forms
from graph.store import _record_row
from loaders import get
from loaders.records import Record

ROW = ("one list record: a Record node with its properties, an Entity node, DESCRIBES, and per "
       "designation a Designation node with TARGETS and UNDER its Program")
DATABASE = "neo4j"


def rows_of(files: dict[str, Path], order: list[str]) -> list[dict]:
    rows = []
    for kind in order:
        for rec in get(kind)().read([files[kind]]):
            if isinstance(rec, Record):
                rows.append(_row(rec))
    return rows


def _row(rec: Record) -> dict:
    row = _record_row(rec)
    # The writer adds the search forms to each record it writes: so does the baseline.
    row["props"]["search_names"] = search_forms(row["props"]["names"])
    designations = []
    for s in rec.sanctions:
        program = model().program(s.jurisdiction, s.program, s.authority)
        designations.append({"id": f"{rec.key}/{program.id}", "program": program.id,
                             "props": {"dataset": rec.dataset, "record_key": rec.key,
                                       "jurisdiction": program.jurisdiction, "program_id": program.id,
                                       "listed_on": s.listed_on, "names_as_listed": rec.all_names()}})
    return {"key": row["key"], "props": row["props"], "designations": designations,
            "entity": {"id": rec.key, "name": rec.name, "names": row["props"]["names"],
                       "search_names": row["props"]["search_names"]}}


MERGE_ONE = """
MERGE (r:BenchRecord {key: $row.key}) SET r += $row.props
MERGE (e:BenchEntity {id: $row.entity.id}) SET e += $row.entity
MERGE (r)-[:DESCRIBES]->(e)
WITH e
UNWIND $row.designations AS x
MERGE (p:BenchProgram {id: x.program})
MERGE (d:BenchDesignation {id: x.id}) SET d += x.props
MERGE (d)-[:TARGETS]->(e)
MERGE (d)-[:UNDER]->(p)
"""

CREATE_BATCH = """
UNWIND $rows AS row
CREATE (r:BenchRecord) SET r = row.props, r.key = row.key
CREATE (e:BenchEntity) SET e = row.entity
CREATE (r)-[:DESCRIBES]->(e)
WITH e, row
UNWIND row.designations AS x
MATCH (p:BenchProgramByIndex {id: x.program})
CREATE (d:BenchDesignation) SET d = x.props, d.id = x.id
CREATE (d)-[:TARGETS]->(e)
CREATE (d)-[:UNDER]->(p)
"""


def merge_per_transaction(driver: Driver, rows: list[dict]) -> float:
    """Seconds to write `rows` one managed transaction each, MERGE on unique keys."""
    with driver.session(database=DATABASE) as session:
        for label, key in (("BenchRecord", "key"), ("BenchEntity", "id"), ("BenchProgram", "id"),
                           ("BenchDesignation", "id")):
            session.run(f"CREATE CONSTRAINT bench_{label.lower()} IF NOT EXISTS "
                        f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE").consume()
        session.run("CALL db.awaitIndexes(300)").consume()
        started = time.perf_counter()
        for row in rows:
            session.execute_write(lambda tx: tx.run(MERGE_ONE, row=row).consume())
        return time.perf_counter() - started


def unwind_create(driver: Driver, rows: list[dict], batch_size: int) -> float:
    """Seconds to write `rows` with CREATE, a transaction per batch. Programs are created
    first (a few hundred) and found by an index: a lookup, not a uniqueness check."""
    programs = sorted({x["program"] for row in rows for x in row["designations"]})
    with driver.session(database=DATABASE) as session:
        session.run("CREATE INDEX bench_program IF NOT EXISTS FOR (n:BenchProgramByIndex) ON (n.id)").consume()
        session.run("CALL db.awaitIndexes(300)").consume()
        session.run("UNWIND $ids AS id CREATE (:BenchProgramByIndex {id: id})", ids=programs).consume()
        started = time.perf_counter()
        for i in range(0, len(rows), batch_size):
            batch = rows[i:i + batch_size]
            session.execute_write(lambda tx: tx.run(CREATE_BATCH, rows=batch).consume())
        return time.perf_counter() - started
