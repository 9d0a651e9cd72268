"""Synthetic sanctions lists in the real formats, for the benchmarks (bench/run.py).

    .venv/bin/python bench/generate.py [--seed 7] [--out bench/data] [--scale 1.0] [--ftm 1000000]

Writes, at the real lists' size by default (SIZES; --scale multiplies them):
    ofac/sdn.csv + add.csv + alt.csv + sdn_comments.csv    OFAC legacy CSV set (ofac-sdn-csv)
    uk/ConList.xlsx and uk/ConList.csv                      OFSI consolidated list (uk-ofsi)
    canada/sema-lmes_<date>.xml                             Canada's SEMA/JVCFOR list (ca-sema-xml)
    eu/fsf_<date>.xml                                       EU Financial Sanctions Files (eu-fsf-xml)
    un/UN_consolidated_<date>.xml                           UN Security Council list (un-xml)
    ftm/entities-<N>.ftm.json                               OpenSanctions FtM JSON lines (ftm), with --ftm N

How the data is made: names, dates, nationalities, countries, program codes and the
number of aliases per entry are sampled from the real files in data/ (read by the
project's own loaders), then recombined: a synthetic person takes the given names of
one real person and the surname of another, an organisation swaps a word of a real
name for a word of another. One universe of targets is shared by the lists, as in
reality: the UN's targets are on most lists, the UK and the EU share many, each list
also has its own; a shared target is written by each list in its own way (name order,
name parts, date precision) and now and then spelt differently, so resolution has the
work it has on the real lists. The FtM file has things, Sanction entities and
relationship entities in the proportions of FTM_MIX; some of its things cite OFAC and
UN entries of the synthetic lists in `referents`, as OpenSanctions' do.

The same seed and sizes give the same files, byte for byte. The files are what the
benchmarks load with the real loaders, the system under test; bench/data/ is git-ignored.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pycountry  # noqa: E402

from loaders import get  # noqa: E402
from loaders.records import Record  # noqa: E402

DATA = ROOT / "data"
OUT = ROOT / "bench" / "data"
#: Entries of each official list at its real size (shared/research/neo4j.md §3.3).
SIZES = {"ofac": 19_500, "uk": 5_000, "eu": 5_900, "ca": 5_000, "un": 1_000}
#: The real files the samples come from, read by the project's loaders.
REAL = [
    ("ofac-sdn-csv", DATA / "ofac" / "sdn.csv"),
    ("uk-ofsi", DATA / "uk" / "ofsi_conlist_2025-04-10.xlsx"),
    ("ca-sema-xml", DATA / "canada" / "sema-lmes_2025-09-22.xml"),
    ("un-xml", DATA / "un" / "UN_consolidated_2026-02-27.xml"),
    ("eu-oj-csv", DATA / "eu" / "eu_oj_32020R1998.csv"),
]
POOL_VERSION = 1
LIST_DATE = date(2026, 9, 1)

#: Which share of a list's entries are targets of another list (the rest are its own).
#: The UN's targets are on nearly every list; the UK and the EU share much of their
#: Russia and terrorism listings; Canada's autonomous list overlaps less.
OVERLAP = {
    "un": [("ofac", 0.85)],
    "uk": [("un", 0.15), ("ofac", 0.35)],
    "eu": [("un", 0.15), ("uk", 0.35), ("ofac", 0.15)],
    "ca": [("uk", 0.25), ("eu", 0.10), ("ofac", 0.10)],
}
#: How often a list spells a shared target's name differently (transliteration).
RESPELL = 0.15

#: Schemas of an FtM export and their shares: things (loaded as records), Sanction
#: entities, relationship entities, and schemas the loader leaves out (counted only).
FTM_MIX = {
    "Person": 0.40, "Company": 0.14, "Organization": 0.05, "LegalEntity": 0.04,
    "PublicBody": 0.005, "Vessel": 0.01, "Airplane": 0.002,
    "Sanction": 0.13,
    "Ownership": 0.07, "Directorship": 0.05, "Family": 0.03, "Associate": 0.02,
    "Membership": 0.015, "UnknownLink": 0.015,
    "Address": 0.015, "Occupancy": 0.008,
}
#: Share of FtM things that cite an OFAC (or UN) entry of the synthetic lists.
FTM_OFAC_REFERENT, FTM_UN_REFERENT = 0.02, 0.003
#: FtM Sanction programs: (country, authority, programId, weight). Human-rights
#: programs carry their real ids, so the family queries find them.
FTM_PROGRAMS = [
    ("us", "Office of Foreign Assets Control", "US-RUSHAR", 10), ("us", "Office of Foreign Assets Control", "US-GLOMAG", 2),
    ("us", "Entity List (EL) - Bureau of Industry and Security", "US-BIS-EL", 3),
    ("gb", "Foreign, Commonwealth & Development Office", "GB-RUS", 8),
    ("gb", "Foreign, Commonwealth & Development Office", "GB-GLOBAL-HUMAN-RIGHTS", 1),
    ("eu", "Council of the European Union", "EU-UKR", 8), ("eu", "Council of the European Union", "EU-HR", 1),
    ("ca", "Global Affairs Canada", "CA-SEMA", 5), ("ca", "Global Affairs Canada", "CA-JVCFOR", 1),
    ("ch", "State Secretariat for Economic Affairs", "SECO-UKRAINE", 6),
    ("au", "Department of Foreign Affairs and Trade", "AU-RUSSIA", 4),
    ("ua", "National Security and Defense Council", "UA-SA1644", 10),
    ("nz", "Ministry of Foreign Affairs and Trade", "NZ-RSA2022", 2),
    ("jp", "Ministry of Finance", "JP-MOF", 2), ("fr", "Direction Générale du Trésor", "EU-UKR", 3),
]
#: The kind of target (Universe.target) each FtM thing schema is.
FTM_KINDS = {"Person": "Person", "Company": "Organization", "Organization": "Organization",
             "LegalEntity": "Organization", "PublicBody": "Organization", "Vessel": "Vessel",
             "Airplane": "Aircraft"}
FTM_RELATIONSHIPS = {
    "Ownership": ("owner", "asset", "role", ["shareholder", "beneficial owner", "subsidiary of"]),
    "Directorship": ("director", "organization", "role", ["Director", "CEO", "Leader or official of"]),
    "Family": ("person", "relative", "relationship", ["spouse", "son", "daughter", "brother"]),
    "Associate": ("person", "associate", "relationship", ["business associate", "associate"]),
    "Membership": ("member", "organization", "role", ["member"]),
    "UnknownLink": ("subject", "object", "role", ["linked to"]),
}
LEGAL_FORMS = ["LLC", "JSC", "LTD", "PJSC", "CO., LTD.", "S.A.", "GMBH", "OOO", "AO", "INC"]
VOWELS = str.maketrans({"a": "e", "e": "a", "i": "y", "y": "i", "o": "u", "u": "o"})


# -- what the real files give ----------------------------------------------------------------


@dataclass
class Pool:
    """Samples of the real lists, with repeats, so a random choice follows their frequencies."""

    given: list[str] = field(default_factory=list)
    surnames: list[str] = field(default_factory=list)
    org_names: list[str] = field(default_factory=list)
    vessels: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    aliases_per_entry: list[int] = field(default_factory=list)
    schemas: list[str] = field(default_factory=list)
    #: Programs as each list writes them, one entry per real entry (OFAC: "SDGT] [IRGC").
    programs: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def real(cls, cache: Path = OUT / f"pool-v{POOL_VERSION}.json",
             sources: list[tuple[str, Path]] = REAL) -> Pool:
        """Read once from the real files with the project's loaders, then from the cache."""
        if cache.exists():
            return cls(**json.loads(cache.read_text(encoding="utf-8")))
        pool = cls()
        for kind, path in sources:
            list_name = kind.split("-")[0]
            for rec in get(kind)().read([path]):
                if isinstance(rec, Record):
                    pool._add(list_name, rec)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(asdict(pool), ensure_ascii=False), encoding="utf-8")
        return pool

    def _add(self, list_name: str, rec: Record) -> None:
        self.schemas.append(rec.schema)
        self.aliases_per_entry.append(len(rec.names))
        self.programs.setdefault(list_name, []).append("] [".join(s.program for s in rec.sanctions))
        if rec.schema == "Person":
            given, surname = _split_person(rec.name)
            if given and surname:
                self.given.append(given)
                self.surnames.append(surname)
            self.birth_dates += rec.birth_dates[:1]
            self.nationalities += rec.nationalities[:1]
            self.positions += rec.positions[:1]
        elif rec.schema == "Organization":
            self.org_names.append(rec.name)
            self.countries += rec.countries[:1]
        elif rec.schema == "Vessel":
            self.vessels.append(rec.name)


def _split_person(name: str) -> tuple[str, str]:
    """("Given Names", "Surname") of a real person's name, in either order lists use."""
    if "," in name:
        surname, _, given = name.partition(",")
    else:
        given, _, surname = name.rpartition(" ")
    return given.strip().title(), surname.strip().title()


# -- one universe of targets ----------------------------------------------------------------


@dataclass
class Target:
    index: int
    schema: str
    #: A person's given names and surname; an organisation's or vessel's name in `surname`.
    given: str
    surname: str
    aliases: list[str]
    birth_date: str | None
    nationality: str | None
    country: str | None
    gender: str | None
    position: str | None
    imo: str | None

    @property
    def name(self) -> str:
        return f"{self.given} {self.surname}".strip()


class Universe:
    """Target `i` is the same person or body in every list that holds it."""

    def __init__(self, pool: Pool, seed: int):
        self.pool, self.seed = pool, seed

    def target(self, i: int, schema: str | None = None) -> Target:
        """Target `i`; `schema` forces its kind (an FtM file picks kinds by its own mix)."""
        rng = random.Random(f"{self.seed}:{i}")
        p = self.pool
        schema = schema or rng.choice(p.schemas)
        aliases = rng.choice(p.aliases_per_entry)
        if schema == "Person":
            given, surname = rng.choice(p.given), rng.choice(p.surnames)
            names = [_person_alias(rng, given, surname, p) for _ in range(aliases)]
            born = rng.choice(p.birth_dates) if rng.random() < 0.8 else None
            return Target(i, schema, given, surname, names, born, rng.choice(p.nationalities),
                          None, rng.choice(["male"] * 6 + ["female"]),
                          rng.choice(p.positions) if rng.random() < 0.4 else None, None)
        if schema == "Vessel":
            name = f"{rng.choice(p.vessels).upper()} {rng.randint(1, 99)}"
            return Target(i, schema, "", name, [], None, None, rng.choice(p.countries), None, None,
                          str(9_000_000 + i % 999_999))
        name = _org_name(rng, p)
        names = [_org_alias(rng, name, p) for _ in range(aliases)]
        return Target(i, schema, "", name, names, None, None, rng.choice(p.countries), None, None, None)


def _person_alias(rng: random.Random, given: str, surname: str, pool: Pool) -> str:
    roll = rng.random()
    if roll < 0.4:
        return f"{_respelt(rng, given)} {surname}"
    if roll < 0.6:
        return f"{given} {_respelt(rng, surname)}"
    if roll < 0.8:
        return f"{given.split()[0]} {surname}"
    return f"{rng.choice(pool.given)} {surname}"


def _org_name(rng: random.Random, pool: Pool) -> str:
    words = rng.choice(pool.org_names).split()
    other = rng.choice(pool.org_names).split()
    words[rng.randrange(len(words))] = rng.choice(other).strip("()") or words[0]
    if rng.random() < 0.3:
        words.append(rng.choice(LEGAL_FORMS))
    return " ".join(words)


def _org_alias(rng: random.Random, name: str, pool: Pool) -> str:
    words = name.split()
    roll = rng.random()
    if roll < 0.3 and len(words) >= 3:
        return "".join(w[0] for w in words if w[0].isalpha()).upper()
    if roll < 0.6:
        return _respelt(rng, name)
    return _org_name(rng, pool)


def _respelt(rng: random.Random, text: str) -> str:
    """One vowel of the longest word changed, as transliterations differ (Aleksandr/Aleksendr)."""
    words = text.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    spots = [k for k, ch in enumerate(word) if ch.lower() in "aeiouy"]
    if spots:
        k = rng.choice(spots)
        word = word[:k] + word[k].translate(VOWELS) + word[k + 1:]
    words[i] = word
    return " ".join(words)


def members(list_name: str, size: int, seed: int, sizes: dict[str, int]) -> list[int]:
    """The universe indices of a list's entries: OFAC's are 0..size-1, every other list
    takes shares of other lists' targets (OVERLAP) and fills up with its own."""
    if list_name == "ofac":
        return list(range(size))
    rng = random.Random(f"{seed}:members:{list_name}")
    chosen: dict[int, None] = {}
    for other, share in OVERLAP[list_name]:
        pool = members(other, sizes[other], seed, sizes)
        for i in rng.sample(pool, min(len(pool), int(size * share))):
            chosen.setdefault(i, None)
    own = (list(SIZES).index(list_name) + 1) * 10_000_000
    while len(chosen) < size:
        chosen.setdefault(own + len(chosen), None)
    return list(chosen)[:size]


def ofac_ent_num(index: int) -> int:
    return 10 + index


def un_data_id(index: int) -> int:
    return 6_900_000 + index


def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    found = pycountry.countries.get(alpha_2=code)
    return found.name if found else None


def _spelt(rng: random.Random, name: str) -> str:
    return _respelt(rng, name) if rng.random() < RESPELL else name


# -- the official lists ---------------------------------------------------------------------


class Writer:
    """Writes every format for one seed and set of sizes."""

    def __init__(self, out: Path, seed: int = 7, scale: float = 1.0, pool: Pool | None = None,
                 sizes: dict[str, int] | None = None):
        self.out, self.seed = out, seed
        self.sizes = sizes or {k: max(1, round(v * scale)) for k, v in SIZES.items()}
        self.pool = pool or Pool.real()
        self.universe = Universe(self.pool, seed)

    def entries(self, list_name: str) -> Iterator[tuple[random.Random, Target]]:
        rng = random.Random(f"{self.seed}:{list_name}")
        for i in members(list_name, self.sizes[list_name], self.seed, self.sizes):
            yield rng, self.universe.target(i)

    def program(self, rng: random.Random, list_name: str) -> str:
        return rng.choice([p for p in self.pool.programs.get(list_name, []) if p] or ["UNKNOWN"])

    # OFAC: sdn.csv + alt.csv + add.csv + sdn_comments.csv, CRLF, "-0- " empty, 0x1A at the end.
    def ofac(self) -> Path:
        folder = self.out / "ofac"
        folder.mkdir(parents=True, exist_ok=True)
        files = {name: open(folder / name, "w", encoding="utf-8", newline="")
                 for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")}
        alt_num = add_num = 0
        by_name: list[str] = []
        try:
            for rng, t in self.entries("ofac"):
                ent = ofac_ent_num(t.index)
                name = f"{t.surname.upper()}, {t.given}" if t.schema == "Person" else t.surname.upper()
                kind = {"Person": "individual", "Vessel": "vessel", "Aircraft": "aircraft"}.get(t.schema)
                remarks = []
                if t.birth_date:
                    remarks.append(f"DOB {_ofac_date(t.birth_date)}")
                if t.nationality and (country := _country_name(t.nationality)):
                    remarks.append(f"nationality {country}")
                if t.gender:
                    remarks.append(f"Gender {t.gender.title()}")
                if t.imo:
                    remarks.append(f"Vessel Registration Identification IMO {t.imo}")
                strong = t.aliases[: max(0, len(t.aliases) - 1)] if len(t.aliases) > 1 else t.aliases
                remarks += [f"a.k.a. '{a.upper()}'" for a in t.aliases[len(strong):]]
                if by_name and rng.random() < 0.06:
                    remarks.append(f"Linked To: {rng.choice(by_name)}")
                by_name.append(name)
                _ofac_row(files["sdn.csv"], [ent, name, kind, self.program(rng, "ofac"),
                                             t.position, None, None, None, None, None, None,
                                             "; ".join(remarks) + "." if remarks else None])
                for alias in strong:
                    alt_num += 1
                    _ofac_row(files["alt.csv"], [ent, alt_num, "aka", alias.upper(), None])
                if country := _country_name(t.country or t.nationality):
                    add_num += 1
                    _ofac_row(files["add.csv"], [ent, add_num, None, rng.choice(["Moscow", "Tehran", "Dubai", None]),
                                                 country, None])
        finally:
            for f in files.values():
                f.write("\x1a")
                f.close()
        return folder / "sdn.csv"

    # UK: the OFSI ConList, one row per name, as xlsx and as CSV.
    def uk_rows(self) -> Iterator[list[str | None]]:
        yield ["Last Updated", LIST_DATE.strftime("%d/%m/%Y")] + [None] * (len(UK_HEADER) - 2)
        yield list(UK_HEADER)
        un = {i: ref for i, ref in self._un_references()}
        for group, (rng, t) in enumerate(self.entries("uk"), 10_000):
            regime = self.program(rng, "uk")
            listed = _random_day(rng).strftime("%d/%m/%Y")
            info = [f"(UK Sanctions List Ref):{_uk_ref(regime, group)}."]
            if t.index in un:
                info.append(f"(UN Ref):{un[t.index]}.")
            if t.gender:
                info.append(f"(Gender):{t.gender.title()}")
            names = [(_spelt(rng, t.name), "Primary name", None)] + [(a, "AKA", "Good quality") for a in t.aliases]
            for name, alias_type, quality in names:
                if t.schema == "Person":
                    first, _, rest = name.partition(" ")
                    given = rest.rsplit(" ", 1)[0] if " " in rest else ""
                    parts = [name.rsplit(" ", 1)[-1].upper(), first, given or None]
                else:
                    parts = [name, None, None]
                row = dict.fromkeys(UK_HEADER)
                row.update({"Name 6": parts[0], "Name 1": parts[1], "Name 2": parts[2],
                            "DOB": _uk_date(t.birth_date) if t.birth_date else None,
                            "Nationality": _country_name(t.nationality), "Position": t.position,
                            "Country": _country_name(t.country), "Other Information": " ".join(info),
                            "Group Type": UK_TYPES[t.schema], "Alias Type": alias_type,
                            "Alias Quality": quality, "Regime": regime, "Listed On": listed,
                            "UK Sanctions List Date Designated": listed,
                            "Last Updated": listed, "Group ID": str(group)})
                yield [row[c] for c in UK_HEADER]

    def uk_xlsx(self) -> Path:
        import openpyxl

        path = self.out / "uk" / "ConList.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("ConList")
        for row in self.uk_rows():
            sheet.append(row)
        book.save(path)
        return path

    def uk_csv(self) -> Path:
        path = self.out / "uk" / "ConList.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            for row in self.uk_rows():
                writer.writerow(["" if v is None else v for v in row])
        return path

    # Canada: one flat <record> per entry; the id is built from Country, Schedule and Item.
    def canada(self) -> Path:
        path = self.out / "canada" / f"sema-lmes_{LIST_DATE.isoformat()}.xml"
        path.parent.mkdir(parents=True, exist_ok=True)
        items: Counter[str] = Counter()
        with open(path, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<data-set xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n')
            for rng, t in self.entries("ca"):
                country = self.program(rng, "ca")
                schedule = "1, Part 1" if t.schema == "Person" else "1, Part 2"
                items[country] += 1
                fields = [("Country", country)]
                if t.schema == "Person":
                    fields += [("LastName", t.surname), ("GivenName", _spelt(rng, t.given))]
                else:
                    fields += [("EntityOrShip", _spelt(rng, t.surname))]
                    if t.imo:
                        fields += [("ShipIMONumber", t.imo)]
                if t.aliases:
                    fields += [("Aliases", ", ".join(a.replace(",", "") for a in t.aliases))]
                if t.birth_date:
                    fields += [("DateOfBirthOrShipBuildDate", t.birth_date)]
                fields += [("Schedule", schedule), ("Item", str(items[country])),
                           ("DateOfListing", _random_day(rng).isoformat())]
                f.write("\t<record>\n" + "".join(f"\t\t<{k}>{escape(v)}</{k}>\n" for k, v in fields)
                        + "\t</record>\n")
            f.write("</data-set>\n")
        return path

    # EU: <export> of <sanctionEntity>, every fact an element with attributes.
    def eu(self) -> Path:
        path = self.out / "eu" / f"fsf_{LIST_DATE.isoformat()}.xml"
        path.parent.mkdir(parents=True, exist_ok=True)
        un = {i: ref for i, ref in self._un_references()}
        logical = 100_000
        with open(path, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="{LIST_DATE}T10:00:00.000+02:00" '
                    'globalFileId="999999">\n')
            for number, (rng, t) in enumerate(self.entries("eu"), 1):
                logical += 1
                programme = rng.choices(list(EU_PROGRAMMES), list(EU_PROGRAMMES.values()))[0]
                f.write(f'<sanctionEntity designationDate="{_random_day(rng)}" designationDetails="" '
                        f'unitedNationId={quoteattr(un.get(t.index, ""))} euReferenceNumber="EU.{number}.{rng.randint(10, 99)}" '
                        f'logicalId="{logical}">\n'
                        f'  <regulation regulationType="amendment" organisationType="council" '
                        f'publicationDate="2024-07-29" entryIntoForceDate="2024-07-30" numberTitle="2024/2074 (OJ L29072024)" '
                        f'programme={quoteattr(programme)} logicalId="{logical}1">\n'
                        f'    <publicationUrl>https://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=OJ:L_202402074</publicationUrl>\n'
                        f'  </regulation>\n'
                        f'  <subjectType code="{"person" if t.schema == "Person" else "enterprise"}" '
                        f'classificationCode="{"P" if t.schema == "Person" else "E"}" />\n')
                gender = {"male": "M", "female": "F"}.get(t.gender or "", "")
                main = _spelt(rng, t.name)
                first, last = (t.given, t.surname.upper()) if t.schema == "Person" else ("", "")
                for k, (name, whole_first, whole_last) in enumerate([(main, first, last)] +
                                                                    [(a, "", "") for a in t.aliases]):
                    f.write(f'  <nameAlias firstName={quoteattr(whole_first)} middleName="" lastName={quoteattr(whole_last)} '
                            f'wholeName={quoteattr(name)} function={quoteattr(t.position or "")} gender="{gender}" title="" '
                            f'nameLanguage="{"EN" if k == 0 else ""}" strong="true" regulationLanguage="en" '
                            f'logicalId="{logical}{k + 2}" />\n')
                if t.nationality:
                    f.write(f'  <citizenship region="" countryIso2Code="{t.nationality}" '
                            f'countryDescription={quoteattr((_country_name(t.nationality) or "").upper())} '
                            f'regulationLanguage="en" logicalId="{logical}7" />\n')
                if t.birth_date:
                    parts = t.birth_date.split("-")
                    full = f' birthdate="{t.birth_date}"' if len(parts) == 3 else ""
                    f.write(f'  <birthdate circa="false" calendarType="GREGORIAN"{full} year="{parts[0]}" '
                            f'regulationLanguage="en" logicalId="{logical}8" />\n')
                if t.country:
                    f.write(f'  <address city="" street="" countryIso2Code="{t.country}" '
                            f'countryDescription={quoteattr((_country_name(t.country) or "").upper())} '
                            f'regulationLanguage="en" logicalId="{logical}9" />\n')
                f.write("</sanctionEntity>\n")
            f.write("</export>\n")
        return path

    # UN: INDIVIDUALS and ENTITIES, each entry with DATAID and a reference number.
    def _un_references(self) -> Iterator[tuple[int, str]]:
        rng = random.Random(f"{self.seed}:un-refs")
        numbers: Counter[str] = Counter()
        for i in members("un", self.sizes["un"], self.seed, self.sizes):
            t = self.universe.target(i)
            prefix = rng.choice(UN_PREFIXES) + ("i" if t.schema == "Person" else "e")
            numbers[prefix] += 1
            # Three digits, as the list numbers them: past 999 a prefix starts again at 1
            # with another letter pair.
            block, number = divmod(numbers[prefix] - 1, 999)
            yield i, f"{prefix[:1]}{chr(ord(prefix[1]) + block)}{prefix[2]}.{number + 1:03d}"

    def un(self) -> Path:
        path = self.out / "un" / f"UN_consolidated_{LIST_DATE.isoformat()}.xml"
        path.parent.mkdir(parents=True, exist_ok=True)
        refs = dict(self._un_references())
        rng = random.Random(f"{self.seed}:un")
        people, bodies = [], []
        cited = list(refs.values())
        for i, ref in refs.items():
            t = self.universe.target(i)
            list_type = self.program(rng, "un")
            fields = [("DATAID", str(un_data_id(i))), ("VERSIONNUM", "1")]
            if t.schema == "Person":
                given = _spelt(rng, t.given).split()
                fields += [("FIRST_NAME", given[0]), ("SECOND_NAME", " ".join(given[1:] + [t.surname]))]
            else:
                fields += [("FIRST_NAME", t.surname.upper())]
            fields += [("UN_LIST_TYPE", list_type), ("REFERENCE_NUMBER", ref),
                       ("LISTED_ON", _random_day(rng).isoformat())]
            if t.gender:
                fields += [("GENDER", t.gender.title())]
            if rng.random() < 0.1:
                other = rng.choice(cited)
                fields += [("COMMENTS1", f"Associated with {other}. Review concluded in 2020.")]
            xml = "".join(f"      <{k}>{escape(v)}</{k}>\n" for k, v in fields)
            if t.nationality and (country := _country_name(t.nationality)):
                xml += f"      <NATIONALITY>\n        <VALUE>{escape(country)}</VALUE>\n      </NATIONALITY>\n"
            xml += "      <LIST_TYPE>\n        <VALUE>UN List</VALUE>\n      </LIST_TYPE>\n"
            tag = "INDIVIDUAL" if t.schema == "Person" else "ENTITY"
            for alias in t.aliases:
                quality = "Good" if t.schema == "Person" else "a.k.a."
                xml += (f"      <{tag}_ALIAS>\n        <QUALITY>{quality}</QUALITY>\n"
                        f"        <ALIAS_NAME>{escape(alias)}</ALIAS_NAME>\n      </{tag}_ALIAS>\n")
            if country := _country_name(t.country or t.nationality):
                xml += f"      <{tag}_ADDRESS>\n        <COUNTRY>{escape(country)}</COUNTRY>\n      </{tag}_ADDRESS>\n"
            if t.birth_date and t.schema == "Person":
                kind = "DATE" if len(t.birth_date) == 10 else "YEAR"
                xml += (f"      <INDIVIDUAL_DATE_OF_BIRTH>\n        <TYPE_OF_DATE>EXACT</TYPE_OF_DATE>\n"
                        f"        <{kind}>{t.birth_date[:4] if kind == 'YEAR' else t.birth_date}</{kind}>\n"
                        f"      </INDIVIDUAL_DATE_OF_BIRTH>\n")
            (people if t.schema == "Person" else bodies).append(f"    <{tag}>\n{xml}    </{tag}>\n")
        with open(path, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<CONSOLIDATED_LIST xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                    f'dateGenerated="{LIST_DATE}T00:00:09.554Z">\n')
            f.write("  <INDIVIDUALS>\n" + "".join(people) + "  </INDIVIDUALS>\n")
            f.write("  <ENTITIES>\n" + "".join(bodies) + "  </ENTITIES>\n")
            f.write("</CONSOLIDATED_LIST>\n")
        return path

    def official(self) -> dict[str, Path]:
        """Every official list; the loader kind → the path to load."""
        return {"ofac-sdn-csv": self.ofac(), "uk-ofsi": self.uk_xlsx(), "ca-sema-xml": self.canada(),
                "eu-fsf-xml": self.eu(), "un-xml": self.un()}

    # FtM: a million-entity OpenSanctions export.
    def ftm(self, entities: int) -> Path:
        path = self.out / "ftm" / f"entities-{entities}.ftm.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        rng = random.Random(f"{self.seed}:ftm:{entities}")
        schemas, weights = list(FTM_MIX), list(FTM_MIX.values())
        programs, program_weights = FTM_PROGRAMS, [p[3] for p in FTM_PROGRAMS]
        ofac, un = self.sizes["ofac"], members("un", self.sizes["un"], self.seed, self.sizes)
        #: Things written so far, by kind, as candidates for sanctions and relationships:
        #: mostly recent ones, so the graph has clusters, as real ownership networks do.
        people: list[str] = []
        bodies: list[str] = []
        seen = "2026-08-30T10:00:00"
        with open(path, "w", encoding="utf-8") as f:
            for n in range(entities):
                schema = rng.choices(schemas, weights)[0]
                if schema in ("Sanction", *FTM_RELATIONSHIPS) and len(people) + len(bodies) < 2:
                    schema = "Person"
                entity_id = _ftm_id(self.seed, n)
                entity: dict = {"id": entity_id, "schema": schema, "properties": {},
                                "datasets": ["default"], "referents": [], "first_seen": "2024-01-15T08:00:00",
                                "last_seen": seen, "last_change": "2025-06-01T08:00:00"}
                props = entity["properties"]
                if schema in FTM_KINDS:
                    index = 100_000_000 + n
                    roll = rng.random()
                    if roll < FTM_OFAC_REFERENT:
                        index = rng.randrange(ofac)
                        entity["referents"].append(f"ofac-{ofac_ent_num(index)}")
                    elif roll < FTM_OFAC_REFERENT + FTM_UN_REFERENT:
                        index = rng.choice(un)
                        entity["referents"].append(f"unsc-{un_data_id(index)}")
                    t = self.universe.target(index, None if entity["referents"] else FTM_KINDS[schema])
                    if entity["referents"]:
                        schema = entity["schema"] = {"Person": "Person", "Vessel": "Vessel"}.get(t.schema, "Organization")
                    if schema == "Person":
                        props.update(name=[t.name], firstName=[t.given], lastName=[t.surname], gender=[t.gender])
                        if t.birth_date:
                            props["birthDate"] = [t.birth_date]
                        if t.nationality:
                            props["nationality"] = [t.nationality.lower()]
                        if t.position:
                            props["position"] = [t.position]
                    else:
                        props["name"] = [t.surname]
                        if t.imo and schema == "Vessel":
                            props["imoNumber"] = [f"IMO{t.imo}"]
                    if t.aliases:
                        props["alias"] = t.aliases
                    if country := (t.country or t.nationality):
                        props["country"] = [country.lower()]
                    props["topics"] = ["sanction"] if rng.random() < 0.3 else ["role.pep"]
                    entity["caption"] = props["name"][0]
                    (people if schema == "Person" else bodies).append(entity_id)
                elif schema == "Sanction":
                    country, authority, program, _ = rng.choices(programs, program_weights)[0]
                    listed = _random_day(rng).isoformat()
                    props.update(entity=[_recent(rng, people if (people and rng.random() < 0.6) else bodies or people)],
                                 country=[country], authority=[authority], programId=[program],
                                 listingDate=[listed], sourceUrl=["https://example.org/sanctions"])
                    entity["caption"] = program
                elif schema in FTM_RELATIONSHIPS:
                    source, target, role_prop, roles = FTM_RELATIONSHIPS[schema]
                    a_pool = people if schema in ("Family", "Associate", "Directorship", "Membership") else bodies or people
                    b_pool = people if schema in ("Family", "Associate") else bodies or people
                    a, b = _recent(rng, a_pool or bodies), _recent(rng, b_pool or people)
                    if a == b:  # nobody is their own relative: the one before, then
                        b = people[-2] if b == people[-1] else people[-1]
                    props.update({source: [a], target: [b], role_prop: [rng.choice(roles)]})
                    entity["caption"] = schema
                else:
                    entity["caption"] = schema
                    props["full" if schema == "Address" else "status"] = ["synthetic"]
                f.write(json.dumps(entity, ensure_ascii=False) + "\n")
        return path


def _recent(rng: random.Random, ids: list[str]) -> str:
    """Mostly one of the last few hundred (clusters), sometimes any (bridges between them)."""
    if rng.random() < 0.9:
        return ids[-1 - min(int(rng.expovariate(1 / 200)), len(ids) - 1)]
    return ids[rng.randrange(len(ids))]


def _ftm_id(seed: int, n: int) -> str:
    return "NK-" + hashlib.blake2b(f"{seed}:{n}".encode(), digest_size=12).hexdigest()


def _random_day(rng: random.Random) -> date:
    return date(2005, 1, 1) + timedelta(days=rng.randrange(7_500))


def _ofac_date(iso: str) -> str:
    parts = iso.split("-")
    if len(parts) == 3:
        return date.fromisoformat(iso).strftime("%d %b %Y")
    if len(parts) == 2:
        return date(int(parts[0]), int(parts[1]), 1).strftime("%b %Y")
    return parts[0]


def _uk_date(iso: str) -> str:
    parts = iso.split("-")
    return "/".join((parts[2] if len(parts) == 3 else "00", parts[1] if len(parts) >= 2 else "00", parts[0]))


def _uk_ref(regime: str, group: int) -> str:
    letters = "".join(c for c in regime.upper() if c.isalpha())[:3].ljust(3, "X")
    return f"{letters}{group % 10_000:04d}"


def _ofac_row(f, cells: list) -> None:
    f.write(",".join("-0- " if c is None else str(c) if isinstance(c, int) else '"' + str(c).replace('"', "'") + '"'
                     for c in cells) + "\r\n")


UK_HEADER = (
    "Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title", "Name Non-Latin Script",
    "Non-Latin Script Type", "Non-Latin Script Language", "DOB", "Town of Birth", "Country of Birth",
    "Nationality", "Passport Number", "Passport Details", "National Identification Number",
    "National Identification Details", "Position", "Address 1", "Address 2", "Address 3", "Address 4",
    "Address 5", "Address 6", "Post/Zip Code", "Country", "Other Information", "Group Type", "Alias Type",
    "Alias Quality", "Regime", "Listed On", "UK Sanctions List Date Designated", "Last Updated", "Group ID",
)
UK_TYPES = {"Person": "Individual", "Organization": "Entity", "Vessel": "Ship", "Aircraft": "Entity"}
#: FSF programme codes (the EU's regimes; data/programs/eu.yaml) and their weights, about
#: as many entries as each regime has on the real list.
EU_PROGRAMMES = {"UKR": 40, "RUS": 5, "TERR": 3, "SYR": 8, "IRN": 6, "PRK": 4, "BLR": 8, "HR": 3,
                 "AFG": 3, "IRQ": 2, "LBY": 2, "MMR": 2, "VEN": 1}
UN_PREFIXES = ["QD", "TA", "KP", "IR", "IQ", "CD", "LY", "SO", "CF", "YE", "SD", "HT"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the real list sizes")
    parser.add_argument("--ftm", type=int, nargs="*", default=[], help="FtM files of these many entities")
    args = parser.parse_args()
    writer = Writer(args.out, args.seed, args.scale)
    for kind, path in writer.official().items():
        print(f"{kind}: {path}")
    print(f"uk-ofsi (csv): {writer.uk_csv()}")
    for n in args.ftm:
        print(f"ftm: {writer.ftm(n)}")


if __name__ == "__main__":
    main()
