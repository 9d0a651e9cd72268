"""OpenSanctions / FollowTheMoney entities as JSON lines (entities.ftm.json).

One entity per line: {id, caption, schema, properties: {prop: [str]}, referents, datasets,
first_seen, last_seen, …}. Person, Organization, Company, LegalEntity, PublicBody (and
Vessel, Airplane) become Records keyed by the entity id. A designation is an entity of
its own, `Sanction`, whose `entity` names the target; Ownership, Directorship,
Membership, Family, Associate and UnknownLink are relationships between two entities.

Lines come in no order: a Sanction may precede its target, a relationship may name
entities further down. The file can hold a million entities, so nothing is kept in
memory: a first pass writes a disk index (sqlite, in a temporary folder) of the
Sanction lines by target id, the relationship lines and the ids of the entities loaded
as records; the second pass streams the file again and looks each record's sanctions up.
The first pass also checks every line, so a bad file fails before anything is yielded.

OpenSanctions has already resolved these entities (the ids are its canonical NK-… ids):
the store joins an ftm- dataset to the other lists only through same_as, filled from
`referents` that name entries of lists we load (ofac-29220 → ofac:29220, see REFERENTS).
All referents stay in extra.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Self

from loaders.base import (
    Loader,
    LoadError,
    country_code,
    full_date,
    one_file,
    open_text,
    partial_date,
)
from loaders.records import Item, Link, Name, Record, Sanction

THINGS = {
    "Person": "Person",
    "Organization": "Organization",
    "Company": "Organization",
    "LegalEntity": "Organization",
    "PublicBody": "Organization",
    "Vessel": "Vessel",
    "Airplane": "Aircraft",
}
#: Relationship schema → (link type, property of the source, property of the target, role props).
RELATIONSHIPS = {
    "Ownership": ("OWNS", "owner", "asset", ("role", "percentage")),
    "Directorship": ("LEADS", "director", "organization", ("role",)),
    "Membership": ("MEMBER_OF", "member", "organization", ("role",)),
    "Family": ("FAMILY_OF", "person", "relative", ("relationship",)),
    "Associate": ("ASSOCIATE_OF", "person", "associate", ("relationship",)),
    "UnknownLink": ("LINKED_TO", "subject", "object", ("role",)),
}
#: OpenSanctions ids of other lists' entries → the refs (or record keys) our loaders of
#: those lists publish. Others (ca-sema-<hash or slug>, eu-oj-<hash>, gb-hmt-named-…) name
#: nothing we can look up.
REFERENTS = (
    (re.compile(r"ofac-(\d+)"), "ofac:{0}"),  # OFAC ent_num / uid
    (re.compile(r"gb-hmt-(\d+)"), "ofsi-group:{0}"),  # OFSI Group ID
    (re.compile(r"gb-fcdo-([a-z]{3}\d{4})"), "gb-ref:{0}"),  # UK Sanctions List ref
    (re.compile(r"eu-fsf-eu-(\d+)-(\d+)"), "eu-ref:EU.{0}.{1}"),  # EU reference number
    (re.compile(r"unsc-(\d+)"), "un-sc:{0}"),  # UN DATAID: a record key
)
#: FtM authority names → authority keys of graph/model.yaml.
#: OpenSanctions datasets whose Sanction entities are no sanction a state imposed: a
#: director's disqualification (the Insolvency Service) and an exclusion from US federal
#: contracts (SAM: "Reciprocal", because a list names the target). As designations they
#: read "designated by the United Kingdom" for a disqualified director. Each is kept in
#: the record's extra ("other_measures"), not as a designation.
NOT_SANCTIONS = {
    "gb_coh_disqualified": "a director's disqualification",
    "us_sam_exclusions": "an exclusion from US federal contracts",
}

AUTHORITIES = {
    "office of foreign assets control": "US-OFAC",
    "ofac": "US-OFAC",
    "entity list (el) - bureau of industry and security": "US-BIS",
    "foreign, commonwealth & development office": "GB-FCDO",
    "office of financial sanctions implementation": "GB-OFSI",
    "the insolvency service": "GB-INSOLVENCY",
    "global affairs canada": "CA-GAC",
    "council of the european union": "EU-COUNCIL",
    "directorate‑general for financial stability, financial services and capital markets union": "EU-FISMA",
    "united nations security council": "UN-SC",
    "department of foreign affairs and trade": "AU-DFAT",
    "federal public service finance": "BE-FPS-FINANCE",
    "state secretariat for economic affairs": "CH-SECO",
    "direction générale du trésor": "FR-DGT",
    "ministry of economy, trade and industry": "JP-METI",
    "ministry of finance": "JP-MOF",
    "la principauté de monaco": "MC-GOV",
    "ministry of foreign affairs and trade": "NZ-MFAT",
    "national security and defense council": "UA-NSDC",
    "гур мо україни": "UA-GUR",
    "служба безпеки україни": "UA-SBU",
}
NAME_PROPS = {
    "alias": ("aka", "strong"),
    "abbreviation": ("aka", "strong"),
    "weakAlias": ("aka", "weak"),
    "previousName": ("fka", "strong"),
}
ID_PROPS = (
    "idNumber",
    "passportNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "kppCode",
    "okpoCode",
    "registrationNumber",
    "leiCode",
    "swiftBic",
    "bikCode",
    "vatCode",
    "dunsCode",
    "permId",
    "uniqueEntityId",
    "imoNumber",
    "mmsi",
    "icaoCode",
    "wikidataId",
)
#: Properties that fill Record fields; every other property is kept in extra.
RECORD_PROPS = {
    "name",
    *NAME_PROPS,
    *ID_PROPS,
    "birthDate",
    "birthPlace",
    "nationality",
    "citizenship",
    "country",
    "jurisdiction",
    "mainCountry",
    "gender",
    "position",
    "address",
    "notes",
    "summary",
    "description",
}


class FtmLoader(Loader):
    name = "ftm"
    description = "OpenSanctions / FollowTheMoney entities, JSON lines (entities.ftm.json)"
    #: One dataset per file, named by it.
    datasets = ("ftm-*",)

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file():
            return False
        with open(path, "rb") as f:
            head = f.read(4096).removeprefix(b"\xef\xbb\xbf").lstrip()
        return head.startswith(b"{") and b'"schema":' in head and b'"properties":' in head

    def read(self, paths: Sequence[Path]) -> Iterator[Item]:
        path = one_file(paths, "one FtM JSON lines file")
        self.describe(f"ftm-{path.name.split('.')[0]}", file=path.name)
        self.add_file(path)
        with _Index() as index:
            self._index(path, index)
            # The second pass reads again only the lines of the records, checked by the first.
            for line, entity in _entities(path, only=index.is_thing_line):
                yield self._record(path, line, entity, index.sanctions_of(entity["id"]))
            yield from self._links(path, index)
            for line, target in index.orphan_sanctions():
                self.warn(path, line, f"the Sanction names {target}, not a person or body in this file")

    def _index(self, path: Path, index: _Index) -> None:
        skipped: Counter[str] = Counter()
        no_sanction = 0
        latest = ""
        for line, entity in _entities(path):
            schema = entity["schema"]
            latest = max(latest, str(entity.get("last_seen") or ""))
            if schema in THINGS:
                index.add_thing(path, line, entity["id"])
            elif schema == "Sanction":
                no_sanction += bool(_not_a_sanction(entity))
                for target in entity["properties"].get("entity", []):
                    index.add_sanction(target, line, json.dumps(entity))
            elif schema in RELATIONSHIPS:
                index.add_link(line, json.dumps(entity))
            else:
                skipped[schema] += 1
        index.done()
        if no_sanction:
            self.warn(
                path,
                None,
                f"{no_sanction} Sanction entities are no sanction a state imposed "
                f"({', '.join(NOT_SANCTIONS)}): kept in their records' extra (other_measures), "
                "not as designations",
            )
        if skipped:
            self.warn(
                path,
                None,
                "not loaded (no field for them): "
                + ", ".join(f"{n} {schema}" for schema, n in skipped.most_common()),
            )
        # The export is as current as its latest last_seen; the file states no other date.
        self.meta.published_on = full_date(latest[:10])
        self.meta.published_from = "file" if self.meta.published_on else None

    def _props(self, path: Path, line: int, entity: dict) -> dict[str, list[str]]:
        """The entity's properties without control characters (their removal is a warning)."""
        return {
            prop: [v for v in self.cleaned(path, line, values) if v]
            for prop, values in entity["properties"].items()
        }

    def _record(self, path: Path, line: int, entity: dict, sanctions: list[tuple[int, dict]]) -> Record:
        props = self._props(path, line, entity)
        # The caption is the name OpenSanctions displays; `name` holds it among others.
        caption = self.cleaned(path, line, [entity.get("caption")])[0] or next(
            iter(props.get("name", [])), None
        )
        if not caption:
            raise LoadError(path, "the entity has no name", line=line, record=entity["id"])
        rec = Record(
            dataset=self.meta.dataset,
            record_id=entity["id"],
            schema=THINGS[entity["schema"]],
            name=caption,
            line=line,
        )
        rec.names += [Name(n, "variation", "strong") for n in props.get("name", []) if n != caption]
        for prop, (kind, quality) in NAME_PROPS.items():
            rec.names += [Name(n, kind, quality) for n in props.get(prop, [])]
        for written in props.get("birthDate", []):
            born = partial_date(written)
            if not born:
                self.warn(path, line, f"{entity['id']}: unreadable birthDate {written!r}")
            elif born not in rec.birth_dates:
                rec.birth_dates.append(born)
        rec.birth_places = list(props.get("birthPlace", []))
        for value in props.get("nationality", []) + props.get("citizenship", []):
            code = country_code(value)
            if code and code not in rec.nationalities:
                rec.nationalities.append(code)
            elif not code:
                rec.notes.append(f"nationality: {value}")
        for value in props.get("country", []) + props.get("jurisdiction", []) + props.get("mainCountry", []):
            if (code := country_code(value)) and code not in rec.countries:
                rec.countries.append(code)
        rec.gender = next(iter(props.get("gender", [])), None)
        rec.positions = list(props.get("position", []))
        rec.addresses = list(props.get("address", []))
        rec.identifiers = [f"{prop} {v}" for prop in ID_PROPS for v in props.get(prop, [])]
        rec.notes += props.get("notes", []) + props.get("summary", []) + props.get("description", [])
        referents = [entity["id"], *entity.get("referents", [])]
        rec.same_as = list(dict.fromkeys(ref for ref in map(_referent, referents) if ref))
        rec.extra = _extra(props, RECORD_PROPS)
        for key in ("referents", "datasets", "first_seen", "last_seen", "last_change"):
            if given := entity.get(key):
                rec.extra[key] = "; ".join(given) if isinstance(given, list) else str(given)
        measures = []
        for sanction_line, sanction in sanctions:
            if not_a_sanction := _not_a_sanction(sanction):
                measures.append(not_a_sanction)
            elif designation := self._sanction(path, sanction_line, sanction):
                rec.sanctions.append(designation)
        if measures:
            rec.extra["other_measures"] = "; ".join(dict.fromkeys(measures))
        return rec

    def _sanction(self, path: Path, line: int, entity: dict) -> Sanction | None:
        props = self._props(path, line, entity)
        country = next(iter(props.get("country", [])), None)
        if not country:
            self.warn(path, line, f"Sanction {entity['id']} names no country: not loaded")
            return None
        authority = next(iter(props.get("authority", [])), "")
        # Without a program the list it came from names it (mc_freezes, eu_travel_bans).
        program = next(
            iter(props.get("programId", []) or props.get("program", []) or entity.get("datasets", [])),
            authority or "unspecified",
        )
        # Dates as written stay in extra; one that is no date at all is a warning.
        for prop in ("listingDate", "startDate", "endDate"):
            for written in props.get(prop, []):
                if not partial_date(written):
                    self.warn(path, line, f"Sanction {entity['id']}: unreadable {prop} {written!r}")
        listed = [d for d in map(full_date, props.get("listingDate", []) or props.get("startDate", [])) if d]
        ended = [d for d in map(full_date, props.get("endDate", [])) if d]
        extra = _extra(props, {"entity", "reason", "sourceUrl"})
        return Sanction(
            jurisdiction=country.upper(),
            authority=AUTHORITIES.get(authority.casefold(), authority),
            program=program,
            listed_on=min(listed, default=None),
            ended_on=max(ended, default=None),
            sanction_id=entity["id"],
            reason="; ".join(props.get("reason", [])) or None,
            source_url=next(iter(props.get("sourceUrl", [])), None),
            extra=extra,
        )

    def _links(self, path: Path, index: _Index) -> Iterator[Link]:
        missing = 0
        for line, entity in index.links():
            link_type, source, target, role_props = RELATIONSHIPS[entity["schema"]]
            props = self._props(path, line, entity)
            role = "; ".join(
                v + ("%" if p == "percentage" else "") for p in role_props for v in props.get(p, [])
            )
            for a in props.get(source, []):
                for b in props.get(target, []):
                    if not (index.has_thing(a) and index.has_thing(b)):
                        missing += 1
                        continue
                    yield Link(
                        link_type,
                        f"{self.meta.dataset}:{b}",
                        external=True,
                        subject=f"{self.meta.dataset}:{a}",
                        role=role or None,
                        since=next(iter(props.get("startDate", [])), None),
                        until=next(iter(props.get("endDate", [])), None),
                        source_url=next(iter(props.get("sourceUrl", [])), None),
                    )
        if missing:
            self.warn(
                path,
                None,
                f"{missing} relationships name entities that are not persons or "
                "bodies of this file: not loaded",
            )


def _not_a_sanction(entity: dict) -> str | None:
    """What a Sanction entity of NOT_SANCTIONS' datasets only is, with its authority and
    dataset; None for a sanction."""
    datasets = entity.get("datasets") or []
    if not datasets or any(d not in NOT_SANCTIONS for d in datasets):
        return None
    authority = "; ".join(entity["properties"].get("authority", []))
    return f"{NOT_SANCTIONS[datasets[0]]}{f' ({authority})' if authority else ''}, {', '.join(datasets)}"


def _entities(path: Path, only: Callable[[int], bool] | None = None) -> Iterator[tuple[int, dict]]:
    """(line, entity) of every non-blank line; a line that is not an FtM entity is an error.
    With `only`, of the lines it accepts, which an earlier pass found to be entities."""
    with open_text(path) as f:
        for line, text in enumerate(f, 1):
            if (only is not None and not only(line)) or not text.strip():
                continue
            try:
                entity = json.loads(text)
            except json.JSONDecodeError as e:
                raise LoadError(path, f"not valid JSON ({e.msg}, column {e.colno})", line=line) from None
            if only is None:
                _check_entity(path, line, entity)
            yield line, entity


def _check_entity(path: Path, line: int, entity) -> None:
    """An FtM entity: an object with id, schema and properties, each a list of texts."""
    if not (
        isinstance(entity, dict)
        and isinstance(entity.get("id"), str)
        and isinstance(entity.get("schema"), str)
        and isinstance(entity.get("properties"), dict)
    ):
        raise LoadError(
            path, "not an FtM entity: expected an object with id, schema and properties", line=line
        )
    for prop, values in entity["properties"].items():
        if not (isinstance(values, list) and all(isinstance(v, str) for v in values)):
            raise LoadError(path, f"property {prop!r} is not a list of texts", line=line, record=entity["id"])
    if not isinstance(entity.get("caption") or "", str):
        raise LoadError(path, "the caption is not a text", line=line, record=entity["id"])


def _referent(referent: str) -> str | None:
    for pattern, template in REFERENTS:
        if found := pattern.fullmatch(referent):
            return template.format(*(g.upper() for g in found.groups()))
    return None


def _extra(props: dict[str, list[str]], used: set[str]) -> dict[str, str]:
    return {k: "; ".join(v) for k, v in props.items() if k not in used and v}


class _Index:
    """What the second pass needs to look up, on disk: Sanction lines by target id,
    relationship lines, and the ids of the entities loaded as records."""

    def __init__(self) -> None:
        # "": a private temporary file that SQLite removes from the folder at once, so
        # that not even a killed load leaves it behind.
        self.db = sqlite3.connect("")
        self.db.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE things (id TEXT PRIMARY KEY, line INTEGER);
            CREATE TABLE sanctions (target TEXT, line INTEGER, body TEXT);
            CREATE TABLE links (line INTEGER, body TEXT);
        """)
        #: The lines of the things, a bit each: the second pass parses only those (a
        #: third of an export's lines are sanctions and relationships, kept above).
        self.thing_lines = bytearray()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    def add_thing(self, path: Path, line: int, entity_id: str) -> None:
        try:
            self.db.execute("INSERT INTO things VALUES (?, ?)", (entity_id, line))
        except sqlite3.IntegrityError:
            first = self.db.execute("SELECT line FROM things WHERE id = ?", (entity_id,)).fetchone()[0]
            raise LoadError(
                path, f"entity {entity_id} appears twice (first at line {first})", line=line, record=entity_id
            ) from None
        if (byte := line >> 3) >= len(self.thing_lines):
            self.thing_lines.extend(bytes(byte + 1 - len(self.thing_lines)))
        self.thing_lines[byte] |= 1 << (line & 7)

    def is_thing_line(self, line: int) -> bool:
        byte = line >> 3
        return byte < len(self.thing_lines) and bool(self.thing_lines[byte] & (1 << (line & 7)))

    def add_sanction(self, target: str, line: int, body: str) -> None:
        self.db.execute("INSERT INTO sanctions VALUES (?, ?, ?)", (target, line, body))

    def add_link(self, line: int, body: str) -> None:
        self.db.execute("INSERT INTO links VALUES (?, ?)", (line, body))

    def done(self) -> None:
        self.db.execute("CREATE INDEX sanctions_target ON sanctions (target)")
        self.db.commit()

    def has_thing(self, entity_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM things WHERE id = ?", (entity_id,)).fetchone() is not None

    def sanctions_of(self, entity_id: str) -> list[tuple[int, dict]]:
        return [
            (line, json.loads(body))
            for line, body in self.db.execute(
                "SELECT line, body FROM sanctions WHERE target = ? ORDER BY line", (entity_id,)
            )
        ]

    def links(self) -> Iterator[tuple[int, dict]]:
        for line, body in self.db.execute("SELECT line, body FROM links ORDER BY line"):
            yield line, json.loads(body)

    def orphan_sanctions(self) -> list[tuple[int, str]]:
        return self.db.execute(
            "SELECT line, target FROM sanctions WHERE target NOT IN (SELECT id FROM things) ORDER BY line"
        ).fetchall()
