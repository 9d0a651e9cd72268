"""What every loader shares: the Loader contract, errors that name file and line, and
the parsing helpers the real files need (encodings, partial dates, countries, safe XML).

A loader turns files into Records. It never touches Neo4j: graph/ does the writing, so a
file that fails to parse has changed nothing.
"""

from __future__ import annotations

import codecs
import fnmatch
import hashlib
import json
import os
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import IO, ClassVar
from xml.parsers import expat

import countrynames
from countrynames.util import normalize_name
from lxml import etree
from normality.transliteration import ICUWarning

from graph.exc import LoadError
from loaders.datasets import DATASETS_PATH, Dataset, DatasetsFileError, find_dataset
from loaders.records import Item


@dataclass
class Warning_:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}{f', line {self.line}' if self.line else ''}: {self.message}"


@dataclass
class SourceFile:
    path: str
    size: int
    sha256: str


#: What a list's files lack when its alias file is missing (SourceMeta.lacks).
STRONG_ALIASES = "strong aliases"


@dataclass
class SourceMeta:
    """What a loader learns about the source itself while reading it."""

    #: Stable name of the list, e.g. "us-ofac-sdn": versions of one list share it.
    dataset: str = ""
    title: str = ""
    #: The date the list carries (header, first row, file name); None if nowhere.
    published_on: date | None = None
    #: Where published_on came from: "file", "file name" or None.
    published_from: str | None = None
    #: The newest date the list states of one of its entries, for a list that states no
    #: date of its own: the list is of that day or later. A bound, said beside "undated",
    #: never taken for the list's date. A loader may set it (Australia's Control Date);
    #: else it is the newest listing date of the list's entries (graph/loading.py).
    newest_entry_on: date | None = None
    url: str | None = None
    #: When `python -m graph update` downloaded the files from `url`; None for local files.
    downloaded_at: datetime | None = None
    files: list[SourceFile] = field(default_factory=list)
    #: What the list's files as loaded lack that its whole set holds (STRONG_ALIASES,
    #: "addresses"): OFAC's sdn.csv without alt.csv, as its dated history keeps it. Its
    #: silence on a target then rests on fewer names (briefing.absence says so).
    lacks: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        """One digest for the whole source (several files for OFAC's CSV set)."""
        if len(self.files) == 1:
            return self.files[0].sha256
        joined = "".join(f.sha256 for f in sorted(self.files, key=lambda f: Path(f.path).name))
        return hashlib.sha256(joined.encode()).hexdigest()


class Loader:
    """Base of every loader. Subclasses set `name` and implement sniff and read."""

    #: The KIND of `python -m graph load KIND PATH…`.
    name: ClassVar[str]
    description: ClassVar[str]
    #: The datasets its records can belong to: ids of data/datasets.yaml, or a family
    #: ("eu-oj-*": one dataset per file). describe() refuses any other.
    datasets: ClassVar[tuple[str, ...]]

    def __init__(self) -> None:
        self.meta = SourceMeta()
        self.warnings: list[Warning_] = []
        self._described: Dataset | None = None

    def describe(self, dataset: str, **fields: str) -> Dataset:
        """Name the list being read: meta.dataset, with its title and URL from its entry
        in data/datasets.yaml (a family's title and page with `fields` filled in, such as
        eu-oj-*'s {celex}). The URL is that of the format this loader reads."""
        if not any(fnmatch.fnmatchcase(dataset, d) for d in self.datasets):
            # A bug of the loader, not of the file it reads.
            raise RuntimeError(
                f"the {self.name} loader read a list it does not declare: "
                f"{dataset} (it declares {', '.join(self.datasets)})"
            )
        described = find_dataset(dataset)
        if described is None:
            raise DatasetsFileError(f"{DATASETS_PATH}: no entry describes the dataset {dataset}")
        download = described.download(self.name)
        self.meta.dataset, self.meta.title = dataset, described.title.format(**fields)
        self.meta.url = (
            download.url if download else described.page.format(**fields) if described.page else None
        )
        self._described = described
        return described

    @property
    def described(self) -> Dataset:
        """The data/datasets.yaml entry of the list being read, once describe() named it."""
        if self._described is None:
            raise RuntimeError(f"the {self.name} loader has not described its list yet")
        return self._described

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """True if the file (or folder) looks like this loader's format."""
        raise NotImplementedError

    def read(self, paths: Sequence[Path]) -> Iterator[Item]:
        """Yield the records of the files (and the links, announcements and calls of the
        formats that have them); fill self.meta; raise LoadError on bad input."""
        raise NotImplementedError

    def warn(self, path: Path | str, line: int | None, message: str) -> None:
        """A problem that loses a value, not the record: counted and reported."""
        self.warnings.append(Warning_(str(path), line, message))

    def cleaned(self, path: Path | str, line: int | None, values: Sequence[str | None]) -> list[str | None]:
        """Values as `clean` leaves them; control characters it removes are a warning."""
        # One search of the values joined (no separator makes a control character).
        if _CONTROL.search("".join(filter(None, values))):
            self.warn(path, line, "control characters removed")
            return [clean(v) for v in values]
        # None found: what `clean` leaves without looking for them again (every value of
        # an FtM export passes here).
        return [v.strip() or None if v else None for v in values]

    def add_file(self, path: Path) -> None:
        self.meta.files.append(file_info(path))

    def date_from_name(self, path: Path) -> None:
        """Use a YYYY-MM-DD in the file name when the file itself carries no date."""
        if self.meta.published_on is None:
            found = re.search(r"(\d{4})-(\d{2})-(\d{2})", path.name)
            if found:
                try:
                    self.meta.published_on = date(*map(int, found.groups()))
                    self.meta.published_from = "file name"
                except ValueError:
                    pass


#: Bytes read at a time when a whole file is scanned: less than glibc's mmap threshold
#: (128 KiB). In a process that has imported the driver, chunks of 1 MiB and the text
#: decoded from them came from the heap, and the heap never shrank again: checking the
#: encoding of a 460 MB FtM file grew the loader by 220 MiB; in chunks of 64 KiB, by 0.
CHUNK = 1 << 16


def file_info(path: Path) -> SourceFile:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return SourceFile(str(path), size, digest.hexdigest())


def require_files(paths: Sequence[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise LoadError(path, "no such file or folder")
        if path.is_file() and path.stat().st_size == 0:
            raise LoadError(path, "the file is empty")


def one_file(paths: Sequence[Path], wanted: str) -> Path:
    """The file of a format read from one file; `wanted` says which ("one FSF XML file")
    when given several, or a folder."""
    require_files(paths)
    if len(paths) != 1 or not paths[0].is_file():
        raise LoadError(paths[0], f"give {wanted}")
    return paths[0]


# -- text -------------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def open_text(path: Path, encodings: Sequence[str] = ("utf-8",)) -> IO[str]:
    """Open a text file for streaming, in the first encoding that decodes all of it.

    A BOM decides the encoding. Otherwise each candidate is checked over the whole file
    in chunks (memory stays flat); if none fits, the error names the line of the first
    byte the first candidate could not decode. A file that is UTF-8 in part and needs a
    fallback for the rest is refused: two encodings in one file.
    """
    with open(path, "rb") as f:
        head = f.read(4)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            if line := _bad_line(path, encoding):
                raise LoadError(path, f"not valid {encoding} text", line=line)
            return open(path, encoding=encoding, newline="")
    if len(head) == 4 and head[1] == 0 and head[3] == 0 and head[0] and head[2]:
        raise LoadError(
            path,
            "the file looks like UTF-16 without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)",
            line=1,
        )
    for i, encoding in enumerate(encodings):
        if _bad_line(path, encoding) is None:
            if i > 0 and encodings[0] == "utf-8" and (line := _utf8_line(path)):
                # Decoding it all as the fallback would garble the UTF-8 part.
                raise LoadError(
                    path,
                    f"mixed encodings: UTF-8 text (line {line}) and bytes that "
                    "are not UTF-8; save the file in one encoding",
                    line=_bad_line(path, encodings[0]),
                )
            return open(path, encoding=encoding, newline="")
    raise LoadError(path, f"not valid {' or '.join(encodings)} text", line=_bad_line(path, encodings[0]))


def _bad_line(path: Path, encoding: str) -> int | None:
    """The line of the first byte `encoding` cannot decode; None if it decodes the file."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    with open(path, "rb") as f:
        while True:
            chunk = f.read(CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as e:
                return lines + chunk.count(b"\n", 0, max(e.start, 0))
            if not chunk:
                return None
            lines += chunk.count(b"\n")


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _utf8_line(path: Path) -> int | None:
    """The line of the first multi-byte UTF-8 character, if the file has one."""
    lines = 1
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            if found := _UTF8_SEQUENCE.search(chunk):
                return lines + chunk.count(b"\n", 0, found.start())
            lines += chunk.count(b"\n")
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: str | None) -> str | None:
    """Strip, drop control characters, collapse to None when empty."""
    if value is None:
        return None
    value = _CONTROL.sub("", value).strip()
    return value or None


# -- XML ----------------------------------------------------------------------------------


def iterparse(path: Path, tags: Sequence[str] | None = None) -> Iterator[tuple[str, etree._Element]]:
    """Stream an XML file element by element, with entities and network access refused.

    Yields (local tag name, element) at each end event; the caller clears elements it
    has consumed. External entities and entity expansion bombs raise LoadError.
    """
    with open(path, "rb") as f:
        head = f.read(4096)
    if head.startswith(b"PK\x03\x04"):
        raise LoadError(path, "this is a zip archive, not XML: unzip it first")
    if b"<!ENTITY" in head or b"<!DOCTYPE" in head and b"[" in head.split(b"<!DOCTYPE", 1)[1][:200]:
        raise LoadError(
            path,
            "the XML declares its own entities (a DTD): refused for safety",
            line=head[: head.find(b"<!")].count(b"\n") + 1,
        )
    parser = etree.iterparse(
        str(path),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        recover=False,
    )
    checked = False
    try:
        for _, elem in parser:
            if not checked:
                # A DTD the look at the head missed (after 4 KB, or in UTF-16): its
                # entities would stay unexpanded and their values silently empty.
                root = elem.getroottree()
                if root.docinfo.doctype:
                    raise LoadError(
                        path,
                        "the XML declares a document type (<!DOCTYPE …>) before "
                        "its root element: refused for safety",
                        line=root.getroot().sourceline,
                    )
                checked = True
            tag = etree.QName(elem).localname if isinstance(elem.tag, str) else ""
            if tags is None or tag in tags:
                yield tag, elem
    except etree.XMLSyntaxError as e:
        raise LoadError(path, f"malformed XML: {' '.join(e.msg.split())}", line=e.lineno) from None


def child_text(elem: etree._Element, name: str) -> str | None:
    """Text of the first child with this local name, whatever its namespace."""
    for child in children(elem, name):
        return clean(child.text)
    return None


def children(elem: etree._Element, name: str) -> Iterator[etree._Element]:
    """The children with this local name, whatever their namespace."""
    qualified = "}" + name  # string tests: etree.QName per child is the slow part of a load
    for child in elem:
        tag = child.tag
        if isinstance(tag, str) and (tag == name or tag.endswith(qualified)):
            yield child


def release(elem: etree._Element) -> None:
    """Free a consumed element and the siblings before it, so iterparse memory stays flat."""
    elem.clear(keep_tail=True)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def xml_root(path: Path) -> str | None:
    """Local name of the root element of an XML file, read from its head (for sniffing)."""
    if not path.is_file():
        return None
    with open(path, "rb") as f:
        head = f.read(4096).removeprefix(b"\xef\xbb\xbf").lstrip()
    if not head.startswith(b"<"):
        return None
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.DOTALL)
    found = _FIRST_TAG.search(head)
    return found.group(2).decode() if found else None


# -- dates --------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def approximate(text: str | None) -> bool:
    """Whether a written date says it is approximate ("circa 1955", "c. 1960",
    "Approximately 1955- 1958")."""
    return text is not None and re.match(r"\s*(circa|approx|c\.|ca\.)", text, re.IGNORECASE) is not None


def partial_date(text: str | None) -> str | None:
    """A date as precise as written, in ISO form: "1955", "1955-11", "1955-11-02".

    Reads ISO, dd/mm/yyyy, mm/yyyy, d.m.yyyy, "02 Nov 1955", "Nov 1955", "November 1955".
    Returns None for what is not a real date (2021-02-30, "19XX", "circa 1955" is 1955).
    """
    if not text:
        return None
    s = text.strip().lower().replace("circa", "").replace("approximately", "").strip(" .,")
    s = re.sub(r"^(c\.|ca\.)\s*", "", s)
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:t.*)?", s)
    if m:
        return iso_date(m.group(1), m.group(2), m.group(3))
    m = re.fullmatch(r"(?:(\d{1,2}|dd)[/.])?(\d{1,2}|mm)[/.](\d{4})", s)
    if m:
        day = None if m.group(1) in (None, "dd") else m.group(1)
        month = None if m.group(2) == "mm" else m.group(2)
        if day and not month:
            return None
        return iso_date(m.group(3), month, day)
    m = re.fullmatch(r"(?:(\d{1,2})\s+)?([a-z]+)\.?\s+(\d{4})", s)
    if m and m.group(2)[:3] in _MONTHS:
        return iso_date(m.group(3), str(_MONTHS[m.group(2)[:3]]), m.group(1))
    return None


def iso_date(year: str, month: str | None, day: str | None) -> str | None:
    """A partial ISO date from its parts, or None when a part is impossible."""
    y = int(year)
    if not 1800 <= y <= 2100:
        return None
    if month is None:
        return f"{y:04d}"
    mo = int(month)
    if not 1 <= mo <= 12:
        return None
    if day is None:
        return f"{y:04d}-{mo:02d}"
    try:
        return date(y, mo, int(day)).isoformat()
    except ValueError:
        return None


def date_range(start: str | None, end: str | None) -> list[str]:
    """Dates "between start and end": every year when both are years (1953 to 1958 are
    six candidate birth years), else the two ends as precise as written."""
    a, b = partial_date(start), partial_date(end)
    if a and b and len(a) == len(b) == 4 and a <= b:
        return [str(y) for y in range(int(a), int(b) + 1)]
    return [d for d in (a, b) if d]


def full_date(text: str | None) -> date | None:
    """A complete calendar date (designation dates), or None."""
    iso = partial_date(text)
    if iso and len(iso) == 10:
        return date.fromisoformat(iso)
    return None


# -- countries ----------------------------------------------------------------------------

#: What countrynames reads as no country or another: "Gaza" alone (it reads "Gaza
#: Strip"), and demonyms in the Australian list ("Mauritian" is not Mauritania). The last
#: two are texts countrynames read before 1.16 (requirements.txt says why that one): a
#: misspelling in a list, and OFAC's addresses in the Netherlands Antilles, the code it
#: had until 2010.
_COUNTRY_ALIASES = {
    "gaza": "PS",
    "belarussian": "BY",
    "chadian": "TD",
    "mauritian": "MU",
    "türkiyish": "TR",
    "ukranian": "UA",
    "netherlands antilles": "AN",
}
# normality, which countrynames normalises names with, transliterates without PyICU and
# warns once a process that PyICU would do better. For the country texts of the lists in
# data/ it reads the same codes (requirements.txt): the warning would only alarm the user.
warnings.filterwarnings("ignore", category=ICUWarning)
#: Names of more than one state: "Congolese" is of Congo and of the DR Congo.
_NOT_ONE_COUNTRY = frozenset({"congolese"})
#: A note in parentheses that qualifies no name: "(as at November 2010)".
_DATED_NOTE = re.compile(r"\s*\([^)]*\d[^)]*\)")
_SEPARATORS = re.compile(r"\s*(?:[.,;/&]|\band\b)\s*")


@lru_cache(maxsize=100_000)
def country_code(text: str | None, fuzzy: bool = True) -> str | None:
    """ISO 3166 alpha-2 for a country name, code or demonym as lists write it ("Russian
    Federation (as at November 2010)", "Belrus", "The Gambia", "Ukrainian", "Crimea" UA),
    read by countrynames, OpenSanctions' table of the names lists use; None for what it
    cannot read, historical states (USSR) and several countries in one text ("Syria/
    Lebanon": see country_codes). `fuzzy`: also the nearest name ("Repubic of Moldova",
    "Congo (Democratic Republic)"), for a text that is one name; not for places that may
    be cities."""
    if not text:
        return None
    s = re.sub(r"\s+", " ", text.strip().strip(".")).lower()
    if not s or s in ("00", "unknown") or s in _NOT_ONE_COUNTRY:
        return None
    code = _COUNTRY_ALIASES.get(s) or _exact_code(s)
    if code is None and fuzzy and not _SEPARATORS.search(s):
        code = countrynames.to_code(s, fuzzy=True)
    if code is None and (bare := _DATED_NOTE.sub("", s).strip()) != s:
        code = _exact_code(bare)
    # Sub-national codes ("UA-CRI") are their country's; four letters are states gone.
    return code[:2] if code and re.fullmatch(r"[A-Z]{2}(-\w+)?", code) else None


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    _load_country_names()
    return frozenset(countrynames.COUNTRY_NAMES.values())


#: The folder where countrynames' table is kept between processes: graph/loading.py sets
#: it from SANCT_LOCAL_DIR (loaders read no settings). None: built in memory each time.
country_names_cache: Path | None = None


def _load_country_names() -> None:
    """countrynames' table of names, kept on disk (country_names_cache): countrynames
    normalises its 30,000 names with ICU the first time it is asked, the same for every
    process of one version of it; that was 1.4 s of each fresh process that read a list
    (the CLI, the app, each test's subprocess), 0.03 s read back."""
    if countrynames.COUNTRY_NAMES:
        return
    if country_names_cache is None:
        countrynames.to_code("DE")  # loads its table of names
        return
    path = country_names_cache / f"countrynames-{version('countrynames')}.json"
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        table = None
    if isinstance(table, dict) and table:
        countrynames.COUNTRY_NAMES.update(table)
        return
    countrynames.to_code("DE")  # loads its table of names
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside, then moved: a process that reads it meanwhile sees all or none.
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(countrynames.COUNTRY_NAMES, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass  # a folder it may not write to: the next process builds the table again


def _exact_code(text: str) -> str | None:
    """countrynames.to_code(text), without its search of every code of its table (30,000
    names) for each new text: the matcher asks of every word of every name whether it
    names a country, and that search was a fifth of its time."""
    upper = text.upper().strip()
    if upper in _codes():
        return upper
    code = countrynames.COUNTRY_NAMES.get(normalize_name(upper) or "")
    return None if code == "FAIL" else code


def country_codes(text: str | None, fuzzy: bool = True) -> list[str]:
    """The countries a text names: one ("Korea, Republic of"), or those of its parts that
    are countries ("Syria/Lebanon" SY, LB; "Gaza Strip, West Bank, Southern Lebanon" PS:
    a region is no country)."""
    if code := country_code(text, fuzzy):
        return [code]
    parts = [p for p in _SEPARATORS.split(text or "") if p.strip()]
    return unique(c for p in parts if len(parts) > 1 and (c := country_code(p, fuzzy)))


def add_new(target: list[str], values: Iterable[str]) -> None:
    """Append each non-empty value the list does not hold yet, in order."""
    for value in values:
        if value and value not in target:
            target.append(value)


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def check_workbook_xml(path: Path) -> None:
    """Every XML part of an xlsx workbook well-formed and without a DTD, which no workbook
    needs and which could declare entities (external files, billion laughs). python-calamine,
    which reads the workbooks, accepts both: it is checked first, by expat."""

    def refuse(*_) -> None:
        raise LoadError(path, f"not a readable xlsx workbook ({part} declares a DTD: refused for safety)")

    part = ""
    try:
        with zipfile.ZipFile(path) as book:
            for part in book.namelist():
                if part.lower().endswith((".xml", ".rels")):  # not images, printer settings, VML
                    parser = expat.ParserCreate()
                    parser.StartDoctypeDeclHandler = refuse
                    with book.open(part) as f:
                        parser.ParseFile(f)
    except expat.ExpatError as e:
        raise LoadError(path, f"not a readable xlsx workbook ({part}: {first_line(e)})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
        raise LoadError(path, f"not a readable xlsx workbook ({first_line(e)})") from None


def first_line(error: Exception) -> str:
    """One line on what is wrong, for a LoadError: the error's first line, else its kind."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
