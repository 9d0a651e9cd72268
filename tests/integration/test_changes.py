"""What changed since a day, on Canada's two real versions (2020-04-15, then 2025-09-22)
and the EU's Regulation 2020/1998 extract: what left the list (the 100 Zimbabwe
listings), what moved between schedules, what came in and on which day, what lost names;
new gaps (designated by one state since the day, not by another) and closed ones (with the
lag, or its range when a date is only bounded); the Atom feed and the command line.

Expected values are read from the files here (lxml, csv; record ids and names as
Canada's loader reads them), not from the queries under test. Each state of the graph is
loaded once: first the real pair, which tests/app/test_changes.py reads too (the two
modules are one xdist group, run one after the other), then Canada's 2025 list with its
listing dates taken out (so that its new entries are dated by the two versions alone)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from datetime import date, datetime

import pandas as pd
import pytest
from lxml import etree

from conftest import CA_2020, CA_2025, EU_OJ, ON_CANADAS_PAIR, loaded
from graph.feed import write_atom
from loaders.datasets import find_dataset
from loaders.canada import CanadaSemaLoader

OLD, NEW = date(2020, 4, 15), date(2025, 9, 22)
#: With tests/app/test_changes.py, which reads the same graph: it is loaded once for both.
pytestmark = ON_CANADAS_PAIR
SINCE = date(2020, 4, 16)
ATOM = "{http://www.w3.org/2005/Atom}"
#: Moves between Canada's schedules the lists show: the same entity under a new number.
KNOWN_MOVES = {("russia-s2-6", "russia-p2-74"),      # Sberbank
               ("russia-s2-1", "russia-p2-94"),      # Gazprombank
               ("russia-s2-2", "russia-p2-72"),      # VEB
               ("russia-s2-3", "russia-p2-75"),      # VTB ("VTB Bank OAO" / "VTB"), by a judgement
               ("russia-p1-50", "russia-p1.1-1"),    # Bortnikov, to Part 1.1
               ("russia-p1-108", "russia-p1.1-9")}   # Zolotov, to Part 1.1


@pytest.fixture
def undated(graph, tmp_path_factory):
    """Canada 2020, then the 2025 list without its DateOfListing elements, then the EU."""
    if graph.state != "changes:undated":
        folder = tmp_path_factory.mktemp("undated")
        tree = etree.parse(str(CA_2025))
        for element in list(tree.iter("DateOfListing")):
            element.getparent().remove(element)
        tree.write(str(folder / CA_2025.name), encoding="UTF-8", xml_declaration=True)
        assert etree.parse(str(folder / CA_2025.name)).find(".//DateOfListing") is None
        loaded(graph, "changes:undated", [("ca-sema-xml", CA_2020), ("ca-sema-xml", folder / CA_2025.name),
                                          ("eu-oj-csv", EU_OJ)])
    return graph


@pytest.fixture(scope="module")
def versions():
    """Each Canadian version as its loader reads it: {record id: Record}."""
    return tuple({r.record_id: r for r in CanadaSemaLoader().read([path])} for path in (CA_2020, CA_2025))


def countries(path) -> Counter:
    """Records per regime (the Country element's English half), read with lxml."""
    return Counter((c.text or "").split("/")[0].strip() for c in etree.parse(str(path)).iter("Country"))


def zimbabwe_items(path) -> set[str]:
    """The Item numbers of the Zimbabwe regime's entries, read with lxml."""
    return {r.findtext("Item") for r in etree.parse(str(path)).iter("record") if r.findtext("Country") == "Zimbabwe"}


def eu_day(text: str) -> date:
    """A startDate of the EU's CSV: 22.3.2021, or once 2 March 2021."""
    for form in ("%d.%m.%Y", "%d %B %Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            pass
    raise AssertionError(f"unreadable startDate {text!r}")


def eu_rows() -> list[dict]:
    with open(EU_OJ, encoding="utf-8", newline="") as f:
        return [{**r, "start": eu_day(r["startDate"])} for r in csv.DictReader(f)]


def canada_listing(given: str, last: str) -> date:
    """The DateOfListing of the 2025 entry of this given and last name, read with lxml."""
    for record in etree.parse(str(CA_2025)).iter("record"):
        if (record.findtext("GivenName") or "").strip() == given and (record.findtext("LastName") or "").strip() == last:
            return date.fromisoformat(record.findtext("DateOfListing"))
    raise AssertionError(f"no entry for {given} {last} in {CA_2025.name}")


def days(frame: pd.DataFrame) -> set[date]:
    return set(frame["date"].dt.date)


# -- the real pair ---------------------------------------------------------------------------


def test_the_100_zimbabwe_listings_left_between_the_two_versions(canada):
    # 181 entries in 2020, 81 in 2025, none new: 100 left.
    before, after = countries(CA_2020)["Zimbabwe"], countries(CA_2025)["Zimbabwe"]
    left = zimbabwe_items(CA_2020) - zimbabwe_items(CA_2025)
    assert (before, after, len(left)) == (181, 81, before - after) and before - after == 100
    changes = canada.changes(SINCE, program="CA-ZIMBABWE")
    assert len(changes) == len(left) and set(changes.kind) == {"removed"}
    assert {i.removeprefix("zimbabwe-") for i in changes.record_id} == left
    assert set(changes.basis) == {"first_seen"} and days(changes) == {NEW}
    assert set(changes["after"].dt.date) == {OLD}
    assert set(changes.when) == {"delisted by 2025-09-22 (after 2020-04-15)"}
    # Nothing of it changed after the newer version.
    assert canada.changes(date(2025, 9, 23), program="CA-ZIMBABWE").empty


def test_every_entry_gone_is_removed_or_moved_never_both(canada, versions):
    old, new = versions
    gone = set(old) - set(new)
    changes = canada.changes(SINCE, jurisdictions=["CA"])
    removed = changes[changes.kind == "removed"]
    moved = changes[changes.kind == "moved"]
    pairs = {tuple(d.removeprefix("moved from ").split(" to ")) for d in moved.detail}
    assert set(removed.record_id) | {a for a, _ in pairs} == gone
    assert not set(removed.record_id) & {a for a, _ in pairs}
    # The 11 moves the matcher finds, each checked against both files by an audit (stop
    # 56), and VTB's, which a judgement makes.
    assert len(moved) == 12 and KNOWN_MOVES <= pairs
    for a, b in pairs:
        assert a in old and a not in new and b in new and b not in old
        assert old[a].dataset == new[b].dataset == "ca-sema"
    assert set(moved.record_id) == {b for _, b in pairs}
    assert set(moved.when) == {"moved by 2025-09-22 (after 2020-04-15)"}


def test_new_entries_are_added_on_the_day_the_list_gives(canada, versions):
    old, new = versions
    changes = canada.changes(SINCE, jurisdictions=["CA"])
    moved_to = set(changes[changes.kind == "moved"].record_id)
    added = changes[changes.kind == "added"]
    assert set(added.record_id) == set(new) - set(old) - moved_to
    assert set(added.basis) == {"listed"}
    listed = {r.record_id: r.sanctions[0].listed_on for r in new.values()}
    assert all(d.date() == listed[i] for i, d in zip(added.record_id, added["date"]))
    # Canada's China regime: 13 entries in 2025, none in 2020 (read with lxml), each added
    # on its DateOfListing.
    tree = etree.parse(str(CA_2025))
    china = sorted(date.fromisoformat(r.findtext("DateOfListing")) for r in tree.iter("record")
                   if r.findtext("Country").startswith("China"))
    assert len(china) == 13 and countries(CA_2020)["China"] == 0
    assert sorted(added[added.program == "CA-CHINA"]["date"].dt.date) == china


def test_amendments_are_names_a_newer_version_no_longer_lists(canada, versions):
    old, new = versions
    dropped = {i: set(old[i].all_names()) - set(new[i].all_names()) for i in set(old) & set(new)}
    dropped = {i: names for i, names in dropped.items() if names}
    amended = canada.changes(SINCE, kinds=["amended"])
    assert set(amended.record_id) == set(dropped) and dropped
    for record_id, detail in zip(amended.record_id, amended.detail):
        assert detail.startswith("names no longer listed: ")
        assert all(name in detail for name in dropped[record_id])
    assert set(amended.when) == {"amended by 2025-09-22 (after 2020-04-15)"}


def test_the_changes_per_kind(canada, versions):
    old, new = versions
    eu_since = [r for r in eu_rows() if r["start"] >= SINCE]
    changes = canada.changes(SINCE)
    counts = changes.groupby(["jurisdiction", "kind"]).size().to_dict()
    print("changes since 2020-04-16 per kind:", counts)
    gone = len(set(old) - set(new))
    assert counts[("CA", "removed")] + counts[("CA", "moved")] == gone == 112
    assert counts[("CA", "added")] + counts[("CA", "moved")] == len(set(new) - set(old))
    assert counts[("EU", "added")] == len(eu_since)
    # Stable, unique ids: one per change.
    assert changes.change_id.is_unique
    assert list(changes.change_id) == list(canada.changes(SINCE).change_id)
    # Newest first, each row with its date in words.
    assert changes["date"].is_monotonic_decreasing and changes.when.str.len().gt(0).all()


def test_new_gaps_are_the_follow_up_list(canada):
    # The EU's listings of 2026 (the CSV) and what Canada's list of 2025 says of them.
    eu_2026 = {r["name"] for r in eu_rows() if r["start"] >= date(2026, 1, 1)}
    gaps = canada.new_gaps(date(2026, 1, 1), family="human_rights", jurisdictions=["CA", "EU", "US"])
    assert set(gaps.name) == eu_2026 and set(gaps.jurisdiction) == {"CA"}
    assert {tuple(x) for x in gaps.designated_by} == {("EU",)}
    # No US list is loaded: the US is unknown, not a gap.
    assert gaps.attrs["no_list"] == ["US"] and all(x == ["US"] for x in gaps.no_list)
    by_name = gaps.set_index("name")
    # Avichai Suissa is on no Canadian list; Daniella Weiss is, under a regime outside the
    # family (Extremist Settler Violence): designated, not a gap.
    assert "SUISSA" not in CA_2025.read_text(encoding="utf-8").upper()
    # Canada's list loaded is of 2025-09-22, before the EU's 2026 listings: it cannot say
    # whether Canada followed. Not known, never a gap.
    suissa = by_name.loc["Avichai SUISSA"]
    assert (suissa.status, suissa.gap, suissa.when) == (
        "not known: its list of 2025-09-22 is older than the designation of 2026-05-28", False,
        "2026-05-28 (listed)")
    weiss = by_name.loc["Daniella WEISS"]
    assert canada_listing("Daniella", "Weiss") == date(2024, 6, 26)
    assert weiss.status == "designated under CA-EXTREMIST-SETTLER-VIOLENCE" and not weiss.gap
    # Canada's own new listings (Chen Quanguo, 2024-12-09, under its China regime) await the
    # EU, whose list here is one regulation's annex: the whole of its human rights regime,
    # the one EU program of the family compared, so its silence is a gap.
    assert canada_listing("Quanguo", "Chen") == date(2024, 12, 9)
    gaps = canada.new_gaps(date(2024, 1, 1), family="human_rights", jurisdictions=["CA", "EU"])
    assert not gaps.attrs["no_list"]
    chen = gaps[gaps.name.str.contains("Quanguo")].iloc[0]
    assert (chen.jurisdiction, chen.status, chen.gap, chen.designated_by, chen.when) == (
        "EU", "not designated", True, ["CA"], "2024-12-09 (listed)")
    # The annex states no date; its newest listing (read from the CSV) says it is of that
    # day or later, after 2024-12-09: its silence on Chen Quanguo is a gap.
    newest = max(r["start"] for r in eu_rows())
    assert newest > date(2024, 12, 9)
    assert canada.coverage().set_index("jurisdiction").loc["EU"].not_before == pd.Timestamp(newest)


def test_a_list_older_than_the_designation_cannot_say_it_was_not_followed(canada):
    # The EU's listings since 2021 and Canada, whose list loaded is of 2025-09-22: a gap
    # where the EU listed on or before that day, not known where it listed after.
    gaps = canada.new_gaps(date(2021, 1, 1), family="human_rights", jurisdictions=["CA", "EU"])
    mine = gaps[(gaps.jurisdiction == "CA") & ~gaps.status.str.startswith("designated under")]
    eu = {r["name"]: r["start"] for r in eu_rows()}
    assert len(mine) > 10 and set(mine.name) <= set(eu)
    # A target with a record of Canada's left for review against it (Suhayl al-Hasan,
    # Canada's "Suhayl Hasan al-Hasan", 0.82) is not known either, whatever the dates.
    doubted = set(canada.undecided(list(mine.id), ["CA"]).id)
    for row in mine.itertuples():
        if row.id in doubted:
            assert row.status.startswith("not known: its record ca-sema:") and not row.gap, row
        elif eu[row.name] <= NEW:
            assert (row.status, row.gap) == ("not designated", True), row
        else:
            assert (row.status, row.gap) == (
                f"not known: its list of 2025-09-22 is older than the designation of {eu[row.name]}", False), row
    assert {eu[n] <= NEW for n in mine.name} == {True, False}  # both kinds are here


def test_closed_gaps_with_the_lag_between_exact_days(canada):
    eu = {r["name"]: r["start"] for r in eu_rows()}
    closed = canada.closed_gaps(date(2021, 1, 1), family="human_rights", jurisdictions=["CA", "EU"])
    # Canada listed the four Xinjiang officials on 2021-03-21 (its DateOfListing), the EU
    # on 22.3.2021: the EU followed a day later.
    for last, given in (("ZHU", "Hailun"), ("WANG", "Junzheng"), ("WANG", "Mingshan"), ("CHEN", "Mingguo")):
        name = f"{last} {given}"
        row = closed[(closed.name == name) & (closed.jurisdiction == "EU")].iloc[0]
        assert (eu[name] - canada_listing(given, last.title())).days == 1
        assert (row.followed, row.days, row.days_min, row.days_max, row.lag) == ("CA", 1, 1, 1, "1 day")
        assert (row.when, row.followed_when) == ("2021-03-22 (listed)", "2021-03-21 (listed)")
    # With country regimes: the EU followed Canada on Daniella Weiss.
    regimes = canada.closed_gaps(date(2026, 1, 1), family="human_rights", include_country_regimes=True,
                                 jurisdictions=["CA", "EU"])
    weiss = regimes[regimes.name == "Daniella WEISS"].iloc[0]
    assert weiss.days == (eu["Daniella WEISS"] - canada_listing("Daniella", "Weiss")).days == 701
    assert canada.closed_gaps(date(2026, 1, 1), family="human_rights", jurisdictions=["CA", "EU"]).empty


def test_the_atom_feed_has_one_entry_per_change(canada, tmp_path):
    changes = canada.changes(SINCE, program="CA-ZIMBABWE")
    path = write_atom(changes, tmp_path / "changes.xml", since=SINCE, filters={"program": "CA-ZIMBABWE"})
    feed = etree.parse(str(path)).getroot()
    assert feed.tag == f"{ATOM}feed"
    for child in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert feed.find(ATOM + child) is not None, child
    assert feed.findtext(f"{ATOM}updated") == "2025-09-22T00:00:00+00:00"
    entries = feed.findall(f"{ATOM}entry")
    left = zimbabwe_items(CA_2020) - zimbabwe_items(CA_2025)
    assert len(entries) == len(left) == 100
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 100 and all(i.startswith("urn:uuid:") for i in ids)
    for entry in entries:
        assert entry.findtext(f"{ATOM}updated") == "2025-09-22T00:00:00+00:00"
        assert entry.findtext(f"{ATOM}title").startswith("CA removed: ")
        assert entry.findtext(f"{ATOM}title").endswith("(CA-ZIMBABWE)")
        assert "delisted by 2025-09-22 (after 2020-04-15)" in entry.findtext(f"{ATOM}summary")
        links = entry.findall(f"{ATOM}link")
        assert [link.get("href") for link in links] == [find_dataset("ca-sema").download("ca-sema-xml").url]
        # Atom: at most one alternate link (rel defaults to alternate), and a content.
        assert entry.find(f"{ATOM}content") is not None
    # The same changes, the same document: a reader sees each change once.
    again = write_atom(canada.changes(SINCE, program="CA-ZIMBABWE"), tmp_path / "again.xml",
                       since=SINCE, filters={"program": "CA-ZIMBABWE"})
    assert again.read_bytes() == path.read_bytes()


def run(env, *args):
    return subprocess.run([sys.executable, "-m", "graph", "changes", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_command_line(canada, cli_env, tmp_path):
    out = run(cli_env, "--since", "2020-04-16", "--program", "CA-ZIMBABWE", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 100 and {(r["kind"], r["date"], r["basis"], r["after"]) for r in rows} == {
        ("removed", "2025-09-22", "first_seen", "2020-04-15")}
    feed = tmp_path / "feed.xml"
    out = run(cli_env, "--since", "2020-04-16", "--program", "CA-ZIMBABWE", "--atom", str(feed))
    assert out.returncode == 0, out.stderr
    assert len(etree.parse(str(feed)).getroot().findall(f"{ATOM}entry")) == 100
    out = run(cli_env, "--since", "2021-01-01", "--family", "human_rights", "--jurisdictions", "CA,EU",
              "--show", "closed-gaps", "--format", "json")
    assert out.returncode == 0, out.stderr
    zhu = next(r for r in json.loads(out.stdout) if r["name"] == "ZHU Hailun")
    assert (zhu["jurisdiction"], zhu["followed"], zhu["days"], zhu["lag"]) == ("EU", "CA", 1, "1 day")
    bad = run(cli_env, "--since", "2025-13-01")
    assert bad.returncode == 2 and "parameter 'since' must be a date" in bad.stderr


# -- Canada's 2025 list without its listing dates: added between the two versions --------


def test_an_entry_only_in_the_newer_version_is_added_between_the_two(undated, versions):
    old, new = versions
    g = undated
    changes = g.changes(SINCE, jurisdictions=["CA"])
    moved_to = set(changes[changes.kind == "moved"].record_id)
    added = changes[changes.kind == "added"]
    assert set(added.record_id) == set(new) - set(old) - moved_to
    assert set(added.basis) == {"first_seen"} and days(added) == {NEW}
    assert set(added["after"].dt.date) == {OLD}
    # Chen Quanguo came into the list between its versions of 2020-04-15 and 2025-09-22.
    chen = added[added.record_id == "china-p1-5"].iloc[0]
    assert "Quanguo" in new["china-p1-5"].name and "Quanguo" in chen["name"]
    assert chen.when == "2025-09-22 (first seen; after 2020-04-15)"
    # Seen in the version of 2025-09-22: it may have come on any day after 2020-04-15, so
    # it counts for any day up to the newer version, and for none after it.
    assert "china-p1-5" in set(g.changes(date(2025, 1, 1), kinds=["added"]).record_id)
    assert g.changes(date(2025, 9, 23), jurisdictions=["CA"]).empty


def test_a_bounded_date_gives_a_range_of_lags_not_a_number(undated):
    # The EU listed ZHU Hailun on 22.3.2021 (the CSV); Canada's undated 2025 list holds him,
    # its 2020 list did not: Canada designated him after 2020-04-15 and by 2025-09-22.
    zhu = next(r for r in eu_rows() if r["name"] == "ZHU Hailun")
    closed = undated.closed_gaps(SINCE, family="human_rights", jurisdictions=["CA", "EU"])
    row = closed[(closed.name == "ZHU Hailun") & (closed.jurisdiction == "CA")].iloc[0]
    assert (row.followed, row.followed_date.date(), row.followed_basis) == ("EU", zhu["start"], "listed")
    assert row.basis == "first_seen" and pd.isna(row.days)
    # Canada may have listed him on 2020-04-15 itself, after that day's version.
    low, high = (OLD - zhu["start"]).days, (NEW - zhu["start"]).days
    assert (row.days_min, row.days_max) == (low, high)
    assert row.lag == f"between {low:,} and {high:,} days"
