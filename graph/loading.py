"""One load: file → loader → records (spooled to disk) → store, all or nothing.

Parsing finishes before Neo4j is touched, so a file that fails to parse changes nothing;
the records wait in a temporary spool, so memory does not grow with the file.
"""

from __future__ import annotations

import gc
import hashlib
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import IO

from neo4j.exceptions import TransientError

import loaders
from graph import bundled, history, settings
from graph.exc import InvalidInput
from graph.model import model
from graph.resolve import Judgements
from graph.store import (
    WRITING_INPUTS,
    DuplicateRecords,
    LoadedVersion,
    WriteReport,
    ensure_schema,
    keep_input_digest,
    loaded_version,
    resolution_current,
    source_id,
    source_of_inputs,
    spool_item,
    spooled,
    spooled_items,
    write_source,
)
from loaders.base import CHUNK, Loader, LoadError, SourceFile, SourceMeta
from loaders.records import Announcement, Call, Item, Link, Name, Record
from neo4j import Driver

Progress = Callable[[str, int], None]

DATA = bundled.DATA

#: What `load --demo` and `make run` load, in order: the lists, then the curated case,
#: whose records refer to theirs.
DEMO: list[tuple[str, list[Path]]] = [
    # The US list: the 2021 CSV set (the only one with add.csv and alt.csv: aliases and
    # addresses), then 308 dated versions of sdn.csv to 2024-05-03, which date every entry
    # added after 2021-08-18 and keep those aliases, then OFAC's 2023 change archive
    # (announced dates), joined to the newest version.
    ("ofac-sdn-csv", [DATA / "ofac" / "sdn.csv"]),
    ("history:ofac-sdn-csv", [DATA / "ofac" / "history" / "sdn-history.bundle"]),
    ("ofac-changes", [DATA / "ofac" / "sdnnew23.txt", DATA / "ofac" / "history" / "sdn_2024-05-03.csv"]),
    ("ofac-sdn-xml", [DATA / "ofac" / "cons_sdnxml_2025-06-30.xml"]),
    ("uk-ofsi", [DATA / "uk" / "ofsi_conlist_2025-04-10.xlsx"]),
    ("uk-fcdo-xml", [DATA / "uk" / "uk_sanctions_list_sample_2026-09-10.xml"]),
    # Two versions of Canada's list, oldest first: the newer marks what left as delisted.
    ("ca-sema-xml", [DATA / "canada" / "sema-lmes_2020-04-15.xml"]),
    ("ca-sema-xml", [DATA / "canada" / "sema-lmes_2025-09-22.xml"]),
    ("eu-oj-csv", [DATA / "eu" / "eu_oj_32020R1998.csv"]),
    ("eu-fsf-xml", [DATA / "eu" / "fsf_sample_2026-08-05.xml"]),
    # Two versions of the UN list: what left it between the two is delisted within them.
    ("un-xml", [DATA / "un" / "UN_consolidated_2024-11-30.xml"]),
    ("un-xml", [DATA / "un" / "UN_consolidated_2026-02-27.xml"]),
    ("au-dfat", [DATA / "au" / "regulation8_consolidated.xlsx"]),
    ("ftm", [DATA / "opensanctions" / "zala_entities.ftm.json"]),
    ("ftm", [DATA / "opensanctions" / "t1_entities.ftm.json"]),
    ("curated", [DATA / "curated"]),
]


@dataclass
class LoadReport:
    kind: str
    dataset: str
    source_id: str
    files: list[str]
    published_on: date | None
    counts: dict[str, int]
    written: WriteReport
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    detected: bool = False

    def summary(self) -> str:
        w = self.written
        if w.unchanged and w.version and not w.version.current:
            return (
                f"{self.dataset}: already loaded as version {w.version.number} of "
                f"{w.version.of} (dated {w.version.published_on or 'not stated'}), "
                f"nothing written"
            )
        if w.unchanged:
            return (
                f"{self.dataset}: unchanged since it was last loaded ({w.source_id}), "
                f"nothing written; --force writes it again"
            )
        lines = [
            f"{self.dataset}: {self.counts.get('records', 0)} records, "
            f"{self.counts.get('sanctions', 0)} designations, {self.counts.get('names', 0)} aliases, "
            f"{self.counts.get('addresses', 0)} addresses, {w.links} links"
            + (f", {self.counts['announcements']} announcements" if self.counts.get("announcements") else "")
            + f" from {', '.join(self.files)} in {self.seconds:.1f} s"
            + (f" (format detected: {self.kind})" if self.detected else ""),
            (
                f"  list date {self.published_on or 'not stated'}; {w.delisted} delisted, "
                f"{w.moved} moved to a new record id, "
                f"{w.merges} records joined to others ({w.compared} candidate pairs compared)"
            ),
        ]
        if w.rederived:
            lines.append(
                f"  {w.rederived} designations that earlier code derived from records still listed, "
                "and this code does not (a program renamed, a measure that is no sanction), deleted"
            )
        if self.counts.get("versions"):
            lines.append(
                f"  replayed {self.counts['versions']} versions: {self.counts.get('removed', 0)} "
                "entries left the list, each delisted between the last version holding it "
                "and the first without"
            )
        if w.unresolved_links:
            lines.append(
                f"  {len(w.unresolved_links)} links name no record in the list, e.g. "
                + "; ".join(w.unresolved_links[:3])
            )
        if self.warnings:
            lines.append(f"  {len(self.warnings)} warnings, e.g. " + "; ".join(self.warnings[:3]))
        return "\n".join(lines)


def open_loader(kind: str, paths: Sequence[Path]) -> Loader:
    """The loader for KIND, or the one whose format the first path has ("auto")."""
    if not paths:
        raise LoadError(kind, "no files given")
    if kind == "auto":
        return loaders.detect(paths[0])()
    return loaders.get(kind)()


@dataclass
class Parsed:
    """A source read completely into a spool, before anything is written."""

    loader: Loader
    counts: dict[str, int]


def parse(kind: str, paths: Sequence[Path], spool: IO[bytes], progress: Progress | None = None) -> Parsed:
    """Read the files of one source into `spool` (a binary file), all of them: a file
    that fails raises LoadError here, before any database is touched."""
    loader = open_loader(kind, paths)
    counts = _spool(loader, paths, spool, progress)
    if not loader.meta.dataset:
        raise LoadError(paths[0], "the loader did not name the list it read")
    return Parsed(loader, counts)


@contextmanager
def collecting_rarely() -> Iterator[None]:
    """Python's cycle collector, rarely. A load makes millions of small objects that live
    until it ends (records, features, rows, the matcher's caches), and the default
    thresholds had the collector scan them again and again: a fifth of a load's time
    (26 of 148 s for the OFAC list, its history and the UK's, measured; 3.5 s like this).
    A large read does too: the gap matrix of a family spent half its pivot there (12k
    targets: 158 against 78 ms)."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 50)
    try:
        yield
    finally:
        gc.set_threshold(*before)


#: `load("history:KIND", source)` replays the dated versions of a list of KIND (graph/history.py).
HISTORY = "history:"


@collecting_rarely()
def load(
    driver: Driver,
    database: str,
    kind: str,
    paths: Sequence[Path | str],
    batch_size: int = 2000,
    progress: Progress | None = None,
    url: str | None = None,
    downloaded_at: datetime | None = None,
    force: bool = False,
    large_source: int | None = None,
) -> LoadReport:
    """Load one source. KIND "history:ofac-sdn-csv" with one path (a git repository or
    bundle, or a folder of dated versions) replays the list's versions: see load_history.
    `url` and `downloaded_at` say where and when the files were downloaded (graph/update.py); without them the Source keeps the loader's own URL.

    A source already loaded from the same records, judgements and code is skipped
    (nothing would change); `force` writes it anyway. A source of more records than
    `large_source` (default: settings, SANCT_LARGE_SOURCE) is written in chunks
    (graph/store.py write_source)."""
    started = time.monotonic()
    files = [Path(p) for p in paths]
    loaders.base.country_names_cache = settings.load().local_dir / "cache"
    judgements = _judgements()
    detected = kind == "auto"
    if detected:  # known once: the digest and the report name the format found
        kind = open_loader(kind, files).name
    inputs = input_digest(kind, files, judgements)
    if (
        inputs
        and not force
        and (report := _loaded_already(driver, database, kind, files, inputs, judgements))
    ):
        report.detected, report.seconds = detected, time.monotonic() - started
        return report
    if kind.startswith(HISTORY):
        return load_history(
            driver,
            database,
            kind[len(HISTORY) :],
            files,
            inputs,
            judgements,
            batch_size,
            progress,
            force,
            large_source,
        )
    with tempfile.TemporaryFile(prefix="sanctions-spool-") as spool:
        parsed = parse(kind, files, spool, progress)
        loader, counts = parsed.loader, parsed.counts
        if url:
            loader.meta.url, loader.meta.downloaded_at = url, downloaded_at
        return _write(
            driver,
            database,
            loader,
            files,
            spool,
            counts,
            judgements,
            batch_size,
            progress,
            force,
            large_source,
            started,
            inputs,
            detected,
        )


def _write(
    driver: Driver,
    database: str,
    loader: Loader,
    paths: Sequence[Path],
    spool: IO[bytes],
    counts: dict[str, int],
    judgements: Judgements,
    batch_size: int,
    progress: Progress | None,
    force: bool,
    large_source: int | None,
    started: float,
    inputs: str | None,
    detected: bool = False,
    earlier_versions: list[dict] | None = None,
) -> LoadReport:
    """Write a parsed source unless the graph holds this version already."""
    ensure_schema(driver, database, model())
    fingerprint = _fingerprint(spool, judgements)
    version = loaded_version(driver, database, loader.meta.dataset, source_id(loader.meta))
    if version and not version.current and force:
        # Written again, an older version would become the current one: the list set back.
        raise LoadError(
            paths[0],
            f"this is version {version.number} of {version.of} of "
            f"{loader.meta.dataset}, older than the current one; --force "
            "writes only the current version again",
        )
    same_records = version is not None and version.fingerprint == fingerprint
    if not force and _written_already(driver, database, version, same_records, judgements):
        written = WriteReport(source_id(loader.meta), unchanged=True, version=version)
        # The same records from these inputs (other code, a library updated, a copy of
        # the file): the next load of them is skipped before it parses.
        if inputs:
            keep_input_digest(driver, database, written.source_id, inputs)
    else:
        if progress:
            progress("writing", counts["records"])
        try:
            written = write_source(
                driver,
                database,
                model(),
                loader.meta,
                lambda: spooled(spool),
                counts,
                batch_size,
                judgements,
                fingerprint,
                large_source or settings.load().large_source,
                earlier_versions,
                inputs,
                _code_digest(),
            )
        except DuplicateRecords:
            raise _duplicates(paths, spooled_items(spool)) from None
        except TransientError as e:
            if e.code != "Neo.TransientError.General.MemoryPoolOutOfMemoryError":
                raise
            raise LoadError(
                paths[0],
                f"{counts['records']:,} records do not fit one transaction "
                "in the server's memory: give it more (SANCT_NEO4J_HEAP) or "
                "write such sources in chunks (SANCT_LARGE_SOURCE)",
            ) from None
    return LoadReport(
        kind=loader.name,
        dataset=loader.meta.dataset,
        source_id=written.source_id,
        files=[f.path for f in loader.meta.files],
        published_on=loader.meta.published_on,
        counts=counts,
        written=written,
        warnings=[str(w) for w in loader.warnings],
        seconds=time.monotonic() - started,
        detected=detected,
    )


class _Replayed(Loader):
    """The loader of a history replay: its records come from graph/history.py."""

    name = ""

    def __init__(self, meta: SourceMeta, warnings: list[str]):
        super().__init__()
        self.meta = meta
        for warning in warnings:
            self.warn(meta.files[0].path, None, warning)


def load_history(
    driver: Driver,
    database: str,
    kind: str,
    paths: Sequence[Path],
    inputs: str | None,
    judgements: Judgements,
    batch_size: int = 2000,
    progress: Progress | None = None,
    force: bool = False,
    large_source: int | None = None,
) -> LoadReport:
    """Replay the dated versions of one list (graph/history.py) and write what they
    show in one load: the newest version's entries, each dated by the versions (first
    seen after one version, by the next; or on or before the oldest), the entries that
    left (delisted between the last version holding them and the first without), and
    one :Source per version, the newest current.

    Side files the versions lack (OFAC's git-scrape keeps sdn.csv only) are unknown, not
    empty: each entry keeps the aliases and addresses the graph already holds for it."""
    started = time.monotonic()
    if len(paths) != 1:
        raise LoadError(paths[0] if paths else kind, "a history is one git repository, bundle or folder")
    if progress:
        progress("replaying versions", 0)
    replayed = history.replay(kind, history.versions(paths[0]))
    newest = replayed.newest
    sample = replayed.records[0] if replayed.records else None
    if sample is None:
        raise LoadError(paths[0], "the newest version holds no entry")
    # The list's own title and URL, as its loader gives them for the newest version.
    primary = newest.read()
    first = loaders.get(kind)()
    with tempfile.TemporaryDirectory(prefix="sanctions-version-") as folder:
        (Path(folder) / newest.primary).write_bytes(primary)
        next(iter(first.read([Path(folder) / newest.primary])), None)
    meta = SourceMeta(
        dataset=sample.dataset,
        published_on=newest.on,
        published_from="version date",
        title=f"{first.meta.title}, {len(replayed.read)} versions {replayed.read[0].on} to {newest.on}",
        url=first.meta.url,
        downloaded_at=newest.at,
        files=[
            SourceFile(
                f"{paths[0]} ({newest.label}: {newest.primary})",
                len(primary),
                hashlib.sha256(primary).hexdigest(),
            )
        ],
        # Entries the graph held keep their aliases (_keep_side_file_facts); new ones lack them.
        lacks=list(replayed.lacks),
    )
    items: list[Record] = [*replayed.records, *replayed.removed]
    stored = _stored_facts(driver, database, items)
    if replayed.unknown:
        _keep_side_file_facts(items, stored)
    _date_names_left(replayed, items, stored)
    # Each earlier version becomes a :Source of the list's history, known by its commit
    # or, in a folder, by its day (one version a day there; its content would not do: a
    # list downloaded unchanged on two days is two versions), with what it changed.
    earlier = [
        {
            "id": f"{meta.dataset}@{c.version.commit[:16] if c.version.commit else c.version.on}",
            "published_on": c.version.on,
            "downloaded_at": c.version.at,
            "where": str(c.version),
            "records": c.entries,
            "added": len(c.added),
            "removed": len(c.removed),
            "changed": len(c.changed),
        }
        for c in replayed.changes
        if c.version is not newest
    ]
    with tempfile.TemporaryFile(prefix="sanctions-spool-") as spool:
        counts: Counter[str] = Counter(records=0)
        for item in items:
            _tally(counts, item)
            spool_item(item, spool, model())
        counts["versions"] = len(replayed.read)
        counts["removed"] = len(replayed.removed)
        return _write(
            driver,
            database,
            _Replayed(meta, replayed.warnings),
            paths,
            spool,
            dict(counts),
            judgements,
            batch_size,
            progress,
            force,
            large_source,
            started,
            inputs,
            earlier_versions=earlier,
        )


def _stored_facts(driver: Driver, database: str, items: list[Record]) -> dict[str, dict]:
    """What the graph holds of each replayed entry (key → its names, aliases, addresses
    and countries), read once for _keep_side_file_facts and _date_names_left."""
    rows, _, _ = driver.execute_query(
        """
        UNWIND $keys AS key
        MATCH (r:Record {key: key})
        RETURN r.key AS key, r.names AS names, r.dropped_names AS dropped, r.aliases AS aliases,
               r.weak_aliases AS weak,
               r.former_names AS former, r.addresses AS addresses, r.countries AS countries
        """,
        keys=[i.key for i in items],
        database_=database,
        routing_="r",
    )
    return {r["key"]: r.data() for r in rows}


def _keep_side_file_facts(items: list[Record], stored: dict[str, dict]) -> None:
    """Records of versions without their side files: the aliases, addresses and the
    countries of those addresses that the graph holds for each entry stay (a missing
    file is unknown, not a removal)."""
    for item in items:
        if item.key not in stored:
            continue
        old = stored[item.key]
        known = {n.value for n in item.names} | {item.name}
        item.names += [Name(v, "aka") for v in old["aliases"] or [] if v not in known]
        item.names += [Name(v, "aka", quality="weak") for v in old["weak"] or [] if v not in known]
        item.names += [Name(v, "fka") for v in old["former"] or [] if v not in known]
        item.addresses += [a for a in old["addresses"] or [] if a not in item.addresses]
        item.countries += [c for c in old["countries"] or [] if c not in item.countries]


def _date_names_left(replayed: history.Replay, items: list[Record], stored: dict[str, dict]) -> None:
    """The names the graph holds or held for a replayed entry that its newest version
    no longer lists, each dated by the version it left in (Seen.names_left), not by the
    newest version, which is all the writer would know: the history's changes say when
    a target was renamed (queries/changes.cypher), in 2022 rather than on the replay's
    last day."""
    for item in items:
        if item.key not in stored or item.seen is None:
            continue
        now = set(item.all_names())
        held = dict.fromkeys([*(stored[item.key]["names"] or []), *(stored[item.key]["dropped"] or [])])
        left = tuple(
            (name, on)
            for name in held
            if name not in now and (on := replayed.left_on(item.record_id, name)) is not None
        )
        if left:
            item.seen = replace(item.seen, names_left=left)


#: The longest name in the bundled lists has 324 characters. One of thousands means a
#: damaged file, and Neo4j could not index it: the load would fail at the last moment.
MAX_NAME = 1000


def _spool(loader: Loader, paths: Sequence[Path], spool, progress: Progress | None) -> dict[str, int]:
    counts: Counter[str] = Counter(records=0)
    newest: date | None = None  # listing: a running maximum, not a list (FtM's millions)
    for item in loader.read(paths):
        if isinstance(item, Record):
            for s in item.sanctions:
                if s.listed_on and (newest is None or s.listed_on > newest):
                    newest = s.listed_on
            longest = max([item.name, *(n.value for n in item.names)], key=len)
            if len(longest) > MAX_NAME:
                raise LoadError(
                    paths[0],
                    f"a name of {len(longest):,} characters (at most {MAX_NAME:,} "
                    f"are allowed): {longest[:40]}…",
                    line=item.line,
                    record=item.record_id,
                )
        _tally(counts, item)
        if progress and isinstance(item, Record) and counts["records"] % 5000 == 0:
            progress("reading", counts["records"])
        spool_item(item, spool, model())
    if not counts["records"] and not counts["announcements"]:
        raise LoadError(paths[0], "no records found: the file holds a header at most")
    if loader.meta.published_on is None and loader.meta.newest_entry_on is None:
        # An undated list holds its newest listing: it is of that day or later.
        loader.meta.newest_entry_on = newest
    return dict(counts)


def _tally(counts: Counter[str], item: Item) -> None:
    """Count what a source holds (its :Source keeps the counts)."""
    if isinstance(item, Record):
        counts["records"] += 1
        counts["sanctions"] += len(item.sanctions)
        counts["names"] += sum(1 for n in item.names if n.value != item.name)
        counts["addresses"] += len(item.addresses)
        counts["links"] += len(item.links)
        counts[f"schema:{item.schema}"] += 1
    elif isinstance(item, Link):
        counts["links"] += 1
    elif isinstance(item, Announcement):
        counts["announcements"] += 1
    elif isinstance(item, Call):
        counts["calls"] += 1


def _duplicates(paths: Sequence[Path], items: Iterator[Item]) -> LoadError:
    seen: dict[str, int | None] = {}
    for item in items:
        if isinstance(item, Record):
            if item.record_id in seen:
                first = seen[item.record_id]
                return LoadError(
                    paths[0],
                    f"record id {item.record_id} appears twice"
                    + (f" (first at line {first})" if first else ""),
                    line=item.line,
                    record=item.record_id,
                )
            seen[item.record_id] = item.line
    return LoadError(paths[0], "the list repeats a record id")


def _fingerprint(spool: IO[bytes], judgements: Judgements) -> str:
    """A digest of the parsed records and of everything that decides how they are written."""
    digest = hashlib.sha256()
    spool.seek(0)
    for chunk in iter(lambda: spool.read(CHUNK), b""):
        digest.update(chunk)
    for path in WRITING_INPUTS:
        digest.update(path.read_bytes())
    digest.update(repr(judgements).encode())
    return digest.hexdigest()


def input_digest(kind: str, paths: Sequence[Path], judgements: Judgements) -> str | None:
    """A digest of everything a load of KIND from `paths` reads: the files (every file
    of a folder), the code and tables that parse and write them, the libraries installed
    and the judgements. The same digest means the same records, written the same way: a
    load whose digest is stored on a finished :Source is skipped before its files are
    parsed (_loaded_already), which the fingerprint could only tell after. None when a
    file cannot be read: the parse says which and why."""
    digest = hashlib.sha256(f"{kind}\0{_code_digest()}\0{judgements!r}".encode())
    try:
        for path in paths:
            files = sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]
            for file in files:
                digest.update(f"\0{file.relative_to(path) if path.is_dir() else ''}\0".encode())
                with open(file, "rb") as f:
                    digest.update(hashlib.file_digest(f, "sha256").digest())
    except OSError:
        return None
    return digest.hexdigest()


@cache
def _code_digest() -> str:
    """The code that reads and writes lists (graph/, loaders/), the bundled tables it
    reads (data/datasets.yaml, data/programs/) and the version of every library
    installed (countrynames' table, the names libraries, the spreadsheet reader): a
    change in any of them may change what a load writes."""
    digest = hashlib.sha256()
    for folder in (bundled.PACKAGE, Path(loaders.__file__).parent):
        for file in sorted(folder.rglob("*")):
            if file.suffix in (".py", ".yaml"):
                digest.update(f"{file.relative_to(folder)}\0".encode() + file.read_bytes())
    for file in (DATA / "datasets.yaml", *sorted(bundled.PROGRAMS.glob("*.yaml"))):
        digest.update(file.read_bytes())
    digest.update("\n".join(_installed()).encode())
    return digest.hexdigest()


def _installed() -> list[str]:
    """Every installed library by the name of its metadata folder ("neo4j-6.4.1.dist-info"):
    its name and version, without parsing its metadata (0.05 s of every load, for 115)."""
    names: list[str] = []
    for folder in map(Path, sys.path):
        try:
            names += [entry.name for entry in folder.iterdir() if entry.suffix in (".dist-info", ".egg-info")]
        except OSError:  # a zip, or a folder not there or not readable: importlib.metadata skips it too
            continue
    return sorted(names)


def _loaded_already(
    driver: Driver, database: str, kind: str, paths: Sequence[Path], inputs: str, judgements: Judgements
) -> LoadReport | None:
    """The report of a load that would write nothing, known before parsing: the graph
    holds a finished load of the same input digest, as an older version of its list or
    as the current one with the graph resolved by these judgements. None otherwise: the
    load parses, and _write decides by the fingerprint."""
    source = source_of_inputs(driver, database, inputs)
    if source is None:
        return None
    version = loaded_version(driver, database, source["dataset"], source["id"])
    if version is None or not _written_already(driver, database, version, True, judgements):
        return None
    return LoadReport(
        kind=kind,
        dataset=source["dataset"],
        source_id=source["id"],
        files=[str(p) for p in paths],
        published_on=version.published_on,
        counts={k: int(v) for k, _, v in (c.partition("=") for c in source["counts"] or [])},
        written=WriteReport(source["id"], unchanged=True, version=version),
    )


def _written_already(
    driver: Driver, database: str, version: LoadedVersion | None, same_records: bool, judgements: Judgements
) -> bool:
    """Whether the graph holds this version of the list so that a load would change
    nothing: as an older version (its dates are in the history; writing it again would
    set the list back), or as the current one from the same records, with the graph
    resolved by the same judgements. `load --demo` run twice writes nothing."""
    return version is not None and (
        not version.current or (same_records and resolution_current(driver, database, judgements))
    )


def _judgements() -> Judgements:
    try:
        return Judgements.load()
    except InvalidInput as e:
        raise LoadError("data/resolution.yaml", str(e)) from None
