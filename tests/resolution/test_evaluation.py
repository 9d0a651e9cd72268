"""Issue 4 acceptance on the real list files, without Neo4j (resolve() is pure): the
Xinjiang table with the matcher alone, and precision/recall on the labelled sample.
The lists are read and resolved once for the directory (conftest.py)."""

import yaml

from evaluate import LABELS, LABELS_2, evaluate, report, strata_report
from resolution.conftest import GROUP

pytestmark = GROUP

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


def test_precision_and_recall_on_the_second_draw_per_stratum(features, resolution):
    """The second draw holds the hard kinds of pair: date conflicts, cross-references
    (some contradicted), weak aliases, non-Latin aliases, one list's namesakes. Over
    all of it precision is at least 0.995 and recall 0.97. Within every stratum no two
    targets are merged (precision 0.995), and a pair of one target that is not joined
    is listed for review, with the evidence, in all but 3% of each stratum's pairs:
    where the records disagree on birth dates by years (Zima, Naqdi) the data cannot
    decide, and a person should."""
    e = evaluate(features, resolution=resolution, labels=LABELS_2)
    print(strata_report(e))
    assert len(e.labelled) >= 300
    assert e.precision >= 0.995 and e.recall >= 0.97, strata_report(e)
    for drawn in sorted({item["drawn"] for item in e.labelled}):
        s = e.stratum(drawn)
        assert s.precision >= 0.995, (drawn, strata_report(e))
        same = s.count("same", "same") + s.count("same", "different")
        found = s.count("same", "same") + sum(1 for (a, b), label, predicted in s.outcomes
                                              if label == "same" and predicted == "different"
                                              and s.reviewed(a, b))
        assert not same or found / same >= 0.97, (drawn, strata_report(e))


def test_the_second_draw_is_well_formed_and_apart_from_the_first():
    first = {frozenset(item["records"]) for item in yaml.safe_load(LABELS.read_text(encoding="utf-8"))}
    second = yaml.safe_load(LABELS_2.read_text(encoding="utf-8"))
    pairs = [frozenset(item["records"]) for item in second]
    assert len(set(pairs)) == len(pairs) and not set(pairs) & first
    for item in second:
        assert item["label"] in ("same", "different") and item["reason"].strip(), item
    strata = {item["drawn"] for item in second}
    assert {"date conflicts", "cross-references", "contradicted cross-references", "weak aliases",
            "non-Latin aliases", "non-Latin, one list", "one name, one list"} <= strata
