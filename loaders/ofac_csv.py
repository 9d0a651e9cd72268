"""OFAC's legacy CSV set: sdn.csv + add.csv + alt.csv + sdn_comments.csv (SDN list) or
cons_prim.csv + cons_add.csv + cons_alt.csv + cons_comments.csv (non-SDN list).

No header row; "-0- " is empty; CRLF; a 0x1A byte ends each file. The primary file has
12 columns, and its Remarks hold most facts as "; "-separated phrases (DOB, POB,
nationality, IDs, weak a.k.a.s, "Linked To: NAME."). Remarks longer than 1,000
characters continue in the comments file. The side files are joined on ent_num by a
merge over files sorted on it, as OFAC publishes them, so memory stays flat.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from loaders.base import (
    STRONG_ALIASES,
    Loader,
    LoadError,
    add_new,
    approximate,
    country_code,
    date_range,
    open_text,
    partial_date,
    require_files,
)
from loaders.records import Link, Name, Record, Sanction

#: Each list's primary file: its dataset, then its address, alias and comment files.
SETS = {
    "sdn.csv": ("us-ofac-sdn", "add.csv", "alt.csv", "sdn_comments.csv"),
    "cons_prim.csv": ("us-ofac-cons", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"),
}
COLUMNS = {"primary": 12, "address": 6, "alias": 5, "comment": 2}
#: What each kind of side file holds, in SETS' order: without it, what the records lack
#: (SourceMeta.lacks).
HOLDS = {"address": "addresses", "alias": STRONG_ALIASES, "comment": "remarks longer than 1,000 characters"}


def side_files(primary: str) -> dict[str, str]:
    """The side files of the set whose primary file is named `primary`, by kind:
    {"address": "add.csv", "alias": "alt.csv", "comment": "sdn_comments.csv"}."""
    return dict(zip(HOLDS, SETS[primary][1:]))


#: One row of a file: (line, ent_num as written, cells: ent_num first, "-0-" as None).
Row = tuple[int, str, list[str | None]]
SCHEMAS = {"individual": "Person", "vessel": "Vessel", "aircraft": "Aircraft"}
ALIAS_KINDS = {"aka": "aka", "fka": "fka", "nka": "nka"}
VESSEL_FIELDS = ("call_sign", "vessel_type", "tonnage", "grt", "vessel_flag", "vessel_owner")

_ALIAS = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(.*)'$", re.DOTALL)
_ID_WORDS = re.compile(
    r"^(alt\. )?(Passport|National ID No\.|Cedula No\.|Tax ID No\.|Registration (Number|ID)|"
    r"Identification Number|Vessel Registration Identification|Company Number|"
    r"Aircraft (Manufacturer's )?Serial Number|Aircraft Tail Number|Residency Number|"
    r"Driver's License No\.|Business Registration (Number|Document)|SSN|RUC|NIT|C\.U\.R\.P\.|"
    r"R\.F\.C\.|Citizen's Card Number|Personal ID Card|Kenyan ID No\.|Birth Certificate Number|"
    r"Electoral Registry No\.|Commercial Registry Number|Legal Entity Number|UK Company Number|"
    r"Public Security and Immigration No\.|Trade License No\.|Folio Mercantil No\.|D-U-N-S Number|"
    r"Chamber of Commerce Number|Matricula Mercantil No|Refugee ID Card|Stateless Person ID Card|"
    r"Government Gazette Number|Italian Fiscal Code|Afghan Money Service Provider License Number|"
    r"Unified Social Credit Code \(USCC\)|C\.R\. No\.|D\.N\.I\.|V\.A\.T\. Number|MMSI|BIK \(RU\)|"
    r"Economic Register Number \(CBLS\)|Central Registration System Number|National Foreign ID Number|"
    r"Istanbul Chamber of Comm\. No\.)"
    # Not \b: a label ending in "No." is followed by a space, and there is no word
    # boundary between "." and " " (every Tax ID went to the notes while it was \b).
    r"(?!\w)"
)


def programs_of(cell: str | None) -> list[str]:
    """The programs an entry's program cell names, in its order: "UKRAINE-EO13660] [RUSSIA-EO14024"
    (graph/history.py reads them from each version's rows too)."""
    return [p for written in (cell or "").split("] [") if (p := written.strip("[] ")) and p != "-0-"]


class OfacCsvLoader(Loader):
    name = "ofac-sdn-csv"
    description = "OFAC legacy CSV set (sdn.csv + add.csv + alt.csv + sdn_comments.csv, or cons_*)"
    datasets = tuple(s[0] for s in SETS.values())

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if path.is_dir():
            return any((path / primary).exists() for primary in SETS)
        return path.name.lower() in SETS or path.name.lower() in {n for s in SETS.values() for n in s[1:]}

    def read(self, paths: Sequence[Path]) -> Iterator[Record]:
        files = self._files(paths)
        self.describe(SETS[files["primary"].name.lower()][0])
        for path in files.values():
            self.add_file(path)
        self.date_from_name(files["primary"])

        side = {
            kind: _by_ent_num(files[kind], self._rows(files[kind], kind))
            for kind in ("address", "alias", "comment")
            if kind in files
        }
        for line, ent, row in self._rows(files["primary"], "primary"):
            extras = {kind: joiner.take(ent) for kind, joiner in side.items()}
            yield self._record(files["primary"], line, ent, row, extras)
        for kind, joiner in side.items():
            for orphan in joiner.orphans():
                self.warn(files[kind], None, f"ent_num {orphan} is not in {files['primary'].name}")

    def _files(self, paths: Sequence[Path]) -> dict[str, Path]:
        require_files(paths)
        if len(paths) == 1 and paths[0].is_dir():
            folder = paths[0]
            primary = next((folder / p for p in SETS if (folder / p).exists()), None)
            if primary is None:
                raise LoadError(folder, "no sdn.csv or cons_prim.csv in this folder")
            paths = [primary]
        by_name = {p.name.lower(): p for p in paths}
        primary = next((by_name[p] for p in SETS if p in by_name), None)
        if primary is None:
            raise LoadError(paths[0], "expected sdn.csv or cons_prim.csv among the files")
        files = {"primary": primary}
        for kind, name in side_files(primary.name.lower()).items():
            path = by_name.get(name) or primary.with_name(name)
            if path.exists():
                files[kind] = path
            else:
                self.warn(path, None, f"{name} not found: the {kind}es are not loaded")
                self.meta.lacks.append(HOLDS[kind])
        return files

    def _rows(self, path: Path, kind: str) -> Iterator[Row]:
        """The file's rows; the error for a bad row names its line."""
        width = COLUMNS[kind]
        with open_text(path, ("utf-8", "cp1252")) as f:
            reader = csv.reader(f, strict=True)
            ended = False
            while True:
                start = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as e:
                    raise LoadError(path, f"not valid CSV ({e})", line=start) from None
                if row == ["\x1a"] or not row:
                    ended = ended or row == ["\x1a"]
                    continue
                if ended:
                    raise LoadError(path, "data after the end-of-file mark (0x1A)", line=start)
                if len(row) != width:
                    raise LoadError(path, f"expected {width} columns, found {len(row)}", line=start)
                cells = [None if c == "-0-" else c for c in self.cleaned(path, start, row)]
                ent = cells[0]
                if not ent or not ent.isdigit():
                    raise LoadError(path, f"ent_num must be a number, found {row[0]!r}", line=start)
                yield start, ent, cells
            if not ended:
                self.warn(path, reader.line_num, "no end-of-file mark (0x1A): the file may be truncated")

    def _record(
        self, path: Path, line: int, ent: str, row: list[str | None], extras: dict[str, list[Row]]
    ) -> Record:
        name, sdn_type, programs, title = row[1], row[2], row[3], row[4]
        if not name:
            raise LoadError(path, "the entry has no name", line=line, record=ent)
        remarks = (row[11] or "") + "".join(r[1] or "" for _, _, r in extras.get("comment", []))
        rec = Record(
            dataset=self.meta.dataset,
            record_id=ent,
            schema=SCHEMAS.get((sdn_type or "").lower(), "Organization"),
            name=name,
            line=line,
            refs=[f"ofac:{ent}"],
        )
        if title:
            rec.positions.append(title)
        for program in programs_of(programs):
            rec.sanctions.append(Sanction(*self.described.designated_by, program))
        if not rec.sanctions:
            self.warn(path, line, f"ent_num {ent} names no program")
        vessel = {k: v for k, v in zip(VESSEL_FIELDS, row[5:11]) if v}
        rec.extra.update(vessel)
        if vessel.get("vessel_flag") and (flag := country_code(vessel["vessel_flag"])):
            rec.countries.append(flag)
        for _, _, (_, _, kind, alias, _) in extras.get("alias", []):
            if alias:
                rec.names.append(Name(alias, ALIAS_KINDS.get((kind or "").lower(), "aka"), "strong"))
        for _, _, (_, _, street, city, country, note) in extras.get("address", []):
            parts = [p for p in (street, city, country) if p]
            if parts:
                rec.addresses.append(", ".join(parts) + (f" ({note})" if note else ""))
            if (code := country_code(country)) and code not in rec.countries:
                rec.countries.append(code)
        if remarks:
            rec.extra["remarks"] = remarks
            self._remarks(path, line, rec, remarks)
        return rec

    def _remarks(self, path: Path, line: int, rec: Record, remarks: str) -> None:
        for phrase in _phrases(remarks):
            key, _, value = phrase.partition(" ")
            if key == "alt.":
                key, _, value = value.partition(" ")
            if alias := _ALIAS.match(phrase):
                kind = alias.group(1).replace(".", "")
                rec.names.append(Name(alias.group(2), kind, "weak"))
            elif phrase.startswith("Linked To: "):
                rec.links.append(Link("LINKED_TO", phrase[len("Linked To: ") :].strip(), by_name=True))
            elif key == "DOB":
                dates = _dob(value)
                if not dates:
                    self.warn(path, line, f"ent_num {rec.record_id}: unreadable date of birth {value!r}")
                add_new(rec.birth_dates, dates)
                if approximate(value):
                    add_new(rec.approximate_birth_dates, dates)
            elif key == "POB":
                rec.birth_places.append(value)
            elif key in ("nationality", "citizen"):
                code = country_code(value)
                if code and code not in rec.nationalities:
                    rec.nationalities.append(code)
                elif not code:
                    rec.notes.append(phrase)
            elif key == "Gender":
                rec.gender = value.lower()
            elif _ID_WORDS.match(phrase):
                rec.identifiers.append(phrase.removeprefix("alt. "))
            else:
                rec.notes.append(phrase)


def _phrases(remarks: str) -> list[str]:
    """Split Remarks into phrases on "; ", keeping a quoted alias whole.

    The final period ends the sentence, not a name; "Linked To: GALAPAGOS S.A." loses
    it too, and the store matches such names with or without it.
    """
    out: list[str] = []
    for part in remarks.strip().removesuffix(".").split("; "):
        if out and re.match(r"^(alt\. )?[afn]\.k\.a\. '", out[-1]) and not out[-1].endswith("'"):
            out[-1] += "; " + part
        else:
            out.append(part)
    return [p.strip() for p in out if p.strip()]


def _dob(value: str) -> list[str]:
    """ "29 Jun 1983", "1955", "Oct 1966", "circa 1955", "1960 to 1962", "circa 1979-1982"
    → ISO dates."""
    if " to " in value:
        return date_range(*value.split(" to ", 1))
    if years := re.fullmatch(r"(?:circa )?(\d{4})-(\d{4})", value.strip()):
        return date_range(*years.groups())
    d = partial_date(value)
    return [d] if d else []


class _by_ent_num:
    """Rows of a side file grouped by ent_num, taken in step with the primary file. Row by
    row: grouping each ent_num's rows first cost as much as reading them."""

    def __init__(self, path: Path, rows: Iterator[Row]):
        self._path, self._rows = path, rows
        self._orphans: list[int] = []
        self._last = -1
        self._next: tuple[int, Row] | None = None
        self._advance()

    def _advance(self) -> None:
        row = next(self._rows, None)
        if row is None:
            self._next = None
            return
        ent = int(row[1])
        if ent < self._last:
            raise LoadError(self._path, f"not in ent_num order: {ent} after {self._last}", line=row[0])
        self._next = (ent, row)

    def take(self, ent_text: str) -> list[Row]:
        return self._through(int(ent_text))

    def orphans(self) -> list[int]:
        self._through(math.inf)
        return self._orphans

    def _through(self, ent: float) -> list[Row]:
        """The rows of `ent`, every row up to it taken; those of an ent_num before it are
        orphans (the primary file has passed it)."""
        taken: list[Row] = []
        while self._next and self._next[0] <= ent:
            found, row = self._next
            if found == ent:
                taken.append(row)
            elif found != self._last:
                self._orphans.append(found)
            self._last = found
            self._advance()
        return taken
