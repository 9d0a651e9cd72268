"""What changed, as an Atom feed (RFC 4287), for a feed reader or a monitoring tool.

    frame = g.changes(since="2025-08-23", family="human_rights")
    write_atom(frame, "changes.xml", since="2025-08-23", filters={"family": "human_rights"})

One entry per row of SanctionsGraph.changes(): its id is a `urn:uuid:` made from the
change's own id (kind, list record, programs, day), so the same change keeps the same id
in every feed written, and a reader shows it once. `updated` is the change's date; a
change known only as between two versions is dated by the newer one, and its summary says
so (the date in words, graph/dates.py: "first seen; after …", "delisted by … (after …)"),
never an exact day it does not have. Each entry links to the official source (the list or
the announcement), else to the target's page in the app; its content links to both.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from html import escape
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
from feedgen.feed import FeedGenerator

#: Where the ids come from: stable across runs and machines.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/sanctions-graph/changes")
TITLE = "Sanctions Graph: what changed"
VERBS = {"added": "added", "removed": "removed", "moved": "moved", "amended": "amended"}


def entry_id(change_id: str) -> str:
    """The Atom id of one change: the same change, the same id."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, change_id)}"


def feed_id(filters: Mapping[str, object] | None = None) -> str:
    """The Atom id of the feed of a selection (the filters, not the day it starts from:
    a reader following it sees the same feed grow)."""
    chosen = sorted((k, str(v)) for k, v in (filters or {}).items() if v not in (None, "", [], False))
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, 'feed?' + urlencode(chosen))}"


def atom(
    changes: pd.DataFrame,
    since: date | str | None = None,
    filters: Mapping[str, object] | None = None,
    app_url: str = "http://127.0.0.1:8501",
    self_url: str | None = None,
) -> bytes:
    """The changes (a frame of SanctionsGraph.changes()) as an Atom document, newest
    first. `filters` (family, jurisdictions, …) name the selection in the title and the
    feed id; `app_url` is where the app runs, for the links to entity pages."""
    app_url = app_url.rstrip("/")
    fg = FeedGenerator()
    chosen = {k: v for k, v in (filters or {}).items() if v not in (None, "", [], False)}
    fg.id(feed_id(chosen))
    described = ", ".join(f"{k.replace('_', ' ')}: {_text(v)}" for k, v in chosen.items())
    start = _day(since)
    fg.title(TITLE + (f" ({described})" if described else ""))
    fg.subtitle(
        f"Changes to the sanctions lists loaded{' since ' + start.isoformat() if start else ''}: "
        "targets added, removed, moved between schedules and amended, each dated with "
        "what its date is (listed, announced, first seen between two versions, on or before)."
    )
    fg.author({"name": "Sanctions Graph"})
    fg.link(href=f"{app_url}/changes" + (f"?since={start.isoformat()}" if start else ""), rel="alternate")
    if self_url:
        fg.link(href=self_url, rel="self")
    fg.generator("Sanctions Graph (feedgen)")
    fg.language("en")
    days = [d for d in changes["date"] if not pd.isna(d)] if "date" in changes else []
    newest = max(days) if days else None
    # The feed is as new as its newest change: the same changes give the same document.
    fg.updated(_moment(newest or start or date(1970, 1, 1)))
    for row in changes.itertuples(index=False):
        _entry(fg, row, app_url)
    return fg.atom_str(pretty=True)


def write_atom(changes: pd.DataFrame, path: str | Path, **options) -> Path:
    """Write atom(changes, **options) to `path`; returns the path."""
    path = Path(path)
    path.write_bytes(atom(changes, **options))
    return path


def _entry(fg: FeedGenerator, row, app_url: str) -> None:
    entry = fg.add_entry(order="append")
    entry.id(entry_id(row.change_id))
    program = f" ({row.program})" if _present(row.program) else ""
    title = f"{row.jurisdiction} {VERBS.get(row.kind, row.kind)}: {row.name}{program}"
    if row.kind == "moved" and _present(row.detail):
        title += f", {row.detail}"
    entry.title(title)
    entry.updated(_moment(row.date))
    entry.published(_moment(row.date))
    page = f"{app_url}/entity?{urlencode({'id': row.id})}"
    lines = [
        f"{row.when}.",
        f"{row.detail}." if _present(row.detail) else "",
        (
            f"List record {row.record_key} ({row.dataset}); target {row.name} "
            f"({row.target_kind if _present(row.target_kind) else 'entity'}, {row.id})."
        ),
    ]
    summary = " ".join(line for line in lines if line)
    entry.summary(summary)
    source = row.source_url if _present(row.source_url) else None
    # One link: feedgen 1.0 writes an entry's links without their rel and title, so a
    # second one would be a second "alternate" link, which Atom forbids. The content
    # links to both the official source and the target's page in the app.
    entry.link(href=source or page)
    entry.content(
        f"<p>{escape(summary)}</p><p>"
        + (f'<a href="{escape(source)}">Official source</a> · ' if source else "")
        + f'<a href="{escape(page)}">The target in Sanctions Graph</a></p>',
        type="html",
    )
    entry.category(term=row.kind, label=row.kind)
    entry.category(term=f"jurisdiction:{row.jurisdiction}", label=row.jurisdiction)


def _present(value) -> bool:
    """A text value that is there (not None, NaN or empty)."""
    return value is not None and not pd.isna(value) and str(value) != ""


def _day(value) -> date | None:
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _moment(value) -> datetime:
    """A day as the instant Atom wants: its start, in UTC. Every change has a day
    (queries/changes.cypher keeps those on or after `since`)."""
    day = _day(value)
    if day is None:
        raise ValueError(f"a change without a day: {value!r}")
    return datetime.combine(day, time(0), tzinfo=UTC)


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return str(value)
