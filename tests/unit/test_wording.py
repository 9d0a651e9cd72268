"""Counts said with their nouns agreeing (graph/wording.py)."""

from graph.wording import counted


def test_one_is_singular_and_every_other_count_plural():
    assert counted(1, "target") == "1 target"
    assert counted(0, "record") == "0 records"
    assert counted(2, "day") == "2 days"
    assert counted(-1, "day") == "-1 day"  # a lag before the base state's date
    assert counted(1204, "record") == "1,204 records"


def test_an_irregular_plural_is_given():
    assert counted(1, "match", "matches") == "1 match"
    assert counted(3, "match", "matches") == "3 matches"
