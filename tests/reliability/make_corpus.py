"""The bad-input corpus: damaged copies of the real list files in data/, for every loader.

    python tests/reliability/make_corpus.py OUT_DIR    # write the files, list the cases

tests/reliability/test_bad_input.py builds the corpus into a temporary folder at each
run (nothing large is committed) and checks what every loader does with each case.

Truncations cut the real file itself, at ten points. Every other damage is done to a
slice of the real file (its first entries, in the same layout), so that the cases that
must load, load in seconds. Each case says what must happen:

- "error": the load stops with a LoadError that names the file and, unless the problem
  is the file as a whole, the line or record; its message contains `says`. `where` is
  "parse" when the loader refuses the file, "write" when only the store can see the
  problem (a record id repeated in a list whose loader streams), inside the load's
  transaction;
- "warning": the file loads with every record of the undamaged slice, and a warning
  containing `says` is counted;
- "loads": the file loads with every record of the undamaged slice.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

DATA = Path(__file__).resolve().parents[2] / "data"
CUTS = 10
#: A name of 10 MB: no list holds one; a damaged file might.
HUGE = 10 * 1024 * 1024
CONTROL = b"\x01\x07\x1b"
#: The same in a JSON string: JSON itself refuses them raw.
CONTROL_JSON = rb"\u0001\u0007\u001b"
DATES = {"impossible": "2021-02-30", "circa": "circa 1955", "unknown-digits": "19XX"}

XXE = '<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = ('<!DOCTYPE {root} [<!ENTITY a "lol">'
          + "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefgh", "bcdefghi"))
          + "]>\n")
#: Enough to push a DOCTYPE past a look at the first 4 KB of the file.
PADDING = "<!--" + " padding" * 600 + " -->\n"


@dataclass
class Case:
    loader: str
    name: str
    #: What to load: the damaged file first (OFAC's CSV set: the primary file).
    paths: list[Path]
    expect: str
    says: str
    where: str = "parse"
    #: The error concerns the file as a whole (empty, an archive): no line to name.
    whole_file: bool = False
    #: The undamaged slice, whose records a loading case must keep.
    like: list[Path] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.loader}:{self.name}"


Change = Callable[[bytes], bytes]


@dataclass
class Format:
    """One loader's real file, a slice of it, and how to damage the slice's first record.

    renamed(change) is the slice with the first record's name (bytes, as written)
    replaced by change(name); dated(text) with the first birth date (else listing date)
    written as `text`; duplicated() with a record id used twice."""

    loader: str
    #: Prefix of the case names: one loader reads two forms of the OFSI list.
    label: str
    file_name: str
    real: bytes
    slice: bytes
    renamed: Callable[[Change], bytes] | None = None
    dated: Callable[[str], bytes] | None = None
    duplicated: Callable[[], bytes] | None = None
    #: Files that travel with the main one (OFAC's CSV set), by name: of the slice, of the real set.
    side: dict[str, bytes] = field(default_factory=dict)
    real_side: dict[str, bytes] = field(default_factory=dict)
    header_only: bytes | None = None
    wrong_delimiter: bytes | None = None
    #: XML formats: the root element and the first record's closing tag.
    xml_root: str | None = None
    record_end: bytes = b""
    #: Outcomes where formats differ: (expect, says[, where]).
    duplicate: tuple[str, ...] = ("error", "appears twice")
    bad_date: tuple[str, str] = ("warning", "unreadable")
    control: tuple[str, str] = ("warning", "control characters removed")
    control_chars: bytes = CONTROL
    #: Cases of this format alone: extra_cases(writer, format).
    extra_cases: Callable[[Writer, Format], None] | None = None


class Writer:
    """Writes each case's files into a folder of its own: OUT/<loader>/<case>/."""

    def __init__(self, out: Path):
        self.out = out
        self.cases: list[Case] = []
        #: The undamaged slice of the format being written: its first case.
        self.like: list[Path] = []

    def add(self, f: Format, name: str, data: bytes, expect: str, says: str = "", where: str = "parse",
            whole_file: bool = False, side: dict[str, bytes] | None = None) -> None:
        folder = self.out / f.loader / f"{f.label}{name}"
        folder.mkdir(parents=True)
        for file_name, content in {f.file_name: data, **(f.side if side is None else side)}.items():
            (folder / file_name).write_bytes(content)
        if name == "original-slice":
            self.like = [folder / f.file_name]
        self.cases.append(Case(f.loader, f"{f.label}{name}", [folder / f.file_name], expect, says,
                               where, whole_file, self.like))


def add_cases(w: Writer, f: Format) -> None:
    w.add(f, "original-slice", f.slice, "loads")
    for i, data in cut_points(f.real):
        w.add(f, f"truncated-{i}of{CUTS}", data, "error", side=f.real_side)
    w.add(f, "empty-file", b"", "error", "the file is empty", whole_file=True)
    w.add(f, "zip-renamed", zipped(f.file_name, f.slice), "error", whole_file=True)
    w.add(f, "utf-16", utf16(f.slice), "loads")
    w.add(f, "utf-8-bom", b"\xef\xbb\xbf" + f.slice, "loads")
    w.add(f, "invalid-utf-8", f.renamed(lambda name: name[:2] + b"\x81\x8d" + name[2:]), "error")
    # Valid UTF-8 ("ü") and, in the same name, a cp1252 "é": two encodings in one file.
    w.add(f, "mixed-encodings", f.renamed(lambda name: "Gülnara ".encode() + "José".encode("cp1252")),
          "error")
    # XML 1.0 has no place for control characters: its parser refuses them.
    control = ("error", "") if f.xml_root else f.control
    w.add(f, "control-characters", f.renamed(lambda name: name[:2] + f.control_chars + name[2:]), *control)
    w.add(f, "name-10mb", f.renamed(lambda name: b"A" * HUGE), "error")
    w.add(f, "duplicate-record-id", f.duplicated(), *f.duplicate)
    for label, text in DATES.items():
        w.add(f, f"date-{label}", f.dated(text), *date_outcome(f, label))
    if f.header_only is not None:
        w.add(f, "header-only", f.header_only, "error", "no records found", whole_file=True)
    if f.wrong_delimiter is not None:
        w.add(f, "wrong-delimiter", f.wrong_delimiter, "error")
    if f.xml_root:
        add_xml_cases(w, f)
    if f.extra_cases:
        f.extra_cases(w, f)


def date_outcome(f: Format, label: str) -> tuple[str, ...]:
    """"circa 1955" is the year 1955; the other DATES are no date."""
    return ("loads", "") if label == "circa" else f.bad_date


def add_xml_cases(w: Writer, f: Format) -> None:
    declaration = re.match(rb"<\?xml[^>]*\?>", f.slice)
    head = declaration.group() + b"\n" if declaration else b""

    def with_prolog(prolog: str, name: bytes) -> bytes:
        named = f.renamed(lambda _: name)
        return head + prolog.format(root=f.xml_root).encode() + named[len(head.rstrip()):].lstrip()

    at = f.slice.index(f.record_end)
    w.add(f, "unclosed-tag", f.slice[:at] + f.slice[at + len(f.record_end):], "error", "malformed XML")
    w.add(f, "external-entity", with_prolog(XXE, b"&xxe;"), "error", "refused")
    w.add(f, "billion-laughs", with_prolog(LAUGHS, b"&i;"), "error", "refused")
    # The same two, hidden from a look at the file's first 4 KB: behind a long comment,
    # or in UTF-16, where "<!ENTITY" is not those bytes.
    w.add(f, "external-entity-after-4kb", with_prolog(PADDING + XXE, b"&xxe;"), "error", "refused")
    w.add(f, "billion-laughs-utf-16", utf16(with_prolog(LAUGHS, b"&i;")), "error", "refused")


# -- bytes --------------------------------------------------------------------------------


def cut_points(data: bytes):
    """Ten cuts spread over the file, none right after a line break: a file cut exactly
    at the end of a line is a shorter valid file for every line-based format without an
    end mark (the closing note says so)."""
    for i in range(1, CUTS + 1):
        at = len(data) * i // (CUTS + 1)
        while data[at - 1:at] in (b"\n", b"\r"):
            at += 1
        yield i, data[:at]


def replace_first(pattern: bytes, data: bytes, change: Change) -> bytes:
    """The data with group 2 of the first match of `pattern` replaced by change(group 2)."""
    found = re.search(pattern, data, re.S | re.M)
    if not found:
        raise ValueError(f"the corpus source lacks {pattern!r}")
    return data[:found.start(2)] + change(found.group(2)) + data[found.end(2):]


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return buffer.getvalue()


def utf16(data: bytes) -> bytes:
    """The same text in UTF-16 with its byte-order mark (and an XML declaration saying so)."""
    text = data.decode("utf-8-sig")
    text = re.sub(r'encoding="utf-8"', 'encoding="UTF-16"', text, count=1, flags=re.I)
    return text.encode("utf-16")


def csv_bytes(rows: list[list[str]], delimiter: str = ",", end: bytes = b"") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8") + end


def row_renamed(rows: list[list[str]], row: int, column: int, end: bytes = b"") -> Callable[[Change], bytes]:
    """`renamed` for a CSV format whose first name is in cell (row, column). The change
    works on bytes: a damaged name need not be text."""
    marker = "\u2063NAME\u2063"

    def renamed(change: Change) -> bytes:
        copy = [list(r) for r in rows]
        old, copy[row][column] = copy[row][column], marker
        return csv_bytes(copy, end=end).replace(marker.encode(), change(old.encode()))

    return renamed


def row_dated(rows: list[list[str]], row: int, column: int, end: bytes = b"") -> Callable[[str], bytes]:
    def dated(text: str) -> bytes:
        copy = [list(r) for r in rows]
        copy[row][column] = text
        return csv_bytes(copy, end=end)

    return dated


def regex_format(data: bytes, name: bytes, date: bytes) -> dict:
    return {"renamed": lambda change: replace_first(name, data, change),
            "dated": lambda text: replace_first(date, data, lambda _: text.encode())}


def repeated(data: bytes, record: bytes) -> bytes:
    """The first whole record (group 2 of `record`) written twice."""
    return replace_first(record, data, lambda whole: whole + b"\n" + whole)


# -- the formats ----------------------------------------------------------------------------


def xml_slice(data: bytes, close: bytes, n: int, tail: bytes) -> bytes:
    """The file up to the end of its n-th entry, closed by `tail`."""
    end = 0
    for _ in range(n):
        end = data.index(close, end) + len(close)
    return data[:end] + tail


def un_format() -> Format:
    real = (DATA / "un" / "UN_consolidated_2026-02-27.xml").read_bytes()
    sliced = xml_slice(real, b"</INDIVIDUAL>", 20, b"\n  </INDIVIDUALS>\n</CONSOLIDATED_LIST>\n")
    return Format(
        "un-xml", "", "UN_consolidated_2026-02-27.xml", real, sliced,
        **regex_format(sliced, rb"(<FIRST_NAME>)([^<]+)(</FIRST_NAME>)",
                       rb"(<TYPE_OF_DATE>EXACT</TYPE_OF_DATE>\s*<YEAR>)(\d+)(</YEAR>)"),
        duplicated=lambda: repeated(sliced, rb"(    )(<INDIVIDUAL>.*?</INDIVIDUAL>)()"),
        duplicate=("error", "appears twice", "write"),
        header_only=real[:real.index(b"<INDIVIDUAL>")] + b"</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n",
        xml_root="CONSOLIDATED_LIST", record_end=b"</INDIVIDUAL>")


def ofac_xml_format() -> Format:
    real = (DATA / "ofac" / "cons_sdnxml_2025-06-30.xml").read_bytes()
    sliced = re.sub(rb"<Record_Count>\d+<", b"<Record_Count>25<",
                    xml_slice(real, b"</sdnEntry>", 25, b"\n</sdnList>\n"))
    return Format(
        "ofac-sdn-xml", "", "cons_sdnxml_2025-06-30.xml", real, sliced,
        **regex_format(sliced, rb"(<sdnEntry>\s*<uid>\d+</uid>\s*(?:<firstName>[^<]*</firstName>\s*)?"
                               rb"<lastName>)([^<]+)(</lastName>)",
                       rb"(<dateOfBirth>)([^<]+)(</dateOfBirth>)"),
        duplicated=lambda: repeated(sliced, rb"(  )(<sdnEntry>.*?</sdnEntry>)()"),
        duplicate=("error", "appears twice", "write"),
        header_only=sliced[:sliced.index(b"<sdnEntry>")].replace(b">25<", b">0<") + b"</sdnList>\n",
        xml_root="sdnList", record_end=b"</sdnEntry>")


def canada_format() -> Format:
    real = (DATA / "canada" / "sema-lmes_2025-09-22.xml").read_bytes()
    sliced = xml_slice(real, b"</record>", 30, b"\n</data-set>\n")
    return Format(
        "ca-sema-xml", "", "sema-lmes_2025-09-22.xml", real, sliced,
        **regex_format(sliced, rb"(<LastName>)([^<]+)(</LastName>)",
                       rb"(<DateOfBirthOrShipBuildDate>)([^<]+)(</DateOfBirthOrShipBuildDate>)"),
        duplicated=lambda: repeated(sliced, rb"(\t)(<record>.*?</record>)()"),
        header_only=real[:real.index(b"<record>")] + b"</data-set>\n",
        xml_root="data-set", record_end=b"</record>")


def fcdo_format() -> Format:
    real = (DATA / "uk" / "uk_sanctions_list_sample_2026-09-10.xml").read_bytes()
    return Format(
        "uk-fcdo-xml", "", "uk_sanctions_list_sample_2026-09-10.xml", real, real,
        **regex_format(real, rb"(<Name6>)([^<]+)(</Name6>)", rb"(<DOB>)([^<]+)(</DOB>)"),
        duplicated=lambda: repeated(real, rb"(  )(<Designation>.*?</Designation>)()"),
        header_only=real[:real.index(b"<Designation>")] + b"</Designations>\n",
        xml_root="Designations", record_end=b"</Designation>")


def eu_fsf_format() -> Format:
    real = (DATA / "eu" / "fsf_sample_2026-08-05.xml").read_bytes()

    def dated(text: str) -> bytes:
        """The birthdate attribute and the year, month and day beside it, all as `text`."""
        parts = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", text)
        year, month, day = (parts.groups() if parts else (text, "", ""))
        found = re.search(rb"<birthdate [^>]*>", real)
        element = found.group()
        for attribute, value in (("birthdate", text), ("year", year), ("monthOfYear", month),
                                 ("dayOfMonth", day)):
            element = re.sub(rf' {attribute}="[^"]*"'.encode(), f' {attribute}="{value}"'.encode(), element)
        return real[:found.start()] + element + real[found.end():]

    return Format(
        "eu-fsf-xml", "", "fsf_sample_2026-08-05.xml", real, real,
        renamed=lambda change: replace_first(rb'(<nameAlias [^>]*wholeName=")([^"]+)(")', real, change),
        dated=dated,
        duplicated=lambda: repeated(real, rb"(\n)(<sanctionEntity .*?</sanctionEntity>)()"),
        duplicate=("error", "appears twice", "write"),
        header_only=real[:real.index(b"<sanctionEntity ")] + b"</export>\n",
        xml_root="export", record_end=b"</sanctionEntity>")


def ofac_csv_format() -> Format:
    """sdn.csv with add.csv, alt.csv and sdn_comments.csv, sliced to 41 entries."""
    folder = DATA / "ofac"
    real_side = {n: (folder / n).read_bytes() for n in ("add.csv", "alt.csv", "sdn_comments.csv")}
    primary = [r for r in csv.reader(io.StringIO((folder / "sdn.csv").read_text().rstrip("\x1a"))) if r]
    # The first 40 entries, and the first with a date of birth (in its Remarks).
    rows = primary[:40] + [next(r for r in primary if "DOB " in r[11])]
    ents = {r[0] for r in rows}
    side = {}
    for name, data in real_side.items():
        kept = [r for r in csv.reader(io.StringIO(data.decode().rstrip("\x1a"))) if r and r[0] in ents]
        side[name] = csv_bytes(kept, end=b"\x1a")
    dated_row = next(i for i, r in enumerate(rows) if "DOB " in r[11])

    def dated(text: str) -> bytes:
        copy = [list(r) for r in rows]
        copy[dated_row][11] = re.sub(r"DOB [^;]+", f"DOB {text}", copy[dated_row][11], count=1)
        return csv_bytes(copy, end=b"\x1a")

    return Format(
        "ofac-sdn-csv", "", "sdn.csv", (folder / "sdn.csv").read_bytes(), csv_bytes(rows, end=b"\x1a"),
        renamed=row_renamed(rows, 0, 1, end=b"\x1a"), dated=dated,
        duplicated=lambda: csv_bytes(rows[:1] + rows, end=b"\x1a"),
        duplicate=("error", "appears twice", "write"),
        side=side, real_side=real_side, header_only=b"\x1a",
        wrong_delimiter=csv_bytes(rows, delimiter=";", end=b"\x1a"))


def eu_oj_format() -> Format:
    real = (DATA / "eu" / "eu_oj_32020R1998.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(real.decode())))
    sliced = rows[:31]
    header = rows[0]
    dated_row = next(i for i, r in enumerate(sliced) if i and r[header.index("birthDate")])

    def duplicated() -> bytes:
        """Another target's row with the first one's recordId."""
        copy = [list(r) for r in sliced]
        copy[2][1] = copy[1][1]
        return csv_bytes(copy)

    return Format(
        "eu-oj-csv", "", "eu_oj_32020R1998.csv", real, csv_bytes(sliced),
        renamed=row_renamed(sliced, 1, header.index("name")),
        dated=row_dated(sliced, dated_row, header.index("birthDate")),
        duplicated=duplicated, duplicate=("error", "names two targets"),
        header_only=csv_bytes(rows[:1]), wrong_delimiter=csv_bytes(sliced, delimiter="\t"))


def ofsi_rows() -> list[list[str]]:
    """The date row, the header and the first 120 rows of the real ConList workbook."""
    book = openpyxl.load_workbook(DATA / "uk" / "ofsi_conlist_2025-04-10.xlsx", read_only=True)
    try:
        rows: list[list[str]] = []
        for row in book.worksheets[0].iter_rows(values_only=True):
            rows.append(["" if v is None else str(v) for v in row])
            if len(rows) == 122:
                break
        return rows
    finally:
        book.close()


def ofsi_csv_format(rows: list[list[str]]) -> Format:
    """ConList.csv, the CSV form OFSI publishes beside the workbook, from the same rows."""
    header = rows[1]
    dob = header.index("DOB")
    dated_row = next(i for i, r in enumerate(rows) if i > 1 and r[dob])
    whole = csv_bytes(rows)
    return Format(
        "uk-ofsi", "csv-", "ConList.csv", whole, whole,
        renamed=row_renamed(rows, 2, header.index("Name 6")), dated=row_dated(rows, dated_row, dob),
        # A row per name and address: a repeated row is the same name of the same target.
        duplicated=lambda: csv_bytes(rows[:3] + rows[2:]), duplicate=("loads", ""),
        header_only=csv_bytes(rows[:2]), wrong_delimiter=csv_bytes(rows, delimiter=";"))


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    for row in rows:
        sheet.append([v or None for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet(xlsx: bytes, change: Change) -> bytes:
    """The workbook with its sheet's XML changed, every other part as it was."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            out.writestr(item, change(data) if item.filename.startswith("xl/worksheets/") else data)
    return buffer.getvalue()


def add_xlsx_cases(w: Writer, rows: list[list[str]]) -> None:
    """The workbook form: a zip of XML parts, damaged as a whole or in its sheet."""
    real = (DATA / "uk" / "ofsi_conlist_2025-04-10.xlsx").read_bytes()
    header = rows[1]
    dob, name = header.index("DOB"), header.index("Name 6")
    dated_row = next(i for i, r in enumerate(rows) if i > 1 and r[dob])

    def changed(row: int, column: int, value: str) -> bytes:
        copy = [list(r) for r in rows]
        copy[row][column] = value
        return xlsx_bytes(copy)

    workbook = xlsx_bytes(rows)
    f = Format("uk-ofsi", "", "ofsi_conlist_2025-04-10.xlsx", real, workbook)
    w.add(f, "original-slice", workbook, "loads")
    for i, data in cut_points(real):
        w.add(f, f"truncated-{i}of{CUTS}", data, "error", "not a readable xlsx", whole_file=True)
    w.add(f, "empty-file", b"", "error", "the file is empty", whole_file=True)
    w.add(f, "zip-not-a-workbook", zipped("ConList.csv", csv_bytes(rows)), "error",
          "not a readable xlsx", whole_file=True)
    w.add(f, "name-10mb", changed(2, name, "A" * HUGE), "error")
    w.add(f, "duplicate-record-id", xlsx_bytes(rows[:3] + rows[2:]), "loads")
    for label, text in DATES.items():
        w.add(f, f"date-{label}", changed(dated_row, dob, text), *date_outcome(f, label))
    w.add(f, "header-only", xlsx_bytes(rows[:2]), "error", "no records found", whole_file=True)
    # Inside a zip there is no line of the file to name: the workbook is named.
    w.add(f, "unclosed-tag", with_sheet(workbook, lambda x: x.replace(b"</row>", b"", 1)), "error",
          whole_file=True)
    for case, prolog, entity in (("external-entity", XXE, b"&xxe;"), ("billion-laughs", LAUGHS, b"&i;")):
        def change(sheet: bytes, prolog=prolog, entity=entity) -> bytes:
            body = sheet[sheet.index(b"<worksheet"):]
            return (b'<?xml version="1.0" encoding="UTF-8"?>\n' + prolog.format(root="worksheet").encode()
                    + re.sub(rb"(<is><t>)[^<]*(</t></is>)", rb"\g<1>" + entity + rb"\g<2>", body, count=1))
        w.add(f, case, with_sheet(workbook, change), "error", "refused", whole_file=True)


def ftm_format() -> Format:
    real = (DATA / "opensanctions" / "zala_entities.ftm.json").read_bytes()
    return Format(
        "ftm", "", "zala_entities.ftm.json", real, real,
        **regex_format(real, rb'("caption": ")([^"]+)(", "schema": "Person")',
                       rb'("birthDate": \[")([^"]+)(")'),
        duplicated=lambda: real.split(b"\n", 1)[0] + b"\n" + real, control_chars=CONTROL_JSON,
        extra_cases=add_ftm_cases)


def add_ftm_cases(w: Writer, f: Format) -> None:
    """A property must be a list of texts: a bare value is not silently read letter by letter."""
    data = replace_first(rb'("birthDate": )(\["[^"]+"\])(,)', f.slice, lambda _: b"19880107")
    w.add(f, "property-not-a-list", data, "error", "not a list of texts")


def curated_format() -> Format:
    real = (DATA / "curated" / "xinjiang.yaml").read_bytes()
    # The curated records state no birth date: the first one gets one to damage.
    sliced = real.replace(b"    name: Chen Quanguo\n",
                          b"    name: Chen Quanguo\n    birth_dates: [\"1955-11\"]\n", 1)
    return Format(
        "curated", "", "xinjiang.yaml", real, sliced,
        **regex_format(sliced, rb"(^    name: )([^\n]+)($)", rb'(birth_dates: \[")([^"]+)("\])'),
        duplicated=lambda: repeated(sliced, rb"(^)(  - id: chen-quanguo\n.*?\n)(  - id: )"),
        # Curated data is written by hand: what is not a date is a mistake to correct.
        bad_date=("error", "birth date"),
        # YAML itself refuses control characters.
        control=("error", "not valid YAML"),
        header_only=b'title: "nothing but a title"\nsource_url: "https://example.org"\n',
        extra_cases=add_curated_date_cases)


def add_curated_date_cases(w: Writer, f: Format) -> None:
    """Announcement dates are YAML dates: an impossible one must still name its line."""
    for label, text in DATES.items():
        data = replace_first(rb"(announced_on: )(2020-07-09)($)", f.slice, lambda _: text.encode())
        w.add(f, f"announced-{label}", data, "error", "date")


def build(out: Path) -> list[Case]:
    """Write every case under `out` (emptied first) and return them."""
    if out.exists():
        shutil.rmtree(out)
    w = Writer(out)
    rows = ofsi_rows()
    for f in (un_format(), ofac_xml_format(), canada_format(), fcdo_format(), eu_fsf_format(),
              ofac_csv_format(), eu_oj_format(), ofsi_csv_format(rows), ftm_format(), curated_format()):
        add_cases(w, f)
    add_xlsx_cases(w, rows)
    return w.cases


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/reliability/make_corpus.py OUT_DIR")
    for case in build(Path(sys.argv[1])):
        print(f"{case.id:45} {case.expect:8} {case.paths[0]}")
