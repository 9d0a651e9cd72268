"""`python -m graph update`: download today's official lists, then load each one.

Where each list is published is data: the downloads of data/datasets.yaml, fetched in the
order of that file (`sources()`). Each source is saved in a folder of its own
(DIR/<source>/, DIR defaulting to downloads/<date>/ of settings.local_dir): every file is
streamed to a ".part" file that takes its real name only once all its bytes have arrived,
then the source is loaded with its loader, and its :Source node records the URL, the
download time, the size and the sha256.

A source whose download fails (an HTTP error, a timeout, a connection cut short) or whose
file does not parse is not loaded: the graph keeps that list as it was, the outcome says
why, and the other sources are still updated.

`what_changed` then says, one line per state, what the new versions changed since the
ones the graph held before the update: targets added, removed, moved and amended, as
`SanctionsGraph.changes` counts them.
"""

from __future__ import annotations

import hashlib
import http.client
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from neo4j.exceptions import DriverError, Neo4jError

from graph.exc import DownloadError, InvalidInput
from graph.loading import LoadReport, load
from graph.wording import counted
from loaders.base import LoadError
from loaders.datasets import Dataset, File, datasets

if TYPE_CHECKING:
    from graph.client import SanctionsGraph

#: Seconds a connection may wait for the server, to connect or for the next bytes.
DOWNLOAD_TIMEOUT = 120
CHUNK = 1 << 16
USER_AGENT = "sanctions-graph (python -m graph update)"


@dataclass(frozen=True)
class Source:
    #: Names the download folder and the outcome; the loader names the dataset.
    name: str
    #: The loader (`python -m graph load KIND`).
    kind: str
    #: The first file is the one given to the loader; the others lie beside it.
    files: tuple[File, ...]
    #: What the list is: its entry in data/datasets.yaml.
    dataset: Dataset

    @property
    def jurisdiction(self) -> str:
        """What `--only` selects: us, gb, ca, eu, un, au."""
        return (self.dataset.jurisdiction or "").lower()


@cache
def sources() -> tuple[Source, ...]:
    """What `update` downloads, in order: every download of data/datasets.yaml not marked
    `update: false`."""
    return tuple(
        Source(d.name, d.loader, d.files, entry)
        for entry in datasets().values()
        for d in entry.downloads
        if d.update
    )


def jurisdictions() -> tuple[str, ...]:
    """The jurisdictions `--only` can select, in the order of the sources."""
    return tuple(dict.fromkeys(s.jurisdiction for s in sources()))


@dataclass
class Downloaded:
    path: Path
    url: str
    at: datetime
    size: int
    sha256: str


@dataclass
class Outcome:
    source: str
    kind: str
    ok: bool
    #: The load summary, or why the source keeps its previous state.
    message: str
    files: list[Downloaded] = field(default_factory=list)
    report: LoadReport | None = None
    #: Whether the graph held a version of the loaded list before the update, and that
    #: version's day (its list date, else its download day; None: it has neither).
    had_previous: bool = False
    previous: date | None = None

    def summary(self) -> str:
        if not self.ok:
            return f"{self.source}: NOT UPDATED, the graph keeps its previous version: {self.message}"
        fetched = "; ".join(f"{f.url} ({f.size} bytes, sha256 {f.sha256[:12]}…)" for f in self.files)
        return f"{self.source}: downloaded {fetched}\n  {self.message}"


def select(only: Iterable[str] | None) -> list[Source]:
    """The sources of the jurisdictions asked for (all when `only` is empty)."""
    wanted = {j.strip().lower() for j in only or () if j.strip()}
    unknown = wanted - set(jurisdictions())
    if unknown:
        raise InvalidInput(
            f"unknown jurisdiction {', '.join(sorted(unknown))}; choose among {', '.join(jurisdictions())}"
        )
    return [s for s in sources() if not wanted or s.jurisdiction in wanted]


def update(
    graph: SanctionsGraph,
    only: Iterable[str] | None = None,
    folder: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Outcome]:
    """Download and load each selected source in turn; one failing does not stop the rest."""
    sources = select(only)
    folder = Path(folder) if folder else graph.settings.local_dir / "downloads" / date.today().isoformat()
    base_url = graph.settings.update_base_url
    before = versions(graph)
    outcomes = []
    for source in sources:
        if progress:
            progress(f"{source.name}: downloading")
        outcome = Outcome(source.name, source.kind, ok=False, message="")
        try:
            for file in source.files:
                url = f"{base_url.rstrip('/')}/{file.name}" if base_url else file.url
                outcome.files.append(download(url, folder / source.name / file.name))
        except DownloadError as e:
            outcome.message = str(e)
            outcomes.append(outcome)
            continue
        if progress:
            progress(f"{source.name}: loading")
        first = outcome.files[0]
        try:
            outcome.report = load(
                graph.driver,
                graph.database,
                source.kind,
                [first.path],
                batch_size=graph.settings.batch_size,
                url=first.url,
                downloaded_at=first.at,
            )
        except LoadError as e:
            outcome.message = f"the file does not load: {e}"
        except (Neo4jError, DriverError) as e:
            outcome.message = f"Neo4j refused the load: {e}"
        else:
            outcome.ok, outcome.message = True, outcome.report.summary()
            dataset = outcome.report.dataset
            outcome.had_previous, outcome.previous = dataset in before, before.get(dataset)
        outcomes.append(outcome)
    return outcomes


def versions(graph: SanctionsGraph) -> dict[str, date | None]:
    """The day of each list's current version in the graph: its list date, else the day it
    was downloaded (the day the changes of a newer version count from, queries/changes.cypher)."""
    rows = graph.read(
        """
        MATCH (s:Source {current: true})
        RETURN s.dataset AS dataset, max(coalesce(s.published_on, date(s.downloaded_at))) AS day
        """
    )
    return {r["dataset"]: r["day"].to_native() if r["day"] is not None else None for r in rows}


#: The kinds of change `what_changed` counts, in the order it says them.
KINDS = ("added", "removed", "moved", "amended")


@dataclass
class StateChanges:
    """What an update changed in one state's lists."""

    jurisdiction: str
    #: Targets per kind of change (added, removed, moved, amended) in the new versions.
    targets: dict[str, int] = field(default_factory=dict)
    #: The lists with a new version, each with the day of the version before it.
    compared: dict[str, date] = field(default_factory=dict)
    #: Lists loaded for the first time, lists whose version was already loaded, lists whose
    #: previous version has no day, lists not updated (download or load failed).
    first: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = []
        if self.compared:
            n = [self.targets.get(k, 0) for k in KINDS]
            counts = f"{counted(n[0], 'target')} added, " + ", ".join(
                f"{x:,} {k}" for x, k in zip(n[1:], KINDS[1:])
            )
            versions = ", ".join(f"{d} of {day:%Y-%m-%d}" for d, day in self.compared.items())
            parts.append(f"{counts} since the previous version ({versions})")
        if self.first:
            parts.append(f"first version of {', '.join(self.first)}: nothing to compare it with")
        if self.undated:
            parts.append(
                f"the previous version of {', '.join(self.undated)} has no date: its changes cannot be dated"
            )
        if self.unchanged:
            parts.append(f"no new version of {', '.join(self.unchanged)}")
        if self.failed:
            parts.append(f"not updated: {', '.join(self.failed)}")
        return f"{self.jurisdiction}: " + "; ".join(parts)


def what_changed(graph: SanctionsGraph, outcomes: Iterable[Outcome]) -> list[StateChanges]:
    """One StateChanges per state of the outcomes, in their order: the changes each newly
    loaded version made since the version the graph held before (`graph.changes` from the
    day after it, that list's rows only), counted as distinct targets per kind."""
    states: dict[str, StateChanges] = {}
    frames: dict[str, list] = {}
    kinds = {s.name: s.jurisdiction.upper() for s in sources()}
    for outcome in outcomes:
        state = states.setdefault(
            kinds.get(outcome.source, "?"), StateChanges(kinds.get(outcome.source, "?"))
        )
        if not outcome.ok or outcome.report is None:
            state.failed.append(outcome.source)
            continue
        dataset, written = outcome.report.dataset, outcome.report.written
        if written.unchanged:
            state.unchanged.append(dataset)
        elif not outcome.had_previous:
            state.first.append(dataset)
        elif outcome.previous is None:
            state.undated.append(dataset)
        elif dataset not in state.compared:
            state.compared[dataset] = outcome.previous
            since = outcome.previous + timedelta(days=1)
            frame = graph.changes(since, jurisdictions=[state.jurisdiction])
            frames.setdefault(state.jurisdiction, []).append(frame[frame["dataset"] == dataset])
    for jurisdiction, parts in frames.items():
        rows = [(kind, target) for frame in parts for kind, target in zip(frame["kind"], frame["id"])]
        targets = {kind: len({t for k, t in rows if k == kind}) for kind in KINDS}
        states[jurisdiction].targets = targets
    for state in states.values():
        for group in (state.first, state.undated, state.unchanged, state.failed):
            group[:] = list(dict.fromkeys(group))
    return list(states.values())


def download(url: str, target: Path, timeout: float = DOWNLOAD_TIMEOUT) -> Downloaded:
    """Stream `url` to `target`. Only a complete file takes the target's name: a failed or
    cut-short download leaves nothing behind (and an older file of that name as it was)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    at = datetime.now(UTC)
    digest, size = hashlib.sha256(), 0
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, open(partial, "wb") as out:
            expected = response.headers.get("Content-Length")
            while chunk := response.read(CHUNK):
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        if expected is not None and size != int(expected):
            raise DownloadError(f"{url}: interrupted after {size} of {expected} bytes")
        if size == 0:
            raise DownloadError(f"{url}: the server sent an empty file")
    except urllib.error.HTTPError as e:
        partial.unlink(missing_ok=True)
        raise DownloadError(f"{url}: HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        partial.unlink(missing_ok=True)
        raise DownloadError(f"{url}: {e.reason}") from None
    except http.client.IncompleteRead as e:
        partial.unlink(missing_ok=True)
        raise DownloadError(
            f"{url}: interrupted after {size + len(e.partial)} bytes ({e.expected} more were expected)"
        ) from None
    except TimeoutError:
        partial.unlink(missing_ok=True)
        raise DownloadError(f"{url}: the server sent nothing for {timeout:g} s") from None
    except (http.client.HTTPException, OSError) as e:
        partial.unlink(missing_ok=True)
        raise DownloadError(f"{url}: {e or type(e).__name__}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return Downloaded(target, url, at, size, digest.hexdigest())
