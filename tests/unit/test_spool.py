"""A load's spool (graph/store.py): what a loader yields comes back from it as it went in,
and each record's bytes hold its values, not the names of its fields."""

import dataclasses
import io
import pickle
from datetime import date
from pathlib import Path

import loaders
from graph.model import model
from graph.store import SpooledRecord, spool_item, spooled_items, to_spool
from loaders.records import Link, Name, Record, Sanction, Seen

DATA = Path(__file__).resolve().parents[2] / "data"


def replayed_record() -> Record:
    """A record with a value in every kind of field: names, a sanction with its own
    Seen (a history replay's), a link, the record's Seen with names that left."""
    return Record(
        dataset="us-ofac-sdn",
        record_id="29220",
        schema="Person",
        name="CHEN, Quanguo",
        names=[Name("Chen Quanguo", "aka", "strong"), Name("陈全国", "translation", lang="zh")],
        birth_dates=["1955-11"],
        nationalities=["CN"],
        sanctions=[
            Sanction(
                "US",
                "US-OFAC",
                "GLOMAG",
                listed_on=date(2020, 7, 9),
                extra={"remarks": "Secretary"},
                seen=Seen(date(2021, 1, 4), moved_from=("us-ofac-sdn:1",)),
            )
        ],
        links=[Link("LEADS", "29221", role="Party Secretary")],
        line=12,
        seen=Seen(date(2021, 1, 4), names_left=(("CHEN Quan Guo", date(2022, 3, 1)),)),
    )


def round_trip(items: list) -> list:
    spool = io.BytesIO()
    for item in items:
        spool_item(item, spool, model())
    return list(spooled_items(spool))


def test_the_items_of_a_list_come_back_from_the_spool_as_they_went_in():
    # The curated case yields every kind of item: records, links, announcements, calls.
    items = list(loaders.get("curated")().read([DATA / "curated"])) + [replayed_record()]
    assert {type(i).__name__ for i in items} >= {"Record", "Link", "Announcement", "Call"}
    assert round_trip(items) == items


def test_a_records_bytes_hold_its_values_and_not_the_names_of_its_fields():
    rec = replayed_record()
    spooled = SpooledRecord.of(rec, model())
    for value in (b"29220", "Chen Quanguo".encode(), b"GLOMAG", b"Party Secretary", b"CHEN Quan Guo"):
        assert value in spooled.body
    fields = {f.name for cls in (Record, Name, Sanction, Link, Seen) for f in dataclasses.fields(cls)}
    assert [f for f in sorted(fields) if f.encode() in spooled.body] == []
    # The spooled record itself too: its fields are written by position.
    spool = io.BytesIO()
    to_spool(spooled, spool)
    assert b"designation_ids" not in spool.getvalue()
    assert pickle.loads(spool.getvalue()) == spooled
    assert spooled.record() == rec
