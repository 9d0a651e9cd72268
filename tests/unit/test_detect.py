"""`load auto`: every real list file in data/ is recognised by exactly one loader."""

from pathlib import Path

import pytest

import loaders
from loaders.base import LoadError

DATA = Path(__file__).resolve().parents[2] / "data"
#: Every list file in data/ (SOURCE.md notes and data/programs, the model's own data,
#: are not list files) and the loader that must claim it.
EXPECTED = {
    "ofac": "ofac-sdn-csv",
    "ofac/sdn.csv": "ofac-sdn-csv",
    "ofac/add.csv": "ofac-sdn-csv",
    "ofac/alt.csv": "ofac-sdn-csv",
    "ofac/sdn_comments.csv": "ofac-sdn-csv",
    "ofac/cons_prim.csv": "ofac-sdn-csv",
    "ofac/cons_add.csv": "ofac-sdn-csv",
    "ofac/cons_alt.csv": "ofac-sdn-csv",
    "ofac/cons_comments.csv": "ofac-sdn-csv",
    "ofac/cons_sdnxml_2025-06-30.xml": "ofac-sdn-xml",
    "ofac/cons_advanced_2020-03-17.xml": "ofac-advanced-xml",
    "ofac/sdnnew23.txt": "ofac-changes",
    "uk/ofsi_conlist_2025-04-10.xlsx": "uk-ofsi",
    "uk/uk_sanctions_list_sample_2026-09-10.xml": "uk-fcdo-xml",
    "canada/sema-lmes_2020-04-15.xml": "ca-sema-xml",
    "canada/sema-lmes_2025-09-22.xml": "ca-sema-xml",
    "eu/fsf_sample_2026-08-05.xml": "eu-fsf-xml",
    "eu/eu_oj_32020R1998.csv": "eu-oj-csv",
    "un/UN_consolidated_2024-11-30.xml": "un-xml",
    "un/UN_consolidated_2026-02-27.xml": "un-xml",
    "au/regulation8_consolidated.xlsx": "au-dfat",
    "opensanctions/zala_entities.ftm.json": "ftm",
    "opensanctions/t1_entities.ftm.json": "ftm",
    "curated": "curated",
    "curated/xinjiang.yaml": "curated",
}


def list_files() -> set[str]:
    # ofac/history holds versions of a list, replayed by `graph history`, not loaded alone.
    return {str(p.relative_to(DATA)) for p in DATA.glob("*/*")
            if p.name != "SOURCE.md" and p.parent.name != "programs" and p.name != "history"}


def test_every_list_file_is_expected():
    assert list_files() <= set(EXPECTED), "a new file in data/ needs its loader in EXPECTED"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exactly_one_loader_fits(name):
    path = DATA / name
    fitting = [cls.name for cls in loaders.LOADERS.values() if cls.sniff(path)]
    assert fitting == [EXPECTED[name]]
    assert loaders.detect(path).name == EXPECTED[name]


def test_a_file_of_no_known_format_is_refused():
    with pytest.raises(LoadError, match="could not tell the format"):
        loaders.detect(DATA / "un" / "SOURCE.md")
