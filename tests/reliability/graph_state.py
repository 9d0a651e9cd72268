"""What "the database exactly as before" means in these tests: every label and
relationship type counted, and a checksum of every designation, record and source with
the values an investigator relies on (dates, status, target, program, names)."""

from __future__ import annotations

import hashlib
import json

from graph import SanctionsGraph

DESIGNATIONS = """
MATCH (d:Designation)
OPTIONAL MATCH (d)-[:TARGETS]->(e:Entity)
OPTIONAL MATCH (d)-[:RECORDED_IN]->(s:Source)
RETURN d.id AS id, d.status AS status, d.listed_on AS listed_on, d.announced_on AS announced_on,
       d.delisted_on AS delisted_on, d.program_id AS program, d.record_key AS record,
       d.history AS history, collect(e.id) AS targets, collect(s.id) AS sources
ORDER BY id
"""
RECORDS = """
MATCH (r:Record)
RETURN r.key AS key, r.status AS status, r.name AS name, r.names AS names,
       r.birth_dates AS birth_dates, r.entity_id AS entity, r.history AS history
ORDER BY key
"""
SOURCES = """
MATCH (s:Source)
RETURN s.id AS id, s.current AS current, s.records AS records, s.designations AS designations,
       s.sha256 AS sha256
ORDER BY id
"""


def snapshot(g: SanctionsGraph) -> dict:
    """Counts of every label (but the tests' own marker) and relationship type, and
    checksums of the content. Seconds on the demo data: see counts()."""
    return {
        **counts(g),
        "designations": checksum(g.read(DESIGNATIONS)),
        "records": checksum(g.read(RECORDS)),
        "sources": checksum(g.read(SOURCES)),
    }


def counts(g: SanctionsGraph) -> dict:
    """The counts alone, from Neo4j's count store (a count per label, per relationship
    type): a fraction of a second, for a check after each step of many whose end a
    snapshot checks."""
    labels = [r["label"] for r in g.read("CALL db.labels() YIELD label RETURN label ORDER BY label")
              if r["label"] != "TestMarker"]
    types = [r["type"] for r in g.read("CALL db.relationshipTypes() YIELD relationshipType AS type "
                                       "RETURN type ORDER BY type")]
    parts = [f"MATCH (n:`{label}`) RETURN 'label' AS kind, '{label}' AS name, count(n) AS n" for label in labels]
    parts += [f"MATCH ()-[r:`{type}`]->() RETURN 'type' AS kind, '{type}' AS name, count(r) AS n" for type in types]
    rows = g.read("\nUNION ALL\n".join(parts)) if parts else []
    return {"labels": {r["name"]: r["n"] for r in rows if r["kind"] == "label" and r["n"]},
            "relationships": {r["name"]: r["n"] for r in rows if r["kind"] == "type" and r["n"]}}


def checksum(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


OF_A_SOURCE = {
    "designations": DESIGNATIONS.replace("MATCH (d:Designation)", "MATCH (d:Designation {dataset: $dataset})"),
    "records": RECORDS.replace("MATCH (r:Record)", "MATCH (r:Record {dataset: $dataset})"),
    # With the time each version was written: a write of the list that committed, even
    # one that changed no value, changes it.
    "sources": SOURCES.replace("MATCH (s:Source)", "MATCH (s:Source {dataset: $dataset})")
                      .replace("s.sha256 AS sha256", "s.sha256 AS sha256, s.loaded_at AS loaded_at"),
}


VERSIONS = """
MATCH (s:Source {dataset: $dataset})
RETURN s.id AS id, s.current AS current, s.loaded_at AS loaded_at, s.fingerprint AS fingerprint
ORDER BY id
"""


def versions(g: SanctionsGraph, dataset: str) -> list[dict]:
    """The list's versions, with the time each was last written: every load that
    commits writes it (graph/store.py), so a refused load must leave it as it was."""
    return g.read(VERSIONS, dataset=dataset)


def source_snapshot(g: SanctionsGraph, dataset: str) -> dict:
    """What snapshot() checks, for one list (dataset) alone: its designations, records
    and versions (with the time each was written). A fraction of a second: for a check
    after each of many loads."""
    return {part: checksum(g.read(query, dataset=dataset)) for part, query in OF_A_SOURCE.items()}
