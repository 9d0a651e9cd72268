"""The UN list from 2024-11-30 to 2026-02-27, on the demo graph (which loads both
versions, oldest first): what `changes()` says was added, removed, moved and amended is
a diff of the two files read with ElementTree (un_versions.py), by DATAID and
REFERENCE_NUMBER, independently of loaders/."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from .un_versions import NEW_FILE, OLD_FILE, diff, entries


def generated(path) -> date:
    """The day the list says it was generated (its root's dateGenerated)."""
    for _, elem in ET.iterparse(path, events=("start",)):
        return date.fromisoformat(elem.get("dateGenerated")[:10])


OLD, NEW = generated(OLD_FILE), generated(NEW_FILE)
SINCE = date(2024, 12, 1)


@pytest.fixture
def changes(demo_graph):
    return demo_graph.changes(SINCE, jurisdictions=["UN"])


def test_the_two_versions():
    assert (OLD, NEW) == (date(2024, 11, 30), date(2026, 2, 27))
    assert (len(entries(OLD_FILE)), len(entries(NEW_FILE))) == (879, 1003)
    d = diff()
    assert (len(d.added), len(d.removed), len(d.moved), len(d.amended)) == (130, 6, 6, 33)


def test_the_added_entries_are_those_only_the_newer_file_holds(changes):
    new = entries(NEW_FILE)
    added = changes[changes.kind == "added"]
    assert added.record_id.is_unique and set(added.record_id) == diff().added
    for row in added.itertuples():
        listed = date.fromisoformat(new[row.record_id].listed_on)
        if listed >= SINCE:
            # Listed after the older version: on the day the list gives.
            assert (row.basis, row.date.date(), row.when) == ("listed", listed, f"{listed} (listed)")
        else:
            # New to the list, though it dates the listing years back: seen between the two.
            assert (row.basis, row.date.date(), row.after.date()) == ("first_seen", NEW, OLD)
            assert row.detail == f"new to the list; it dates the listing {listed}"
            assert row.when == f"{NEW} (first seen; after {OLD})"
    # 9 listed after 2024-11-30; 121 came in with listing dates of 2006 to 2012.
    late = {i for i in diff().added if date.fromisoformat(new[i].listed_on) >= SINCE}
    assert (len(late), len(diff().added - late)) == (9, 121)
    assert set(added[added.basis == "listed"].record_id) == late


def test_the_removed_and_reissued_entries(changes):
    removed = changes[changes.kind == "removed"]
    assert set(removed.record_id) == diff().removed
    assert set(removed.when) == {f"delisted by {NEW} (after {OLD})"}
    # Issued again under new DATAIDs with their reference numbers: moves, not removals.
    moved = changes[changes.kind == "moved"]
    assert {tuple(x.removeprefix("moved from ").split(" to ")) for x in moved.detail} == diff().moved
    assert set(moved.record_id) == {b for _, b in diff().moved}
    assert set(moved.when) == {f"moved by {NEW} (after {OLD})"}


def test_the_amended_entries_lost_names(changes):
    amended = changes[changes.kind == "amended"]
    assert set(amended.record_id) == set(diff().amended)
    for record_id, detail in zip(amended.record_id, amended.detail):
        assert detail.startswith("names no longer listed: ")
        assert all(name in detail for name in diff().amended[record_id]), (record_id, detail)


def test_nothing_changed_after_the_newer_version(demo_graph):
    assert demo_graph.changes(NEW + timedelta(days=1), jurisdictions=["UN"]).empty
