"""Canada's Consolidated Canadian Autonomous Sanctions List (sema-lmes.xml), Global
Affairs Canada: every SEMA country regulation and the Justice for Victims of Corrupt
Foreign Officials Regulations (JVCFOR) in one flat file of <record> elements.

Two element sets exist, and both load:
- 2025: Country, LastName, GivenName, EntityOrShip, TitleOrShip, ShipIMONumber, Aliases,
  DateOfBirthOrShipBuildDate, Schedule, Item, DateOfListing;
- 2020: Country, LastName, GivenName, Entity, Title, DateOfBirth, Aliases, Schedule, Item
  (no DateOfListing).
The file carries no list date: the date comes from the file name (sema-lmes_2025-09-22.xml).

The list publishes no record ids. A record's id is built from where the regulation puts
it, so it stays the same from one version of the list to the next:

    <regime>-<part>-<item>        china-p1-1, china-p2-1, belarus-p1.1-7, russia-s1.1-12, jvcfor-5

- regime: the English half of Country, lower case, words joined by "-" ("China / Chine"
  → china, "South Sudan / Soudan du sud" → south-sudan); REGIME_SLUGS names the
  exceptions (JVCFOR; Myanmar, which the 2020 list calls Burma).
- part: from Schedule. "Part 1" and "1, Part 1" (Schedule 1 is the main schedule) → p1;
  "1, Part 1.1" → p1.1; "2, Part 1" → s2-p1; missing or "N/A" → left out. A bare number
  is how the 2020 list writes a Part ("2" there is "1, Part 2" in 2025) except in
  regulations with several schedules (Russia: "1.1", "2", "3" are Schedules) → s1.1.
  Matching the names of the two real files shows that items kept their numbers while
  this notation changed, so the rule gives a record the same id in both.
- item: the Item number as written.
An id that repeats within a file is an error naming both records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lxml import etree

from loaders.base import (
    Loader,
    LoadError,
    clean,
    date_range,
    full_date,
    iterparse,
    one_file,
    partial_date,
    release,
)
from loaders.records import Name, Record, Sanction

DATASET = "ca-sema"

#: Regimes whose id is not the slug of the English half of Country.
REGIME_SLUGS = {
    "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR)": "jvcfor",
    # Special Economic Measures (Burma) Regulations: "Burma" in 2020, "Myanmar (Burma)" in 2025.
    "Myanmar (Burma)": "burma",
}
#: Regulations with several schedules: there a bare Schedule number other than 1 names a
#: schedule, not a part.
SEVERAL_SCHEDULES = {"russia"}
#: Regulations whose single schedule has no parts (the 2020 list writes "1", 2025 nothing).
NO_PARTS = {"jvcfor"}

#: Legal forms written as an alias of their own ("КВЗ-Ремсервис, АО"): they belong to the
#: name next to them, they are not a name.
LEGAL_FORMS = {
    "ао",
    "ооо",
    "оао",
    "пао",
    "зао",
    "llc",
    "ltd",
    "ltd.",
    "inc",
    "inc.",
    "jsc",
    "pjsc",
    "ojsc",
    "cjsc",
    "llp",
    "plc",
    "gmbh",
    "s.a.",
    "co.",
    "limited",
}

_PART = re.compile(r"(?:(\d+(?:\.\d+)?)\s*,\s*)?Part\s+(\d+(?:\.\d+)?)", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
#: "Russian: Николай Лукашенко", "Belarussian: …": the label names the language.
_LANGUAGE_LABEL = re.compile(r"^(Russian|Belaru\w+|Ukrainian)\s*:\s*(.+)$", re.DOTALL)
_YEAR_RANGE = re.compile(r"(\d{4})\s*-\s*(\d{4})")


class CanadaSemaLoader(Loader):
    name = "ca-sema-xml"
    description = "Canada's consolidated autonomous sanctions list, sema-lmes.xml (SEMA and JVCFOR)"
    datasets = (DATASET,)

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() != ".xml":
            return False
        with open(path, "rb") as f:
            head = f.read(2048)
        return b"<data-set" in head and b"<record>" in head and b"<Country>" in head

    def read(self, paths: Sequence[Path]) -> Iterator[Record]:
        path = one_file(paths, "the one sema-lmes.xml file")
        self.describe(DATASET)
        self.add_file(path)
        self.date_from_name(path)
        first_line: dict[str, int | None] = {}
        for _, elem in iterparse(path, tags=("record",)):
            rec = self._record(path, elem)
            if rec.record_id in first_line:
                raise LoadError(
                    path,
                    f"record id {rec.record_id} appears twice (first at line {first_line[rec.record_id]})",
                    line=rec.line,
                    record=rec.record_id,
                )
            first_line[rec.record_id] = rec.line
            release(elem)
            yield rec

    def _record(self, path: Path, elem: etree._Element) -> Record:
        line = elem.sourceline
        fields: dict[str, str] = {}
        for child in elem:
            if isinstance(child.tag, str) and (value := clean(child.text)):
                fields[etree.QName(child).localname] = re.sub(r"\s+", " ", value)
        country, item = fields.get("Country"), fields.get("Item")
        if not country or not item:
            raise LoadError(path, "a record without Country or Item", line=line)
        record_id = self._record_id(path, line, country, fields.get("Schedule"), item)

        # A stray separator ends some names ("General Intelligence Directorate;").
        entity = (fields.get("EntityOrShip") or fields.get("Entity") or "").rstrip(",; ")
        person = " ".join(p for p in (fields.get("GivenName"), fields.get("LastName")) if p).rstrip(",; ")
        if not (entity or person):
            raise LoadError(path, "the record has no name", line=line, record=record_id)
        ship_imo = fields.get("ShipIMONumber")
        schema = "Vessel" if ship_imo else "Organization" if entity else "Person"
        rec = Record(
            dataset=self.meta.dataset, record_id=record_id, schema=schema, name=entity or person, line=line
        )
        rec.extra = fields  # every element as written, by its tag
        rec.sanctions.append(
            Sanction(*self.described.designated_by, country, listed_on=full_date(fields.get("DateOfListing")))
        )
        if ship_imo:
            rec.identifiers.append(f"IMO {ship_imo}")
        for alias, lang in _aliases(fields.get("Aliases")):
            if alias != rec.name and all(alias != n.value for n in rec.names):
                rec.names.append(Name(alias, "aka", lang=lang))
        born = fields.get("DateOfBirthOrShipBuildDate") or fields.get("DateOfBirth")
        if born and schema == "Person":
            dates = _dates_of_birth(born)
            if not dates:
                self.warn(path, line, f"record {record_id}: unreadable date of birth {born!r}")
            rec.birth_dates += dates
        return rec

    def _record_id(self, path: Path, line: int, country: str, schedule: str | None, item: str) -> str:
        english = country.split("/")[0].strip()
        regime = REGIME_SLUGS.get(english) or re.sub(r"[^a-z0-9]+", "-", english.lower()).strip("-")
        part = _part(regime, schedule)
        if part is None and schedule:  # a Schedule written in a form _part does not know
            part = re.sub(r"[^a-z0-9.]+", "-", schedule.lower()).strip("-")
            self.warn(path, line, f"unknown Schedule form {schedule!r}: the id uses it as written")
        return "-".join(p for p in (regime, part, item) if p)


def _part(regime: str, schedule: str | None) -> str | None:
    """The part of the id that says where in the regulation the item is; None if the
    Schedule is in a form this rule does not know."""
    if not schedule or schedule.upper() == "N/A" or regime in NO_PARTS:
        return ""
    if m := _PART.fullmatch(schedule):
        number, part = m.groups()
        return f"p{part}" if number in (None, "1") else f"s{number}-p{part}"
    if _NUMBER.fullmatch(schedule):
        return f"s{schedule}" if regime in SEVERAL_SCHEDULES and schedule != "1" else f"p{schedule}"
    return None


def _aliases(text: str | None) -> list[tuple[str, str | None]]:
    """The comma- (or semicolon-) separated Aliases, each with the language its label names
    ("Russian: Николай Лукашенко"). A comma inside a name is not a separator
    (`_split_aliases`); a legal form written apart joins the name next to it."""
    pieces = _split_aliases(text or "")
    names: list[str] = []
    for i, piece in enumerate(pieces):
        if piece.casefold() in LEGAL_FORMS:
            if names and pieces[i - 1]:
                names[-1] += f", {piece}"
                continue
            if i + 1 < len(pieces) and pieces[i + 1]:
                pieces[i + 1] = f"{piece}, {pieces[i + 1]}"
                continue
        if piece:
            names.append(piece)
    out = []
    for name in names:
        if labelled := _LANGUAGE_LABEL.match(name):
            language = "Belarusian" if labelled.group(1).startswith("Belaru") else labelled.group(1)
            out.append((labelled.group(2).strip(), language))
        else:
            out.append((name, None))
    return out


#: A comma written inside the closing quote of a name, before the next alias:
#: `…По Релейной Технике," СКТБ РТ` is `…Технике",` then `СКТБ РТ`.
_COMMA_IN_QUOTE = re.compile(r',(["”»])(?=\s|$)')
#: "and"/"or" opening an alias after a comma: "X, and Y" lists two names.
_CONJUNCTION = re.compile(r"^(?:and|or)\s+(?=\S)")


def _split_aliases(text: str) -> list[str]:
    """The pieces of an Aliases field, split at semicolons and at commas outside «…»
    (a name in guillemets may hold commas: «Добровольное общество содействия армии,
    авиации и флоту России»), with a comma written inside a closing quote moved out of
    it and an "and"/"or" that opens a piece left out. Guillemets that do not close again
    within a semicolon-separated part say nothing of where names end: its commas all
    separate."""
    pieces: list[str] = []
    for part in _COMMA_IN_QUOTE.sub(r"\1,", text).split(";"):
        depth, start, cuts = 0, 0, []
        for i, char in enumerate(part):
            if char == "«":
                depth += 1
            elif char == "»":
                depth = max(0, depth - 1)
            elif char == "," and depth == 0:
                cuts.append(part[start:i])
                start = i + 1
        cuts.append(part[start:])
        if depth:
            cuts = part.split(",")
        pieces += [_CONJUNCTION.sub("", c.strip()) for c in cuts]
    return pieces


def _dates_of_birth(text: str) -> list[str]:
    """ "1965-04-29", "1972", "1963 or 1964", "1963-1964", " 1953-10-27" → ISO dates."""
    dates: list[str] = []
    for part in re.split(r"\s+or\s+", text.strip(), flags=re.IGNORECASE):
        if years := _YEAR_RANGE.fullmatch(part.strip()):
            found = date_range(*years.groups())
        else:
            found = [d] if (d := partial_date(part)) else []
        dates += [d for d in found if d not in dates]
    return dates
