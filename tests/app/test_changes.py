"""The "What changed" page on Canada's two versions (2020-04-15, 2025-09-22) and the EU's
Regulation 2020/1998 extract: the day it looks from (by default a month before the newest
list, not before today), the filters from a shared link, the changes, new and closed
gaps, the downloads. The graph is the state tests/integration/test_changes.py loads: they
are one xdist group, so it is loaded once for both."""

from __future__ import annotations

from datetime import date

from lxml import etree

from conftest import CA_2025, ON_CANADAS_PAIR

from .helpers import select_row, table_with, texts

pytestmark = ON_CANADAS_PAIR  # with tests/integration/test_changes.py: one load for both


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_by_default_a_month_before_the_newest_list(canada, open_page):
    at = open_page("changes")
    assert not at.exception
    assert texts(at.title) == ["What changed"]
    # The newest list loaded is Canada's of 2025-09-22: 30 days before it.
    assert at.date_input(key="since").value == date(2025, 8, 23)
    # Canada's listings of those days (its DateOfListing), read with lxml.
    listed = [r for r in etree.parse(str(CA_2025)).iter("record")
              if date.fromisoformat(r.findtext("DateOfListing")) >= date(2025, 8, 23)]
    changes = table_with(at, "when", "kind", "jurisdiction", "name", "record_id")
    added = changes[(changes.kind == "added") & (changes.jurisdiction == "CA")]
    assert len(added) == len(listed) > 0
    # The 2025 version dates the removals and moves only as after the 2020 one: they count.
    # 112 entries gone: 12 moved (tests/integration/test_changes.py), 100 removed.
    assert metrics(at)["removed"] == "100" and metrics(at)["moved"] == "12"
    removed = changes[changes.kind == "removed"]
    assert set(removed.when) == {"delisted by 2025-09-22 (after 2020-04-15)"}
    assert [b.label for b in at.get("download_button")][:2] == ["Download CSV", "Download Atom feed"]
    # Every state may follow; those with no list loaded are said to be unknown, not gaps.
    assert any("no list of US" in c.value and "not gaps" in c.value for c in at.caption)


def test_filters_from_a_shared_link(canada, open_page):
    at = open_page("changes", since="2021-01-01", family="human rights", jur=["CA", "EU"])
    assert not at.exception
    assert at.date_input(key="since").value == date(2021, 1, 1)
    assert at.selectbox(key="family").value == "human_rights"
    assert at.multiselect(key="jur").value == ["CA", "EU"]
    changes = table_with(at, "when", "kind", "jurisdiction", "program")
    assert set(changes.jurisdiction) <= {"CA", "EU"}
    # Closed gaps: the EU followed Canada's listing of the Xinjiang officials a day later.
    closed = table_with(at, "name", "jurisdiction", "followed", "lag")
    zhu = closed[closed.name == "ZHU Hailun"].iloc[0]
    assert (zhu.jurisdiction, zhu.followed, zhu.when, zhu.followed_when, zhu.lag) == (
        "EU", "CA", "2021-03-22 (listed)", "2021-03-21 (listed)", "1 day")
    # New gaps: the EU's listings Canada has not (yet) made by its list of 2025-09-22; of
    # those after it, Canada's list cannot tell: not known, not a gap.
    gaps = table_with(at, "name", "designated", "not yet", "not known")
    suissa = gaps[gaps.name == "Avichai SUISSA"].iloc[0]
    assert (suissa.designated, suissa["not yet"], suissa["not known"]) == (
        "EU: 2026-05-28 (listed)", "", "CA (its list of 2025-09-22 is older than the designation of 2026-05-28)")
    assert (gaps["not yet"] == "CA").any()
    assert any("not known for CA: the list loaded is older than the target's first designation" in c.value
               for c in at.caption)


def test_kinds_of_change_and_a_row_opens_the_profile(canada, open_page):
    at = open_page("changes", since="2020-04-16", what=["moved"], jur=["CA"])
    assert not at.exception
    assert at.multiselect(key="what").value == ["moved"]
    changes = table_with(at, "when", "kind", "detail")
    assert set(changes.kind) == {"moved"} and "moved from russia-s2-6 to russia-p2-74" in set(changes.detail)
    assert metrics(at)["moved"] == "12" and metrics(at)["added"] == "0"
    row = list(changes.detail).index("moved from russia-s2-6 to russia-p2-74")
    at = select_row(at, "changes", row)
    assert texts(at.title) == ["Sberbank"]


def test_a_day_after_everything_says_so(canada, open_page):
    at = open_page("changes", since="2026-12-31")
    assert not at.exception
    # (Other notices may show too: a load `make run` started behind the app says how far it is.)
    assert any("No change since 2026-12-31" in i.value for i in at.info)
