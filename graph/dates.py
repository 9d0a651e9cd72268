"""What a designation's date is, said in words: one place, for pages, CSV files and the CLI.

Each date carries its basis (graph/store.py writes it, queries/_designations.cypher
chooses it):
- `listed`: the list itself states the listing date;
- `announced`: an announcement states it (a press release, OFAC's change archive, the
  curated case);
- `first_seen`: the entry appeared between two dated versions of the list, after the
  older (`after`) and by the newer (the date);
- `on_or_before`: the entry was already in the oldest version seen, or the list states a
  bound (Australia's Control Date);
- `unknown`: the only version loaded carries no date, so there is nothing to bound it by.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

#: The bases whose date is the day itself; lags and coordinated actions count only these.
EXACT = ("listed", "announced")

BASES = {
    "listed": "the list states this date",
    "announced": "an announcement states this date",
    "first_seen": "first seen in the version of this date; absent from the one before",
    "on_or_before": "on or before this date: already in the oldest version seen, or a bound the list states",
    "unknown": "the list version loaded carries no date",
}

#: The sentence the README and the pages give a reader who asks where a date comes from.
EXPLAINED = (
    'Each date says where it comes from: "listed" (the list states it), '
    '"announced" (an official announcement or OFAC\'s change archive states it), '
    '"first seen … after …" (it appeared between two dated versions of the list), '
    '"on or before" (already in the oldest version seen, or a bound the list '
    'states), or "date unknown" (the list loaded is undated). A date is never '
    "the day the list was loaded."
)


def _day(value) -> str | None:
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return None
    if isinstance(value, (date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]


def describe(on, basis: str | None, after=None) -> str:
    """A designation date with its basis, e.g. "2021-12-10 (first seen; after 2021-12-09)"."""
    day, since = _day(on), _day(after)
    if basis == "unknown" or day is None:
        return "designated, date unknown (undated list)"
    if basis == "on_or_before":
        return f"on or before {day}"
    if basis == "first_seen":
        if since == day:  # two versions of one day (OFAC publishes twice some days)
            return f"{day} (first seen between two versions of that day)"
        return f"{day} (first seen" + (f"; after {since})" if since else ")")
    return f"{day} ({basis or 'listed'})"


def not_before(newest_entry) -> str:
    """The bound an undated list's newest entry gives its date (Australia's Control Date):
    the list is of that day or later. Never taken for the list's date. "" without one."""
    day = _day(newest_entry)
    return f"of {day} or later by its newest entry" if day else ""


def undated(newest_entry=None) -> str:
    """An undated list, with the bound its newest entry gives (not_before)."""
    bound = not_before(newest_entry)
    return f"undated, {bound}" if bound else "undated"


def older_than(list_date, newest_entry, day) -> str | None:
    """Why a state's list cannot say that the state has not designated a target another
    designated by `day` (the first designation's day, or the day that bounds it from
    above): the list is older than that day, or undated and not bounded after it by its
    newest entry (coverage's not_before). None where the list is of that day or later,
    and where `day` is not known: then its silence is what it says."""
    by = _date(day)
    if by is None:
        return None
    listed, bound = _date(list_date), _date(newest_entry)
    if listed is not None:
        return f"its list of {listed} is older than the designation of {by}" if listed < by else None
    if bound is not None and bound >= by:
        return None
    return f"its list is {undated(bound)}, perhaps older than the designation of {by}"


def _date(value) -> date | None:
    day = _day(value)
    return date.fromisoformat(day) if day else None


def describe_delisting(on, after=None, by=None) -> str:
    """A delisting: the list's end date, or the two versions around a disappearance; a
    disappearance after an undated version (`by` "absence", no `after`) is a bound only."""
    day, since = _day(on), _day(after)
    if day is None:
        return ""
    if since == day:
        return f"delisted {day} (gone between two versions of that day)"
    if since:
        return f"delisted by {day} (after {since})"
    return f"delisted on or before {day}" if by == "absence" else f"delisted {day}"


def birth_dates_shown(birth_dates: list[str], records: list[dict]) -> list[str]:
    """Birth dates as a reader should see them: "circa 1975" where every record of
    `records` that gives the date marks it approximate (approximate_birth_dates), as it
    is where one list says "circa 1975" and no list says 1975 outright."""

    def circa(d: str) -> bool:
        giving = [r for r in records if d in (r.get("birth_dates") or [])]
        return bool(giving) and all(d in (r.get("approximate_birth_dates") or []) for r in giving)

    return [f"circa {d}" if circa(d) else d for d in birth_dates]
