"""OFAC's yearly "Archive of Changes to the SDN List" (sdnnewYY.txt, 2020 to 2023 as text).

The dates the SDN list itself lacks. The file groups every change under its action date:

    12/08/23:

    The following [GLOMAG] entries have been added to OFAC's SDN List:

    NAME (a.k.a. ...), address; DOB ...; nationality ... (individual) [GLOMAG].
    ...

Headings say "added to OFAC's SDN List", "removed" or "changed"; a change is written
old entry "-to-" new entry, and may go on "resulting in the following new … entries:" or
"resulting in the removal of the following … entries:" (a.k.a. lines the change adds or
drops: not designations, not removals). The legacy text format gives every name its own
entry: a record with three a.k.a.s is four entries, each starting with another of its
names and repeating the rest. An entry ends with CRLF; its wrapped lines end with LF
(a word cut after a hyphen goes on without a space). A 0x1A byte ends the file.

The text numbers nothing, so each action is joined to the SDN record it names, in an SDN
list given along in the same load (sdn.csv, read by the ofac-sdn-csv loader): on the
entry's names (its own and its a.k.a.s, so every a.k.a. line finds the record), the
programs it states, then the type, dates of birth, nationalities and identifiers when
several records share a name. What cannot be joined is counted by reason in the
warnings and in `counts`.

One Announcement per action date and kind (added / removed / changed): additions
designate the joined records under each program of the entry, removals delist them; a
change designates (or delists) only where its new entry states a program its old entry
did not (or the reverse); a program written anew (PEESA to PEESA-EO14039) is neither.

Given one change file, the other years' files beside it are read too (a load replaces the
dataset's announcements, so all years load together). When no SDN list is given, the
sdn.csv beside the archive is used, or the one `python -m graph update` saved for
us-ofac-sdn (DIR/us-ofac-sdn/sdn.csv beside DIR/us-ofac-changes/).

The SDN lists' dates (YYYY-MM-DD in the file name; none: taken as current) keep joins
honest: a removal joins only to a record of a list of before it and of none after it (a
record still listed later was listed again, or was a duplicate entry); an addition only
to a record no list of before it holds, and not to one whose name a later action of the
archives removes before the list's date.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import NoReturn

from graph.model import model
from loaders.base import (
    Loader,
    LoadError,
    SourceFile,
    Warning_,
    country_code,
    date_range,
    open_text,
    partial_date,
    require_files,
)
from loaders.records import Announcement, Record

DATASET = "us-ofac-changes"
SDN_DATASET = "us-ofac-sdn"
FILE_NAME = re.compile(r"^sdnnew(\d\d)\.txt$", re.IGNORECASE)
ACTION_URL = "https://ofac.treasury.gov/recent-actions/{date:%Y%m%d}"
KINDS = ("added", "removed", "changed")
#: The SDN list's side files, read beside its sdn.csv by the ofac-sdn-csv loader.
SIDE_FILES = ("add.csv", "alt.csv", "sdn_comments.csv")
TITLES = {"added": "additions to", "removed": "removals from", "changed": "changes to"}
SCHEMAS = {"individual": "Person", "vessel": "Vessel", "aircraft": "Aircraft"}
#: Why an action found no record; the order of the warnings.
REASONS = (
    "not in the given list",
    "removed later in the archive",
    "still listed after the removal",
    "only in lists older than the action",
    "name changed",
    "several candidates",
    "details differ",
)

_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}):?")
_HEADING = re.compile(
    r"(?:The following\b.*?\b(?:has|have) been (?P<verb>added|removed|deleted|changed|amended|updated)"
    r"|resulting in the (?P<result>following new|removal of the following)\b)[^:]*:",
    re.IGNORECASE,
)
_TO = re.compile(r"\.\s*-to-\s*")
_PROGRAM = re.compile(r"\[([^\[\]]+)\]")
_SCHEMA = re.compile(r"\((individual|vessel|aircraft)\)")
_ALIAS = re.compile(r"^(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+", re.IGNORECASE)
_DATE_TEXT = r"(?:\d{1,2} [A-Z][a-z]{2} \d{4}|[A-Z][a-z]{2} \d{4}|\d{4})"
_DOB = re.compile(rf"\bDOB (?:circa |approximately )?({_DATE_TEXT})(?: to ({_DATE_TEXT}))?")
_NATIONALITY = re.compile(r"\b(?:nationality|citizen) ([A-Z][^;\[]*?)(?=;|\s\(individual\)|\s\[|\.?$)")
_ID = re.compile(
    r"\b(?:IMO|MMSI|Passport|National ID No\.|Tax ID No\.|Registration (?:Number|ID)|"
    r"Identification Number|Cedula No\.|Company Number|Unified Social Credit Code \(USCC\)|"
    r"Serial Number(?: \(MSN\))?|Tail Number|D-U-N-S Number|Legal Entity Number|"
    r"Business Registration Number|Government Gazette Number|RUC #|NIT #)"
    r"\s+([A-Za-z0-9][A-Za-z0-9/._-]{3,})"
)


@dataclass
class Action:
    """One entry under one action date: a name added, removed or changed."""

    path: str
    line: int
    date: date
    #: added | removed | changed
    kind: str
    #: The entry as written, its wrapped lines joined (a change: old "-to-" new).
    text: str
    #: The part before the first " (" or ";" (for a change, of the new entry).
    name: str
    #: The programs in [brackets] (for a change, of the new entry).
    programs: tuple[str, ...]
    #: Person / Vessel / Aircraft where the entry says (individual) / (vessel) / (aircraft).
    schema: str | None
    #: The entry's name and the a.k.a.s it lists.
    names: tuple[str, ...] = ()
    #: For a change: the old entry's programs and names. For the a.k.a. entries a change
    #: adds or drops ("resulting in …"): "new aliases" / "removed aliases".
    old_programs: tuple[str, ...] = ()
    old_names: tuple[str, ...] = ()
    result: str | None = None
    birth_dates: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    #: The SDN record the action was joined to, and how ("name", "alias", "identifier",
    #: "renamed"); or None and the reason (REASONS).
    ent_num: str | None = None
    joined_by: str | None = None
    reason: str | None = None

    @property
    def key(self) -> str | None:
        return f"{SDN_DATASET}:{self.ent_num}" if self.ent_num else None


class OfacChangesLoader(Loader):
    name = "ofac-changes"
    description = (
        "OFAC's yearly archive of changes to the SDN list (sdnnewYY.txt), "
        "given with an sdn.csv to join the entries to"
    )
    datasets = (DATASET,)

    def __init__(self) -> None:
        super().__init__()
        self.actions: list[Action] = []
        #: Figures of the load: "added", "removed", "changed", "joined:added",
        #: "not joined:added:not in the given list", "records:added", "glomag:added", …
        self.counts: Counter[str] = Counter()

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file() or not FILE_NAME.match(path.name):
            return False
        with open(path, "rb") as f:
            head = f.read(1 << 14).decode("latin-1")
        return bool(
            re.search(r"^\d{1,2}/\d{1,2}/\d{2,4}:?\s*$", head, re.MULTILINE)
            and re.search(
                r"The following\b.{0,300}?\bha(s|ve)\s+been\s+(added|removed|changed)", head, re.DOTALL
            )
        )

    # -- the files ----------------------------------------------------------------------

    def read(self, paths: Sequence[Path]) -> Iterator[Announcement]:
        changes, sdn_lists = self._files([Path(p) for p in paths])
        for path in changes:
            self.add_file(path)
        for path in changes:
            self.actions += _Archive(self, path).actions()
        if not self.actions:
            raise LoadError(changes[0], "no actions found: the file holds a header at most")
        years = sorted({a.date.year for a in self.actions})
        last = max(changes, key=lambda p: _year(p) or 0)
        self.describe(DATASET, years=str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}")
        # The URL of the newest archive read, where OFAC publishes that year's.
        archives, year = self.described.download(self.name), _year(last)
        self.meta.url = archives.url_of(f"sdnnew{year % 100:02d}.txt") if archives and year else None
        self.meta.published_on = max(a.date for a in self.actions)
        self.meta.published_from = "file"
        index = _SdnIndex(self, sdn_lists)
        self.meta.files += index.files
        _join_actions(self.actions, index)
        self._report(index)
        yield from self._announcements()

    def _files(self, paths: list[Path]) -> tuple[list[Path], list[Path]]:
        """The change files (with the other years beside them) and the SDN list(s)."""
        require_files(paths)
        changes: list[Path] = []
        sdn_lists: list[Path] = []
        for path in paths:
            if path.is_dir():
                found = sorted(p for p in path.iterdir() if FILE_NAME.match(p.name))
                changes += found
                if (path / "sdn.csv").exists():
                    sdn_lists.append(path)
                if not found and not (path / "sdn.csv").exists():
                    raise LoadError(path, "no sdnnewYY.txt and no sdn.csv in this folder")
            elif path.suffix.lower() == ".csv":
                if path.name.lower().startswith("cons_"):
                    raise LoadError(
                        path,
                        "the consolidated (non-SDN) list: the changes are to the SDN list, give its sdn.csv",
                    )
                if path.name.lower() not in SIDE_FILES:  # read beside their sdn.csv
                    sdn_lists.append(path)
            elif FILE_NAME.match(path.name) or _looks_like_archive(path):
                changes.append(path)
                changes += sorted(p for p in path.parent.iterdir() if FILE_NAME.match(p.name) and p.is_file())
            else:
                raise LoadError(
                    path, "neither an OFAC change archive (sdnnewYY.txt) nor an SDN list (sdn.csv)"
                )
        changes = list({p.resolve(): p for p in changes}.values())
        if not changes:
            raise LoadError(paths[0], "no OFAC change archive (sdnnewYY.txt) among the files")
        years = Counter(_year(p) for p in changes if _year(p))
        if twice := [y for y, n in years.items() if n > 1]:
            raise LoadError(changes[0], f"two change archives of {twice[0]}: give one file per year")
        if not sdn_lists:
            # Beside the archive, or where `python -m graph update` saves the SDN list.
            folder = changes[0].parent
            beside = next(
                (p for p in (folder / "sdn.csv", folder.parent / SDN_DATASET / "sdn.csv") if p.exists()), None
            )
            if beside is None:
                raise LoadError(
                    changes[0],
                    "no SDN list to join the changes to: the archive names the "
                    "entries, it does not number them; give an sdn.csv along "
                    "with it",
                )
            sdn_lists.append(beside)
        return sorted(changes, key=lambda p: _year(p) or 0), sdn_lists

    # -- the output ---------------------------------------------------------------------

    def _announcements(self) -> Iterator[Announcement]:
        by_day: dict[tuple[date, str], list[Action]] = defaultdict(list)
        for action in self.actions:
            by_day[(action.date, action.kind)].append(action)
        for day, kind in sorted(by_day, key=lambda dk: (dk[0], KINDS.index(dk[1]))):
            actions = by_day[(day, kind)]
            designates: dict[tuple[str, str], None] = {}
            delists: dict[tuple[str, str], None] = {}
            for a in actions:
                if not a.key:
                    continue
                if kind == "added":
                    designates.update(((a.key, p), None) for p in a.programs)
                elif kind == "removed":
                    delists.update(((a.key, p), None) for p in a.programs)
                elif a.result is None:
                    designates.update(((a.key, p), None) for p in _added_programs(a))
                    delists.update(((a.key, p), None) for p in _removed_programs(a))
            yield Announcement(
                id=f"ofac-changes:{day.isoformat()}:{kind}",
                date=day,
                title=f"OFAC: {TITLES[kind]} the SDN list, {day.day} {day:%B %Y}",
                url=ACTION_URL.format(date=day),
                jurisdiction=self.described.designated_by[0],
                designates=list(designates),
                delists=list(delists),
            )

    def _report(self, index: _SdnIndex) -> None:
        """Figures into `counts`, and one warning per reason an action was not joined."""
        c = self.counts
        first = self.actions[0].path
        for a in self.actions:
            kind = a.kind if a.result is None else f"changed ({a.result})"
            c[kind] += 1
            if a.ent_num:
                c[f"joined:{kind}"] += 1
                c[f"joined by {a.joined_by}:{kind}"] += 1
            else:
                c[f"not joined:{kind}:{a.reason}"] += 1
            if "GLOMAG" in a.programs and a.kind == "added":
                c["glomag:added"] += 1
                c["joined:glomag:added"] += bool(a.ent_num)
            if a.kind == "changed" and a.result is None:
                unjoined = "" if a.ent_num else " (not joined)"
                c[f"changed:programs added{unjoined}"] += bool(_added_programs(a))
                c[f"changed:programs removed{unjoined}"] += bool(_removed_programs(a))
                differ = set(a.programs) ^ set(a.old_programs) if a.old_programs else set()
                renamed = differ - set(_added_programs(a)) - set(_removed_programs(a))
                c["changed:program renamed"] += bool(renamed)
        for kind in KINDS:
            c[f"records:{kind}"] = len(
                {a.ent_num for a in self.actions if a.kind == kind and a.result is None and a.ent_num}
            )
        c["records:glomag:added"] = len(
            {a.ent_num for a in self.actions if a.kind == "added" and "GLOMAG" in a.programs and a.ent_num}
        )
        summary = []
        for kind in ("added", "removed", "changed"):
            total, joined = c[kind], c[f"joined:{kind}"]
            if total:
                summary.append(
                    f"{joined:,} of {total:,} {kind} entries joined to an SDN record "
                    f"({c[f'records:{kind}']:,} records)"
                )
        lists = ", ".join(Path(p).name for p in index.paths)
        messages = [f"{'; '.join(summary)} of {lists}"]
        for kind in ("added", "removed", "changed"):
            for reason in REASONS:
                missed = [
                    a for a in self.actions if a.kind == kind and a.result is None and a.reason == reason
                ]
                if missed:
                    examples = "; ".join(f"{a.name} ({a.date}, line {a.line})" for a in missed[:3])
                    messages.append(f"{len(missed):,} {kind} entries not joined: {reason}, e.g. {examples}")
        self.warnings[:0] = [Warning_(first, None, m) for m in messages]


def _year(path: Path) -> int | None:
    found = FILE_NAME.match(path.name)
    return 2000 + int(found.group(1)) if found else None


def _looks_like_archive(path: Path) -> bool:
    if not path.is_file():
        return False
    with open(path, "rb") as f:
        head = f.read(1 << 14).decode("latin-1")
    return "Specially Designated Nationals" in head and bool(
        re.search(r"^\d{1,2}/\d{1,2}/\d{2,4}:?\s*$", head, re.MULTILINE)
    )


def _added_programs(a: Action) -> list[str]:
    """Programs a change's new entry states and its old one did not (both must state
    some), less a new name of a program the old entry had (PEESA to PEESA-EO14039)."""
    if not a.old_programs or not a.programs:
        return []
    gone = [p for p in a.old_programs if p not in a.programs]
    return [
        p for p in a.programs if p not in a.old_programs and not any(_renamed_program(g, p) for g in gone)
    ]


def _removed_programs(a: Action) -> list[str]:
    """Programs a change's old entry stated and its new one does not, less renames."""
    if not a.old_programs or not a.programs:
        return []
    new = [p for p in a.programs if p not in a.old_programs]
    return [p for p in a.old_programs if p not in a.programs and not any(_renamed_program(p, n) for n in new)]


def _renamed_program(old: str, new: str) -> bool:
    return model().same_program("US", old, new)


# -- reading one archive ----------------------------------------------------------------


class _Archive:
    """One sdnnewYY.txt read into actions; a damaged file raises LoadError with its line."""

    def __init__(self, loader: OfacChangesLoader, path: Path):
        self.loader, self.path = loader, path
        self.year = _year(path)

    def fail(self, message: str, line: int | None) -> NoReturn:
        raise LoadError(self.path, message, line=line)

    def actions(self) -> list[Action]:
        self._check_head()
        out: list[Action] = []
        day: date | None = None
        heading: tuple[str, str | None] | None = None
        heading_line: int | None = None
        in_section = 0
        ended = False
        last_day: date | None = None
        for line, text, closed in self._chunks():
            if not text:
                continue
            if ended:
                self.fail("text after the end-of-file mark (0x1A)", line)
            if text == "\x1a":
                ended = True
                continue
            if not closed:
                self.fail(
                    "the file ends in the middle of an entry: it looks cut short "
                    "(a complete archive ends with a line break and a 0x1A byte)",
                    line,
                )
            if found := _DATE.fullmatch(text):
                if heading and not in_section:
                    self.loader.warn(self.path, heading_line, "a heading with no entries under it")
                day = self._date(found, line)
                if last_day and day < last_day:
                    self.loader.warn(self.path, line, f"action date {day} comes after {last_day}")
                last_day, heading, in_section = day, None, 0
                continue
            if text.startswith(("The following", "resulting in")):
                if day is None:
                    self.fail("a heading before any action date (MM/DD/YY:)", line)
                if not text.endswith(":"):
                    self.fail("a heading that does not end with a colon: the text is cut or damaged", line)
                found = _HEADING.fullmatch(text)
                if not found:
                    self.fail(f"a heading of no known kind: {text[:80]!r}", line)
                if heading and not in_section:
                    self.loader.warn(self.path, heading_line, "a heading with no entries under it")
                heading, heading_line, in_section = self._kind(found, heading, line), line, 0
                continue
            if day is None:
                if _PROGRAM.search(text):
                    self.fail("an entry before any action date (MM/DD/YY:)", line)
                continue  # the notice that opens the file
            if heading is None:
                self.fail(
                    f"an entry under {day} with no heading (The following … entries have "
                    "been added / removed / changed:)",
                    line,
                )
            out.append(self._action(line, text, day, *heading))
            in_section += 1
        if day is None:
            self.fail("no action date (MM/DD/YY:) in the file: not an OFAC change archive, or damaged", None)
        if heading and not in_section:
            self.fail(
                "the file ends after a heading, with no entries under it: it looks cut short", heading_line
            )
        if not ended:
            self.loader.warn(self.path, None, "no end-of-file mark (0x1A): the file may be truncated")
        return out

    def _check_head(self) -> None:
        with open(self.path, "rb") as f:
            head = f.read(1024)
        stripped = head.lstrip()
        if head.startswith(b"%PDF"):
            self.fail(
                "this is a PDF, not the text archive (from 2024 OFAC publishes its changes as PDF only)", 1
            )
        if head.startswith((b"PK\x03\x04", b"\x1f\x8b")):
            self.fail("this is a zip or gzip archive, not the text archive: unpack it first", 1)
        if stripped[:1] == b"<":
            self.fail(
                "this is an HTML or XML page, not the text archive (a download error page?)",
                head[: len(head) - len(stripped)].count(b"\n") + 1,
            )

    def _chunks(self) -> Iterator[tuple[int, str, bool]]:
        """(first line, text, closed): each entry, heading or date line with its wrapped
        lines joined. An entry ends with CRLF, its wrapped lines with LF. In a file whose
        line ends were made all alike (all LF, or all CRLF), an entry ends with a line
        ending in "]." or ")." that no "-to-" continues."""
        with open(self.path, "rb") as f:
            head = f.read(1 << 16)
        crlf = b"\r\n" in head and re.search(rb"[^\r]\n", head) is not None
        with open_text(self.path, ("utf-8", "cp1252")) as f:
            parts: list[str] = []
            start = 0
            pending: tuple[int, str] | None = None
            number = 0
            for number, raw in enumerate(f, 1):
                if "\x00" in raw:
                    self.fail("a NUL byte: this is not a text file", number)
                if not crlf:
                    # Decide the previous line now that the next one is known.
                    if pending is not None:
                        p_number, p_text = pending
                        nxt = raw.strip()
                        ends = (
                            not p_text
                            or not nxt
                            or _DATE.fullmatch(nxt) is not None
                            or _DATE.fullmatch(p_text) is not None
                            or (p_text.endswith(("].", ").")) and not nxt.startswith(("-to-", "to-")))
                        )
                        if not parts:
                            start = p_number
                        parts.append(p_text)
                        if ends:
                            yield start, _unwrap(parts), True
                            parts = []
                    pending = (number, raw.strip())
                    continue
                if not parts:
                    start = number
                parts.append(raw.strip())
                if raw.endswith("\r\n") or (raw.endswith("\r") and not raw.endswith("\n")):
                    yield start, _unwrap(parts), True
                    parts = []
            if pending is not None:
                if not parts:
                    start = pending[0]
                parts.append(pending[1])
            if parts:
                # The last line: with no CRLF after it, an entry on it is whole only in a
                # file of alike line ends, and if it ends with a period.
                text, end = _unwrap(parts), None
                if text.endswith("\x1a"):
                    text, end = text[:-1].strip(), "\x1a"
                if text:
                    yield start, text, not crlf and text.endswith((".", ":"))
                if end:
                    yield number, end, True

    def _date(self, found: re.Match, line: int) -> date:
        month, day, year = map(int, found.groups())
        try:
            value = date(year if year > 99 else 2000 + year, month, day)
        except ValueError:
            self.fail(f"{found.group(0)} is not a date", line)
        if self.year and value.year != self.year:
            self.loader.warn(self.path, line, f"action date {value} in the archive of {self.year}")
        return value

    def _kind(
        self, found: re.Match, previous: tuple[str, str | None] | None, line: int
    ) -> tuple[str, str | None]:
        if found.group("verb"):
            verb = found.group("verb").lower()
            return {"deleted": "removed", "amended": "changed", "updated": "changed"}.get(verb, verb), None
        if not previous or previous[0] != "changed":
            self.fail('"resulting in …" with no change before it', line)
        added = found.group("result").lower() == "following new"
        return "changed", "new aliases" if added else "removed aliases"

    def _action(self, line: int, text: str, day: date, kind: str, result: str | None) -> Action:
        if not text.endswith("."):
            self.fail("an entry that does not end with a period: the text is cut or damaged", line)
        if text.count("[") != text.count("]") or text.count("(") != text.count(")"):
            self.fail("an entry whose brackets do not pair up: the text is cut or damaged", line)
        old = None
        parts = _TO.split(text)
        if kind == "changed" and result is None:
            if len(parts) == 2:
                old, new = parts
            else:
                self.loader.warn(self.path, line, "a change that is not written old entry -to- new entry")
                new = text
        else:
            if len(parts) > 1:
                self.loader.warn(self.path, line, f'"-to-" in an entry {kind}: read as one entry')
            new = text
        name, names = _names(new)
        if not name:
            self.fail("an entry with no name", line)
        programs = _programs(new)
        if not programs:
            self.loader.warn(self.path, line, f"{name}: the entry names no program")
        schemas = _SCHEMA.findall(new)
        _, old_names = _names(old) if old else ("", ())
        return Action(
            path=str(self.path),
            line=line,
            date=day,
            kind=kind,
            text=text,
            name=name,
            programs=programs,
            schema=SCHEMAS[schemas[-1]] if schemas else None,
            names=names,
            old_programs=_programs(old) if old else (),
            old_names=old_names,
            result=result,
            birth_dates=tuple(_birth_dates(new)),
            nationalities=tuple(_nationalities(new)),
            identifiers=tuple(_identifiers(new)),
        )


def _unwrap(parts: list[str]) -> str:
    """Wrapped lines as one: a space between them, none after a hyphen that ends a word
    ("AL-" + "JUBURI"), and ". -" + "to- NEW" is ". -to- NEW"."""
    text = ""
    for part in parts:
        if not text:
            text = part
        elif (
            text.endswith(" -")
            and part.startswith("to-")
            or text.endswith("-")
            and len(text) > 1
            and text[-2] != " "
        ):
            text += part
        else:
            text += " " + part
    return text.strip()


def _programs(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(re.sub(r"\s+", " ", p).strip() for p in _PROGRAM.findall(text)))


def _names(text: str) -> tuple[str, tuple[str, ...]]:
    """The entry's name (before the first " (" or ";") and its names with the a.k.a.s."""
    head = re.split(r" \(|;", text, maxsplit=1)[0]
    name = head.strip().rstrip(",").strip('"').strip()
    names = [name]
    rest = text[len(head) :]
    if rest.startswith(" ("):
        inner = _parenthesis(rest, 1)
        if inner and _ALIAS.match(inner):
            names += [_ALIAS.sub("", part).strip().strip('"').strip() for part in _split(inner)]
    return name, tuple(dict.fromkeys(n for n in names if n))


def _parenthesis(text: str, start: int) -> str | None:
    """The text inside the parenthesis that opens at text[start]."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i]
    return None


def _split(inner: str) -> list[str]:
    """ "a.k.a. X; a.k.a. Y (Z); f.k.a. W" at the semicolons outside parentheses."""
    out, depth, current = [], 0, ""
    for ch in inner:
        depth += (ch == "(") - (ch == ")")
        if ch == ";" and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    return [p.strip() for p in out + [current] if p.strip()]


def _birth_dates(text: str) -> list[str]:
    out: list[str] = []
    for start, end in _DOB.findall(text):
        out += [d for d in date_range(start, end) if d not in out]  # no end: the start alone
    return out


def _nationalities(text: str) -> list[str]:
    return list(dict.fromkeys(c for v in _NATIONALITY.findall(text) if (c := country_code(v))))


def _identifiers(text: str) -> list[str]:
    return list(dict.fromkeys(v.upper().rstrip(".") for v in _ID.findall(text)))


def _norm(name: str) -> str:
    """A name for comparing: no accents, upper case, single spaces, no end period or quotes."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", name).strip().strip("\"'").strip().rstrip(".").upper()


# -- the SDN list and the join ------------------------------------------------------------


@dataclass
class _Entry:
    """One SDN record as the join needs it (merged over the SDN lists given)."""

    ent_num: str
    name: str
    schema: str
    programs: set[str] = field(default_factory=set)
    birth_dates: set[str] = field(default_factory=set)
    nationalities: set[str] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)
    #: The dates of the SDN lists that hold it; None for a list that states none (taken
    #: as current: later than any archive).
    seen: set[date | None] = field(default_factory=set)


class _SdnIndex:
    """The SDN list(s) given along, read by the ofac-sdn-csv loader, indexed by name."""

    def __init__(self, loader: OfacChangesLoader, paths: list[Path]):
        self.paths = paths
        #: The files read (an SDN list's side files too), for the source's digest.
        self.files: list[SourceFile] = []
        self.entries: dict[str, _Entry] = {}
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.by_alias: dict[str, set[str]] = defaultdict(set)
        self.by_id: dict[str, set[str]] = defaultdict(set)
        for path in paths:
            dated = (
                partial_date(found.group(0))
                if (found := re.search(r"\d{4}-\d{2}-\d{2}", path.name))
                else None
            )
            listed = date.fromisoformat(dated) if dated and len(dated) == 10 else None
            for rec in _read_sdn(loader, path, self.files):
                self._add(rec, listed)
        if not self.entries:
            raise LoadError(paths[0], "the SDN list holds no records to join the changes to")

    def _add(self, rec: Record, listed: date | None) -> None:
        entry = self.entries.setdefault(rec.record_id, _Entry(rec.record_id, rec.name, rec.schema))
        entry.seen.add(listed)
        entry.programs |= {s.program for s in rec.sanctions}
        entry.birth_dates |= set(rec.birth_dates)
        entry.nationalities |= set(rec.nationalities)
        entry.identifiers |= set(_identifiers(rec.extra.get("remarks", "")))
        self.by_name[_norm(rec.name)].add(rec.record_id)
        for n in rec.names:
            self.by_alias[_norm(n.value)].add(rec.record_id)
        for value in entry.identifiers:
            self.by_id[value].add(rec.record_id)

    def find(self, names: Sequence[str], head: str, action: Action) -> tuple[set[str], str]:
        """Candidate ent_nums for an entry and how they were found."""
        found = set().union(*(self.by_name.get(_norm(n), ()) for n in names))
        if not found:
            # "NAME, address; ...": an entity's name runs into its address.
            pieces = head.split(", ")
            for i in range(len(pieces) - 1, 0, -1):
                found = set(self.by_name.get(_norm(", ".join(pieces[:i])), ()))
                if found:
                    break
        if found:
            return found, "name"
        found = set().union(*(self.by_alias.get(_norm(n), ()) for n in names))
        if found:
            return found, "alias"
        found = set().union(*(self.by_id.get(i, ()) for i in action.identifiers))
        return found, "identifier"


def _read_sdn(loader: OfacChangesLoader, path: Path, files: list[SourceFile]) -> Iterator[Record]:
    """The records of an SDN list, read by the ofac-sdn-csv loader. That loader knows the
    file by its name (sdn.csv); a dated copy (sdn_2024-05-03.csv) is given to it under
    that name, through a link in a temporary folder."""
    from loaders.ofac_csv import OfacCsvLoader

    reader = OfacCsvLoader()
    link = None
    with tempfile.TemporaryDirectory(prefix="ofac-changes-") as folder:
        if path.is_dir() or path.name.lower() == "sdn.csv":
            records = reader.read([path])
        else:
            link = Path(folder) / "sdn.csv"
            try:
                os.symlink(path.resolve(), link)
            except OSError:
                shutil.copyfile(path, link)
            records = reader.read([link])
        try:
            for rec in records:
                if reader.meta.dataset != SDN_DATASET:
                    raise LoadError(path, f"not the SDN list but the {reader.meta.title}")
                yield rec
        except LoadError as e:
            if link is None or e.path != str(link):
                raise
            raise LoadError(path, e.message, line=e.line, record=e.record) from None
    files += [replace(f, path=str(path)) if f.path == str(link) else f for f in reader.meta.files]
    # Its side files (add.csv, alt.csv) are welcome, not needed: no word of their absence.
    for w in reader.warnings:
        if "not found" not in w.message:
            loader.warn(path if w.path == str(link) else w.path, w.line, w.message)


def _join_actions(actions: list[Action], index: _SdnIndex) -> None:
    """Set ent_num (or the reason there is none) on every action."""
    renames: dict[str, list[Action]] = defaultdict(list)
    for a in actions:
        if (
            a.kind == "changed"
            and a.old_names
            and {_norm(n) for n in a.old_names} != {_norm(n) for n in a.names}
        ):
            for n in a.old_names:
                renames[_norm(n)].append(a)
    removals: dict[str, list[Action]] = defaultdict(list)
    for a in actions:
        if a.kind in ("added", "removed") and a.result is None:
            removals[_norm(a.name)].append(a)
    cache: dict[tuple, tuple[str | None, str | None, str | None]] = {}
    for a in actions:
        # The a.k.a. entries of one record share a name set and all the rest.
        key = (
            a.kind,
            a.date,
            frozenset(a.names),
            a.programs,
            a.old_programs,
            a.schema,
            a.birth_dates,
            a.nationalities,
            a.identifiers,
            frozenset(a.old_names),
        )
        if key not in cache:
            cache[key] = _match(a, a.names, index, _removed_on(a, removals))
            if cache[key][0] is None and cache[key][2] == "not in the given list":
                cache[key] = _renamed(a, index, renames) or cache[key]
        a.ent_num, a.joined_by, a.reason = cache[key]
        if a.ent_num is None and a.kind == "changed" and a.old_names:
            # The list may still hold the entry as it was before the change.
            ent, how, _ = _match(a, a.old_names, index)
            if ent:
                a.ent_num, a.joined_by, a.reason = ent, how, None


def _renamed(a: Action, index: _SdnIndex, renames: dict[str, list[Action]]):
    """An entry the list does not hold under any of its names, renamed by a later change
    in the archives: the record under its new name."""
    later = [
        c
        for n in a.names
        for c in renames.get(_norm(n), ())
        if c.date >= a.date and c is not a and set(c.old_programs) & set(a.programs)
    ]
    if not later:
        return None
    for change in sorted(later, key=lambda c: c.date):
        ent, _, _ = _match(change, change.names, index)
        if ent:
            return ent, "renamed", None
    return None, None, "name changed"


def _removed_on(a: Action, removals: dict[str, list[Action]]) -> date | None:
    """When a later action of the archives removes this added entry (none re-adds it)."""
    if a.kind != "added":
        return None
    last = None
    for other in sorted(removals.get(_norm(a.name), ()), key=lambda o: o.date):
        if other.date > a.date and set(other.programs) & set(a.programs) and other.schema == a.schema:
            last = other.date if other.kind == "removed" else None
    return last


def _match(
    a: Action, names: Sequence[str], index: _SdnIndex, removed_on: date | None = None
) -> tuple[str | None, str | None, str | None]:
    found, how = index.find(names, a.name if names is a.names else names[0], a)
    if not found:
        return None, None, "not in the given list"
    cands = [e for e in (index.entries[n] for n in sorted(found, key=int)) if _in_time(e, a)]
    if not cands:
        return (
            None,
            None,
            (
                "still listed after the removal"
                if a.kind == "removed"
                else "only in lists older than the action"
            ),
        )
    if removed_on:
        # Removed again before the lists that hold its names: another entry of those names.
        cands = [e for e in cands if any(d is not None and d < removed_on for d in e.seen)]
        if not cands:
            return None, None, "removed later in the archive"
    schema = a.schema or "Organization"
    programs = {_family(p) for p in a.programs + a.old_programs}
    kept = [
        e
        for e in cands
        if (not programs or not e.programs or programs & {_family(p) for p in e.programs})
        and e.schema == schema
        and (not a.birth_dates or not e.birth_dates or _same_dates(a.birth_dates, e.birth_dates))
    ]
    if not kept:
        return None, None, "details differ"
    for narrower in (
        lambda e: bool(set(a.identifiers) & e.identifiers),
        lambda e: bool(set(a.nationalities) & e.nationalities),
        lambda e: set(a.programs) == e.programs,
        lambda e: _norm(e.name) in {_norm(n) for n in names},
    ):
        if len(kept) == 1:
            break
        kept = [e for e in kept if narrower(e)] or kept
    if len(kept) > 1:
        return None, None, "several candidates"
    return kept[0].ent_num, how, None


def _in_time(e: _Entry, a: Action) -> bool:
    """A removed entry is in a list of before the removal and in none after it (else it
    was listed again, or a duplicate entry was removed); an added entry is in a list of
    the action's date or later and in none before it; a changed one in a list of its
    date or later."""
    if a.kind == "removed":
        return any(d is not None and d <= a.date for d in e.seen) and not any(
            d is None or d > a.date for d in e.seen
        )
    if a.kind == "added" and any(d is not None and d < a.date for d in e.seen):
        return False
    return any(d is None or d >= a.date for d in e.seen)


def _family(program: str) -> str:
    """A program and its blocking pending investigation (BPI-RUSSIA-EO14024) are one."""
    return program.removeprefix("BPI-")


def _same_dates(ours: Sequence[str], theirs: set[str]) -> bool:
    return any(a.startswith(b) or b.startswith(a) for a in ours for b in theirs)
