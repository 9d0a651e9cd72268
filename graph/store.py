"""Writes records to Neo4j: the schema, one source at a time, all-or-nothing.

A load of one source is one write transaction: readers see the previous state of that
source or the new one, never half of it, and a load that fails (bad file, killed
process, lost server) leaves the previous state in place. Inside it, writes go in
batched `UNWIND $rows … MERGE` statements, so loading the same input twice changes
nothing.

How the stored graph is layered:
- (:Record) is one entry of one list exactly as the list states it, keyed
  "dataset:record_id"; (:Record)-[:STATES {type}]->(:Record) are the relationships the
  list states; (:Record)-[:SAME_AS]->(:Record) is the evidence that joined two records;
  (:Record)-[:CANDIDATE]->(:Record) keeps every pair the matcher scored, so the next load
  of another list need not score them again.
- (:Entity) is the resolved target, (:Record)-[:DESCRIBES]->(:Entity). Its names and
  facts, its entity-to-entity links and its TARGETS are derived from its records, and
  re-derived for just the entities a load touches.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import tempfile
import time
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, datetime
from functools import cache, partial
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import IO, Any, NamedTuple

from graph import bundled
from graph.exc import DuplicateRecords
from graph.ledger import Ledger
from graph.model import Model, Program
from graph.names import search_forms
from graph.resolve import (
    MATCHER_VERSION,
    MERGE,
    REVIEW,
    Features,
    Judgements,
    Resolution,
    Scored,
    blocking_keys,
    resolve,
    successor,
)
from graph.resolving import (
    Candidates,
    Outcome,
    Resolver,
    batched,
    dataset_rank,
    features_of,
    filed_under,
    participates,
    stored_features,
    upstream,
)
from loaders.base import LoadError, SourceMeta
from loaders.records import LINK_TYPES, Announcement, Call, Item, Link, Record, Sanction, Seen
from neo4j import Driver, ManagedTransaction, Result, Session, Transaction

#: In chunked mode (write_source), a transaction commits after this many batches (of
#: SANCT_BATCH_SIZE records, entities or links). Chunks of 25 batches of the bench's FtM
#: records held 518 MiB of transaction state (SHOW TRANSACTIONS) and their commit asked
#: for more than the 1 GiB a default 1536m heap allows transactions: the 100k file failed
#: (bench/README.md, stop 34). Five hold about a fifth of that.
CHUNK_BATCHES = 5


# -- the write path's statements for records new to the graph or stored unchanged: index
# seeks and CREATE only, no Eager operator (tests/integration/test_write_path.py EXPLAINs
# them) -----------------------------------------------------------------------------------

#: The code and tables that decide how records are written: what a record's properties
#: and designations are, the forms derived from its names, their programs, the resolver
#: (graph/loading.py's fingerprint digests them too).
WRITING_INPUTS = (
    *(Path(__file__).parent / name for name in ("store.py", "names.py", "model.yaml")),
    *sorted(Path(__file__).parent.glob("resolve/*.py")),
    *sorted(bundled.PROGRAMS.glob("*.yaml")),
)
#: Part of every record's content digest (SpooledRecord), with the matcher version a record
#: is written with: a change of any of them writes every record again.
WRITTEN_BY = hashlib.sha256(
    b"".join(path.read_bytes() for path in WRITING_INPUTS) + MATCHER_VERSION.encode()
).digest()
#: What a batch's records are stored as: missing (new), changed or quiet (same content).
STORED_RECORDS = """
UNWIND $keys AS key
MATCH (r:Record {key: key})
RETURN collect([key, r.content, r.status, r.line, r.entity_id])
"""
#: The same of a batch's designations.
STORED_DESIGNATIONS = """
UNWIND $ids AS id
MATCH (d:Designation {id: id})
RETURN collect(id)
"""
#: How many keys a row of SourceWriter._keys carries.
KEYS_PER_ROW = 2000
#: The end of a bulk write that the loader does not wait for (SourceWriter.run). The
#: server carries out a statement that returns nothing before it answers `run`; one that
#: returns a row, as the row is pulled, which the driver asks for with `run` and nobody
#: waits for: the loader builds its next rows meanwhile, and the next statement waits.
RETURNS_COUNT = "RETURN count(*) AS written"
#: Records new to the graph, their properties made in Python (SourceWriter._create_records).
CREATE_RECORDS = f"""
UNWIND $rows AS row
CREATE (r:Record)
SET r = row
{RETURNS_COUNT}
"""
#: The entities of records new to the graph, made in Python as Derivation.materialise
#: derives an entity of one record (SourceWriter._create_entities, entity_of_record),
#: with the edge to the record; then to its designations, all new too. (Its properties
#: as a map literal: set from a map, or in one statement with the designations, they
#: planned an Eager.)
CREATE_ENTITIES = f"""
UNWIND $rows AS row
MATCH (r:Record {{key: row.id}})
CREATE (r)-[:DESCRIBES]->(:Entity:$(row.kinds) {{
    id: row.id, name: row.name, names: row.names, search_names: row.search_names,
    birth_dates: row.birth_dates, birth_places: row.birth_places, nationalities: row.nationalities,
    countries: row.countries, positions: row.positions, gender: row.gender,
    record_keys: row.record_keys, datasets: row.datasets, country: row.country, kind: row.kind
}})
{RETURNS_COUNT}
"""
TARGET_DESIGNATIONS = f"""
UNWIND $rows AS row
MATCH (d:Designation {{id: row.id}}), (e:Entity {{id: row.entity_id}})
CREATE (d)-[:TARGETS]->(e)
{RETURNS_COUNT}
"""
#: Designations new to the graph: the nodes, then their program and version of the list
#: (one statement with both plans an Eager between the seeks and the new nodes' properties).
CREATE_DESIGNATIONS = f"""
UNWIND $rows AS row
CREATE (d:Designation)
SET d = row
{RETURNS_COUNT}
"""
LINK_DESIGNATIONS = f"""
UNWIND $rows AS row
MATCH (d:Designation {{id: row.id}}), (p:Program {{id: row.program_id}})
CREATE (d)-[:UNDER]->(p)
{RETURNS_COUNT}
"""
#: The link an entity of a record new to the graph has by a statement of its record to
#: another such record (SourceWriter._link_directly): the entities' ids are their
#: records' keys. (The statement's properties but its type, as a map literal: set from a
#: map, they planned an Eager.)
LINK_ENTITIES = f"""
UNWIND $rows AS row
MATCH (a:Entity {{id: row.a}}), (b:Entity {{id: row.b}})
USING INDEX SEEK a:Entity(id) USING INDEX SEEK b:Entity(id)
CREATE (a)-[:$(row.type) {{
    dataset: row.dataset, role: row.role, since: row.since, until: row.until,
    source_url: row.source_url, from_record: row.a, to_record: row.b
}}]->(b)
{RETURNS_COUNT}
"""
#: The version that last held each designation the current version no longer holds
#: (graph/model.yaml RECORDED_IN); one the current version holds has no such edge, so
#: a new version writes nothing for the designations it keeps. (Two statements: in one,
#: the creates would wait for every delete, Eager; only relisted or replayed
#: designations are deleted from.)
NOT_HELD_IN = """
MATCH (d:Designation)-[old:RECORDED_IN]->() USING INDEX SEEK d:Designation(id) WHERE d.id IN $ids
DELETE old
"""
LAST_HELD_IN = """
UNWIND $rows AS row
MATCH (d:Designation {id: row.id}), (s:Source {id: row.held_in})
CREATE (d)-[:RECORDED_IN]->(s)
"""


#: Designations that moved to another record of the list (m.old → m.new, in the version
#: of the day m.stamp): the old one is no delisting, and the new one is dated by the
#: earlier of the two. A new version's new record (_moves) is the later; a replay's may be
#: an entry that held the program before the other was folded into it (graph/history.py
#: _moves), which keeps its own dates.
MOVE = """
UNWIND $moves AS m
MATCH (d:Designation {id: m.old}), (moved:Designation {id: m.new})
MATCH (old:Record {key: d.record_key}), (new:Record {key: moved.record_key})
WITH d, moved, old, new, coalesce(d.first_seen <= moved.first_seen, true) AS earlier, m.stamp AS stamp,
     ' moved to ' + new.record_id AS to, ' moved from ' + old.record_id AS from
// A line said once, though a replay loaded again says the move again.
SET d.status = 'moved', d.moved_to = moved.id,
    d.delisted_on = null, d.delisted_after = null, d.delisted_by = null,
    d.history = d.history + [x IN [stamp + to] WHERE none(h IN d.history WHERE h ENDS WITH to)],
    old.status = 'moved', old.moved_to = new.key,
    old.history = old.history + [x IN [stamp + to] WHERE none(h IN old.history WHERE h ENDS WITH to)],
    // Stated by the list's own renumbering: the two records are one target.
    new.moved_from = coalesce(new.moved_from, []) +
        [x IN [old.key] WHERE NOT x IN coalesce(new.moved_from, [])],
    moved.first_seen = CASE WHEN earlier THEN d.first_seen ELSE moved.first_seen END,
    moved.first_seen_after = CASE WHEN earlier THEN d.first_seen_after ELSE moved.first_seen_after END,
    moved.seen_basis = CASE WHEN earlier THEN d.seen_basis ELSE moved.seen_basis END,
    moved.moved_from = d.id,
    moved.history = CASE WHEN earlier THEN [h IN d.history WHERE NOT h ENDS WITH to] ELSE moved.history END
        + [x IN [stamp + from] WHERE earlier OR none(h IN moved.history WHERE h ENDS WITH from)]
"""


def read_features(
    run: Callable[..., list[dict]], keys: list[str] | None = None
) -> tuple[list[Features], dict[str, str | None]]:
    """What resolution compares of the stored records that take part in it (all, or
    those of `keys`), and the entity each belongs to now. `run(statement, **params)`
    returns rows as dicts: a write transaction's during a load, the client's read otherwise."""
    rows = stored_features(run, keys)
    features = [f for f in map(features_of, rows) if participates(f)]
    entity = {r["key"]: r["entity_id"] for r in rows}
    return features, {f.key: entity[f.key] for f in features}


def resolve_features(
    features: list[Features], judgements: Judgements, scored: list[Scored] | None = None
) -> Resolution:
    """Resolution as every load runs it: entity ids by the datasets' ranks. With `scored`
    (the pairs at or above review, as the loads stored them) no pair is scored again."""
    ranks = {f.dataset: dataset_rank(f.dataset) for f in features}
    if scored is None:
        return resolve(features, judgements, ranks)
    return resolve(features, judgements, ranks, changed=set(), known=scored)


def stored_scores(run: Callable[..., list[dict]], judgements: Judgements) -> list[Scored] | None:
    """The pairs the loads scored (CANDIDATE), if this resolver made them; else None."""
    if not Resolver(run, judgements).current():
        return None
    return [
        Scored(
            min(r["a"], r["b"]), max(r["a"], r["b"]), r["score"], tuple(r["features"]), r["within_list_ok"]
        )
        for r in run(
            "MATCH (a:Record)-[c:CANDIDATE]->(b:Record) RETURN a.key AS a, b.key AS b, c.score AS score, "
            "c.features AS features, c.within_list_ok AS within_list_ok"
        )
    ]


#: Eventually consistent: the index is updated after the commit, not in it. Kept in step
#: inside the commit it cost a load of the OFAC list at real size 20 s of its 77 (bench/);
#: write_source waits for the refresh, so a search after a load still finds its names.
FULLTEXT_INDEX = (
    "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) "
    "ON EACH [n.names, n.search_names] "
    "OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}}"
)


def ensure_schema(driver: Driver, database: str, model: Model) -> None:
    """What the model declares, created idempotently: constraints and indexes, and every
    label and relationship type, so that Neo4j knows them before any data holds them and
    warns only of one the model lacks (the tests fail on those warnings). Property keys
    are left to the data (and the indexes): created before the first load, they made the
    demo's OFAC history replay, the second load, need more transaction memory than the
    tests' 1 GiB heap holds (measured, with the same data written)."""
    statements = {}  # by the name of what each creates
    for label, node in model.nodes.items():
        name = f"{label.lower()}_{node.key}"
        statements[name] = (
            f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{node.key} IS UNIQUE"
        )
        for props in node.indexes:
            name = f"{label.lower()}_{'_'.join(props)}"
            statements[name] = (
                f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON ({', '.join(f'n.{p}' for p in props)})"
            )
    for type_, rel in model.relationships.items():
        for prop in rel.indexes:
            name = f"{type_.lower()}_{prop}"
            statements[name] = f"CREATE INDEX {name} IF NOT EXISTS FOR ()-[l:{type_}]-() ON (l.{prop})"
    statements["entity_names"] = FULLTEXT_INDEX
    names = {"labels": model.labels, "types": list(model.relationships)}
    with driver.session(database=database) as session:
        # Only what is missing: every load asks, so in as few round trips as it can (forty
        # statements cost 0.4 s a load). A constraint's name is its index's too.
        existing = {r["name"]: r["options"] for r in session.run("SHOW INDEXES YIELD name, options")}
        # A database made before the index was eventually consistent gets it anew.
        names_index = existing.get("entity_names")
        if names_index and not names_index["indexConfig"].get("fulltext.eventually_consistent"):
            session.run("DROP INDEX entity_names").consume()
            del existing["entity_names"]
        missing = [statement for name, statement in statements.items() if name not in existing]
        for statement in missing:
            session.run(statement).consume()
        session.run(
            "UNWIND $labels AS name CALL db.createLabel(name) WITH count(*) AS done "
            "UNWIND $types AS name CALL db.createRelationshipType(name)",
            names,
        ).consume()
        if missing:
            session.run("CALL db.awaitIndexes(300)").consume()


class _Stored(NamedTuple):
    """A record as STORED_RECORDS reads it, its key aside."""

    content: str | None
    status: str
    line: int | None
    #: Set on every record a load writes; a stub's is None, and a stub is never quiet.
    entity_id: str


@dataclass
class WriteReport:
    source_id: str
    records: int = 0
    designations: int = 0
    links: int = 0
    delisted: int = 0
    #: Entries whose record id changed between versions (see _delist_missing).
    moved: int = 0
    #: Designations deleted as derived by other code (_derived_otherwise).
    rederived: int = 0
    #: Records of a history replay that its newest version no longer holds.
    left: int = 0
    relisted: int = 0
    documents: int = 0
    merges: int = 0
    compared: int = 0
    #: Stored records whose features resolution read (the load's own are known).
    records_read: int = 0
    unresolved_links: list[str] = field(default_factory=list)
    unchanged: bool = False
    #: Set when nothing was written because the list's history holds this version.
    version: LoadedVersion | None = None
    #: The write phase, from the first statement to the last commit: parsing before it,
    #: the full-text index's refresh after it are not in it (bench/: against UNWIND CREATE).
    seconds: float = 0.0


def source_id(meta: SourceMeta) -> str:
    return f"{meta.dataset}@{meta.sha256[:16]}"


class SourceWriter:
    """Writes one source inside one transaction (use through `write_source`), or, for a
    very large source, in a transaction per chunk of CHUNK_BATCHES batches."""

    def __init__(
        self,
        tx: ManagedTransaction | Transaction,
        model: Model,
        meta: SourceMeta,
        batch_size: int,
        judgements: Judgements,
        fingerprint: str | None = None,
        session: Session | None = None,
        earlier_versions: list[dict] | None = None,
        input_digest: str | None = None,
        code_digest: str | None = None,
    ):
        self.tx, self.model, self.meta, self.fingerprint = tx, model, meta, fingerprint
        self.input_digest = input_digest
        #: The code and tables that derive designations from a list (graph/loading.py
        #: _code_digest), kept on the Source: see _derived_otherwise.
        self.code_digest = code_digest
        #: The dataset's current version was written by other code (_check_version).
        self.derived_otherwise = False
        self.earlier_versions = earlier_versions or []
        #: A history replay's oldest version: what the graph held before and no version
        #: of the history holds had left the list by then.
        self.oldest_date = min((v["published_on"] for v in self.earlier_versions), default=None)
        #: The :Source of each day's version of a history replay (the last of a day).
        self.version_of_day = {v["published_on"]: v["id"] for v in self.earlier_versions}
        self.batch_size, self.judgements = batch_size, judgements
        #: Set in chunked mode only: the session that begins each chunk's transaction.
        self.session = session
        self.batches = 0
        #: The day this version of the list stands for: its own date, else the day it was
        #: downloaded. None for an undated file loaded from disk: then nothing is dated
        #: from it. The day of the load is never taken for a list's date.
        self.version_date: date | None = meta.published_on or (
            meta.downloaded_at.date() if meta.downloaded_at else None
        )
        #: The date of the version this one follows (set by _check_version): what a new
        #: entry appeared after, what a missing one was last seen in.
        self.previous_date: date | None = None
        #: True when an earlier version of this list was loaded: then a new entry
        #: appeared between the two (first_seen), else it was listed on or before this one.
        self.follows_version = False
        #: The version this one follows (set by _check_version, kept as the :Source's
        #: `follows`): the one that last held what this one no longer holds.
        self.previous_source: str | None = None
        #: True when no version of the list was loaded before (set by _check_version):
        #: then the graph holds nothing of it in force that this load did not write.
        self.first_load = False
        #: True when the dataset's last load stopped before it finished (a chunked load:
        #: its :Source has no fingerprint). It may have replaced the dataset's statements
        #: without re-deriving the links they made, which this load must then look for.
        self.after_unfinished_load = False
        #: Day-stamped history lines ("2025-09-22 listed") for the records and designations.
        self.stamp = (
            str(self.version_date) if self.version_date else f"{date.today()} (load of an undated version)"
        )
        #: The day of a "no longer listed" line for what this load finds gone: a history
        #: replay's oldest version, the first that lacked what the graph held before
        #: (the newest's day would date the removal years late); else this version's.
        self.gone_stamp = str(self.oldest_date) if self.oldest_date else self.stamp
        #: What `ended_on` of a sanction is compared with to tell whether it has ended.
        self.as_of = self.version_date or date.today()
        self.report = WriteReport(source_id(meta))
        self.programs: dict[str, Program] = {}
        self.programs_written: set[str] = set()
        #: Lists resolved upstream (OpenSanctions, up to millions of records) are joined
        #: by stated ids only: nothing per record of them is kept in memory.
        self.upstream = upstream(meta.dataset)
        #: Resolution features and entity ids of this load's records, as written (other
        #: lists' come from the graph), so that they need not be read back.
        self.features: list[Features] = []
        self.entity_ids: dict[str, str] = {}
        #: The keys of this load's records and designations: what the list holds no more
        #: is the rest; those it wrote, to resolve and derive again; the designations
        #: created with their record, which no other list's announcement names yet, so
        #: they are dated as they are created (_announcements). (An announcement names a
        #: record by key; one named before it is listed is a stub, which its load writes
        #: over, not creates.) Kept on disk: in Python sets they were most of the FtM 1M
        #: load's growth from 188 to 693 MiB (bench/README.md).
        self.ledger = Ledger()
        #: The designations the dataset's announcements dated before this load replaced them.
        self.announced_before: set[str] = set()
        #: Delisted designations that may have moved to a new record id (see _moves).
        self.possible_moves: dict[str, str] = {}
        #: Moves a history replay found (Seen.moved_from / moved_to): (old record key,
        #: new record key, program id) → the day of the version it moved in, written by
        #: _replayed_moves.
        self.replayed_moves: dict[tuple[str, str, str], date | None] = {}
        #: The keys each changed record (ledger.changed) was filed under for resolution
        #: before (graph/resolving.py), of those stored before only: a new record has none,
        #: and a large new list would otherwise hold an empty entry a record.
        self.postings_before: dict[str, list[str]] = {}
        #: The digest of the features each changed record was last resolved with (if it
        #: was): a record whose content changed but not what resolution compares (a date
        #: of listing, a remark) keeps its scores. `resolved` the digests this load resolved.
        self.resolved_before: dict[str, str] = {}
        self.resolved: dict[str, str] = {}
        #: A list new to the graph, read ahead (_begin_resolving): its records by key,
        #: which _records takes from here, and their candidates (with the records'
        #: features, `begun.now`), scored while the records are written.
        self.read_ahead: dict[str, Record] = {}
        self.begun: Candidates | None = None
        self.resolver = Resolver(lambda statement, **params: _rows(self.run(statement, **params)), judgements)
        self.derive = Derivation(self.run, batch_size, model, self._checkpoint)

    def run(self, statement: str, **params):
        """Run a statement in the load's transaction. A write's result is left unread: a
        bulk write that returns its count (RETURNS_COUNT) is carried out while the
        loader prepares what comes next, and the next statement waits for it (as the
        commit does), raising its error if it failed. The others are carried out before
        `run` returns."""
        return run_forgetting_rows(self.tx, statement, **params)

    def _checkpoint(self) -> None:
        """In chunked mode, commit every CHUNK_BATCHES batches and go on in a new transaction."""
        self.batches += 1
        if self.session is not None and self.batches % CHUNK_BATCHES == 0:
            self.chunk().commit()
            self.tx = self.session.begin_transaction()
            self._lock()

    def chunk(self) -> Transaction:
        """The transaction of a chunked write (given a session), which the writer commits."""
        if not isinstance(self.tx, Transaction):
            raise TypeError("a chunked write runs in transactions of its own, not a managed one")
        return self.tx

    def _lock(self) -> None:
        """One load writes at a time: the lock node is held until the transaction ends."""
        self.run("MERGE (l:WriteLock {id: 'load'}) SET l.at = datetime()").consume()

    # -- the steps, in order -------------------------------------------------------------

    def write(self, items: Callable[[], Iterable[Spooled]], counts: dict[str, int]) -> WriteReport:
        try:
            return self._write(items, counts)
        finally:
            self.ledger.close()
            if self.begun:
                self.begun.scoring.cancel()

    def _write(self, items: Callable[[], Iterable[Spooled]], counts: dict[str, int]) -> WriteReport:
        self._lock()
        # Asked before this load writes a record: an empty graph has nothing stale.
        incremental = self.resolver.current()
        self._check_version()
        self._held_by_current()
        self._source(counts)
        self._clear_documents()
        # Not in chunks: those are for sources too large to hold in memory, and the
        # records read ahead are held until they are written.
        if incremental and self.first_load and not self.upstream and self.session is None:
            self._begin_resolving(items)
        with tempfile.TemporaryFile(prefix="sanctions-states-") as states:
            for batch in batched(items(), self.batch_size):
                self._records([i for i in batch if isinstance(i, SpooledRecord)])
                self._documents([i for i in batch if isinstance(i, (Announcement, Call))])
                if rows := self._state_rows(batch):
                    to_spool(rows, states)
                self._checkpoint()
            # Then the relationships, which may name records that come later in the file,
            # kept aside on the way (reading every record again cost more). The dataset's
            # statements are replaced, not accumulated; the entities at either end of one
            # that is new or gone are re-derived.
            self._note_statements(after=False)
            self.run(
                "MATCH ()-[s:STATES {dataset: $dataset}]->() USING INDEX SEEK s:STATES(dataset) DELETE s",
                dataset=self.meta.dataset,
            )
            for stated in spooled(states):
                self._states(stated)
                self._checkpoint()
        self._note_statements(after=True)
        self._replayed_moves()
        self._delist_missing()
        self.ledger.touch(self._resolve(incremental))
        # A statement gone or changed: the entities at its ends are re-derived, and
        # their links with them.
        self._stated_about(self.ledger.restated_keys())
        if self.after_unfinished_load:
            self.ledger.touch(self._stale_links(), facts=False)
        # Only what changed is derived again: records whose content differs from what
        # was stored (new ones were written with their entity), entities whose records moved.
        for keys in batched(self.ledger.to_describe, self.batch_size):
            self.ledger.touch(self.derive.describe(keys))
            self._checkpoint()
        self.derive.materialise(self.ledger.touched, self.ledger.refacted)
        self._announcements()
        self._finish_source()
        return self.report

    def _check_version(self) -> None:
        current = self.run(
            "MATCH (s:Source {dataset: $dataset, current: true}) "
            "RETURN s.id AS id, s.published_on AS published_on, s.downloaded_at AS downloaded_at, "
            "s.fingerprint IS NULL AS unfinished, s.follows AS follows, s.code_digest AS code_digest",
            dataset=self.meta.dataset,
        ).single()
        self.after_unfinished_load = bool(current and current["unfinished"])
        self.derived_otherwise = bool(
            current and self.code_digest and current["code_digest"] != self.code_digest
        )
        self.first_load = current is None
        if current:  # this version loaded again (a load that stopped, or forced): as before
            self.previous_source = (
                current["id"] if current["id"] != self.report.source_id else current["follows"]
            )
        if current and current["id"] != self.report.source_id:
            self.follows_version = True
            self.previous_date = _day(current["published_on"] or current["downloaded_at"])
        if current and current["published_on"] and self.meta.published_on:
            newest = current["published_on"].to_native()
            if self.meta.published_on < newest:
                raise LoadError(
                    self.meta.files[0].path if self.meta.files else self.meta.dataset,
                    f"this version of {self.meta.dataset} is dated {self.meta.published_on}, "
                    f"older than the current one ({newest}), and the list's history does not "
                    "hold it: a version cannot be put into the middle of a history already "
                    "written. Load the versions oldest first into an empty graph, or replay "
                    "them together (python -m graph history)",
                )

    def _held_by_current(self) -> None:
        """A graph written by earlier code has a RECORDED_IN on every designation, to the
        current version for those it holds: theirs are deleted here, before this version
        becomes the current one. (A no-op on a graph written since: only designations
        that left have one, to an older version.)"""
        self.run(
            """
            MATCH (s:Source {dataset: $dataset, current: true})<-[held:RECORDED_IN]-(d:Designation)
            USING INDEX SEEK s:Source(dataset, current)
            WHERE d.status <> 'moved' AND coalesce(d.delisted_by, '') <> 'absence'
            DELETE held
            """,
            dataset=self.meta.dataset,
        )

    def _source(self, counts: dict[str, int]) -> None:
        m = self.meta
        self.run(
            """
            CALL () { MATCH (old:Source {dataset: $dataset}) WHERE old.id <> $id SET old.current = false }
            MERGE (s:Source {id: $id})
            SET s.dataset = $dataset, s.name = $title, s.url = $url,
                s.published_on = $published_on, s.published_from = $published_from,
                s.newest_entry_on = $newest_entry_on, s.sha256 = $sha256, s.files = $files, s.size = $size,
                s.loaded_at = datetime(), s.current = true, s.counts = $counts,
                s.downloaded_at = $downloaded_at, s.fingerprint = null, s.input_digest = null,
                s.follows = $follows, s.lacks = $lacks
            """,
            dataset=m.dataset,
            lacks=m.lacks,
            id=self.report.source_id,
            follows=self.previous_source,
            title=m.title or m.dataset,
            url=m.url,
            downloaded_at=m.downloaded_at,
            published_on=m.published_on,
            published_from=m.published_from,
            newest_entry_on=m.newest_entry_on,
            sha256=m.sha256,
            files=[f"{f.path} ({f.size} bytes, sha256 {f.sha256})" for f in m.files],
            size=sum(f.size for f in m.files),
            counts=[f"{k}={v}" for k, v in sorted(counts.items())],
        )
        if not self.earlier_versions:
            return
        self.run(
            """
            UNWIND $versions AS v
            MERGE (s:Source {id: v.id})
            SET s.dataset = $dataset, s.name = $title, s.url = $url, s.current = false,
                s.published_on = v.published_on, s.published_from = 'version date',
                s.downloaded_at = v.downloaded_at, s.files = [v.where], s.records = v.records,
                s.counts = ['added=' + v.added, 'removed=' + v.removed, 'changed=' + v.changed],
                s.loaded_at = datetime()
            """,
            versions=self.earlier_versions,
            dataset=m.dataset,
            title=m.title or m.dataset,
            url=m.url,
        )

    def _records(self, batch: list[SpooledRecord]) -> None:
        """A batch of records and their designations: those new to the graph are created,
        those whose content or standing changed are written over what is stored, the
        quiet ones (stored as the list states them) are left as they are: a quiet record
        is read back from the spool only if one of its designations ends (in force or not
        by the version's date)."""
        self.report.records += len(batch)
        self.report.designations += sum(len(s.designation_ids) for s in batch)
        if duplicates := self.ledger.see_records([s.key for s in batch]):
            # Two entries with one record id would silently become one: refuse the file.
            raise DuplicateRecords(duplicates)
        self.ledger.see_designations(d for s in batch for d in s.designation_ids)
        # One row of them all: a row each cost the driver more than the server's seeks.
        found = self.run(STORED_RECORDS, keys=[s.key for s in batch]).single(strict=True)[0]
        stored = {key: _Stored(*rest) for key, *rest in found}
        quiet = {s.key for s in batch if self._quiet(s, stored.get(s.key))}
        if moved_lines := [
            {"key": s.key, "line": s.line} for s in batch if s.key in quiet and stored[s.key].line != s.line
        ]:
            self.run(
                "UNWIND $rows AS row MATCH (r:Record {key: row.key}) SET r.line = row.line", rows=moved_lines
            )
        for s in batch:
            if s.key in quiet and (not self.upstream or s.participates):
                self.entity_ids[s.key] = stored[s.key].entity_id
        ahead = {s.key: self.read_ahead.pop(s.key) for s in batch if s.key in self.read_ahead}
        read = {s.key: ahead.get(s.key) or s.record() for s in batch if s.key not in quiet or s.ends}
        made_ahead = self.begun.now if self.begun else {}
        rows: list[dict] = []
        designations: list[dict] = []
        for s in batch:
            if (rec := read.get(s.key)) is None:
                continue
            rows.append(_record_row(rec))
            rows[-1]["content"] = s.content
            for sanction, designation in zip(rec.sanctions, s.designation_ids, strict=True):
                program = self._program(sanction.jurisdiction, sanction.program, sanction.authority)
                if sanction.seen and (sanction.seen.moved_from or sanction.seen.moved_to):
                    self._replayed_move(rec, sanction.seen, program.id)
                designations.append(
                    {
                        "id": designation,
                        "record_key": rec.key,
                        "program_id": program.id,
                        "ended_on": sanction.ended_on,
                        "seen": self._seen(rec, sanction),
                        # A replay's first version of it (of its latest presence): the
                        # day it was listed again, where the graph held it delisted.
                        "first_by": seen.first_by if (seen := sanction.seen or rec.seen) else None,
                        "gone": _gone(rec, sanction),
                        "props": {
                            "dataset": rec.dataset,
                            "record_key": rec.key,
                            "record_id": rec.record_id,
                            "jurisdiction": program.jurisdiction,
                            "authority": sanction.authority,
                            "program_id": program.id,
                            "program": sanction.program,
                            "listed_on": sanction.listed_on,
                            "ended_on": sanction.ended_on,
                            "reason": sanction.reason,
                            "stated_announced_on": sanction.announced_on,
                            "source_url": sanction.source_url,
                            "names_as_listed": rec.all_names(),
                            "extra": json.dumps(sanction.extra, ensure_ascii=False)
                            if sanction.extra
                            else None,
                        },
                    }
                )
        new = [row for row in rows if row["key"] not in stored]
        changed = [row for row in rows if row["key"] in stored and row["key"] not in quiet]
        for row in changed:
            # Its properties are written again when they differ from the stored ones, or
            # after a chunked load that stopped: a record stored as this version states
            # it may not have been resolved or derived then.
            row["rewritten"] = stored[row["key"]].content != row["content"] or self.after_unfinished_load
        participating = {s.key for s in batch if s.participates}
        for row in [*new, *changed]:
            # What is derived from the names, of the records written only: the forms
            # search matches, and resolution's features (those of a record whose content
            # is as stored are read back from the graph if a component needs them).
            key = row["key"]
            row["props"]["search_names"] = search_forms(row["props"]["names"])
            features = made_ahead.get(key) or self._features(read[key])
            if features is not None:
                self.features.append(features)
                row["props"]["block_keys"] = None if self.upstream else list(features.blocking)
        # The reads first: each write is carried out while the rows of the next are built.
        new_designations, changed_designations = self._sort_designations(
            designations, {row["key"] for row in [*new, *changed]}
        )
        self._create_records(new, participating)
        self._update_records(changed, participating)
        self._programs()
        self._create_designations(new_designations)
        self._update_designations(changed_designations)
        # A new record whose designations are all new too has an entity of its own,
        # made now; one with a designation stored before (under another record, moved)
        # is described later with the rest, which re-targets it.
        retargeted = {d["record_key"] for d in changed_designations}
        self._create_entities([row for row in new if row["key"] not in retargeted], new_designations)
        created = {row["key"] for row in new}
        self.ledger.wrote_designations(
            (d["id"] for d in [*new_designations, *changed_designations]),
            {d["id"] for d in new_designations if d["record_key"] in created},
        )
        self.report.left += sum(1 for row in [*new, *changed] if row["gone"])

    def _features(self, rec: Record) -> Features | None:
        """What resolution compares of a record, with its blocking keys (none for a list
        resolved upstream); None if it takes no part (such a list's record that states
        nothing of what it is elsewhere)."""
        if self.upstream and not rec.same_as:
            return None
        features = Features.of_record(rec, fuzzy=not self.upstream)
        return replace(features, blocking=() if self.upstream else tuple(sorted(blocking_keys(features))))

    def _begin_resolving(self, items: Callable[[], Iterable[Spooled]]) -> None:
        """A list new to the graph: each of its records is new, so the pairs resolution
        scores are known before any is written (Resolver.candidates), and are scored by
        the other processes while the records are written. The records are read from the
        spool once: _records takes them from `read_ahead`. If the load turns out to change
        other records than those (_resolve), the candidates are made again."""
        self.read_ahead = {item.key: item.record() for item in items() if isinstance(item, SpooledRecord)}
        now = {key: f for key, rec in self.read_ahead.items() if (f := self._features(rec)) is not None}
        self.begun = self.resolver.candidates(now, now, {})

    def _quiet(self, spooled: SpooledRecord, stored: _Stored | None) -> bool:
        """Whether a record is stored as this version states it, still listed: nothing of
        it is written (its place in the file aside) and nothing resolved again."""
        return (
            stored is not None
            and stored.content == spooled.content
            and stored.status == "active"
            and not spooled.gone
            # After a chunked load that stopped, a record stored as this version states
            # it may not have been resolved or derived.
            and not self.after_unfinished_load
        )

    def _create_records(self, rows: list[dict], participating: set[str]) -> None:
        """Records new to the graph: created, with nothing stored to compare (no MERGE),
        as _update_records would make them."""
        if not rows:
            return
        self.run(
            CREATE_RECORDS,
            rows=[
                {
                    **_without_empty_lists(row["props"]),
                    "key": row["key"],
                    "line": row["line"],
                    "first_seen": row["first_seen"] or self.version_date,
                    "status": "active" if row["gone"] is None else "removed",
                    "removed_on": row["gone"] and row["gone"]["gone_by"],
                    "removed_after": row["gone"] and row["gone"]["last_seen"],
                    "history": self._first_lines(row["first_seen"], row["gone"]),
                    "entity_id": row["key"],
                    "content": row["content"],
                }
                for row in rows
            ],
        )
        # New: resolved as they are, filed under no keys before (graph/resolving.py).
        self.ledger.change(row["key"] for row in rows)
        for row in rows:
            if not self.upstream or row["key"] in participating:
                self.entity_ids[row["key"]] = row["key"]

    def _create_entities(self, rows: list[dict], designations: list[dict]) -> None:
        """The entities of new records (`rows`) and their edges, as Derivation.describe
        and materialise would make them, without reading them back."""
        if not rows:
            return
        kinds = self.model.entity_kinds
        entities = []
        for row in rows:
            facts = entity_of_record(row["key"], row["props"], kinds)
            entities.append({**facts, "kinds": [facts["kind"]] if facts["kind"] else []})
        self.run(CREATE_ENTITIES, rows=entities)
        keys = {row["key"] for row in rows}
        targets = [
            {"id": d["id"], "entity_id": d["record_key"]} for d in designations if d["record_key"] in keys
        ]
        if targets:
            self.run(TARGET_DESIGNATIONS, rows=targets)
        self.ledger.described(keys)

    def _update_records(self, rows: list[dict], participating: set[str]) -> None:
        """Stored records whose content or standing changed (relisted, removed, a stub
        the list now fills in)."""
        if not rows:
            return
        written = self.run(
            """
            UNWIND $rows AS row
            MATCH (r:Record {key: row.key})
            WITH r, row, r.status = 'removed' AND row.gone IS NULL AS relisted,
                 r.status = 'active' AND row.gone IS NOT NULL AS leaving,
                 row.rewritten AS changed,
                 // What it was filed under for resolution (graph/resolving.py filed_under).
                 {status: r.status, dataset: r.dataset, block_keys: r.block_keys, matcher: r.matcher,
                  refs: r.refs, same_as: coalesce(r.same_as, []) + coalesce(r.moved_from, []),
                  resolved: r.resolved} AS stored,
                 [n IN coalesce(r.names, []) WHERE NOT n IN row.props.names] AS dropped,
                 // A replay's names that left, dated (Seen.names_left): their lines are
                 // written anew, by the day each left (a graph written by earlier code
                 // dated them by the replay's newest version).
                 coalesce(keys(row.names_left), []) AS dated
            // Each name that left, with its line's day: a replay's own, else this version's.
            WITH *, [n IN dated + [n IN dropped WHERE NOT n IN dated] | [n, coalesce(row.names_left[n], $stamp)]] AS left
            SET r += CASE WHEN changed THEN row.props ELSE {} END, r.content = row.content, r.line = row.line,
                r.status = CASE WHEN row.gone IS NULL THEN 'active' ELSE 'removed' END,
                r.removed_on = row.gone.gone_by, r.removed_after = row.gone.last_seen,
                r.moved_to = null,
                // A replay may know an earlier first version than the one stored (a graph
                // written by earlier code took the replay's newest), never a later one.
                r.first_seen = CASE WHEN row.first_seen < r.first_seen THEN row.first_seen ELSE r.first_seen END,
                r.dropped_names = CASE WHEN size(dropped) = 0 THEN r.dropped_names
                    ELSE coalesce(r.dropped_names, []) + [n IN dropped WHERE NOT n IN coalesce(r.dropped_names, [])]
                    END,
                r.history = [h IN r.history WHERE relisted OR NOT (size(dated) > 0
                                 AND substring(h, 10, 25) = ' names no longer listed: '
                                 AND all(n IN split(substring(h, 35), '; ') WHERE n IN dated))]
                    // A replay's by its first version of the entry's latest presence.
                    + CASE WHEN relisted THEN [coalesce(toString(row.first_seen), $stamp) + ' relisted']
                           WHEN leaving AND NOT row.gone.moved THEN [toString(row.gone.gone_by) + ' no longer listed']
                           ELSE [] END
                    // A line a day.
                    + CASE WHEN relisted THEN [] ELSE
                        [day IN reduce(days = [], x IN left | days + [d IN [x[1]] WHERE NOT d IN days]) |
                         day + ' names no longer listed: ' +
                         reduce(s = '', x IN [x IN left WHERE x[1] = day] | s + CASE s WHEN '' THEN '' ELSE '; ' END + x[0])]
                      END
            SET r.entity_id = coalesce(r.entity_id, r.key)
            RETURN r.key AS key, r.entity_id AS entity_id, coalesce(r.moved_from, []) AS moved_from,
                   changed, CASE WHEN changed THEN stored END AS stored
            """,
            rows=[{**row, "props": _without_empty_lists(row["props"])} for row in rows],
            stamp=self.stamp,
        )
        moved_from = {}
        rewritten = []
        for key, entity_id, earlier, changed, stored in written.values():
            if changed:
                # Resolved again from the keys it was filed under and the features it
                # was resolved with (graph/resolving.py), as stored.
                rewritten.append(key)
                if postings := filed_under(stored):
                    self.postings_before[key] = postings
                if stored["resolved"] is not None:
                    self.resolved_before[key] = stored["resolved"]
            if not self.upstream or key in participating:
                self.entity_ids[key] = entity_id
            if earlier:
                moved_from[key] = earlier
        self.ledger.change(rewritten)
        # A record that moved in an earlier version keeps its old ids as stated identity
        # (r.same_as is the list's own, rewritten each load; r.moved_from is ours).
        if moved_from:
            self._add_same_as(moved_from)

    def _sort_designations(
        self, designations: list[dict], written: set[str]
    ) -> tuple[list[dict], list[dict]]:
        """The designations new to the graph and the stored ones to write again. Those of
        the records written (`written`: new or changed) are sorted by one indexed read.
        Those of a quiet record are as stored, since its content digest covers them and
        designations are never deleted: only one whose end date has come is written
        again (whether it is in force depends on the version's date); the others are
        left as they are (the current version holds them, RECORDED_IN)."""
        stored = set(
            self.run(
                STORED_DESIGNATIONS, ids=[d["id"] for d in designations if d["record_key"] in written]
            ).single(strict=True)[0]
        )
        # One id twice in a batch (a record listed twice under one program): the last
        # one stands, as when each was written over the one before.
        new = list(
            {
                d["id"]: d for d in designations if d["record_key"] in written and d["id"] not in stored
            }.values()
        )
        changed = [
            d
            for d in designations
            if d["id"] in stored
            or (d["record_key"] not in written and d["ended_on"] is not None and d["ended_on"] <= self.as_of)
        ]
        for d in [*new, *changed]:  # of the designations written only
            d["content"] = _digest(d["props"])
        return new, changed

    def _recorded_in(self, designations: list[dict]) -> None:
        """The RECORDED_IN of the designations this load writes: none if this version
        holds one, else the version that last did (a history replay's entry that left
        before its newest version: the version of the day it was last seen)."""
        self._set_recorded_in(
            {
                d["id"]: self.version_of_day.get(d["gone"]["last_seen"], self.report.source_id)
                if d["gone"]
                else None
                for d in designations
            }
        )

    def _set_recorded_in(self, versions: dict[str, str | None]) -> None:
        """Designation id → the :Source id of the version that last held it, None if this
        one holds it."""
        self.run(NOT_HELD_IN, ids=list(versions))
        if rows := [{"id": d, "held_in": s} for d, s in versions.items() if s]:
            self.run(LAST_HELD_IN, rows=rows)

    def _create_designations(self, designations: list[dict]) -> None:
        """Designations new to the graph: first seen in this version, unless the list or a
        history replay says better (`seen`); created, with nothing stored to compare."""
        if not designations:
            return
        self.run(CREATE_DESIGNATIONS, rows=[self._new_designation(d) for d in designations])
        self.run(LINK_DESIGNATIONS, rows=designations)
        if gone := [d for d in designations if d["gone"]]:
            self._recorded_in(gone)

    def _new_designation(self, d: dict) -> dict:
        seen, gone, ended_on = d["seen"], d["gone"], d["ended_on"]
        if seen:
            first_seen, after, basis = seen["first_seen"], seen["first_seen_after"], seen["basis"]
        else:
            # First in this version: it appeared after the version before, by this one;
            # in the first version loaded, it was listed on or before it.
            first_seen, after = self.version_date, self.previous_date if self.follows_version else None
            if self.version_date is None:
                basis = "unknown"
            elif self.follows_version and self.previous_date is not None:
                basis = "first_seen"
            else:
                basis = "on_or_before"
        # An end the list states for a day after its own (Ukraine's sanctions run for a
        # term: "endDate 2033-07-01") is not a delisting: the designation is in force, and
        # `ended_on` keeps the day it is due to end.
        ended = ended_on is not None and ended_on <= self.as_of
        return {
            **d["props"],
            "id": d["id"],
            "content": d["content"],
            "history": self._first_lines(first_seen, gone),
            "first_seen": first_seen,
            "first_seen_after": after,
            "seen_basis": basis,
            # The earliest of its own date and its announcements' (_announcements): only
            # its own, until an announcement names it.
            "announced_on": d["props"]["stated_announced_on"],
            "status": "inactive" if gone or ended else "active",
            "delisted_on": ended_on if ended else gone and gone["gone_by"],
            "delisted_after": gone["last_seen"] if not ended and gone else None,
            "delisted_by": "end date" if ended else "absence" if gone else None,
        }

    def _first_lines(self, first_seen: date | None, gone: dict | None) -> list[str]:
        """The history of a record or designation new to the graph: "listed" on the day it
        was first seen (a replay's first version holding it, else this version's) and, if
        a replay saw it leave, "no longer listed" on the first version without it (as a
        version that no longer lists it writes), unless it moved to another entry."""
        return [f"{first_seen or self.stamp} listed"] + (
            [f"{gone['gone_by']} no longer listed"] if gone and not gone["moved"] else []
        )

    def _update_designations(self, designations: list[dict]) -> None:
        """Stored designations to write again: changed, relisted, ended or moved before."""
        if not designations:
            return
        self.run(
            """
            UNWIND $rows AS row
            MATCH (p:Program {id: row.program_id})
            MATCH (d:Designation {id: row.id})
            WITH d, p, row, d.status = 'inactive' AND d.delisted_by = 'absence' AND row.gone IS NULL AS relisted,
                 d.status = 'active' AND row.gone IS NOT NULL AS leaving,
                 coalesce(row.ended_on <= $as_of, false) AS ended  // a term running on is in force
            // What a replay or the list knows better, unless the graph knows an earlier day:
            // a designation listed again keeps its first listing (its "relisted" line
            // dates the return), as one a single version lists again does.
            FOREACH (seen IN CASE WHEN row.seen IS NULL OR row.seen.first_seen > d.first_seen THEN []
                                  ELSE [row.seen] END |
                SET d.first_seen = seen.first_seen, d.first_seen_after = seen.first_seen_after,
                    d.seen_basis = seen.basis)
            SET d += CASE WHEN coalesce(d.content, '') = row.content THEN {} ELSE row.props END,
                d.content = row.content,
                d.status = CASE WHEN row.gone IS NOT NULL OR ended THEN 'inactive' ELSE 'active' END,
                d.delisted_on = CASE WHEN ended THEN row.ended_on ELSE row.gone.gone_by END,
                d.delisted_after = CASE WHEN NOT ended THEN row.gone.last_seen END,
                d.moved_to = null, d.possibly_moved_to = null,
                d.delisted_by = CASE WHEN ended THEN 'end date'
                                     WHEN row.gone IS NOT NULL THEN 'absence' END,
                d.history = d.history + CASE WHEN relisted THEN [coalesce(toString(row.first_by), $stamp) + ' relisted']
                                             WHEN leaving AND NOT row.gone.moved
                                             THEN [toString(row.gone.gone_by) + ' no longer listed']
                                        ELSE [] END
            MERGE (d)-[:UNDER]->(p)
            """,
            rows=designations,
            as_of=self.as_of,
            stamp=self.stamp,
        )
        self._recorded_in(designations)

    def _seen(self, rec: Record, sanction: Sanction) -> dict | None:
        """What this load knows better than the versions loaded one by one: the dated
        versions a history replay saw (of the program on the entry, Sanction.seen, else
        of the entry, Record.seen), or a bound the list states (Sanction.listed_by).
        None: a new designation is dated from the versions."""
        if seen := sanction.seen or rec.seen:
            return {
                "first_seen": seen.first_by,
                "first_seen_after": seen.first_after,
                "basis": "first_seen" if seen.first_after else "on_or_before",
            }
        if sanction.listed_by:
            return {"first_seen": sanction.listed_by, "first_seen_after": None, "basis": "on_or_before"}
        return None

    def _add_same_as(self, extra: dict[str, list[str]]) -> None:
        """Give this load's records (self.features) more stated identities."""
        self.features = [
            replace(f, same_as=tuple(dict.fromkeys(f.same_as + tuple(extra[f.key])))) if f.key in extra else f
            for f in self.features
        ]

    def _state_rows(self, batch: list[Spooled]) -> list[dict]:
        """The relationships a batch's records and links state, as rows for _states."""
        dataset = self.meta.dataset
        return [
            _state_row(item.subject, dataset, item)
            if isinstance(item, Link)
            else _state_row(item.key, dataset, link)
            for item in batch
            if isinstance(item, (SpooledRecord, Link))
            for link in ([item] if isinstance(item, Link) else item.links)
        ]

    def _states(self, states: list[dict]) -> None:
        written = self.run(
            """
            UNWIND $rows AS row
            MERGE (a:Record {key: row.from})
            ON CREATE SET a.status = 'stub', a.dataset = split(row.from, ':')[0]
            WITH a, row
            OPTIONAL CALL (row) {
                WITH row WHERE row.to_key IS NOT NULL
                MERGE (b:Record {key: row.to_key})
                ON CREATE SET b.status = 'stub', b.dataset = split(row.to_key, ':')[0]
                RETURN b
              UNION
                WITH row WHERE row.to_name IS NOT NULL
                MATCH (b:Record)
                USING INDEX SEEK b:Record(dataset, name_key)
                WHERE b.dataset = row.dataset AND b.name_key IN [row.to_name, row.to_name + '.']
                RETURN b ORDER BY b.key LIMIT 1
            }
            CALL (a, b, row) {
                WITH a, b, row WHERE b IS NOT NULL
                WITH CASE WHEN row.reverse THEN b ELSE a END AS x,
                     CASE WHEN row.reverse THEN a ELSE b END AS y, row
                CREATE (x)-[s:STATES]->(y)
                SET s = row.props
            }
            WITH row, a, b
            RETURN collect(CASE WHEN b IS NULL THEN row.from + ' → ' + row.to_name END) AS unresolved,
                   collect(CASE WHEN b IS NOT NULL AND row.to_name IS NOT NULL
                           THEN CASE WHEN row.reverse THEN [b.key, a.key] ELSE [a.key, b.key] END
                           END) AS named
            """,
            rows=states,
        ).single()
        self.report.unresolved_links += written["unresolved"]
        self.report.links += len(states) - len(written["unresolved"])
        self.ledger.named_targets(written["named"])
        self._link_directly(states)

    def _link_directly(self, states: list[dict]) -> None:
        """The links of the statements made by key between two records this load created
        with their entities, made with them, as Derivation.materialise would make them:
        neither entity is derived again for them (Ledger.restated_keys). Of the FtM 1M
        file's first load, deriving them again took 46 s (bench/README.md, stop 43)."""
        created = self.ledger.created_with_entity(
            {k for row in states for k in (row["from"], row["to_key"]) if k is not None}
        )
        links = [
            {**row["props"], "a": row["from"], "b": row["to_key"]}
            for row in states
            if row["from"] != row["to_key"] and row["from"] in created and row["to_key"] in created
        ]
        if links:
            self.run(LINK_ENTITIES, rows=links)

    def _note_statements(self, after: bool) -> None:
        """The relationships this dataset states, as comparable rows in the ledger: as
        stored before the load replaces them, or after."""
        self.ledger.note_statements(
            self.run(
                """
                MATCH (a:Record)-[s:STATES {dataset: $dataset}]->(b:Record)
                USING INDEX SEEK s:STATES(dataset)
                RETURN a.key, b.key, s.type, s.role, s.since, s.until, s.source_url
                """,
                dataset=self.meta.dataset,
            ),
            after,
        )

    def _stated_about(self, keys: Iterable[str]) -> None:
        """Touch the entities whose links or calls this load may change: those of the
        records at either end of a relationship the dataset states anew or no more
        (`keys`), and those its calls and announcements name (written anew by every load)."""
        for batch in batched(keys, self.batch_size):
            self.ledger.touch(
                self.run(
                    "UNWIND $keys AS key MATCH (r:Record {key: key}) USING INDEX SEEK r:Record(key) WHERE r.entity_id IS NOT NULL "
                    "RETURN DISTINCT r.entity_id",
                    keys=sorted(set(batch)),
                ).value(),
                facts=False,
            )
            # A chunked load commits here too: the driver keeps each statement's keys
            # until the commit (+36 MiB at FtM 1M without).
            self._checkpoint()
        self.ledger.touch(
            self.run(
                """
                CALL () {
                    MATCH (c:Call {dataset: $dataset})-[:CITES]->(r:Record)
                    USING INDEX SEEK c:Call(dataset) RETURN r
                  UNION
                    MATCH (r:Record)-[:SIGNS]->(c:Call {dataset: $dataset})
                    USING INDEX SEEK c:Call(dataset) RETURN r
                  UNION
                    MATCH (a:Announcement {dataset: $dataset})-[:ANNOUNCES]->(r:Record)
                    USING INDEX SEEK a:Announcement(dataset) RETURN r
                }
                WITH DISTINCT r WHERE r.entity_id IS NOT NULL
                RETURN DISTINCT r.entity_id
                """,
                dataset=self.meta.dataset,
            ).value(),
            facts=False,
        )

    def _stale_links(self) -> set[str]:
        """Entities at either end of a link the dataset's statements no longer make:
        re-derived, their links go. Only after a load that stopped: `restated` finds the
        others, and this scans every link of every type (0.3 s of a 5-record load)."""
        stale: set[str] = set()
        for link in self.model.links:
            row = self.run(
                f"""
                MATCH (a:Entity)-[l:{link} {{dataset: $dataset}}]->(b:Entity)
                WHERE NOT EXISTS {{
                    MATCH (:Record {{key: l.from_record}})-[s:STATES]->(:Record {{key: l.to_record}})
                    WHERE s.dataset = $dataset AND s.type = $type
                }}
                RETURN collect(DISTINCT a.id) + collect(DISTINCT b.id) AS ids
                """,
                dataset=self.meta.dataset,
                type=link,
            ).single()
            stale.update(row["ids"])
        return stale

    def _clear_documents(self) -> None:
        """Announcements and calls are curated facts: each load replaces the dataset's own
        (the designations its announcements dated are dated again, _announcements)."""
        self.announced_before = self._announced_by_dataset()
        for label in ("Announcement", "Call"):
            self.run(f"MATCH (n:{label} {{dataset: $dataset}}) DETACH DELETE n", dataset=self.meta.dataset)

    def _documents(self, batch: list[Announcement | Call]) -> None:
        announcements = [
            {
                "id": a.id,
                "date": a.date,
                "title": a.title,
                "url": a.url,
                "jurisdiction": a.jurisdiction,
                "targets": [
                    {"key": key, "program": program and self.model.program(a.jurisdiction, program).id}
                    for key, program in a.designates
                ],
            }
            for a in batch
            if isinstance(a, Announcement)
        ]
        calls = [
            {
                "id": c.id,
                "date": c.date,
                "title": c.title,
                "url": c.url,
                "summary": c.summary,
                "signatory_count": c.signatory_count,
                "names": c.names,
                "signatories": c.signatories,
                "urges": [{"jurisdiction": j, "measure": m} for j, m in c.urges],
            }
            for c in batch
            if isinstance(c, Call)
        ]
        if announcements:
            self.run(
                """
                UNWIND $rows AS row
                CREATE (a:Announcement {id: row.id, dataset: $dataset, date: row.date,
                                        title: row.title, url: row.url, jurisdiction: row.jurisdiction})
                WITH a, row
                UNWIND row.targets AS t
                MERGE (r:Record {key: t.key})
                ON CREATE SET r.status = 'stub', r.dataset = split(t.key, ':')[0]
                CREATE (a)-[:ANNOUNCES {program: t.program}]->(r)
                """,
                rows=announcements,
                dataset=self.meta.dataset,
            )
        if calls:
            self.run(
                """
                UNWIND $rows AS row
                CREATE (c:Call {id: row.id, dataset: $dataset, date: row.date, title: row.title,
                                url: row.url, summary: row.summary,
                                signatory_count: row.signatory_count})
                WITH c, row
                CALL (c, row) {
                    UNWIND row.urges AS u
                    MERGE (j:Jurisdiction {code: u.jurisdiction})
                    CREATE (c)-[:URGES {measure: u.measure}]->(j)
                }
                CALL (c, row) {
                    UNWIND row.names AS key
                    MERGE (r:Record {key: key})
                    ON CREATE SET r.status = 'stub', r.dataset = split(key, ':')[0]
                    CREATE (c)-[:CITES]->(r)
                }
                CALL (c, row) {
                    UNWIND row.signatories AS key
                    MERGE (r:Record {key: key})
                    ON CREATE SET r.status = 'stub', r.dataset = split(key, ':')[0]
                    CREATE (r)-[:SIGNS]->(c)
                }
                """,
                rows=calls,
                dataset=self.meta.dataset,
            )
        self.report.documents += len(announcements) + len(calls)

    def _program(self, jurisdiction: str, written: str, authority: str) -> Program:
        """The program a sanction is under; a new one is written with the batch (_programs)."""
        program = self.model.program(jurisdiction, written, authority)
        self.programs.setdefault(program.id, program)
        return program

    def _programs(self) -> None:
        """Write the programs this load found since the last call, in one statement."""
        new = [p for p in self.programs.values() if p.id not in self.programs_written]
        if not new:
            return
        self.run(
            """
            UNWIND $programs AS program
            MERGE (j:Jurisdiction {code: program.jurisdiction})
            ON CREATE SET j.name = program.jurisdiction_name
            MERGE (a:Authority {id: program.authority})
            ON CREATE SET a.name = program.authority_name
            MERGE (a)-[:OF]->(j)
            MERGE (p:Program {id: program.id})
            SET p.code = program.code, p.name = program.name, p.family = program.family,
                p.family_grounds = program.family_grounds,
                p.legal_basis = program.legal_basis, p.jurisdiction = program.jurisdiction
            MERGE (p)-[:ADMINISTERED_BY]->(a)
            """,
            programs=[
                {
                    "id": p.id,
                    "code": p.code,
                    "name": p.name,
                    "family": p.family,
                    "family_grounds": p.family_grounds,
                    "legal_basis": p.legal_basis,
                    "jurisdiction": p.jurisdiction,
                    "jurisdiction_name": self.model.jurisdiction_name(p.jurisdiction),
                    "authority": p.authority,
                    "authority_name": self.model.authority_name(p.authority),
                }
                for p in new
            ],
        )
        self.programs_written.update(p.id for p in new)

    def _replayed_move(self, rec: Record, seen: Seen, program_id: str) -> None:
        for old in seen.moved_from:
            self.replayed_moves.setdefault((f"{rec.dataset}:{old}", rec.key, program_id), None)
        if seen.moved_to:
            # The entry that left knows the day: the first version without it.
            self.replayed_moves[(rec.key, f"{rec.dataset}:{seen.moved_to}", program_id)] = seen.gone_by

    def _replayed_moves(self) -> None:
        """The moves a history replay found, written as a new version's are (MOVE), once
        both designations are: an entry folded into another is no delisting."""
        if not self.replayed_moves:
            return
        # A move whose day only the entry that took it over knew (None) takes this version's.
        moves = [
            {"old": o, "new": n, "program": p, "day": on, "stamp": str(on) if on else self.stamp}
            for (o, n, p), on in sorted(self.replayed_moves.items())
        ]
        pairs = self.run(
            """
            UNWIND $moves AS m
            MATCH (d:Designation {record_key: m.old}) WHERE d.program_id = m.program
            MATCH (moved:Designation {record_key: m.new}) WHERE moved.program_id = m.program
              AND coalesce(d.moved_to, '') <> moved.id
            RETURN d.id AS old, moved.id AS new, m.stamp AS stamp
            """,
            moves=moves,
        ).values()
        if pairs:
            self.run(MOVE, moves=[{"old": old, "new": new, "stamp": stamp} for old, new, stamp in pairs])
        # Each move's lines dated by the version it happened in, those written before too
        # (earlier code dated them by the replay's newest version).
        self.run(
            """
            UNWIND $moves AS m
            MATCH (d:Designation {record_key: m.old}) WHERE d.program_id = m.program
            MATCH (moved:Designation {id: d.moved_to}) WHERE moved.record_key = m.new
            MATCH (old:Record {key: d.record_key}), (new:Record {key: moved.record_key})
            WITH d, moved, old, new, m.stamp AS stamp,
                 ' moved to ' + new.record_id AS to, ' moved from ' + old.record_id AS from
            SET d.history = [h IN d.history | CASE WHEN h ENDS WITH to THEN stamp + to ELSE h END],
                old.history = [h IN old.history | CASE WHEN h ENDS WITH to THEN stamp + to ELSE h END],
                moved.history = [h IN moved.history | CASE WHEN h ENDS WITH from THEN stamp + from ELSE h END]
            """,
            moves=[m for m in moves if m["day"] is not None],
        )
        self.report.moved += len(pairs)

    def _delist_missing(self) -> None:
        """What the new version of the list no longer holds is delisted, never deleted,
        unless it moved: an entry whose record id is gone while the new version holds a
        new record of the same identity (name, birth dates, program) moved, as Canada's
        schedules renumber (russia-s2-6 → russia-p2-74). A move keeps the first date
        and both ids; a delisting is dated by the two versions around it."""
        if self.first_load:  # nothing of the list was stored: it can have left nothing
            return
        if self.derived_otherwise and self.earlier_versions:
            # A history replay derives every designation its entries held in any of its
            # versions, those that ended too: of an entry it holds, one it no longer
            # derives that a version of this history last held is other code's (OFAC's
            # BELARUS-EO read "delisted by 2021-08-20" where the replay now follows
            # BELARUS-EO14038 from it). One a version outside the history held last (the
            # list's file loaded before it) is that version's, and stays.
            self._derived_otherwise(
                self._unlisted_designations(in_force=False),
                held_in=[v["id"] for v in self.earlier_versions] + [self.report.source_id],
            )
        unlisted = self._derived_otherwise(self._unlisted_designations())
        moves = self._moves(unlisted)
        if moves:
            self.run(MOVE, moves=[{"old": old, "new": new, "stamp": self.stamp} for old, new, _, _ in moves])
        self.report.moved += len(moves)
        # This load resolves its records from self.features: they learn the move too.
        moved_from: dict[str, list[str]] = {}
        for _, _, new_key, old_key in moves:
            moved_from.setdefault(new_key, []).append(old_key)
        self.ledger.also_changed(moved_from)
        self._add_same_as(moved_from)
        delisted = sorted(set(unlisted) - {old for old, _, _, _ in moves})
        if delisted:
            self.report.delisted = self.run(
                """
                UNWIND $ids AS id
                MATCH (d:Designation {id: id})
                SET d.status = 'inactive', d.delisted_on = $gone_by, d.delisted_after = $previous_date,
                    d.delisted_by = 'absence',
                    d.history = d.history + [$stamp + ' no longer listed']
                RETURN count(d) AS n
                """,
                ids=delisted,
                gone_by=self.oldest_date or self.version_date,
                previous_date=self.previous_date,
                stamp=self.gone_stamp,
            ).single(strict=True)["n"]
        if left := [old for old, _, _, _ in moves] + delisted:
            self._set_recorded_in(dict.fromkeys(left, self.previous_source))
        if self.oldest_date:
            self._redate_replayed_removals()
            self._forget_misnamed_versions()
        if self.possible_moves:
            self.run(
                """
                UNWIND keys($possible) AS old
                MATCH (d:Designation {id: old}) SET d.possibly_moved_to = $possible[old]
                """,
                possible=self.possible_moves,
            )
        # The dataset's active records stream by, and the few this version does not hold
        # come back from the ledger (sending it every key held them all in memory).
        unseen = list(
            self.ledger.unseen_records(
                self._keys(
                    "MATCH (r:Record {dataset: $dataset}) WHERE r.status = 'active' WITH r.key AS key",
                    dataset=self.meta.dataset,
                )
            )
        )
        for keys in batched(unseen, self.batch_size):
            self.run(
                """
                UNWIND $keys AS key
                MATCH (r:Record {key: key})
                SET r.status = 'removed', r.removed_on = $gone_by, r.removed_after = $previous_date,
                    r.history = r.history + [$stamp + ' no longer listed']
                """,
                keys=keys,
                gone_by=self.oldest_date or self.version_date,
                previous_date=self.previous_date,
                stamp=self.gone_stamp,
            )

    def _redate_replayed_removals(self) -> None:
        """The "no longer listed" lines that earlier code wrote for what a history replay
        found gone, re-dated: it stamped them with the replay's newest version, though
        they left by its oldest (removed_on says so)."""
        for label, gone in (
            ("Record", "r.status = 'removed' AND r.removed_on = $gone_by"),
            ("Designation", "r.delisted_by = 'absence' AND r.delisted_on = $gone_by"),
        ):
            self.run(
                f"""
                MATCH (r:{label} {{dataset: $dataset}}) WHERE {gone}
                  AND $stamp + ' no longer listed' IN r.history
                SET r.history = [h IN r.history | CASE WHEN h = $stamp + ' no longer listed'
                                                  THEN $gone_stamp + ' no longer listed' ELSE h END]
                """,
                dataset=self.meta.dataset,
                gone_by=self.oldest_date,
                stamp=self.stamp,
                gone_stamp=self.gone_stamp,
            )

    def _forget_misnamed_versions(self) -> None:
        """Earlier code named each version of a folder history by the first 16 characters
        of its path, the same for all, so that they were one :Source, dated by the last
        one written. This replay names them by day and records what they last held anew;
        those old ones that nothing cites any more are deleted."""
        self.run(
            """
            MATCH (s:Source {dataset: $dataset}) WHERE NOT s.current
              AND substring(s.id, size($dataset) + 1) CONTAINS '/' AND NOT EXISTS { (s)<-[:RECORDED_IN]-() }
            DETACH DELETE s
            """,
            dataset=self.meta.dataset,
        )

    def _keys(self, match: str, **params) -> Iterator[str]:
        """The keys `match` binds as `key`, streamed: a list of them a row, since the
        driver's cost per row was most of the time (0.8 s of 0.9 for the 43k keys of a
        19,500-record list)."""
        return (
            key
            for (keys,) in self.run(
                f"{match} WITH collect(key) AS keys "
                "UNWIND range(0, size(keys) - 1, $per_row) AS at RETURN keys[at..at + $per_row]",
                per_row=KEYS_PER_ROW,
                **params,
            )
            for key in keys
        )

    def _derived_otherwise(self, unlisted: list[str], held_in: list[str] | None = None) -> list[str]:
        """Of the designations this version does not hold, those that other code derived
        are deleted, not delisted: where the list still holds their record, the code that
        reads it now makes no such designation (a program's id written anew by
        data/programs/, a measure no longer counted as a sanction: loaders/ftm.py
        NOT_SANCTIONS). `held_in`: only those one of these versions last held. Returns the
        rest, which the list no longer holds. (A program the list dropped from an entry in
        the very version loaded with new code is deleted too: its delisting is lost, where
        a history replay states it.)"""
        if not (self.derived_otherwise and unlisted):
            return unlisted
        records = {
            d: key
            for d, key in self.run(
                "UNWIND $ids AS id MATCH (d:Designation {id: id}) "
                "WHERE $held_in IS NULL OR EXISTS { (d)-[:RECORDED_IN]->(s:Source) WHERE s.id IN $held_in } "
                "RETURN d.id AS id, d.record_key AS key",
                ids=unlisted,
                held_in=held_in,
            ).values()
        }
        gone = set(self.ledger.unseen_records(sorted(set(records.values()))))
        stale = {d for d, key in records.items() if key not in gone}
        if stale:
            self.run("UNWIND $ids AS id MATCH (d:Designation {id: id}) DETACH DELETE d", ids=sorted(stale))
            self.report.rederived += len(stale)
        return [d for d in unlisted if d not in stale]

    def _unlisted_designations(self, in_force: bool = True) -> list[str]:
        """The dataset's designations in force (or all of them) that this load does not hold."""
        return sorted(
            self.ledger.unseen_designations(
                self._keys(
                    # By dataset: the planner would seek every active designation by status.
                    "MATCH (d:Designation {dataset: $dataset}) USING INDEX SEEK d:Designation(dataset) "
                    "WHERE d.status = 'active' OR NOT $in_force WITH d.id AS key",
                    dataset=self.meta.dataset,
                    in_force=in_force,
                )
            )
        )

    def _moves(self, unlisted: list[str]) -> list[tuple[str, str, str, str]]:
        """Designations this version no longer holds (`unlisted`) that reappear under a new record id:
        (old designation, new designation, new record, old record). A move is a new
        record of this version, under the same program, that the matcher scores at or
        above MERGE against the missing one with no conflict (names spelt anew between
        versions, "Vasilievich" → "Vasilyevich", a birth date added, still match), or
        that a judgement says is the same (Canada's "VTB Bank OAO" → "VTB"); never one
        judged not the same."""
        if not self.follows_version or self.upstream:
            return []
        gone = _rows(
            self.run(
                """
            UNWIND $ids AS id
            MATCH (d:Designation {id: id})
            MATCH (r:Record {key: d.record_key})
            RETURN d.id AS designation, d.program_id AS program, r.key AS key, r.dataset AS dataset,
                   r.schema AS schema, r.names AS names, r.weak_aliases AS weak_aliases,
                   r.birth_dates AS birth_dates, r.approximate_birth_dates AS approximate_birth_dates,
                   r.birth_places AS birth_places,
                   r.nationalities AS nationalities, r.countries AS countries, r.gender AS gender,
                   r.identifiers AS identifiers, r.refs AS refs, r.same_as AS same_as,
                   r.block_keys AS block_keys, r.matcher AS matcher
            """,
                ids=unlisted,
            )
        )
        if not gone:
            return []
        arrived = {
            (r["program"], r["key"]): r["designation"]
            for r in _rows(
                self.run(
                    """
            UNWIND $ids AS id
            MATCH (d:Designation {id: id}) WHERE d.seen_basis = 'first_seen'
              AND d.first_seen = $version_date
            RETURN d.program_id AS program, d.record_key AS key, d.id AS designation
            """,
                    ids=list(self.ledger.written_designations),
                    version_date=self.version_date,
                )
            )
        }
        by_block: dict[str, list[Features]] = {}
        for f in self.features:
            for block in f.blocking:
                by_block.setdefault(block, []).append(f)
        # A person's judgement decides where the matcher cannot (data/resolution.yaml).
        judged_same, judged_apart = self.judgements.by_record("same"), self.judgements.by_record("not_same")
        moves, taken = [], set()
        for row in gone:
            old = Features.from_properties(row)
            candidates = {
                f.key: f
                for block in old.blocking or blocking_keys(old)
                for f in by_block.get(block, ())
                if (row["program"], f.key) in arrived and f.key not in judged_apart.get(old.key, ())
            }
            same = sorted(k for k in judged_same.get(old.key, ()) if (row["program"], k) in arrived)
            best = (1.0, same[0]) if same else successor(old, candidates.values())
            if best is None or (row["program"], best[1]) in taken:
                continue
            score, new_key = best
            if score >= MERGE:
                taken.add((row["program"], new_key))
                moves.append((row["designation"], arrived[(row["program"], new_key)], new_key, old.key))
            elif score >= REVIEW:
                # Too unlike to call it a move (names spelt apart, no judgement yet):
                # delisted, and the page says what it may have become, for a person to judge.
                self.possible_moves[row["designation"]] = arrived[(row["program"], new_key)]
        return moves

    def _resolve(self, incremental: bool) -> set[str]:
        """Resolve what this load changed (graph/resolving.py), or everything when the
        stored postings and scores were made otherwise; returns the ids of the entities
        whose derived facts must be recomputed."""
        loaded = {f.key: f for f in self.features}
        outcomes: Iterable[Outcome]
        self.resolved = {k: features_digest(loaded[k]) for k in self.ledger.changed_among(loaded)}
        if incremental:
            changed = {
                k: loaded.get(k)
                for k in self.ledger.changed
                if (k in loaded or self.postings_before.get(k))
                and (k not in loaded or self.resolved[k] != self.resolved_before.get(k))
            }
            outcomes = self.resolver.incremental(
                changed,
                loaded,
                self.entity_ids,
                {k: self.postings_before[k] for k in changed if k in self.postings_before},
                self.resolver.rejudged(),
                self.begun,
            )
        else:
            outcomes = [self.resolver.rebuild()]
        touched: set[str] = set()
        # A part at a time, each written before the next is resolved (Resolver.incremental).
        for outcome in outcomes:
            mine = outcome.rescored if outcome.rescored is not None else set(self.entity_ids)
            self.report.merges += sum(1 for e in outcome.resolution.edges if e.a in mine or e.b in mine)
            self.report.compared += outcome.compared
            # The changed records are described after this, whatever resolution decided
            # (but those created with their entity: they are described here if moved).
            touched |= self.derive.apply(outcome, described_after=self.ledger.to_describe)
        self.resolver.save_state()
        self.report.records_read = self.resolver.records_read
        return touched

    def _announcements(self) -> None:
        """Announcements name list records; their dates are what the lists lack. A
        designation's announced_on is the earliest of its own and its announcements',
        of those no later than the first version seen to hold it.
        Only those this load can change are dated again: the designations it wrote (but
        those created with their record, dated as they were created), and those the
        dataset's announcements date now or dated before it."""
        self.run(
            """
            MATCH (a:Announcement {dataset: $dataset})-[x:ANNOUNCES]->(r:Record)
            USING INDEX SEEK a:Announcement(dataset)
            MATCH (d:Designation {record_key: r.key})
            USING INDEX SEEK d:Designation(record_key)
            WHERE x.program IS NULL OR d.program_id = x.program
            MERGE (d)-[:ANNOUNCED_IN]->(a)
            """,
            dataset=self.meta.dataset,
        )
        for ids in batched(self.ledger.maybe_announced, self.batch_size):
            self.run(
                """
                UNWIND $ids AS id
                MATCH (d:Designation {id: id})
                MATCH (a:Announcement)-[x:ANNOUNCES]->(:Record {key: d.record_key})
                WHERE x.program IS NULL OR d.program_id = x.program
                MERGE (d)-[:ANNOUNCED_IN]->(a)
                """,
                ids=ids,
            )
        # Those it wrote, then those announced (once more if both: the statement is idempotent).
        dated = chain(
            self.ledger.maybe_announced, sorted(self.announced_before | self._announced_by_dataset())
        )
        for ids in batched(dated, self.batch_size):
            self.run(
                """
                UNWIND $ids AS id
                MATCH (d:Designation {id: id})
                OPTIONAL MATCH (d)-[:ANNOUNCED_IN]->(a:Announcement)
                // Not one after a version that already held it: that is a later change to
                // the entry (OFAC folding JSC Star's duplicate of 2023-09-14 into it on
                // 2023-09-25), not the day it was designated.
                WHERE d.first_seen IS NULL OR a.date <= d.first_seen
                WITH d, [x IN collect(a.date) + [d.stated_announced_on] WHERE x IS NOT NULL] AS dates
                WITH d, reduce(m = null, x IN dates | CASE WHEN m IS NULL OR x < m THEN x ELSE m END) AS first
                WHERE d.announced_on IS NULL OR first IS NULL OR d.announced_on <> first
                SET d.announced_on = first
                """,
                ids=ids,
            )

    def _announced_by_dataset(self) -> set[str]:
        """The designations the dataset's announcements date."""
        return set(
            self.run(
                "MATCH (a:Announcement {dataset: $dataset})<-[:ANNOUNCED_IN]-(d:Designation) "
                "USING INDEX SEEK a:Announcement(dataset) "
                "RETURN DISTINCT d.id AS id",
                dataset=self.meta.dataset,
            ).value()
        )

    def _finish_source(self) -> None:
        # What the records were resolved with, and the fingerprint, only now: a chunked
        # load that stops half-way must not pass for a finished one, which a reload would
        # skip. (Their content is stored as they are written: the load after one that
        # stopped writes every record again, _quiet. Written here, it rewrote every
        # record of the FtM 100k file a second time: 3.9 of its 69 s.) Of the changed
        # records, those resolved now and those that were resolved before (a digest to
        # clear), and those only marked changed (SourceWriter.ledger.also_changed).
        keys = sorted(self.resolved.keys() | self.resolved_before.keys() | set(self.ledger.marked_only()))
        for batch in batched(({"key": k, "resolved": self.resolved.get(k)} for k in keys), self.batch_size):
            self.run(
                "UNWIND $rows AS row MATCH (r:Record {key: row.key}) SET r.resolved = row.resolved",
                rows=batch,
            )
            self._checkpoint()
        self.run(
            """
            MATCH (s:Source {id: $id})
            SET s.records = $records, s.designations = $designations, s.links = $links,
                s.delisted = $delisted, s.unresolved_links = $unresolved,
                s.fingerprint = $fingerprint, s.input_digest = $input_digest, s.code_digest = $code_digest
            """,
            # The version's own entries: a replay also writes those that left before it.
            id=self.report.source_id,
            fingerprint=self.fingerprint,
            input_digest=self.input_digest,
            code_digest=self.code_digest,
            records=self.report.records - self.report.left,
            designations=self.report.designations,
            links=self.report.links,
            delisted=self.report.delisted,
            unresolved=len(self.report.unresolved_links),
        )


class Derivation:
    """Writes what resolution decided and derives the entities from their records: the
    Entity, DESCRIBES and TARGETS of each record, an entity's facts, links and calls.
    Only for the records and entities given: a load passes those it changed. Its writes
    return nothing: each is carried out as it is sent (SourceWriter.run)."""

    def __init__(
        self,
        run: Callable[..., Result],
        batch_size: int,
        model: Model,
        checkpoint: Callable[[], None] = lambda: None,
    ):
        self.run, self.batch_size, self.model = run, batch_size, model
        #: Called after each batch: a chunked write commits there (SourceWriter._checkpoint),
        #: so that deriving a million entities does not hold them all in one transaction.
        self.checkpoint = checkpoint

    def apply(self, outcome: Outcome, described_after: Container[str] = frozenset()) -> set[str]:
        """Move the records whose entity changed and keep the evidence (SAME_AS) and the
        scores (CANDIDATE) equal to the outcome's; returns the entities to re-derive.
        Records of `described_after` are only moved: the caller describes them next."""
        moved = [{"key": k, "entity_id": e} for k, e in sorted(outcome.moved.items())]
        touched = {old for m in moved if (old := outcome.before.get(m["key"]))}
        touched |= {m["entity_id"] for m in moved}
        for batch in batched(moved, self.batch_size):
            self.run(
                """
                UNWIND $rows AS row
                MATCH (r:Record {key: row.key})
                SET r.entity_id = row.entity_id
                """,
                rows=batch,
            )
            touched |= self.describe([m["key"] for m in batch if m["key"] not in described_after])
            self.checkpoint()
        self._candidates(outcome.resolution, outcome.rescored, outcome.across)
        self._evidence(outcome.resolution, outcome.reclustered)
        return touched

    def describe(self, keys: list[str]) -> set[str]:
        """Entity, DESCRIBES and TARGETS of each record as its entity_id says; returns
        the ids of those entities."""
        if not keys:
            return set()
        return set(
            self.run(
                """
            UNWIND $keys AS key
            MATCH (r:Record {key: key})
            MERGE (e:Entity {id: r.entity_id})
            WITH r, e
            OPTIONAL MATCH (r)-[old:DESCRIBES]->(o:Entity) WHERE o <> e
            DELETE old
            MERGE (r)-[:DESCRIBES]->(e)
            WITH DISTINCT r, e
            CALL (r, e) {
                MATCH (d:Designation {record_key: r.key})
                USING INDEX SEEK d:Designation(record_key)
                OPTIONAL MATCH (d)-[old:TARGETS]->(o:Entity) WHERE o <> e
                DELETE old
                MERGE (d)-[:TARGETS]->(e)
            }
            RETURN collect(DISTINCT e.id) AS ids
            """,
                keys=keys,
            ).single(strict=True)["ids"]
        )

    def _candidates(
        self, resolution: Resolution, keys: set[str] | None, across: Iterable[Scored] = ()
    ) -> None:
        """Store the pairs scored for the records of `keys` (None: all), replacing what
        was stored for them, and the pairs `across` (Outcome.across)."""
        if keys is None:
            self.run("MATCH ()-[c:CANDIDATE]->() DELETE c")
        for batch in batched(sorted(keys or ()), self.batch_size):
            self.run(
                "UNWIND $keys AS key MATCH (r:Record {key: key})-[c:CANDIDATE]-() USING INDEX SEEK r:Record(key) DELETE c",
                keys=batch,
            )
        mine = [c for c in resolution.scored if keys is None or c.a in keys or c.b in keys]
        fresh = [
            {
                "a": c.a,
                "b": c.b,
                "score": c.score,
                "features": list(c.features),
                "within_list_ok": c.within_list_ok,
            }
            for c in [*mine, *across]
        ]
        for batch in batched(fresh, self.batch_size):
            self.run(
                """
                UNWIND $rows AS row
                MATCH (a:Record {key: row.a}), (b:Record {key: row.b})
                CREATE (a)-[:CANDIDATE {score: row.score, features: row.features,
                                        within_list_ok: row.within_list_ok, matcher: $version}]->(b)
                """,
                rows=batch,
                version=MATCHER_VERSION,
            )

    def _evidence(self, resolution: Resolution, keys: set[str] | None) -> None:
        """Keep the SAME_AS edges of the records of `keys` (None: all) equal to the
        accepted evidence, changing only what differs."""
        wanted = {(e.a, e.b): e for e in resolution.edges}
        if keys is None:
            rows = self.run(
                "MATCH (a:Record)-[m:SAME_AS]->(b:Record) RETURN a.key AS a, b.key AS b, "
                "m.score AS score, m.method AS method, m.features AS features"
            ).data()
        else:
            rows = [
                r
                for batch in batched(sorted(keys), self.batch_size)
                for r in self.run(
                    "UNWIND $keys AS key MATCH (r:Record {key: key})-[m:SAME_AS]-() USING INDEX SEEK r:Record(key) WITH DISTINCT m "
                    "RETURN startNode(m).key AS a, endNode(m).key AS b, m.score AS score, "
                    "m.method AS method, m.features AS features",
                    keys=batch,
                ).data()
            ]
        existing = {(r["a"], r["b"]): r for r in rows}
        stale = {
            (a, b)
            for (a, b), r in existing.items()
            if (a, b) not in wanted
            or (r["score"], r["method"], r["features"])
            != (wanted[(a, b)].score, wanted[(a, b)].method, list(wanted[(a, b)].features))
        }
        fresh = [
            {"a": e.a, "b": e.b, "score": e.score, "method": e.method, "features": list(e.features)}
            for (a, b), e in wanted.items()
            if (a, b) not in existing or (a, b) in stale
        ]
        for batch in batched([{"a": a, "b": b} for a, b in sorted(stale)], self.batch_size):
            self.run(
                "UNWIND $rows AS row MATCH (a:Record {key: row.a})-[m:SAME_AS]->"
                "(:Record {key: row.b}) USING INDEX SEEK a:Record(key) DELETE m",
                rows=batch,
            )
        for batch in batched(fresh, self.batch_size):
            self.run(
                """
                UNWIND $rows AS row
                MATCH (a:Record {key: row.a}), (b:Record {key: row.b})
                CREATE (a)-[:SAME_AS {score: row.score, method: row.method, features: row.features}]->(b)
                """,
                rows=batch,
            )

    def materialise(self, touched: Iterable[str], refacted: Iterable[str] | None = None) -> None:
        """Re-derive the touched entities (ids in order, iterated once per pass): their
        links and calls, and the facts and labels of those `refacted` (default: all).
        Only what a dataset states or calls about an entity changed, its facts stand: of
        the FtM 100k file's first load, 3.2 of 70 s went to deriving again the facts of
        the entities its relationships name, made with their records (stop 39)."""
        for batch in batched(touched if refacted is None else refacted, self.batch_size):
            self.run(
                """
                UNWIND $ids AS id
                MATCH (e:Entity {id: id})
                OPTIONAL MATCH (e)<-[:DESCRIBES]-(r:Record) WHERE r.status <> 'stub'
                WITH e, r ORDER BY r.key = e.id DESC, r.key
                WITH e, collect(r) AS rs
                CALL (e, rs) {
                    WITH e, rs WHERE size(rs) = 0
                    DETACH DELETE e
                }
                WITH e, rs WHERE size(rs) > 0
                WITH e, rs, [r IN rs | r.schema] AS schemas
                SET e.name = rs[0].name,
                    e.names = reduce(a = [], r IN rs | a + [n IN r.names WHERE NOT n IN a]),
                    e.search_names = reduce(a = [], r IN rs | a + [n IN coalesce(r.search_names, []) WHERE NOT n IN a]),
                    e.birth_dates = reduce(a = [], r IN rs | a + [x IN coalesce(r.birth_dates, []) WHERE NOT x IN a]),
                    e.birth_places = reduce(a = [], r IN rs | a + [x IN coalesce(r.birth_places, []) WHERE NOT x IN a]),
                    e.nationalities = reduce(a = [], r IN rs | a + [x IN coalesce(r.nationalities, []) WHERE NOT x IN a]),
                    e.countries = reduce(a = [], r IN rs | a + [x IN coalesce(r.countries, []) WHERE NOT x IN a]),
                    e.positions = reduce(a = [], r IN rs | a + [x IN coalesce(r.positions, []) WHERE NOT x IN a]),
                    e.gender = head([r IN rs WHERE r.gender IS NOT NULL | r.gender]),
                    e.record_keys = [r IN rs | r.key],
                    e.datasets = reduce(a = [], r IN rs | a + CASE WHEN r.dataset IN a THEN [] ELSE [r.dataset] END),
                    e.country = head(reduce(a = [], r IN rs | a + coalesce(r.nationalities, []) + coalesce(r.countries, [])))
                REMOVE e:$($kinds)
                WITH e, head([k IN $kinds WHERE k IN schemas]) AS kind
                SET e:$(kind), e.kind = kind
                """,
                ids=batch,
                kinds=self.model.entity_kinds,
            )
            self.checkpoint()
        for batch in batched(touched, self.batch_size):
            self.run(
                """
                UNWIND $ids AS id
                MATCH (e:Entity {id: id})-[l]-(:Entity) USING INDEX SEEK e:Entity(id) WHERE type(l) IN $types
                DELETE l
                """,
                ids=batch,
                types=self.model.links,
            )
            self.run(
                """
                UNWIND $ids AS id
                MATCH (e:Entity {id: id})<-[:DESCRIBES]-(:Record)-[s:STATES]-(:Record)
                USING INDEX SEEK e:Entity(id)
                WITH DISTINCT s
                MATCH (ra:Record)-[s]->(rb:Record)
                MATCH (ra)-[:DESCRIBES]->(a:Entity), (rb)-[:DESCRIBES]->(b:Entity)
                WHERE a <> b
                CREATE (a)-[l:$(s.type)]->(b)
                SET l = properties(s), l.from_record = ra.key, l.to_record = rb.key
                REMOVE l.type
                """,
                ids=batch,
            )
            self.run(
                """
                UNWIND $ids AS id
                MATCH (e:Entity {id: id})
                OPTIONAL MATCH (e)<-[n:NAMES]-(:Call) DELETE n
                WITH DISTINCT e
                OPTIONAL MATCH (e)-[sg:SIGNED]->(:Call) DELETE sg
                WITH DISTINCT e
                MATCH (e)<-[:DESCRIBES]-(r:Record)
                CALL (e, r) {
                    MATCH (c:Call)-[:CITES]->(r) MERGE (c)-[:NAMES]->(e)
                }
                CALL (e, r) {
                    MATCH (r)-[:SIGNS]->(c:Call) MERGE (e)-[:SIGNED]->(c)
                }
                """,
                ids=batch,
            )
            self.checkpoint()


def write_source(
    driver: Driver,
    database: str,
    model: Model,
    meta: SourceMeta,
    items: Callable[[], Iterable[Spooled]],
    counts: dict[str, int],
    batch_size: int,
    judgements: Judgements | None = None,
    fingerprint: str | None = None,
    large_source: int | None = None,
    earlier_versions: list[dict] | None = None,
    input_digest: str | None = None,
    code_digest: str | None = None,
) -> WriteReport:
    """Write one source in one transaction. `items` returns a fresh iterator each call:
    the writer reads the records three times, and the driver retries the whole
    transaction on transient errors. `fingerprint` and `input_digest` (graph/loading.py)
    are kept on the Source once it is written whole.

    A source of more than `large_source` records (settings: SANCT_LARGE_SOURCE) is
    written in chunks instead, a transaction each: readers may see it half-written
    while it loads, and a load that fails leaves the chunks it committed. Every write is
    idempotent and what a version no longer holds is delisted at the end, so loading
    the file again converges to the state one transaction would have left.

    `earlier_versions` (a history replay, graph/loading.py load_history) are written as
    :Source nodes of the list before this one: its history."""
    judgements = judgements or Judgements.load()

    def work(tx: ManagedTransaction) -> WriteReport:
        return SourceWriter(
            tx,
            model,
            meta,
            batch_size,
            judgements,
            fingerprint,
            earlier_versions=earlier_versions,
            input_digest=input_digest,
            code_digest=code_digest,
        ).write(items, counts)

    with driver.session(database=database) as session:
        started = time.monotonic()
        if large_source is None or counts.get("records", 0) <= large_source:
            report = session.execute_write(work)
        else:
            # Too large for one transaction: a chunk at a time (see CHUNK_BATCHES).
            writer = SourceWriter(
                session.begin_transaction(),
                model,
                meta,
                batch_size,
                judgements,
                fingerprint,
                session,
                earlier_versions,
                input_digest,
                code_digest,
            )
            try:
                report = writer.write(items, counts)
                writer.chunk().commit()
            finally:
                writer.chunk().close()
        report.seconds = time.monotonic() - started
        session.run("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()").consume()
        return report


def rebuild_resolution(
    driver: Driver, database: str, model: Model, batch_size: int, judgements: Judgements | None = None
) -> dict[str, int]:
    """Resolve every record from scratch (`resolve --rebuild`), as the first load after a
    change of matcher or judgements does: the stored postings, scores and evidence are
    made anew and the entities whose records moved are derived again. One transaction."""
    judgements = judgements or Judgements.load()

    def work(tx: ManagedTransaction) -> dict[str, int]:
        tx.run("MERGE (l:WriteLock {id: 'load'}) SET l.at = datetime()").consume()
        run = partial(run_forgetting_rows, tx)
        resolver = Resolver(lambda statement, **params: _rows(run(statement, **params)), judgements)
        outcome = resolver.rebuild()
        resolver.save_state()
        derive = Derivation(run, batch_size, model)
        derive.materialise(sorted(derive.apply(outcome)))
        return {
            "records": len(outcome.entity_of),
            "moved": len(outcome.moved),
            "compared": outcome.compared,
            "joins": len(outcome.resolution.edges),
        }

    ensure_schema(driver, database, model)
    with driver.session(database=database) as session:
        done = session.execute_write(work)
        session.run("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()").consume()
    return done


def resolution_current(driver: Driver, database: str, judgements: Judgements) -> bool:
    """Whether the graph was resolved with these judgements and this resolver (a load
    that would write nothing new must still resolve again when they changed)."""
    with driver.session(database=database, default_access_mode="READ") as session:

        def current(tx: ManagedTransaction) -> bool:
            resolver = Resolver(lambda statement, **params: _rows(tx.run(statement, params)), judgements)
            return resolver.current() and not resolver.rejudged()

        return session.execute_read(current)


@dataclass(frozen=True)
class LoadedVersion:
    """A version of a list that the graph's history holds already (its :Source)."""

    number: int
    of: int
    current: bool
    published_on: date | None
    fingerprint: str | None


def loaded_version(driver: Driver, database: str, dataset: str, source: str) -> LoadedVersion | None:
    """Where the version `source` of the list `dataset` (source_id: the same files, by
    sha256) stands in the list's history: its number, oldest first, and whether it is
    the current one. None if the graph has never loaded it."""
    records, _, _ = driver.execute_query(
        """
        MATCH (s:Source {dataset: $dataset})
        WITH s ORDER BY s.published_on, s.loaded_at
        WITH collect(s) AS versions
        UNWIND range(0, size(versions) - 1) AS i
        WITH versions[i] AS s, i + 1 AS number, size(versions) AS of
        WHERE s.id = $id
        RETURN number, of, s.current AS current, s.published_on AS published_on,
               s.fingerprint AS fingerprint
        """,
        dataset=dataset,
        id=source,
        database_=database,
        routing_="r",
    )
    if not records:
        return None
    r = records[0]
    published = r["published_on"].to_native() if r["published_on"] is not None else None
    return LoadedVersion(r["number"], r["of"], bool(r["current"]), published, r["fingerprint"])


def source_of_inputs(driver: Driver, database: str, inputs: str) -> dict | None:
    """The dataset, id and counts of the finished :Source loaded from these inputs
    (graph/loading.py input_digest), if the graph holds one."""
    labels, _, _ = driver.execute_query("CALL db.labels()", database_=database, routing_="r")
    if "Source" not in {r["label"] for r in labels}:
        return None  # an empty database, of which Neo4j would warn that it knows no :Source
    records, _, _ = driver.execute_query(
        "MATCH (s:Source {input_digest: $inputs}) RETURN s.dataset AS dataset, s.id AS id, s.counts AS counts",
        inputs=inputs,
        database_=database,
        routing_="r",
    )
    return records[0].data() if records else None


def keep_input_digest(driver: Driver, database: str, source: str, inputs: str) -> None:
    """The inputs found to make the records of the :Source `source` (a load that wrote
    nothing): the next load of them is skipped before it parses."""
    driver.execute_query(
        "MATCH (s:Source {id: $id}) SET s.input_digest = $inputs",
        id=source,
        inputs=inputs,
        database_=database,
    )


# -- rows ---------------------------------------------------------------------------------


@dataclass(slots=True)
class SpooledRecord:
    """A record as a load spools it: what the writer needs of a record it leaves as
    stored (SourceWriter._records), and the record itself pickled, read back only to be
    written. Its content digest is of those bytes, its line aside (where the list holds
    it changes whenever an entry above it does), and of WRITTEN_BY: the same digest as
    stored means nothing of the record needs writing, resolving or deriving again. (The
    US list's 19,500 records reloaded: their properties, designations and a digest of
    them were built for every record to find the 195 that changed, bench/README.md,
    stop 45.)"""

    key: str
    line: int | None
    content: str
    designation_ids: tuple[str, ...]
    #: It says what it is in other lists (Record.same_as).
    participates: bool
    #: The links it states, which the writer writes again each load (SourceWriter._states).
    links: tuple[Link, ...]
    #: One of its designations ends: in force or not by the version's date.
    ends: bool
    #: A replayed entry the newest version no longer holds (_gone).
    gone: bool
    body: bytes

    @classmethod
    def of(cls, rec: Record, model: Model) -> SpooledRecord:
        line, rec.line = rec.line, None
        try:
            body = _pickled(rec)
        finally:
            rec.line = line
        return cls(
            key=rec.key,
            line=line,
            content=hashlib.sha256(WRITTEN_BY + body).hexdigest()[:24],
            designation_ids=tuple(
                _designation_id(rec, s, model.program(s.jurisdiction, s.program, s.authority))
                for s in rec.sanctions
            ),
            participates=bool(rec.same_as),
            links=tuple(rec.links),
            ends=any(s.ended_on is not None for s in rec.sanctions),
            gone=_gone(rec) is not None,
            body=body,
        )

    def record(self) -> Record:
        rec = pickle.loads(self.body)
        rec.line = self.line
        return rec


#: What a load's spool holds (graph/loading.py spool_item), the writer's input.
Spooled = SpooledRecord | Link | Announcement | Call


def _designation_id(rec: Record, sanction: Sanction, program: Program) -> str:
    """The id of a record's designation: the list's own id of it, else one per program."""
    return f"{rec.dataset}:{sanction.sanction_id}" if sanction.sanction_id else f"{rec.key}/{program.id}"


def spool_item(item: Item, spool: IO[bytes], model: Model) -> None:
    """Put a load's item on its spool (graph/loading.py): a record as a SpooledRecord."""
    to_spool(SpooledRecord.of(item, model) if isinstance(item, Record) else item, spool)


def spooled_items(spool: IO[bytes]) -> Iterator[Item]:
    """The items spool_item put on `spool`, records read back."""
    for item in spooled(spool):
        yield item.record() if isinstance(item, SpooledRecord) else item


def _pickled(value: Any) -> bytes:
    buffer = io.BytesIO()
    to_spool(value, buffer)
    return buffer.getvalue()


def to_spool(item: Any, spool: IO[bytes]) -> None:
    """Pickle `item` onto `spool` (a load's items, graph/loading.py parse; the
    relationships a load sets aside) with no memo: its bytes then depend on its values
    only, not on which of them are one object. A load's fingerprint digests these bytes;
    with the memo, a country code a record holds twice pickled as one object or two as
    countrynames' table was built or read back from disk, and lists read as changed."""
    pickler = _SpoolPickler(spool, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(item)


class _SpoolPickler(pickle.Pickler):
    """Dataclasses (records, names, sanctions, links, spooled records) pickled as their
    values in field order, made again by their constructors. Pickle's default writes an
    object's fields as a dict and, with no memo, every field's name again for every
    object: the US bench list's spool 21 MB against 11, FtM 100k's 71 against 45, read
    back in a fifth less time (bench/README.md, stop 71)."""

    def reducer_override(self, obj):
        if is_dataclass(obj) and not isinstance(obj, type):
            return type(obj), _field_values(type(obj))(obj)
        return NotImplemented


@cache
def _field_values(cls: type) -> attrgetter:
    """The values of an instance of the dataclass `cls`, in the order its constructor takes them."""
    return attrgetter(*(f.name for f in fields(cls)))


def spooled(spool: IO[bytes]) -> Iterator[Any]:
    """What to_spool wrote to `spool`, one item after another, from the start."""
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)
        except EOFError:
            return


def run_forgetting_rows(tx: ManagedTransaction | Transaction, statement: str, **params) -> Result:
    """Run a statement whose lists of parameters are kept by nobody once it is sent.

    The driver keeps a statement's parameters with its result to the end of the
    transaction, and its results are in a reference cycle (a Result and its
    ConnectionErrorHandler), which only the cycle collector frees. So a load held every
    row it sent until it committed (the US list's 19,500 records: 650 MiB), and a
    chunked load collected each chunk's rows at its commit, 5 of the FtM 100k load's
    66 s (bench/README.md, stop 39). The rows are sent when `run` returns: the lists
    sent, copies of the caller's, are emptied then."""
    sent = {name: _Sent(value) if isinstance(value, list) else value for name, value in params.items()}
    result = tx.run(statement, sent)
    for value in sent.values():
        if isinstance(value, list):
            value.clear()
    return result


class _Sent(list):
    """A list parameter as sent. The driver writes every statement's parameters out for
    its debug log before the log is asked whether it is on (neo4j 6.4.1, Bolt5x5.run:
    `" ".join(map(repr, fields))`): the repr of each batch of rows sent, 0.9 of the 9.9 s
    of CPU of the US list's first load (bench/README.md, stop 41). Its repr is its count."""

    def __repr__(self) -> str:
        return f"[{len(self)} values]"


def _rows(result: Result) -> list[dict]:
    """A result's rows as dicts of the values the driver decoded: `Result.data()` also
    walks every value to convert graph types, a cost that counts for large reads."""
    keys = result.keys()
    return [dict(zip(keys, values)) for values in result.values()]


def _record_row(rec: Record) -> dict:
    """The record's properties. The writer adds what it derives from the names where it
    writes the record (search_names, and block_keys, None for upstream-resolved lists),
    so later loads need not recompute them: they are made of the names, the matcher
    version and graph/names.py, which the content digest holds (WRITTEN_BY)."""
    aliases = [n.value for n in rec.names if n.kind not in ("fka",) and n.quality != "weak"]
    former = [n.value for n in rec.names if n.kind == "fka"]
    names = rec.all_names()
    return {
        "key": rec.key,
        "gone": _gone(rec),
        # A replayed entry's names that left, each with its version's day (Seen.names_left).
        "names_left": {name: str(on) for name, on in rec.seen.names_left} if rec.seen else None,
        # A replayed entry's first version (of its latest presence), not the newest one.
        "first_seen": rec.seen.first_by if rec.seen else None,
        # Where the list holds it changes whenever an entry above it does: not content.
        "line": rec.line,
        "props": {
            "dataset": rec.dataset,
            "record_id": rec.record_id,
            "schema": rec.schema,
            "name": rec.name,
            "name_key": rec.name.casefold(),
            "names": names,
            "aliases": _unique(a for a in aliases if a != rec.name),
            "weak_aliases": _unique(rec.weak_aliases()),
            "former_names": _unique(former),
            "original_script_names": _unique(n.value for n in rec.names if not n.value.isascii()),
            "birth_dates": rec.birth_dates,
            "approximate_birth_dates": rec.approximate_birth_dates,
            "birth_places": rec.birth_places,
            "nationalities": rec.nationalities,
            "countries": rec.countries,
            "gender": rec.gender,
            "positions": rec.positions,
            "addresses": rec.addresses,
            "identifiers": rec.identifiers,
            "notes": rec.notes,
            "same_as": rec.same_as,
            "refs": rec.refs,
            "matcher": MATCHER_VERSION,
            "extra": json.dumps(rec.extra, ensure_ascii=False) if rec.extra else None,
        },
    }


def _without_empty_lists(props: dict) -> dict:
    """A record's properties as written: an empty list as no property (so written over a
    stored one, it removes it). Neo4j keeps each list, empty or not, in a block of 128
    bytes of its own, and an FtM record had 13 empty ones: FtM 100k loaded in 30.9 s
    instead of 39.0 (bench/README.md, stop 43). Its content digest is of `props`."""
    return {k: None if isinstance(v, list) and not v else v for k, v in props.items()}


def _state_row(subject: str | None, dataset: str, link: Link) -> dict:
    if subject is None:
        raise ValueError(f"a link of {dataset} on its own ({link.type} {link.target}) names no subject")
    if link.type not in LINK_TYPES:
        raise ValueError(f"{subject}: unknown relationship type {link.type}")
    reverse = link.reverse
    if link.by_name:
        to_key, to_name = None, link.target.casefold()
    elif link.external:
        to_key, to_name = link.target, None
    else:
        to_key, to_name = f"{dataset}:{link.target}", None
    if to_key is not None and reverse:
        # Both ends known: the row runs the way the statement does. Only a target still
        # to be found by name is turned round where it is found (SourceWriter._states).
        subject, to_key, reverse = to_key, subject, False
    return {
        "from": subject,
        "dataset": dataset,
        "to_key": to_key,
        "to_name": to_name,
        "reverse": reverse,
        "props": {
            "type": link.type,
            "dataset": dataset,
            "role": link.role,
            "since": link.since,
            "until": link.until,
            "source_url": link.source_url,
        },
    }


def _gone(rec: Record, sanction: Sanction | None = None) -> dict | None:
    """A replayed entry the newest version no longer holds, or a program it no longer
    holds (`sanction`): the versions around its end."""
    seen = sanction.seen if sanction and sanction.seen else rec.seen
    if not (seen and seen.gone_by):
        return None
    # Moved to another entry (history._moves), not "no longer listed": this designation
    # did, or every one of the entry's that ended with it.
    if sanction:
        moved = bool(seen.moved_to)
    else:
        ended = [s.seen for s in rec.sanctions if (s.seen or seen).gone_by == seen.gone_by]
        moved = bool(ended) and all(e and e.moved_to for e in ended)
    return {"last_seen": seen.last_seen, "gone_by": seen.gone_by, "moved": moved}


def _day(value) -> date | None:
    """A driver Date or DateTime as a date."""
    if value is None:
        return None
    native = value.to_native()
    return native.date() if isinstance(native, datetime) else native


def entity_of_record(key: str, record: dict, kinds: list[str]) -> dict:
    """The facts of the entity of one record (its properties `record`), as
    Derivation.materialise derives them: each list without repeats, the first country."""
    return {
        "id": key,
        "name": record.get("name"),
        # Not coalesced in materialise: a record without names gives an entity without.
        "names": None if record.get("names") is None else _unique(record["names"]),
        "search_names": None if record.get("search_names") is None else _unique(record["search_names"]),
        **{
            f: _unique(record.get(f) or [])
            for f in ("birth_dates", "birth_places", "nationalities", "countries", "positions")
        },
        "gender": record.get("gender"),
        "record_keys": [key],
        "datasets": [record["dataset"]],
        "country": next(iter([*(record.get("nationalities") or []), *(record.get("countries") or [])]), None),
        "kind": record.get("schema") if record.get("schema") in kinds else None,
    }


def features_digest(features: Features) -> str:
    """What resolution compares of a record (its blocking keys are made of it)."""
    return _digest(repr(replace(features, blocking=())))


def _digest(value) -> str:
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()[:24]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
