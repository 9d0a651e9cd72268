"""OpenSanctions' CSV of a consolidated EU Official Journal annex
(`datasets/eu/journal_sanctions/data/consolidated/<celex>.csv`; research/formats.md §4b).

Not an official EU format, but the one real file that carries the EU's Xinjiang
designations (Regulation 2020/1998, Annex I). One row per designated target and legal
context; the header is fixed (FORMAT.md of that folder). Every entity column except
`name` is multi-valued, separated by ";" (a value holding ";" is quoted inside the
cell); commas are never separators. The file states no list date.

The key is annex + recordId ("I.A-5"): record numbers restart in each annex. A row
repeated for another measure or program of the same record adds to that record; a
consolidated annex is one regulation's, so its rows are grouped in memory.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from loaders.base import (
    Loader,
    LoadError,
    add_new,
    clean,
    country_code,
    country_codes,
    date_range,
    full_date,
    one_file,
    open_text,
    partial_date,
)
from loaders.records import Name, Record, Sanction

HEADER = [
    "celex",
    "recordId",
    "programKey",
    "annex",
    "measure",
    "startDate",
    "reason",
    "schema",
    "name",
    "alias",
    "weakAlias",
    "previousName",
    "country",
    "nationality",
    "jurisdiction",
    "birthDate",
    "birthPlace",
    "position",
    "passportNumber",
    "gender",
    "appearance",
    "ethnicity",
    "fatherName",
    "motherName",
    "incorporationDate",
    "legalForm",
    "sector",
    "registrationNumber",
    "taxNumber",
    "idNumber",
    "innCode",
    "ogrnCode",
    "kppCode",
    "okpoCode",
    "leiCode",
    "swiftBic",
    "ticker",
    "imoNumber",
    "mmsi",
    "flag",
    "address",
    "phone",
    "email",
    "website",
    "notes",
]
SCHEMAS = {
    "Person": "Person",
    "LegalEntity": "Organization",
    "Organization": "Organization",
    "Company": "Organization",
    "Vessel": "Vessel",
}
NAME_COLUMNS = {"alias": ("aka", "strong"), "weakAlias": ("aka", "weak"), "previousName": ("fka", "strong")}
ID_COLUMNS = (
    "passportNumber",
    "registrationNumber",
    "taxNumber",
    "idNumber",
    "innCode",
    "ogrnCode",
    "kppCode",
    "okpoCode",
    "leiCode",
    "swiftBic",
    "ticker",
    "imoNumber",
    "mmsi",
)
#: Columns kept verbatim in extra: what the model has no field for.
EXTRA_COLUMNS = (
    "country",
    "jurisdiction",
    "appearance",
    "ethnicity",
    "fatherName",
    "motherName",
    "incorporationDate",
    "legalForm",
    "sector",
    "flag",
    "phone",
    "email",
    "website",
)
_CELEX = re.compile(r"3(\d{4})[RDL](\d{4})")


class EuOjCsvLoader(Loader):
    name = "eu-oj-csv"
    description = "OpenSanctions' CSV of a consolidated EU Official Journal annex (e.g. 32020R1998.csv)"
    #: One dataset per act, named by it: eu-oj-2020-1998.
    datasets = ("eu-oj-*",)

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() != ".csv":
            return False
        with open(path, "rb") as f:
            head = f.read(len(",".join(HEADER)) + 3).removeprefix(b"\xef\xbb\xbf")
        return head.startswith(",".join(HEADER[:4]).encode())

    def read(self, paths: Sequence[Path]) -> Iterator[Record]:
        path = one_file(paths, "one consolidated annex CSV file")
        self.add_file(path)
        grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
        for line, row in self._rows(path):
            grouped.setdefault(self._record_id(path, line, row), []).append((line, row))
        for record_id, rows in grouped.items():
            yield self._record(path, record_id, rows)

    def _rows(self, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
        with open_text(path) as f:
            reader = csv.reader(f, strict=True)
            try:
                header = next(reader, None)
                if header != HEADER:
                    raise LoadError(
                        path,
                        f"not a consolidated annex CSV: the header differs from {','.join(HEADER[:4])},…",
                        line=1,
                    )
                while True:
                    start = reader.line_num + 1
                    row = next(reader, None)
                    if row is None:
                        return
                    if not any(row):
                        continue
                    if len(row) != len(HEADER):
                        raise LoadError(path, f"expected {len(HEADER)} columns, found {len(row)}", line=start)
                    yield start, {k: v or "" for k, v in zip(HEADER, self.cleaned(path, start, row))}
            except csv.Error as e:
                raise LoadError(path, f"not valid CSV ({e})", line=reader.line_num) from None

    def _record_id(self, path: Path, line: int, row: dict[str, str]) -> str:
        self._dataset(path, line, row["celex"])
        if not row["name"] or row["schema"] not in SCHEMAS:
            raise LoadError(
                path,
                f"every row needs a name and a schema ({', '.join(SCHEMAS)}), "
                f"found {row['name']!r}, {row['schema']!r}",
                line=line,
            )
        if row["recordId"]:
            return f"{row['annex']}-{row['recordId']}"
        # The act prints no number: the name is the only stable handle.
        self.warn(path, line, f"{row['name']!r} has no recordId: keyed by its name")
        return f"{row['annex']}-" + re.sub(r"[^a-z0-9]+", "-", row["name"].lower()).strip("-")

    def _dataset(self, path: Path, line: int, celex: str) -> None:
        """eu-oj-<year>-<number> of the framework act; one file holds one act."""
        found = _CELEX.fullmatch(celex)
        if not found:
            raise LoadError(path, f"celex {celex!r} is not a CELEX number like 32020R1998", line=line)
        dataset = f"eu-oj-{found.group(1)}-{int(found.group(2))}"
        if not self.meta.dataset:
            self.describe(dataset, celex=celex)
        elif dataset != self.meta.dataset:
            raise LoadError(
                path, f"celex {celex} differs from the file's first row ({self.meta.dataset})", line=line
            )

    def _record(self, path: Path, record_id: str, rows: list[tuple[int, dict[str, str]]]) -> Record:
        line, first = rows[0]
        for other_line, row in rows[1:]:
            # Rows of one record repeat its name; another name is another target.
            if (row["name"], row["schema"]) != (first["name"], first["schema"]):
                raise LoadError(
                    path,
                    f"recordId {record_id} names two targets: {first['name']!r} "
                    f"(line {line}) and {row['name']!r}",
                    line=other_line,
                    record=record_id,
                )
        rec = Record(
            dataset=self.meta.dataset,
            record_id=record_id,
            schema=SCHEMAS[first["schema"]],
            name=first["name"],
            line=line,
        )
        for _, row in rows:
            self._facts(path, line, rec, row)
            self._sanction(rec, row)
        return rec

    def _facts(self, path: Path, line: int, rec: Record, row: dict[str, str]) -> None:
        for column, (kind, quality) in NAME_COLUMNS.items():
            for value in _values(row[column]):
                if Name(value, kind, quality) not in rec.names:
                    rec.names.append(Name(value, kind, quality))
        for value in _values(row["birthDate"]):
            dates = _dates(value)
            if not dates:
                self.warn(path, line, f"{rec.record_id}: unreadable birth date {value!r}")
            rec.birth_dates += [d for d in dates if d not in rec.birth_dates]
        for column, field in (
            ("birthPlace", rec.birth_places),
            ("position", rec.positions),
            ("address", rec.addresses),
            ("notes", rec.notes),
        ):
            field += [v for v in _values(row[column]) if v not in field]
        for value in _values(row["nationality"]):
            for part in value.split(", "):
                code = country_code(part)  # adjectives too: "Afghan", "South Sudanese"
                if code and code not in rec.nationalities:
                    rec.nationalities.append(code)
                elif not code:
                    rec.notes.append(f"nationality: {part}")
        # An address ends with its country ("…, Urumqi, Xinjiang …, China"): where the
        # act names no country, that is where the target is.
        for value in _values(row["country"]) + _values(row["jurisdiction"]) + _values(row["flag"]):
            add_new(rec.countries, country_codes(value))
        for address in _values(row["address"]):  # its last part: a country, or a city
            add_new(rec.countries, country_codes(address.rsplit(",", 1)[-1], fuzzy=False))
        rec.gender = rec.gender or (row["gender"].lower() or None)
        rec.identifiers += [
            f"{column} {v}"
            for column in ID_COLUMNS
            for v in _values(row[column])
            if f"{column} {v}" not in rec.identifiers
        ]
        for column in EXTRA_COLUMNS:
            if row[column] and row[column] not in rec.extra.get(column, "").split("; "):
                rec.extra[column] = "; ".join(filter(None, [rec.extra.get(column), row[column]]))

    def _sanction(self, rec: Record, row: dict[str, str]) -> None:
        """One designation per program; a row for another measure adds the measure."""
        program = row["programKey"]
        for sanction in rec.sanctions:
            if sanction.program == program:
                if row["measure"] not in sanction.extra["measure"].split("; "):
                    sanction.extra["measure"] += f"; {row['measure']}"
                return
        rec.sanctions.append(
            Sanction(
                *self.described.designated_by,
                program,
                listed_on=full_date(row["startDate"]),
                reason=row["reason"] or None,
                source_url=self.meta.url,
                extra={"measure": row["measure"], "annex": row["annex"], "start_date": row["startDate"]},
            )
        )


def _values(cell: str) -> list[str]:
    """The values of a multi-valued cell: ";"-separated, quoted where a value holds ";"."""
    if not cell:
        return []
    values = next(csv.reader([cell], delimiter=";", skipinitialspace=True))
    return [v for v in (clean(v) for v in values) if v]


def _dates(value: str) -> list[str]:
    """Birth dates as the Official Journal writes them: "1.10.1981 or 11.11.1981",
    "between 1.1.1961 and 31.12.1963", "1980-1990", "around 1970", "January 1958"."""
    text = re.sub(r"^(around|about|approximately)\s+", "", value.strip(), flags=re.IGNORECASE)
    if between := re.fullmatch(r"between (.+) and (.+)", text, flags=re.IGNORECASE):
        return date_range(*between.groups())
    if years := re.fullmatch(r"(\d{4})\s*-\s*(\d{4})", text):
        return date_range(*years.groups())
    return [d for d in (partial_date(part) for part in re.split(r"\s+or\s+", text)) if d]
