"""Incremental resolution (each load scores only its own list's pairs) gives the same
entities as scoring every pair, on real records."""

from pathlib import Path

import pytest

from graph.resolve import Features, Judgements, resolve
from graph.store import dataset_rank
from loaders import get
from loaders.records import Record

DATA = Path(__file__).resolve().parents[2] / "data"
LISTS = [
    ("ofac-sdn-csv", [DATA / "ofac" / "sdn.csv"]),
    ("uk-ofsi", [DATA / "uk" / "ofsi_conlist_2025-04-10.xlsx"]),
    ("ca-sema-xml", [DATA / "canada" / "sema-lmes_2025-09-22.xml"]),
    ("eu-oj-csv", [DATA / "eu" / "eu_oj_32020R1998.csv"]),
]


@pytest.fixture(scope="module")
def by_list():
    """Features per list; a sample of the big lists, with every Chinese and Russian name
    kept so cross-list pairs remain."""
    out = []
    for kind, paths in LISTS:
        records = [r for r in get(kind)().read(paths) if isinstance(r, Record)]
        keep = [r for i, r in enumerate(records)
                if i % 4 == 0 or "CN" in r.nationalities or "RU" in r.nationalities
                or "china" in r.record_id or "russia" in r.record_id]
        out.append([Features.of_record(r) for r in keep])
    return out


def ranks(features):
    return {f.dataset: dataset_rank(f.dataset) for f in features}


def test_loading_list_by_list_equals_resolving_all_at_once(by_list):
    judgements = Judgements.load()
    loaded: list[Features] = []
    known = []
    for features in by_list:
        loaded += features
        step = resolve(loaded, judgements, ranks(loaded),
                       changed={f.key for f in features}, known=known)
        known = step.scored
    everything = resolve(loaded, judgements, ranks(loaded))
    assert step.entity_of == everything.entity_of
    assert sorted(step.edges, key=lambda e: (e.a, e.b)) == sorted(everything.edges, key=lambda e: (e.a, e.b))
    assert len(set(everything.entity_of.values())) < len(loaded)  # the lists do share targets
    # Reloading one list rescores only its pairs and changes nothing.
    again = resolve(loaded, judgements, ranks(loaded), changed={f.key for f in by_list[1]}, known=known)
    assert again.entity_of == everything.entity_of
    assert again.compared < everything.compared
