"""The ledger a load keeps of its keys (graph/ledger.py): what it answers, on its own."""

from graph.ledger import Ledger


def test_records_seen_twice_are_counted_and_what_was_not_seen_comes_back_in_order():
    ledger = Ledger()
    assert ledger.see_records(["us:2", "us:1", "us:3"]) == 0
    # One repeated within the batch, one seen in an earlier batch.
    assert ledger.see_records(["us:4", "us:4", "us:1"]) == 2
    assert list(ledger.unseen_records(["us:9", "us:1", "us:0", "us:4"])) == ["us:9", "us:0"]
    ledger.close()


def test_changed_records_are_told_apart_from_those_only_marked():
    ledger = Ledger()
    ledger.see_records(["b", "a", "c", "d"])
    ledger.change(["b"])
    ledger.also_changed(["b", "c"])  # b was written; c is only marked
    assert list(ledger.changed) == ["b", "c"]
    assert list(ledger.marked_only()) == ["c"]
    assert "c" in ledger.changed and "a" not in ledger.changed
    assert ledger.changed_among(["a", "c", "x"]) == {"c"}
    ledger.close()


def test_designations_written_and_those_an_announcement_may_date():
    ledger = Ledger()
    ledger.see_designations(["d3", "d1", "d2", "d4"])
    ledger.wrote_designations(["d1", "d2", "d3"], created_with_record={"d2"})
    assert list(ledger.written_designations) == ["d1", "d2", "d3"]
    assert list(ledger.maybe_announced) == ["d1", "d3"]
    assert list(ledger.unseen_designations(["d4", "d5"])) == ["d5"]
    ledger.close()


def test_restated_keys_are_the_ends_of_statements_made_on_one_side_only():
    ledger = Ledger()
    kept = ["k1", "k2", "OWNS", None, None, None, None]
    ledger.note_statements(
        [kept, ["x1", "x2", "OWNS", None, None, None, None], ["y1", "y2", "OWNS", None, "2020-01-01", None, None]],
        after=False,
    )
    # x1→x2 gone, z1→z2 new, y1→y2 stated since another date: all restated; k1→k2 kept.
    ledger.note_statements(
        [kept, ["z1", "z2", "OWNS", None, None, None, None], ["y1", "y2", "OWNS", None, "2021-01-01", None, None]],
        after=True,
    )
    assert sorted(set(ledger.restated_keys())) == ["x1", "x2", "y1", "y2", "z1", "z2"]
    ledger.close()



def test_statements_linked_with_them_are_not_restated():
    """A new statement by key between two records the load created with their entities
    has its link made with it (store.SourceWriter._link_directly): its ends are not
    derived again. One whose target was found by name was not linked so, nor one with an
    end stored before, nor one whose end is marked to be described again."""
    ledger = Ledger()
    ledger.see_records(["n1", "n2", "n3", "n4", "n5", "old"])
    ledger.described(["n1", "n2", "n3", "n4", "n5"])
    ledger.also_changed(["n5"])  # moved onto by another record: described again
    row = [None, None, None, None]
    ledger.note_statements(
        [["n1", "n2", "OWNS", *row], ["n3", "n4", "FAMILY", *row], ["n1", "old", "OWNS", *row],
         ["n4", "n5", "OWNS", *row]],
        after=True,
    )
    ledger.named_targets([["n3", "n4"]])
    assert ledger.created_with_entity(["n1", "n5", "old", "x"]) == {"n1"}
    assert sorted(set(ledger.restated_keys())) == ["n1", "n3", "n4", "n5", "old"]
    ledger.close()

def test_touched_entities_are_read_in_order_each_time_they_are_iterated():
    ledger = Ledger()
    ledger.touch(["e2", "e1"])
    ledger.touch({"e3", "e1"})
    assert list(ledger.touched) == ["e1", "e2", "e3"]
    assert list(ledger.touched) == ["e1", "e2", "e3"]
    ledger.close()


def test_an_entity_touched_for_its_links_only_has_its_facts_derived_if_touched_for_them_too():
    ledger = Ledger()
    ledger.touch(["e1", "e2"], facts=False)  # what a dataset states about them changed
    ledger.touch(["e2", "e3"])  # their records moved or changed
    ledger.touch(["e3"], facts=False)  # touched for its facts before: it stays so
    assert list(ledger.touched) == ["e1", "e2", "e3"]
    assert list(ledger.refacted) == ["e2", "e3"]
    ledger.close()


def test_the_changed_keys_read_while_the_load_touches_their_entities():
    ledger = Ledger()
    ledger.see_records([f"r{i:02}" for i in range(10)])
    ledger.change([f"r{i:02}" for i in range(0, 10, 2)])
    seen = []
    for key in ledger.changed:
        seen.append(key)
        ledger.touch([key.replace("r", "e")])
    assert seen == ["r00", "r02", "r04", "r06", "r08"]
    assert list(ledger.touched) == ["e00", "e02", "e04", "e06", "e08"]
    ledger.close()


def test_records_created_with_their_entity_are_not_described_again_unless_marked():
    ledger = Ledger()
    ledger.see_records(["new", "rewritten", "moved-onto", "quiet"])
    ledger.change(["new", "rewritten", "moved-onto"])
    ledger.described(["new", "moved-onto"])  # created with an entity of their own
    ledger.also_changed(["moved-onto"])  # another record moved onto it: described again
    assert list(ledger.changed) == ["moved-onto", "new", "rewritten"]
    assert list(ledger.to_describe) == ["moved-onto", "rewritten"]
    assert "new" not in ledger.to_describe and "rewritten" in ledger.to_describe
    ledger.close()
