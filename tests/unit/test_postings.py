"""The stored postings are read by key from their text (graph/resolving.py `records_filed`),
without parsing the rest of the node: each key gives exactly the records filed under it."""

import pytest

from graph.resolving import postings_text, records_filed

#: Keys whose quoted form appears inside another key stored before them, keys with quotes, backslashes and
#: non-Latin letters (ids are copied from the lists as written), first and last keys.
FILED = {
    "=abc": ["us-ofac-sdn:1"],
    '!","=abc': ["gb-ofsi:2", "gb-ofsi:3"],  # stored before "=abc", and holds '"=abc":' 
    "x=abc": ["ca-sema:4"],
    "ref:a\\": ["eu-fsf:5"],
    'ref:"quoted"': ["un-sc:6"],
    "=محمد": ["un-sc:7"],
    "~mhmd|l": [f"us-ofac-sdn:{n}" for n in range(300)],
    "cite:=abc": ["opensanctions:8"],
}


@pytest.mark.parametrize("key", [*FILED, "=ab", "abc", "=abc\\", '"=abc"', "~mhmd", "=محم"])
def test_every_key_gives_exactly_its_records(key):
    text = postings_text(dict(sorted(FILED.items())))
    assert records_filed(text, key) == FILED.get(key, [])


def test_a_node_of_one_key():
    assert records_filed(postings_text({"=abc": ["us-ofac-sdn:1"]}), "=abc") == ["us-ofac-sdn:1"]
    assert records_filed(postings_text({"=abc": ["us-ofac-sdn:1"]}), "us-ofac-sdn:1") == []
