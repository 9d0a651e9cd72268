"""Australia's Consolidated List (Department of Foreign Affairs and Trade,
regulation8_consolidated.xlsx): every person and entity under Australian targeted
financial sanctions, UN regimes and Australia's autonomous ones.

One sheet, one row per name. The header (Reference, Name of Individual or Entity, Type,
Name Type, Date of Birth, Place of Birth, Citizenship, Address, Additional Information,
Listing Information, Committees, Control Date) is read by column name. A target is a
Reference: "471" is the primary-name row, "471a", "471b", "471b1" … its aliases (Name
Type "aka", "Original Script", "Formerly known as"), which repeat or amend the target's
other cells. The rows of a Reference are folded into one Record whose record_id is the
bare number.

Regimes. `Committees` names the regime: one Sanction per regime, its spelling normalised
(whitespace, dash variants: "Autonomous (Thematic – Corruption)" and "Autonomous
(Thematic - Corruption) " are one regime); data/programs/au.yaml maps the spellings to
programs and families.

Dates. `Listing Information` is free text naming the instrument; where it states the
listing date ("Listed on: 25 Apr. 2006", "Listed by UN 1267 Committee on 25 January
2001", "Designated under the Autonomous Sanctions Regulations 2011 on 2 March 2012",
"The Minister for Foreign Affairs listed this entity on 21 December 2001", or a date on
its own) that date is `listed_on`: the earliest such date, since a text may go on to
re-listings. Amendment, re-listing and "last listed" dates are not listing dates. Where
it states none (an instrument's title), `Control Date` gives a bound only: it is the
date of listing or of the last amendment, whichever is later, so the target was listed
on or before the earliest Control Date of its rows (`listed_by`), never on it. The
primary row's texts stay in Sanction.extra (an alias row's own Listing Information,
"Listed on 16 May 2014", dates the alias, not the target).

Dates of birth are read as precise as written, every date a cell gives ("a) 1 Jan. 1967
b) 1968", "Between 1968 and 1973" → each year); a cell that is more than one plain date
stays as written in Record.extra, and what looks like a date but cannot be read (a
two-digit year: "23-Apr-68") is a warning, never a guess. Citizenship becomes ISO codes
where the country is recognised, the words as written where not ("Congolese", "Possibly
Ethiopian").

The file states no list date: `published_on` stays None unless the file name carries one.
Its newest Control Date is a bound the file does state: the list is of that day or later
(`newest_entry_on`, said beside "undated" wherever an absence rests on the list).

The workbook is read with python-calamine (a Rust reader, ~0.2 s for the whole list
against ~1.5 s with openpyxl); the list is about 10,000 rows, held in memory while the
rows of each Reference are gathered (one Reference's rows are not always adjacent).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from loaders.base import (
    Loader,
    LoadError,
    add_new,
    approximate,
    check_workbook_xml,
    clean,
    country_code,
    date_range,
    first_line,
    iso_date,
    one_file,
    unique,
)
from loaders.records import Name, Record, Sanction

DATASET = "au-dfat"

REFERENCE, NAME, TYPE, NAME_TYPE = "Reference", "Name of Individual or Entity", "Type", "Name Type"
BIRTH_DATE, BIRTH_PLACE, CITIZENSHIP, ADDRESS = "Date of Birth", "Place of Birth", "Citizenship", "Address"
INFORMATION, LISTING, COMMITTEES, CONTROL_DATE = (
    "Additional Information",
    "Listing Information",
    "Committees",
    "Control Date",
)
COLUMNS = (
    REFERENCE,
    NAME,
    TYPE,
    NAME_TYPE,
    BIRTH_DATE,
    BIRTH_PLACE,
    CITIZENSHIP,
    ADDRESS,
    INFORMATION,
    LISTING,
    COMMITTEES,
    CONTROL_DATE,
)
#: Without these a row cannot be placed; the others are read when present.
REQUIRED = (REFERENCE, NAME, TYPE, NAME_TYPE, LISTING, COMMITTEES, CONTROL_DATE)
#: What sniff looks for in the header.
SIGNATURE = {REFERENCE, NAME, NAME_TYPE, COMMITTEES, CONTROL_DATE}
#: The header is on the first row; a title row or two above it is tolerated.
HEADER_WITHIN = 5

SCHEMAS = {
    "individual": "Person",
    "entity": "Organization",
    "vessel": "Vessel",
    "ship": "Vessel",
    "aircraft": "Aircraft",
}
#: Name Type (lowercased, spacing collapsed) → Name.kind. The real file also writes
#: "Primary name", "primary Name", "Aka ", "AKA", "original script" …
NAME_KINDS = {
    "primary name": "primary",
    "primary": "primary",
    "primay name": "primary",
    "aka": "aka",
    "a": "aka",
    "alias": "aka",
    "original script": "variation",
    "formerly known as": "fka",
    "previously listed as": "fka",
}
#: Cells that say "nothing": the file writes NA for no address (and "na" is Namibia's code).
NOTHING = {"na", "n/a", "n.a.", "-", "--", "none", "unknown", "not known"}

# -- dates ---------------------------------------------------------------------------------

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
#: A full date as the Listing Information writes it: "25 Apr. 2006", "16 Jul.2020",
#: "13 Sept. 2007", "5/02/2022".
_FULL_DATE = rf"\d{{1,2}}\s*{_MONTH}\.?,?\s*\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}}"
#: A listing cue and the date it states: "Listed on: …", "Listed by the UN 1267 Committee
#: on …", "Listed by UN (1267 Committee) on …", "Designated under the Autonomous Sanctions
#: Regulations 2011 on …", "The Minister for Foreign Affairs listed this entity on …",
#: "First listed on …", "Listed 11 May 2010". Not "Relisted", "re-listed", "Last listed",
#: "Formerly listed on the RBA Consolidated List"; the cue and its date lie in one sentence.
_LISTED = re.compile(
    r"(?<![\w-])(?<!last )(?<!formerly )(?<!previously )(?:listed|designated)\b"
    rf"(?P<between>[^.;]{{0,200}}?)(?:\bon\b)?\s*:?\s*(?P<date>{_FULL_DATE})",
    re.IGNORECASE,
)
#: Words that make the date after a cue something else than the listing date.
_NOT_LISTING = re.compile(r"amend|re-?list|afresh|declared|continue|updated|modified", re.IGNORECASE)
_LEADING_DATE = re.compile(rf"\s*(?P<date>{_FULL_DATE})", re.IGNORECASE)

#: Date of Birth, scanned in this order; what a pattern reads is blanked out.
_BIRTH_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("iso", re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")),
    (
        "between_months",
        re.compile(rf"between\s+({_MONTH})\.?\s+and\s+({_MONTH})\.?\s+(\d{{4}})\b", re.IGNORECASE),
    ),
    ("between_years", re.compile(r"between\s+(\d{4})\s+(?:and|to)\s+(\d{4})\b", re.IGNORECASE)),
    ("year_range", re.compile(r"\b(\d{4})\s*(?:-|–|/|to)\s*(\d{4})\b", re.IGNORECASE)),
    ("dmy", re.compile(r"\b(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{4})\b")),
    (
        "d_month_y",
        re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?[\s.\-]*({_MONTH})\.?[\s,\-]*(\d{{4}})\b", re.IGNORECASE),
    ),
    ("month_d_y", re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),\s*(\d{{4}})\b", re.IGNORECASE)),
    ("y_d_month", re.compile(rf"\b(\d{{4}}),\s*(\d{{1,2}})\s+({_MONTH})\b", re.IGNORECASE)),
    ("month_y", re.compile(rf"\b({_MONTH})\.?,?\s*(\d{{4}})\b", re.IGNORECASE)),
    ("m_y", re.compile(r"\b(\d{1,2})/(\d{4})\b")),
    ("year", re.compile(r"\b(\d{4})\b")),
)
#: A date in another calendar: kept in the text, not read.
_HIJRI = re.compile(r"\S+\s*\(Hijri(?: Calendar)?\)", re.IGNORECASE)
#: What is left after the scan and still looks like a date: a two-digit year ("07/04/62",
#: "23-Apr-68") or digits run together ("10/061962"). Read as nothing, and said.
_LEFT_DATE = re.compile(
    rf"\b\d{{1,2}}\s*[/.\-]\s*(?:\d{{1,2}}|{_MONTH})\.?\s*[/.\-]\s*\d{{2}}\b|\b\d{{1,2}}/\d{{5,}}\b",
    re.IGNORECASE,
)

# -- countries -----------------------------------------------------------------------------

_PARENTHESES = re.compile(r"\s*\([^()]*\)?")
_IMO = re.compile(r"\bIMO(?:\s+(?:number|no\.?))?\s*:?\s*(\d{7})\b", re.IGNORECASE)
_GENDER = re.compile(r"^(male|female)\b|\bgender\s*:\s*(male|female)\b", re.IGNORECASE)


class DfatLoader(Loader):
    name = "au-dfat"
    description = "Australia's Consolidated List (DFAT regulation8_consolidated.xlsx)"
    datasets = (DATASET,)

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() != ".xlsx":
            return False
        try:
            head = _sheet(path, rows=HEADER_WITHIN)
        except LoadError:
            return False
        return any(SIGNATURE <= {c for c in map(_text, cells) if c} for cells in head)

    def read(self, paths: Sequence[Path]) -> Iterator[Record]:
        path = one_file(paths, "the one Consolidated List file (regulation8_consolidated.xlsx)")
        self.describe(DATASET)
        self.add_file(path)
        targets: dict[str, list[tuple[int, dict]]] = {}
        for line, row in self._rows(path):
            targets.setdefault(_base(path, line, row[REFERENCE]), []).append((line, row))
        if not targets:
            raise LoadError(path, "the sheet has a header but no entries")
        self.date_from_name(path)
        controls = [
            d for rows in targets.values() for _, row in rows if (d := _as_date(row.get(CONTROL_DATE)))
        ]
        self.meta.newest_entry_on = max(controls, default=None)
        for reference, rows in targets.items():
            yield self._record(path, reference, rows)

    # -- rows ------------------------------------------------------------------------------

    def _rows(self, path: Path) -> Iterator[tuple[int, dict]]:
        """(line, {column: value}) of each data row: text, or a date where the cell is one."""
        header: list[str] | None = None
        for line, cells in enumerate(_sheet(path), 1):
            values = [_value(c) for c in cells]
            texts = self.cleaned(path, line, [v if isinstance(v, str) else None for v in values])
            values = [t if isinstance(v, str) else v for v, t in zip(values, texts)]
            if header is None:
                if len(SIGNATURE & {_text(v) for v in values}) >= 2:
                    header = self._header(path, line, values)
                elif line >= HEADER_WITHIN:
                    raise LoadError(
                        path,
                        "no Consolidated List header (Reference, Name of Individual "
                        f"or Entity, …, Control Date) in the first {HEADER_WITHIN} rows",
                        line=line,
                    )
                continue
            if not any(v for v in values if v is not None):
                continue
            row = {name: values[i] if i < len(values) else None for i, name in enumerate(header) if name}
            if not row.get(NAME):
                self.warn(
                    path,
                    line,
                    f"Reference {_text(row.get(REFERENCE))}: the row has no name "
                    "(Name of Individual or Entity): not loaded",
                )
                continue
            yield line, row
        if header is None:
            raise LoadError(
                path,
                "the sheet is empty: no header row (Reference, Name of Individual "
                "or Entity, …, Control Date)",
            )

    def _header(self, path: Path, line: int, values: list) -> list[str]:
        header = [_text(v) or "" for v in values]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise LoadError(
                path, f"not the Consolidated List header: no column {', '.join(missing)}", line=line
            )
        for column in COLUMNS:
            if column not in header:
                self.warn(path, line, f"no column {column!r}: its values are not loaded")
        return header

    # -- one target --------------------------------------------------------------------------

    def _record(self, path: Path, reference: str, rows: list[tuple[int, dict]]) -> Record:
        line = rows[0][0]
        kinds = [self._name_kind(path, row_line, row) for row_line, row in rows]
        primaries = [i for i, kind in enumerate(kinds) if kind == "primary"]
        if not primaries:
            self.warn(
                path,
                line,
                f"Reference {reference} has no primary-name row: "
                f"named by its first row ({_text(rows[0][1][REFERENCE])})",
            )
        elif len(primaries) > 1:
            self.warn(
                path,
                rows[primaries[1]][0],
                f"Reference {reference} has {len(primaries)} primary-name rows: the first names it",
            )
        first = primaries[0] if primaries else 0
        main_line, main = rows[first]
        written_type = _text(main[TYPE]) or ""
        schema = SCHEMAS.get(" ".join(written_type.split()).lower())
        if schema is None:
            self.warn(path, main_line, f"Reference {reference}: unknown Type {written_type!r}")
        rec = Record(
            dataset=DATASET,
            record_id=reference,
            schema=schema or "Organization",
            name=_text(main[NAME]) or "",
            line=main_line,
        )
        names = {rec.name}
        for i in [first] + [i for i in range(len(rows)) if i != first]:
            spelling = _text(rows[i][1][NAME]) or ""
            if spelling not in names:
                names.add(spelling)
                rec.names.append(Name(spelling, kinds[i] if kinds[i] != "primary" else "aka"))
        references = [_text(row[REFERENCE]) for _, row in rows]
        if references != [reference] and len(rows) > 1:
            rec.extra["references"] = ", ".join(r for r in references if r)

        # Alias rows mostly repeat the target's cells: each distinct value is read once.
        birth_texts: list[str] = []
        for row_line, value in _distinct(rows, BIRTH_DATE):
            self._birth_dates(path, row_line, reference, value, rec, birth_texts)
        for _, value in _distinct(rows, BIRTH_PLACE):
            add_new(rec.birth_places, _items(value))
        citizenship_texts: list[str] = []
        for _, value in _distinct(rows, CITIZENSHIP):
            self._citizenship(value, rec, citizenship_texts)
        for _, value in _distinct(rows, ADDRESS):
            for address in _items(value):
                add_new(rec.addresses, [address])
                add_new(rec.countries, [c for c in [_address_country(address)] if c])
        for _, value in _distinct(rows, INFORMATION):
            add_new(rec.notes, [t for t in [_text(value)] if t])
        if birth_texts:
            rec.extra["date_of_birth"] = "; ".join(birth_texts)
        if citizenship_texts:
            rec.extra["citizenship"] = "; ".join(citizenship_texts)
        for note in rec.notes:
            add_new(rec.identifiers, [f"IMO {n}" for n in _IMO.findall(note)])
            if rec.gender is None and rec.schema == "Person" and (found := _GENDER.search(note)):
                rec.gender = (found.group(1) or found.group(2)).lower()

        regimes: dict[str, list[int]] = {}
        for i, (row_line, row) in enumerate(rows):
            if regime := normalise_regime(_text(row.get(COMMITTEES))):
                regimes.setdefault(regime, []).append(i)
        if not regimes:
            raise LoadError(path, "the target names no regime (Committees)", line=main_line, record=reference)
        for regime, indexes in regimes.items():
            main_line, main = rows[first if first in indexes else indexes[0]]
            rec.sanctions.append(
                self._sanction(path, reference, regime, [rows[i] for i in indexes], main_line, main)
            )
        return rec

    def _name_kind(self, path: Path, line: int, row: dict) -> str:
        written = " ".join((_text(row.get(NAME_TYPE)) or "").split()).lower()
        kind = NAME_KINDS.get(written)
        if kind is None:
            self.warn(
                path,
                line,
                f"Reference {_text(row[REFERENCE])}: unknown Name Type "
                f"{row.get(NAME_TYPE)!r}, read as an alias",
            )
        return kind or "aka"

    def _sanction(
        self,
        path: Path,
        reference: str,
        regime: str,
        rows: list[tuple[int, dict]],
        main_line: int,
        main_row: dict,
    ) -> Sanction:
        """The designation under one regime: `rows` are the target's rows that name it,
        `main_row` the primary-name row among them (else the first)."""
        listing = main_row.get(LISTING)
        listed_on = listing_date(listing)
        extra: dict[str, str] = {}
        if text := _text(listing):
            extra["listing_information"] = text
        others = unique(
            t for _, row in rows if (t := _text(row.get(LISTING))) and t != extra.get("listing_information")
        )
        if others:
            extra["alias_listing_information"] = " | ".join(others)
        written = unique(" ".join(t.split()) for _, row in rows if (t := _text(row.get(COMMITTEES))))
        if written != [regime]:
            extra["committees"] = " | ".join(written)
        controls = []
        for row_line, row in rows:
            value = row.get(CONTROL_DATE)
            found = _as_date(value)
            if found:
                controls.append(found)
            elif value is not None:
                self.warn(path, row_line, f"Reference {reference}: unreadable Control Date {value!r}")
        if (control := _as_date(main_row.get(CONTROL_DATE))) is not None:
            extra["control_date"] = control.isoformat()
        if len(set(controls)) > 1:
            extra["control_dates"] = ", ".join(d.isoformat() for d in sorted(set(controls)))
        listed_by = None
        if listed_on is None:
            listed_by = min(controls, default=None)
        elif controls and listed_on > min(controls):
            self.warn(
                path,
                main_line,
                f"Reference {reference}: listed on {listed_on} by its Listing "
                f"Information, after its Control Date {min(controls)}",
            )
        return Sanction(
            *self.described.designated_by, regime, listed_on=listed_on, listed_by=listed_by, extra=extra
        )

    def _birth_dates(
        self, path: Path, line: int, reference: str, value, rec: Record, texts: list[str]
    ) -> None:
        if value is None:
            return
        if isinstance(value, date):
            add_new(rec.birth_dates, [value.isoformat()])
            return
        text = " ".join(value.split())
        if text.lower() in NOTHING:
            return
        found, unread = birth_dates(text)
        add_new(rec.birth_dates, found)
        if approximate(text):  # the whole cell ("Approximately 1955- 1958"), not one of its parts
            add_new(rec.approximate_birth_dates, found)
        if not (len(found) == 1 and found[0] == _plain(text)):
            add_new(texts, [text])
        if unread:
            self.warn(
                path,
                line,
                f"Reference {reference}: unreadable date of birth {' / '.join(unread)!r} in {text!r}",
            )

    def _citizenship(self, value, rec: Record, texts: list[str]) -> None:
        text = _text(value)
        if not text or text.strip(" .;,").lower() in NOTHING:
            return
        text = " ".join(text.split())
        add_new(rec.nationalities, nationalities(text))
        if not country(text.strip(" .;,")):  # qualified, several, or unrecognised: kept as written
            add_new(texts, [text])


# -- the workbook ------------------------------------------------------------------------------


def _sheet(path: Path, rows: int | None = None) -> list[list]:
    """The cells of the first sheet, from its first row (so index + 1 is the line); a file
    that is no readable workbook is a LoadError."""
    check_workbook_xml(path)
    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            if not book.sheet_names:
                raise LoadError(path, "the workbook has no sheet")
            sheet = book.get_sheet_by_index(0)
            if sheet.start is None:
                return []
            found = []
            for i, cells in enumerate(sheet.iter_rows()):
                if rows is not None and i >= rows:
                    break
                found.append(cells)
            return found
    except CalamineError as e:
        raise LoadError(path, f"not a readable xlsx workbook ({first_line(e)})") from None
    except (OSError, ValueError, EOFError) as e:
        raise LoadError(path, f"not a readable xlsx workbook ({first_line(e)})") from None


def _value(cell):
    """A cell as text, or as a date where the sheet holds one; empty → None."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else str(cell)
    return str(cell)


def _text(value) -> str | None:
    """A value as text: a date in ISO form."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return clean(str(value))


def _as_date(value) -> date | None:
    """A Control Date: a date cell, or text that is one full date."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _LEADING_DATE.fullmatch(value.strip()):
        return next(iter(_full_dates(value)), None)
    return None


def _distinct(rows: list[tuple[int, dict]], column: str) -> list[tuple[int, object]]:
    """(line, value) of each distinct value of a column over a target's rows, first seen first."""
    seen: dict[object, int] = {}
    for line, row in rows:
        value = row.get(column)
        if value is not None and value not in seen:
            seen[value] = line
    return [(line, value) for value, line in seen.items()]


def _base(path: Path, line: int, reference) -> str:
    """ "471b1" → "471": the target the row belongs to."""
    text = _text(reference) or ""
    found = re.match(r"\s*(\d+)", text)
    if not found:
        raise LoadError(path, f"the row's Reference {text!r} is not a number (471, 471a, …)", line=line)
    return str(int(found.group(1)))


# -- cells ---------------------------------------------------------------------------------------


def normalise_regime(text: str | None) -> str | None:
    """One spelling per regime: spacing collapsed, every dash a hyphen with spaces
    around it where the list puts spaces ("Thematic – Corruption" → "Thematic - Corruption")."""
    if not text:
        return None
    text = re.sub(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]", "-", text)
    return " ".join(text.split()) or None


def listing_date(value) -> date | None:
    """The listing date Listing Information states, or None (see the module docstring)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = re.sub(r"(?i)\blistedon\b", "listed on", " ".join(value.split()))
    found = [
        d
        for m in _LISTED.finditer(text)
        if not _NOT_LISTING.search(m.group("between"))
        for d in _full_dates(m.group("date"))
    ]
    if leading := _LEADING_DATE.match(text):
        found += _full_dates(leading.group("date"))
    return min(found, default=None)


def _full_dates(text: str) -> list[date]:
    out = []
    for m in re.finditer(
        rf"(\d{{1,2}})\s*({_MONTH})\.?,?\s*(\d{{4}})|(\d{{1,2}})/(\d{{1,2}})/(\d{{4}})", text, re.IGNORECASE
    ):
        try:
            if m.group(2):
                out.append(date(int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1))))
            else:
                out.append(date(int(m.group(6)), int(m.group(5)), int(m.group(4))))
        except ValueError:
            pass
    return out


def birth_dates(text: str) -> tuple[list[str], list[str]]:
    """Every date a Date of Birth cell writes, in ISO form as precise as written, and the
    parts that look like dates but cannot be read (a two-digit year). "a) 1 Jan. 1967
    b) 1968", "Between 1968 and 1973" (six years), "Approximately 1955- 1958", "March
    1968 to March 1969" (both ends), "23/06/1402 (Hijri Calendar)" (not read)."""
    rest = _HIJRI.sub(" ", " ".join(text.split()))
    found: list[str] = []
    for kind, pattern in _BIRTH_PATTERNS:

        def read(m: re.Match, kind: str = kind) -> str:
            values = _birth_values(kind, m.groups())
            if values is None:
                return m.group()  # not a date after all: left for the check below
            found.extend(values)
            return " " * len(m.group())

        rest = pattern.sub(read, rest)
    unread = [m.group() for m in _LEFT_DATE.finditer(rest)]
    unread += [m.group() for m in re.finditer(r"\b\d{4}\b", rest)]  # a year out of range
    if not found and not unread:
        unread = [text]
    return unique(found), unread


def _birth_values(kind: str, g: tuple[str, ...]) -> list[str] | None:
    def iso(year: str, month: str | int | None = None, day: str | None = None) -> str | None:
        if int(year) > date.today().year:
            return None
        if isinstance(month, str) and not month.isdigit():
            month = _MONTHS[month[:3].lower()]
        return iso_date(year, None if month is None else str(month), day)

    values: Sequence[str | None]
    if kind == "between_months":
        values = [iso(g[2], g[0]), iso(g[2], g[1])]
    elif kind in ("between_years", "year_range"):
        if not (iso(g[0]) and iso(g[1])):
            return None
        values = date_range(g[0], g[1])
    elif kind == "iso":
        values = [iso(g[0], g[1], g[2])]
    elif kind == "dmy" or kind == "d_month_y":
        values = [iso(g[2], g[1], g[0])]
    elif kind == "month_d_y":
        values = [iso(g[2], g[0], g[1])]
    elif kind == "y_d_month":
        values = [iso(g[0], g[2], g[1])]
    elif kind == "month_y" or kind == "m_y":
        values = [iso(g[1], g[0])]
    else:
        values = [iso(g[0])]
    if not all(values):
        return None
    return [v for v in values if v]


def _plain(text: str) -> str | None:
    """The ISO form of a cell that is exactly one date and nothing else."""
    found, unread = birth_dates(text)
    if len(found) != 1 or unread:
        return None
    rest = re.sub(r"[\s.,;]", "", text)
    return (
        found[0]
        if re.fullmatch(rf"[\d/\-]+|\d{{1,2}}{_MONTH}\d{{4}}|{_MONTH}\d{{4}}", rest, re.IGNORECASE)
        else None
    )


def nationalities(text: str) -> list[str]:
    """ISO codes where the country is recognised, the words as written where not:
    "a) German b) Moroccan" → DE, MA; "Australia and Egypt" → AU, EG; "Possibly
    Ethiopian" and "Kuwaiti citizenship withdrawn in 2002" stay as written."""
    whole = " ".join(text.split()).strip(" .;,")
    if code := country(_PARENTHESES.sub("", whole)):
        return [code]
    out: list[str] = []
    for item in _items(whole):
        for part in re.split(r"\s*[;,/]\s*", item):
            part = part.strip(" .;,")
            if not part:
                continue
            bare = _PARENTHESES.sub("", part).strip(" .;,")
            if code := country(bare):
                out.append(code)
                continue
            pieces = re.split(r"\s+and\s+", bare)
            codes = [country(p) for p in pieces]
            if len(pieces) > 1 and all(codes):
                out.extend(c for c in codes if c)
            else:
                out.append(part)
    return unique(out)


@lru_cache(maxsize=4096)
def country(text: str | None) -> str | None:
    """ISO alpha-2 for a whole country name or adjective ("Afghan"), else None: only
    exact names, never the nearest (a cell's pieces are often places, not countries)."""
    if not text:
        return None
    s = " ".join(text.split()).strip(" .").lower()
    if not s or s in NOTHING:
        return None
    return country_code(s, fuzzy=False)


def _address_country(address: str) -> str | None:
    bare = _PARENTHESES.sub("", address).strip(" .;,")
    return country(bare) or country(bare.rsplit(",", 1)[-1])


def _items(value) -> list[str]:
    """A cell's entries: "a) X b) Y; c) Z" → [X, Y, Z]; otherwise the cell; "NA" → []."""
    text = _text(value)
    if not text:
        return []
    text = " ".join(text.split())
    if text.strip(" .;,").lower() in NOTHING:
        return []
    marks: list[tuple[int, int]] = []
    position = 0
    for letter in "abcdefghijklmnopqrstuvwxyz":
        mark = re.compile(rf"(?:^|(?<=[\s;,.]))\(?{letter}\)\s*").search(text, position)
        if not mark or (letter == "a" and mark.start() != 0):
            break
        marks.append((mark.start(), mark.end()))
        position = mark.end()
    if not marks:
        return [text.strip(" ;,")]
    items = [
        text[end : (marks[i + 1][0] if i + 1 < len(marks) else len(text))].strip(" ;,")
        for i, (_, end) in enumerate(marks)
    ]
    return [i for i in items if i and i.lower() not in NOTHING]
