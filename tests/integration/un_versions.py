"""The two real versions of the UN Security Council's consolidated list (2024-11-30 and
2026-02-27), read with ElementTree alone, independently of loaders/: what the tests of
changes compare the graph with.

An entry is keyed by its DATAID. A DATAID gone from the newer version whose
REFERENCE_NUMBER the newer version gives to a new DATAID is a reissue (the Haiti entries,
HTi.002 …): a move, not a removal."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache

from conftest import DATA

OLD_FILE = DATA / "un" / "UN_consolidated_2024-11-30.xml"
NEW_FILE = DATA / "un" / "UN_consolidated_2026-02-27.xml"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def _text(elem: ET.Element, tag: str) -> str:
    child = elem.find(tag)
    return (child.text or "").strip() if child is not None else ""


@dataclass(frozen=True)
class Entry:
    data_id: str
    reference: str
    name: str
    listed_on: str
    #: Every name the entry gives: its name, the one in original script, its aliases.
    names: frozenset[str]


@cache
def entries(path) -> dict[str, Entry]:
    found = {}
    root = ET.parse(path).getroot()
    for tag in ("INDIVIDUAL", "ENTITY"):
        for elem in root.iter(tag):
            name = " ".join(p for p in (_text(elem, part) for part in NAME_PARTS) if p)
            names = {name, _text(elem, "NAME_ORIGINAL_SCRIPT")}
            names |= {_text(alias, "ALIAS_NAME") for alias in elem.iter(f"{tag}_ALIAS")}
            data_id = _text(elem, "DATAID")
            found[data_id] = Entry(data_id, _text(elem, "REFERENCE_NUMBER"), name,
                                   _text(elem, "LISTED_ON"), frozenset(n for n in names if n))
    return found


@dataclass(frozen=True)
class Diff:
    added: frozenset[str]
    removed: frozenset[str]
    #: (old DATAID, new DATAID) of each entry issued again under a new DATAID.
    moved: frozenset[tuple[str, str]]
    #: DATAID → the names its older version gave and the newer one no longer does.
    amended: dict[str, frozenset[str]]


@cache
def diff() -> Diff:
    old, new = entries(OLD_FILE), entries(NEW_FILE)
    by_reference = {e.reference: e.data_id for e in new.values() if e.reference}
    gone, came = set(old) - set(new), set(new) - set(old)
    moved = {(i, by_reference[old[i].reference]) for i in gone
             if old[i].reference and by_reference.get(old[i].reference) in came}
    amended = {i: frozenset(old[i].names - new[i].names) for i in set(old) & set(new)
               if old[i].names - new[i].names}
    return Diff(added=frozenset(came - {b for _, b in moved}), removed=frozenset(gone - {a for a, _ in moved}),
                moved=frozenset(moved), amended=amended)
