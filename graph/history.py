"""Dated versions of one list, replayed: when each entry first appears and when it goes.

OFAC's sdn.csv states no designation date, but a series of dated copies bounds one: an
entry first present in the version of day D, absent from the version of day C before it,
was listed after C and by D. This module is pure: files and git in, plain data out, no
Neo4j (it imports no driver itself; importing the `graph` package loads graph.client).
The store decides what to write.

    from graph.history import versions, replay
    found = versions(Path("data/ofac/history/sdn-history.bundle"))  # 308 Version, oldest first
    result = replay("ofac-sdn-csv", found)
    result.records   # the newest version's Records, each with .seen (loaders.records.Seen)
    result.removed   # entries the newest version lacks: their last state, .seen.gone_by set
    result.changes   # per version read: the record ids added, removed and changed
    result.earlier   # record id → earlier presence intervals of entries listed again
    result.unknown   # the list's files the newest version lacks: what its Records cannot say
    result.warnings  # versions skipped as damaged, side files missing, loader warnings

Where versions come from (`versions(source)`):
- a git repository (work tree or bare) or a git bundle: every commit that touches the
  list's files is a version, dated by its commit time in UTC (a git-scrape commits each
  download that changed, so the commit time is the download time);
- a folder of dated versions: subfolders named YYYY-MM-DD, as `python -m graph update`
  keeps them (.local/downloads/YYYY-MM-DD/us-ofac-sdn/sdn.csv; that date is the local day
  of the download), or files with the date in their name (sdn_2024-05-03.csv).

How it stays fast (308 versions of a 4 MB file): each version is read once as bytes (one
`git cat-file --batch`, in a thread, so git inflates the next version while this one is
diffed); each version is a set of its lines, and only the lines that differ from the
version before are looked at (set differences, in C); a line no earlier version had is
parsed once with the csv module (its id and a digest of its cells are cached by its
bytes). Only the final state of each entry goes through the real loader: the newest
version whole, and each removed entry from the last version that held it.

What a version does not say is unknown, never a removal: a version without the side files
(add.csv, alt.csv, sdn_comments.csv; the scrape has sdn.csv only) leaves aliases and
addresses unknown, and a damaged version is skipped (see `replay`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal, NamedTuple, overload

import loaders
from graph.model import model
from graph.resolve import MERGE, Features, successor
from loaders.base import STRONG_ALIASES, LoadError
from loaders.ofac_csv import COLUMNS as OFAC_COLUMNS
from loaders.ofac_csv import HOLDS as OFAC_HOLDS
from loaders.ofac_csv import SETS as OFAC_SETS
from loaders.ofac_csv import programs_of, side_files
from loaders.records import Record, Sanction, Seen

# -- what replay can read ---------------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    #: Primary file name → its side files, in the loader's order (address, alias, comment).
    sets: dict[str, tuple[str, ...]]
    #: Columns of a primary row; the entry's id is column 0.
    width: int
    #: What each side file holds, for the messages saying it is unknown.
    holds: dict[str, str]
    #: The programs a primary row names, as its loader reads them.
    programs: Callable[[list[str]], tuple[str, ...]]
    #: Whose programs they are: two spellings of one program (data/programs/) are a
    #: program written anew, not one ended and another begun.
    jurisdiction: str


_OFAC = _Format(
    sets={primary: tuple(s[1:]) for primary, s in OFAC_SETS.items()},
    width=OFAC_COLUMNS["primary"],
    programs=lambda row: tuple(dict.fromkeys(programs_of(row[3]))),
    jurisdiction="US",
    holds={name: OFAC_HOLDS[kind] for primary in OFAC_SETS for kind, name in side_files(primary).items()},
)
#: The loaders whose dated versions `replay` can diff: row-per-entry CSV keyed by column 0.
FORMATS: dict[str, _Format] = {"ofac-sdn-csv": _OFAC}

#: File name → its side files, for every list `versions` recognises without being told.
_SIDES: dict[str, tuple[str, ...]] = {p: s for f in FORMATS.values() for p, s in f.sets.items()}


# -- versions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One dated version of a list: a git commit or a dated folder / file name."""

    #: The version's date: the commit time as a UTC date, or the date in the folder name.
    on: date
    #: The commit time (UTC), when known; None for a dated folder.
    at: datetime | None
    #: Name of the list's primary file (sdn.csv), as its loader expects it.
    primary: str
    #: Names of the list's files this version has, primary first (sdn.csv, add.csv, …).
    files: tuple[str, ...]
    #: Where each of `files` is: its path in the commit, or its path on disk.
    where: tuple[str, ...]
    commit: str | None = None
    #: The git directory holding `commit` (a temporary clone for a bundle).
    git_dir: Path | None = None
    #: Keeps a temporary clone alive while any Version of it is.
    keep: object = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        return f"commit {self.commit[:12]}" if self.commit else self.where[0]

    def __str__(self) -> str:
        when = self.at.strftime("%Y-%m-%dT%H:%M:%SZ") if self.at else self.on.isoformat()
        return f"version {when} ({self.label})"

    def read(self, name: str | None = None) -> bytes:
        """The bytes of one of the version's files (the primary file by default)."""
        name = name or self.primary
        if name not in self.files:
            raise LoadError(name, f"not in {self}")
        where = self.where[self.files.index(name)]
        if self.commit:
            return _git(self.git_dir, "cat-file", "blob", f"{self.commit}:{where}", text=False)
        return Path(where).read_bytes()


def versions(source: Path, primary: str | None = None) -> list[Version]:
    """The dated versions of one list in `source`, oldest first.

    `source` is a git repository (work tree or bare), a git bundle (cloned into a temporary
    folder that lives as long as the versions), or a folder of dated subfolders or dated
    file names. `primary` names the list's primary file ("sdn.csv", or a path such as
    "us-ofac-sdn/sdn.csv" when several folders hold one); by default the one file of a
    known list found there. Its side files (add.csv, …) are looked for beside it.
    In git, the files are those of HEAD's tree, and versions are ordered by commit time.
    """
    source = Path(source)
    if not source.exists():
        raise LoadError(source, "no such file or folder")
    if source.is_file():
        with open(source, "rb") as f:
            head = f.read(16)
        if not re.match(rb"# v[23] git bundle\n", head):
            raise LoadError(
                source,
                "not a git bundle: give a git repository or bundle, or a "
                "folder of dated versions (YYYY-MM-DD/…)",
            )
        keep = _Temporary()
        git_dir = keep.path / "repo.git"
        _git(None, "clone", "--bare", "--quiet", str(source), str(git_dir))
        return _git_versions(source, git_dir, primary, keep)
    if (source / ".git").exists():
        git_dir = Path(_git(None, "-C", str(source), "rev-parse", "--absolute-git-dir").strip())
        return _git_versions(source, git_dir, primary, None)
    if (source / "HEAD").is_file() and (source / "objects").is_dir() and (source / "refs").is_dir():
        return _git_versions(source, source, primary, None)
    return _folder_versions(source, primary)


class _Temporary:
    """A temporary folder, removed once nothing refers to this object."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="sanct-history-"))
        weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)


def _git_versions(source: Path, git_dir: Path, primary: str | None, keep: object) -> list[Version]:
    tree = [p for p in _git(git_dir, "ls-tree", "-r", "-z", "--name-only", "HEAD").split("\0") if p]
    path = _pick(source, tree, primary)
    folder = path.rpartition("/")[0]
    name = path.rpartition("/")[2]
    names = (name, *_SIDES.get(name, ()))
    paths = [f"{folder}/{n}" if folder else n for n in names]
    log = _git(git_dir, "log", "--format=%H %ct", "HEAD", "--", *paths).split()
    commits = sorted(zip(log[0::2], map(int, log[1::2])), key=lambda c: c[1])  # stable: ties keep log order
    if not commits:
        raise LoadError(source, f"no commit touches {path}")
    # Which of the list's files each commit has: one batch-check for all of them.
    asked = "".join(f"{c}:{p}\n" for c, _ in commits for p in paths)
    answers = _git(git_dir, "cat-file", "--batch-check", input=asked).splitlines()
    found = [not a.endswith(" missing") for a in answers]
    out = []
    for i, (commit, seconds) in enumerate(commits):
        have = [j for j in range(len(names)) if found[i * len(names) + j]]
        at = datetime.fromtimestamp(seconds, UTC)
        out.append(
            Version(
                at.date(),
                at,
                name,
                tuple(names[j] for j in have),
                tuple(paths[j] for j in have),
                commit,
                git_dir,
                keep,
            )
        )
    return out


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _day(text: str) -> date | None:
    found = _DAY.search(text)
    try:
        return date(*map(int, found.groups())) if found else None
    except ValueError:
        return None


def _undated(name: str) -> str:
    """sdn_2024-05-03.csv → sdn.csv; 2024-05-03_sdn.csv → sdn.csv."""
    found = _DAY.search(name)
    if found is None:
        return name
    start, end = found.span()
    if start > 0 and name[start - 1] in "-_. ":
        start -= 1
    elif end < len(name) and name[end] in "-_ ":
        end += 1
    return name[:start] + name[end:]


def _folder_versions(source: Path, primary: str | None) -> list[Version]:
    # date → {relative path (dates taken out of file names) → path on disk}
    dated: dict[date, dict[str, Path]] = {}
    for entry in sorted(source.iterdir()):
        if entry.is_dir() and (day := _day(entry.name)) and _DAY.match(entry.name):
            files = {
                p.relative_to(entry).as_posix(): p
                for p in sorted(entry.rglob("*"))
                if p.is_file() and not p.name.endswith(".part")
            }
        elif entry.is_file() and (day := _day(entry.name)):
            files = {_undated(entry.name): entry}
        else:
            continue
        into = dated.setdefault(day, {})
        if clash := files.keys() & into.keys():
            raise LoadError(source, f"two versions dated {day} hold {min(clash)}")
        into.update(files)
    if not dated:
        raise LoadError(
            source,
            "no dated versions here: expected subfolders named YYYY-MM-DD "
            "or file names with a date (sdn_2024-05-03.csv), or a git repository",
        )
    if primary is None:
        every = {p.rpartition("/")[2] for files in dated.values() for p in files}
        known = sorted(every & _SIDES.keys())
        if len(known) > 1:
            raise LoadError(source, f"several lists here ({', '.join(known)}): name the primary file")
        primary = known[0] if known else None
    out = []
    for day in sorted(dated):
        files = dated[day]
        path = _pick(source / day.isoformat(), list(files), primary, required=False)
        if path is None:  # a day that downloaded other lists only
            continue
        folder, _, name = path.rpartition("/")
        names, where = [name], [str(files[path])]
        for side in _SIDES.get(name, ()):
            if (p := f"{folder}/{side}" if folder else side) in files:
                names.append(side)
                where.append(str(files[p]))
        out.append(Version(day, None, name, tuple(names), tuple(where)))
    if not out:
        raise LoadError(source, f"no dated version holds {primary}")
    return out


@overload
def _pick(source: Path, paths: Sequence[str], primary: str | None, required: Literal[True] = True) -> str: ...
@overload
def _pick(source: Path, paths: Sequence[str], primary: str | None, required: bool) -> str | None: ...
def _pick(source: Path, paths: Sequence[str], primary: str | None, required: bool = True) -> str | None:
    """The one path of the list's primary file among `paths` (None if none, when not required)."""
    if primary:
        primary = primary.strip("/")
        found = [p for p in paths if p == primary or p.endswith("/" + primary)]
    else:
        found = [p for p in paths if p.rpartition("/")[2] in _SIDES]
        if not found and len(paths) == 1:
            found = list(paths)
    if not found and not required:
        return None
    if not found:
        raise LoadError(
            source,
            f"no file {primary or 'of a known list'} (found: {', '.join(sorted(paths)[:5]) or 'nothing'})",
        )
    if len(found) > 1:
        raise LoadError(
            source,
            f"several files could be the list ({', '.join(sorted(found)[:5])}): "
            "name one, e.g. primary='us-ofac-sdn/sdn.csv'",
        )
    return found[0]


def _git_command(git_dir: Path | None, *args: str) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of a git command on `git_dir` (None: the current
    directory's repository), without the caller's GIT_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return ["git", *([f"--git-dir={git_dir}"] if git_dir else []), *args], env


def _git(git_dir: Path | None, *args: str, input: str | None = None, text: bool = True):
    command, env = _git_command(git_dir, *args)
    done = subprocess.run(command, input=input, capture_output=True, text=text, env=env, check=False)
    if done.returncode:
        error = done.stderr if text else done.stderr.decode(errors="replace")
        raise LoadError(git_dir or args[-1], f"git {args[0]} failed: {error.strip()}")
    return done.stdout


# -- replay -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """What one version changed against the version read before it (the oldest version
    read is the baseline: nothing in it counts as added)."""

    version: Version
    #: Entries in this version.
    entries: int
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    #: Entries whose row changed (in the primary file; side files are not compared).
    changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A version not read because its primary file is missing or damaged."""

    version: Version
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.version.primary}{f', line {self.line}' if self.line else ''}"
        return f"{self.version}: {where}: {self.message}: version skipped"


@dataclass
class Replay:
    """What `replay` found: the Records with their Seen, the removed ones, each version's
    changes, and what the versions could not tell."""

    kind: str
    #: Every version given, oldest first.
    versions: list[Version]
    #: The versions read: all but the skipped ones. Seen's dates are theirs.
    read: list[Version]
    #: The newest version read, parsed whole by the loader; each Record's .seen is set.
    records: list[Record]
    #: Entries some version held and the newest lacks: their last state, parsed from the
    #: last version that held them, with .seen.last_seen and .seen.gone_by set.
    removed: list[Record]
    #: One per version read, oldest first.
    changes: list[Change]
    #: Record id → earlier presence intervals (each a Seen with gone_by) of entries that
    #: were removed and listed again; the latest interval is the Record's .seen.
    earlier: dict[str, tuple[Seen, ...]]
    skipped: list[Skipped]
    #: The list's files the newest version lacks: what `records` do not know (their
    #: aliases, addresses…), which must not be read as removed.
    unknown: tuple[str, ...]
    #: What those files hold ("strong aliases", …): the Source's SourceMeta.lacks.
    lacks: tuple[str, ...]
    warnings: list[str]
    #: Time replay() took, reading and parsing included.
    seconds: float
    #: Designations that moved from an entry that left to one that took them over in the
    #: same version: (old id, new id, program), each marked on both Sanctions' Seen.
    moves: list[tuple[str, str, str]] = field(default_factory=list)
    #: Entry id → each row the entry had, as written, with the index in `read` of the
    #: first version that held it; oldest first (`left_on`).
    rows: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    @property
    def newest(self) -> Version:
        return self.read[-1]

    def left_on(self, record_id: str, name: str) -> date | None:
        """The version in which `name` left the entry: the first whose row no longer
        holds it, after the last that did. A name is read in a row as the list writes it:
        a quoted field (the entry's name) or a quoted alias in the remarks ("a.k.a.
        'MININT'"). When no version read holds it and the versions lack the aliases'
        file (the graph's aliases are kept, graph/loading.py), it came from an earlier
        load and left on or before the entry's first version read. None where the versions
        cannot say: an entry none of them holds, a name their aliases' file may have held,
        or one the newest row still holds (it is not gone from the file)."""
        rows = self.rows.get(record_id)
        if not rows:
            return None
        quoted = (f'"{name}"', f"'{name}'")
        held = [i for i, (_, row) in enumerate(rows) if any(q in row for q in quoted)]
        if not held:
            return self.read[rows[0][0]].on if STRONG_ALIASES in self.lacks else None
        if held[-1] + 1 == len(rows):
            return None
        return self.read[rows[held[-1] + 1][0]].on

    @property
    def seen(self) -> dict[str, Seen]:
        """Record id → Seen, for every entry any version held (replay sets each one's)."""
        return {r.record_id: r.seen for r in (*self.records, *self.removed) if r.seen is not None}


class _Damaged(Exception):
    """A version's file is damaged at `line`. A signal inside this module, not one of the
    project's errors (graph/exc.py): replay turns it into a warning or a LoadError, and
    one that got out would be a bug."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def replay(kind: str, versions: Sequence[Version], *, strict: bool = False) -> Replay:
    """Replay the versions (oldest first) of a list read by loader `kind` (ofac-sdn-csv).

    Each entry gets a loaders.records.Seen: `first_by` is the date of the first version
    holding it, `first_after` that of the version read before (None when the oldest
    version holds it: listed on or before `first_by`); once a later version lacks it,
    `last_seen` and `gone_by` bound the removal. An entry listed again after a removal
    keeps its latest interval in Seen and the earlier ones in Replay.earlier.

    A version whose primary file is missing, damaged or truncated (no 0x1A end mark,
    broken CSV, a row of the wrong width, an id twice) is skipped with a warning naming
    the version and the line; with strict=True it raises LoadError instead. Skipping is
    the honest reading: a cut-short download would otherwise say that every entry after
    the cut was removed, and listed again in the next version. Skipped, it is no evidence
    at all: the bounds of what changed around it simply span it (first_after and
    last_seen are versions that were read). Raising would throw away hundreds of good
    versions for one bad download.
    """
    started = time.perf_counter()
    try:
        fmt = FORMATS[kind]
    except KeyError:
        loaders.get(kind)  # an unknown kind: the loaders' own message
        raise LoadError(kind, f"replay reads {', '.join(FORMATS)} only") from None
    versions = sorted(versions, key=lambda v: (v.on, v.at.timestamp() if v.at else 0.0))
    if not versions:
        raise LoadError(kind, "no versions to replay")
    primaries = {v.primary for v in versions}
    if len(primaries) > 1:
        raise LoadError(
            kind, f"versions of several lists ({', '.join(sorted(primaries))}): replay one at a time"
        )
    primary = primaries.pop()
    if primary not in fmt.sets:
        raise LoadError(primary, f"{kind} reads {', '.join(fmt.sets)}, not this file")
    sides = fmt.sets[primary]

    read: list[Version] = []
    changes: list[Change] = []
    skipped: list[Skipped] = []
    cache: dict[bytes, _Unit] = {}  # row bytes → the row parsed
    present: dict[str, bytes] = {}  # id → its row in the last version read
    opened: dict[str, int] = {}  # id → index in `read` of the version it (re)appeared in
    closed: dict[str, list[tuple[int, int]]] = {}  # id → [(first, last) index in `read`]
    last: dict[str, tuple[int, str, int | None]] = {}  # removed id → (index, row text, line)
    # The same for each program of an entry: OFAC adds a program to an entry, or drops
    # one, and the entry keeps its id (Mnangagwa, 7513: ZIMBABWE to GLOMAG on 2024-03-04).
    programs_opened: dict[tuple[str, str], int] = {}
    programs_closed: dict[tuple[str, str], list[tuple[int, int]]] = {}

    def same(one: str, other: str) -> bool:
        return model().same_program(fmt.jurisdiction, one, other)

    def close(e: str, programs: tuple[str, ...], k: int) -> None:
        for p in programs:
            programs_closed.setdefault((e, p), []).append((programs_opened.pop((e, p)), k - 1))

    rows_of: dict[str, list[tuple[int, str]]] = {}  # Replay.rows
    prev: _Rows | None = None
    for v, data in _primaries(versions):
        try:
            if data is None:
                raise _Damaged(None, "the version has no such file")
            rows = _read_rows(data, fmt, cache)
            new = rows.units - prev.units if prev else rows.units
            gone = prev.units - rows.units if prev else set()
            new_ids = {cache[u].id: u for u in new}
            gone_ids = {cache[u].id: u for u in gone}
            if len(new_ids) < len(new) or any(e in present and e not in gone_ids for e in new_ids):
                _read_rows_csv(data, _body(data), fmt, cache)  # names the line
                raise _Damaged(None, "an id appears twice")
        except _Damaged as damage:
            if strict:
                raise LoadError(f"{v}: {v.primary}", damage.message, line=damage.line) from None
            skipped.append(Skipped(v, damage.line, damage.message))
            continue
        k = len(read)
        read.append(v)
        # Each entry's rows as written (Replay.rows): an entry new to this version, and
        # below, one whose row changed.
        for e in new_ids.keys() - gone_ids.keys():
            rows_of.setdefault(e, []).append((k, cache[new_ids[e]].text))
        if prev is None:
            opened = dict.fromkeys(new_ids, 0)
            programs_opened = {(e, p): 0 for e, u in new_ids.items() for p in cache[u].programs}
            changes.append(Change(v, len(rows.units)))
        else:
            added = new_ids.keys() - gone_ids.keys()
            removed = gone_ids.keys() - new_ids.keys()
            changed = {
                e
                for e in new_ids.keys() & gone_ids.keys()
                if cache[new_ids[e]].digest != cache[gone_ids[e]].digest
            }  # not a re-quoting
            for e in added:
                opened[e] = k
                programs_opened.update(((e, p), k) for p in cache[new_ids[e]].programs)
            for e in changed:
                rows_of[e].append((k, cache[new_ids[e]].text))
                was, now = cache[gone_ids[e]].programs, cache[new_ids[e]].programs
                if was != now:
                    begun = [p for p in now if p not in was]
                    for p in [p for p in was if p not in now]:
                        if written_anew := next((q for q in begun if same(p, q)), None):
                            # ILLICIT-DRUGS-EO written ILLICIT-DRUGS-EO14059 (2022-09-22):
                            # the designation goes on under the new spelling.
                            programs_opened[(e, written_anew)] = programs_opened.pop((e, p))
                            begun.remove(written_anew)
                        else:
                            close(e, (p,), k)
                    programs_opened.update(((e, p), k) for p in begun)
            if removed:
                lines = prev.lines_of({gone_ids[e]: e for e in removed})
                for e in removed:
                    closed.setdefault(e, []).append((opened.pop(e), k - 1))
                    close(e, cache[gone_ids[e]].programs, k)
                    last[e] = (k - 1, cache[gone_ids[e]].text, lines.get(e))
                    del present[e]
            changes.append(Change(v, len(rows.units), _ids(added), _ids(removed), _ids(changed)))
        present.update(new_ids)
        prev = rows
    if prev is None:
        raise LoadError(kind, "no version could be read: " + "; ".join(map(str, skipped[:3])))

    def seen(first: int, end: int | None) -> Seen:
        return Seen(
            first_by=read[first].on,
            first_after=read[first - 1].on if first else None,
            last_seen=read[end].on if end is not None else None,
            gone_by=read[end + 1].on if end is not None else None,
        )

    warnings = [str(s) for s in skipped]
    for before, c in itertools.pairwise(changes):
        # Not an error (a list may drop a whole program), but said: it may be damage that
        # the file's structure does not show. In the OFAC history: at most 150 of 9,158.
        if len(c.removed) >= max(50, before.entries // 10):
            warnings.append(f"{c.version}: {len(c.removed)} of {before.entries} entries removed at once")

    newest = read[-1]
    records = _parse(kind, newest, prev.data, warnings)
    if len(records) != len(present) or {r.record_id for r in records} != present.keys():
        raise LoadError(f"{newest}: {newest.primary}", "the loader's records differ from the file's rows")
    for r in records:
        r.seen = seen(opened[r.record_id], None)
    unknown = tuple(s for s in sides if s not in newest.files)
    lacks = tuple(fmt.holds[s] for s in unknown)
    if unknown:
        warnings.append(
            f"{newest}: no {', '.join(unknown)}: the records' {', '.join(lacks)} are unknown, not removed"
        )

    removed_records: list[Record] = []
    by_version: dict[int, list[str]] = {}
    for e, (k, _, _) in last.items():
        if e not in opened:
            by_version.setdefault(k, []).append(e)
    lacking: set[str] = set()
    unknown_for = 0
    for k, ids in sorted(by_version.items()):
        v = read[k]
        ids.sort(key=lambda e: (last[e][2] or 0, int(e)))  # the file's own order
        text = "\r\n".join(last[e][1] for e in ids) + "\r\n\x1a"
        found = _parse(kind, v, text.encode("utf-8"), warnings, {e: last[e][2] for e in ids})
        if [r.record_id for r in found] != ids:
            raise LoadError(f"{v}: {v.primary}", "the loader's records differ from the file's rows")
        if missing := [s for s in sides if s not in v.files]:
            lacking.update(missing)
            unknown_for += len(ids)
        for r in found:
            r.seen = seen(*closed[r.record_id][-1])
        removed_records.extend(found)
    if lacking:
        names = [s for s in sides if s in lacking]
        warnings.append(
            f"{unknown_for} removed entries' last states come from versions without "
            f"{', '.join(names)}: their {', '.join(fmt.holds[s] for s in names)} are unknown"
        )
    removed_records.sort(key=lambda r: int(r.record_id))
    programs_seen: dict[str, dict[str, Seen]] = {}
    for (e, p), spans in programs_closed.items():
        programs_seen.setdefault(e, {})[p] = seen(*spans[-1])
    for (e, p), first in programs_opened.items():
        programs_seen.setdefault(e, {})[p] = seen(first, None)
    for r in (*records, *removed_records):
        _date_programs(r, programs_seen.get(r.record_id, {}))
    moves = _moves(records, removed_records, same)

    # The latest interval of an entry still removed is its Seen; all others are earlier.
    earlier = {
        e: tuple(seen(a, b) for a, b in (spans if e in opened else spans[:-1]))
        for e, spans in closed.items()
        if e in opened or len(spans) > 1
    }
    return Replay(
        kind,
        list(versions),
        read,
        records,
        removed_records,
        changes,
        earlier,
        skipped,
        unknown,
        lacks,
        warnings,
        time.perf_counter() - started,
        moves,
        rows_of,
    )


def _date_programs(rec: Record, seen: dict[str, Seen]) -> None:
    """Each sanction of an entry dated by the versions that show its program on the entry
    (Sanction.seen, set only where it differs from the entry's own Seen), and a Sanction
    for each program the entry held in earlier versions and no longer does, with the
    versions around its end (gone_by): its designation under that program ended then,
    though the entry stayed."""
    if not rec.sanctions:
        return
    held = {s.program for s in rec.sanctions}
    for s in rec.sanctions:
        if seen.get(s.program, rec.seen) != rec.seen:
            s.seen = seen[s.program]
    left = sorted((p for p in seen if p not in held), key=lambda p: (seen[p].first_by, p))
    rec.sanctions.extend(replace(rec.sanctions[0], program=p, seen=seen[p]) for p in left)


def _moves(
    records: Sequence[Record], removed: Sequence[Record], same: Callable[[str, str], bool]
) -> list[tuple[str, str, str]]:
    """Designations that moved: an entry left the list in the version where another entry,
    new or not, took up one of its programs, and the matcher finds the two one target at
    MERGE with no conflict (resolve.successor, as a load of a new version decides). Its
    programs that the other entry holds then did not end: they moved. OFAC folded
    Kadyrov's duplicate entry 36459 into 23343 on 2022-11-14, where 23343 gained
    RUSSIA-EO14024: the US designation under it runs from 36459's first version, and
    36459's MAGNIT and GLOMAG, which 23343 held already, were not delisted.

    Each moved program's Sanction.seen on the new entry gets `moved_from` and the old
    entry's first dates where they are earlier; the old entry's gets `moved_to`; the new
    record states the old one as the same (same_as), as a list's own renumbering would.
    Returns (old id, new id, program) for each."""
    begun: dict[tuple[date, date], list[tuple[Record, str]]] = {}
    for r in (*records, *removed):
        for s in r.sanctions:
            on = s.seen or r.seen
            if on is not None and on.first_after is not None:  # begun after the first version
                begun.setdefault((on.first_by, on.first_after), []).append((r, s.program))
    features: dict[str, Features] = {}

    def of(r: Record) -> Features:
        if r.key not in features:
            features[r.key] = Features.of_record(r)
        return features[r.key]

    moves: list[tuple[str, str, str]] = []
    taken: set[tuple[str, str]] = set()
    for old in removed:
        left = old.seen
        if left is None or left.gone_by is None or left.last_seen is None:
            continue
        ended = [s for s in old.sanctions if (s.seen or left).gone_by == left.gone_by]
        arrived = {
            r.key: r
            for r, program in begun.get((left.gone_by, left.last_seen), ())
            if r is not old and any(same(s.program, program) for s in ended)
        }
        best = successor(of(old), map(of, arrived.values()))
        if best is None or best[0] < MERGE:
            continue
        new = arrived[best[1]]
        for s in ended:
            took = next(
                (
                    (t, on)
                    for t in new.sanctions
                    if (on := _held(t, new, left.gone_by)) and same(s.program, t.program)
                ),
                None,
            )
            if took is None or (new.key, took[0].program) in taken:
                continue  # the new entry does not hold it: it ended
            t, now = took
            taken.add((new.key, t.program))
            was = s.seen or left
            first = (
                (was.first_by, was.first_after)
                if was.first_by < now.first_by
                else (now.first_by, now.first_after)
            )
            t.seen = replace(
                now, first_by=first[0], first_after=first[1], moved_from=(*now.moved_from, old.record_id)
            )
            s.seen = replace(was, moved_to=new.record_id)
            if old.key not in new.same_as:
                new.same_as.append(old.key)
            moves.append((old.record_id, new.record_id, t.program))
    return moves


def _held(sanction: Sanction, rec: Record, on: date) -> Seen | None:
    """The versions that show the program on the entry, if the version of `on` does."""
    seen = sanction.seen or rec.seen
    if seen is not None and seen.first_by <= on and (seen.gone_by is None or seen.gone_by > on):
        return seen
    return None


def _ids(ids: set[str]) -> tuple[str, ...]:
    return tuple(sorted(ids, key=int))


# -- reading one version ----------------------------------------------------------------


@dataclass
class _Rows:
    """One version's rows, each as its bytes: a line of the file (when every line is one
    row) or a row's text. The cache maps each to its id, digest and text."""

    units: set[bytes]
    data: bytes
    #: The file's lines (one row each), or the line of each id.
    lines: list[bytes] | dict[str, int]

    def lines_of(self, wanted: dict[bytes, str]) -> dict[str, int]:
        """The line of each row in `wanted` (row bytes → id): id → line."""
        if isinstance(self.lines, dict):
            return {e: self.lines[e] for e in wanted.values()}
        return {wanted[line]: i for i, line in enumerate(self.lines, 1) if line in wanted}


class _Unit(NamedTuple):
    """A row as replay keeps it, by its bytes: parsed once, whichever version first has it."""

    id: str
    digest: bytes
    text: str
    programs: tuple[str, ...]


_BOM = b"\xef\xbb\xbf"


def _read_rows(data: bytes, fmt: _Format, cache: dict[bytes, _Unit]) -> _Rows:
    """The version's rows. Fast when each CRLF line is one row: the lines are compared as
    bytes, and only lines no earlier version had are parsed. Otherwise (a row over several
    lines, a broken row) the csv module reads the whole file, naming a broken row's line."""
    body = _body(data)
    lines = body.split(b"\r\n")
    units = set(lines)
    units.discard(b"")
    if b"\r\n\r\n" in body or body.startswith(b"\r\n"):
        blank = lines.count(b"")
    else:
        blank = int(lines[-1] == b"")
    if len(units) == len(lines) - blank:  # else a line twice: the slow way says where
        for line in units.difference(cache):
            hit = _line(line, fmt)
            if hit is None:
                break
            cache[line] = hit
        else:
            return _Rows(units, data, lines)
    return _read_rows_csv(data, body, fmt, cache)


def _body(data: bytes) -> bytes:
    """The file's text before its 0x1A end mark; no mark, a truncated file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.decode("utf-16").encode("utf-8")
    data = data.removeprefix(_BOM)
    end = data.rstrip(b"\r\n\t ")
    if not end.endswith(b"\x1a"):
        raise _Damaged(
            data.count(b"\n") + (not data.endswith(b"\n")) or None,
            "no end-of-file mark (0x1A): the file stops here, it may be truncated",
        )
    return end[:-1]


def _line(line: bytes, fmt: _Format) -> _Unit | None:
    """A line that is one whole row, parsed; or None."""
    if b"\n" in line or b"\r" in line or line.count(b'"') % 2:
        return None
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = line.decode("cp1252")
        except UnicodeDecodeError:
            return None
    try:
        row = next(csv.reader((text,), strict=True))
    except csv.Error:
        return None
    ent = row[0].strip()
    if len(row) != fmt.width or not ent.isdigit():
        return None
    return _Unit(ent, _digest(row), text, fmt.programs(row))


def _digest(row: list[str]) -> bytes:
    return hashlib.blake2b("\x1f".join(row).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _text(body: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError as e:
            bad = e
    raise _Damaged(body.count(b"\n", 0, bad.start) + 1, "not valid UTF-8 or cp1252 text")


def _csv_rows(body: bytes, width: int | None) -> Iterator[tuple[int, list[str], str]]:
    """(line, cells, text) of each row; _Damaged names the line of a broken one."""
    buffered: list[str] = []

    def lines():
        for line in io.StringIO(_text(body), newline=""):
            buffered.append(line)
            yield line

    reader = csv.reader(lines(), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise _Damaged(start, f"not valid CSV ({e})") from None
        text = "".join(buffered).rstrip("\r\n")
        buffered.clear()
        if not row:
            continue
        if width and len(row) != width:
            raise _Damaged(start, f"expected {width} columns, found {len(row)}")
        if not row[0].strip().isdigit():
            raise _Damaged(start, f"the id (column 1) must be a number, found {row[0]!r}")
        yield start, row, text


def _read_rows_csv(data: bytes, body: bytes, fmt: _Format, cache: dict[bytes, _Unit]) -> _Rows:
    units: set[bytes] = set()
    line_of: dict[str, int] = {}
    for line, row, text in _csv_rows(body, fmt.width):
        ent = row[0].strip()
        if ent in line_of:
            raise _Damaged(line, f"id {ent} again (first on line {line_of[ent]})")
        unit = text.encode("utf-8", "surrogatepass")
        cache[unit] = _Unit(ent, _digest(row), text, fmt.programs(row))
        units.add(unit)
        line_of[ent] = line
    return _Rows(units, data, line_of)


def _primaries(versions: Sequence[Version]) -> Iterator[tuple[Version, bytes | None]]:
    """Each version with the bytes of its primary file (None if it has none), read ahead
    in a thread: git inflates the next version while the caller diffs this one."""
    out: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.2)
                return True
            except queue.Full:
                pass
        return False

    def work() -> None:
        batches: dict[Path | None, subprocess.Popen[bytes]] = {}
        try:
            for v in versions:
                if v.primary not in v.files:
                    data = None
                elif v.commit:
                    if v.git_dir not in batches:
                        command, env = _git_command(v.git_dir, "cat-file", "--batch")
                        batches[v.git_dir] = subprocess.Popen(
                            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
                        )
                    data = _cat(batches[v.git_dir], f"{v.commit}:{v.where[0]}")
                else:
                    data = Path(v.where[0]).read_bytes()
                if not put((v, data)):
                    return
            put(None)
        except BaseException as e:  # noqa: BLE001 - handed to the caller's thread, which raises it
            put(e)
        finally:
            for p in batches.values():
                for pipe in filter(None, (p.stdin, p.stdout)):
                    try:
                        pipe.close()
                    except OSError:
                        pass
                p.wait()

    thread = threading.Thread(target=work, name="history-reader", daemon=True)
    thread.start()
    try:
        while (item := out.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def _cat(batch: subprocess.Popen[bytes], name: str) -> bytes | None:
    asks, answers = batch.stdin, batch.stdout
    if asks is None or answers is None:
        raise ValueError("git cat-file --batch needs pipes to and from it")
    asks.write(name.encode() + b"\n")
    asks.flush()
    header = answers.readline().split()
    if len(header) != 3 or header[1] != b"blob":
        return None  # "<name> missing"
    size = int(header[2])
    data = answers.read(size)
    answers.read(1)
    if len(data) != size:
        raise LoadError(name, "git cat-file stopped short")
    return data


# -- parsing final states with the real loader -------------------------------------------


def _parse(
    kind: str, v: Version, primary: bytes, warnings: list[str], ids: dict[str, int | None] | None = None
) -> list[Record]:
    """The records of `primary` (the version's primary file, or some of its rows) with the
    version's side files, read by the real loader. With `ids` (id → its line in the
    version), `primary` holds those rows only, and only their side rows are kept; the
    records and the warnings then give the lines of the version, not of the rows written."""
    loader = loaders.get(kind)()
    with tempfile.TemporaryDirectory(prefix="sanct-history-") as folder:
        path = Path(folder) / v.primary
        path.write_bytes(primary)
        for name in v.files[1:]:
            data = v.read(name)
            if ids is not None:
                try:
                    kept = [text for _, row, text in _csv_rows(_body(data), None) if row[0].strip() in ids]
                except _Damaged as e:
                    warnings.append(
                        f"{v}: {name}{f', line {e.line}' if e.line else ''}: "
                        f"{e.message}: its rows are not read"
                    )
                    continue
                data = ("\r\n".join(kept) + "\r\n\x1a").encode("utf-8")
            (Path(folder) / name).write_bytes(data)
        try:
            # Records only: a row-per-entry list has nothing else, and replay checks
            # them against the file's rows.
            records = [r for r in loader.read([path]) if isinstance(r, Record)]
        except LoadError as e:
            raise LoadError(f"{v}: {Path(e.path).name}", e.message, line=e.line, record=e.record) from None
    lines: dict[int | None, int | None] = {}
    if ids is not None:
        for r in records:
            lines[r.line], r.line = ids.get(r.record_id), ids.get(r.record_id)
    missing = set(FORMATS[kind].sets[v.primary]) - set(v.files)
    for w in loader.warnings:
        name = Path(w.path).name
        if name in missing and w.line is None:
            continue  # the loader's "not found": replay says once that it is unknown
        line = lines.get(w.line) if ids is not None and name == v.primary else w.line
        warnings.append(f"{v}: {name}{f', line {line}' if line else ''}: {w.message}")
    return records
