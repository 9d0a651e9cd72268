"""Issue 4 acceptance on the real list files, without Neo4j (resolve() is pure): the
Xinjiang table with the matcher alone, and precision/recall on the labelled sample.
The lists are read and resolved once for the directory (conftest.py)."""

import pytest
import yaml

from evaluate import LABELS, evaluate, report

#: shared/facts/xinjiang_case.md, "What the real list files show": one target a row.
XINJIANG = [
    ["us-ofac-sdn:29159"],
    ["us-ofac-sdn:29220", "ca-sema:china-p1-5"],
    ["us-ofac-sdn:29219", "gb-ofsi:14078", "ca-sema:china-p1-1", "eu-oj-2020-1998:I.A-5"],
    ["us-ofac-sdn:29162", "gb-ofsi:14076", "ca-sema:china-p1-3", "eu-oj-2020-1998:I.A-7"],
    ["us-ofac-sdn:29160", "ca-sema:china-p1-11"],
    ["us-ofac-sdn:29299"],
    ["us-ofac-sdn:29300"],
    ["us-ofac-sdn:29319", "ca-sema:china-p1-8"],
    ["us-ofac-sdn:31492", "gb-ofsi:14077", "ca-sema:china-p1-2", "eu-oj-2020-1998:I.A-6"],
    ["us-ofac-sdn:31493", "gb-ofsi:14074", "ca-sema:china-p1-4", "eu-oj-2020-1998:I.A-8"],
    ["gb-ofsi:14079", "ca-sema:china-p2-1", "eu-oj-2020-1998:I.B-1"],
]


def test_the_xinjiang_table_with_the_matcher_alone(resolution):
    entity_of = resolution.entity_of
    entities = [{entity_of[k] for k in row} for row in XINJIANG]
    assert all(len(e) == 1 for e in entities), entities
    assert len({next(iter(e)) for e in entities}) == len(XINJIANG)


def test_precision_and_recall_on_the_labelled_sample(features, resolution):
    e = evaluate(features, resolution=resolution)
    print(report(e))
    assert len(e.labelled) >= 100
    assert e.precision >= 0.99 and e.recall >= 0.95, report(e)


def test_the_labelled_sample_is_well_formed():
    labelled = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    pairs = [frozenset(item["records"]) for item in labelled]
    assert len(set(pairs)) == len(pairs) and all(len(p) == 2 for p in pairs)
    for item in labelled:
        assert item["label"] in ("same", "different"), item
        assert item["reason"].strip() and item["drawn"].strip(), item
    labels = [item["label"] for item in labelled]
    assert labels.count("same") >= 40 and labels.count("different") >= 40
