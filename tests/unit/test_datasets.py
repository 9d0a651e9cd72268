"""data/datasets.yaml: one entry per dataset the loaders can produce, each used; the URLs
`update` requests are the file's; a file that breaks a rule is refused, naming the entry."""

import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

import loaders
from graph import update as update_module
from graph.model import model
from graph.resolving import upstream, upstream_pattern
from loaders.base import LoadError
from loaders.datasets import (
    DATASETS_PATH,
    DatasetsFileError,
    datasets,
    find_dataset,
    read,
)

LOADERS_DIR = Path(loaders.__file__).parent


def test_every_dataset_a_loader_can_produce_has_an_entry_and_every_entry_is_used():
    declared = {d: kind for kind, cls in loaders.LOADERS.items() for d in cls.datasets}
    assert set(declared) == set(datasets()), (
        f"no entry: {sorted(set(declared) - set(datasets()))}; "
        f"no loader: {sorted(set(datasets()) - set(declared))}")
    # Loaders name what they read through describe(), which refuses an undeclared id: the
    # declarations above are all a loader can produce.
    for path in LOADERS_DIR.glob("*.py"):
        if path.name != "base.py":
            assert not re.search(r"meta\.dataset\s*=[^=]", path.read_text(encoding="utf-8")), path.name


def test_a_loader_refuses_a_dataset_it_does_not_declare():
    loader = loaders.get("un-xml")()
    with pytest.raises(RuntimeError, match="does not declare: gb-ofsi"):
        loader.describe("gb-ofsi")
    family = loaders.get("eu-oj-csv")()
    family.describe("eu-oj-2020-1998", celex="32020R1998")
    assert family.meta.title == "EU Official Journal, consolidated annex of 32020R1998 (OpenSanctions CSV)"
    assert family.meta.url == "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32020R1998"


def test_each_download_is_read_by_a_loader_that_declares_its_dataset():
    for entry in datasets().values():
        for download in entry.downloads:
            assert download.loader in loaders.LOADERS, (entry.id, download.loader)
            assert entry.id in loaders.LOADERS[download.loader].datasets, (entry.id, download.loader)


def test_jurisdictions_and_authorities_are_the_models():
    m = model()
    for entry in datasets().values():
        if entry.jurisdiction:
            assert entry.jurisdiction in m.jurisdictions, entry.id
            assert m.authorities[entry.authority]["jurisdiction"] == entry.jurisdiction, entry.id
        # A family a list leaves out is one of the model's (data/programs/families.yaml).
        assert {family for family, _ in entry.leaves_out_families} <= set(m.families), entry.id
    assert dict(find_dataset("ca-sema").leaves_out_families).keys() == {"counter_terrorism"}


def test_families_and_upstream_resolution():
    assert find_dataset("eu-oj-2020-1998").id == "eu-oj-*"
    assert find_dataset("ftm-zala_entities").id == "ftm-*"
    assert find_dataset("eu-fsf").id == "eu-fsf" and find_dataset("copy1-us-ofac-sdn") is None
    # What Cypher's =~ matches (a whole string) must be what upstream() says.
    for dataset in ("ftm-zala_entities", "ftm-t1_entities", "us-ofac-sdn", "curated", "xftm-a", "eu-oj-2020-1998"):
        assert bool(re.fullmatch(upstream_pattern(), dataset)) == upstream(dataset), dataset
    assert upstream("ftm-zala_entities") and not upstream("us-ofac-sdn")


@pytest.fixture
def requested(monkeypatch, tmp_path):
    """update() run against no network: each URL it requests is noted, each load refused."""
    urls: list[tuple[str, str]] = []

    def download(url, target, timeout=None):
        urls.append((target.parent.name, url))
        return update_module.Downloaded(target, url, datetime.now(UTC), 1, "0" * 64)

    def load(*args, **kwargs):
        raise LoadError("x", "not loaded in this test")

    monkeypatch.setattr(update_module, "download", download)
    monkeypatch.setattr(update_module, "load", load)
    graph = SimpleNamespace(settings=SimpleNamespace(update_base_url=None, batch_size=10),
                            driver=None, database="neo4j", read=lambda *a, **k: [])
    return lambda only=None: (update_module.update(graph, only, tmp_path), urls)[1]


def test_update_requests_the_urls_of_the_datasets_file_in_its_order(requested):
    # The file read as text, not through loaders/datasets.py.
    spec = yaml.safe_load(DATASETS_PATH.read_text(encoding="utf-8"))
    expected = [(d.get("name", dataset), url) for dataset, entry in spec.items()
                for d in entry.get("downloads", []) if d.get("update", True) for url in d["files"].values()]
    assert {url.split("/")[2] for _, url in expected} >= {"www.treasury.gov", "scsanctions.un.org"}
    assert requested() == expected


def test_update_of_one_jurisdiction_requests_its_lists_only(requested):
    spec = yaml.safe_load(DATASETS_PATH.read_text(encoding="utf-8"))
    assert [url for _, url in requested(["gb"])] == [
        url for entry in spec.values() if entry.get("jurisdiction") == "GB"
        for d in entry["downloads"] for url in d["files"].values()]


GOOD = """
a-list:
  title: A list
  publisher: Someone
  jurisdiction: US
  authority: US-OFAC
  scope: full
  covers: a list
  rank: 10
  downloads:
    - loader: un-xml
      files:
        a.xml: https://example.org/a.xml
"""


@pytest.mark.parametrize("change, message", [
    (("rank: 10", "rnak: 10"), "dataset a-list: unknown field rnak"),
    (("  title: A list\n", ""), "dataset a-list: missing title"),
    (("scope: full", "scope: whole"), "dataset a-list: scope is 'whole', not one of full, extract"),
    (("rank: 10", "rank: yes"), "dataset a-list: rank is True: expected int"),
    (("https://example.org/a.xml", "http://example.org/a.xml"), "dataset a-list: download 1: file 'a.xml'"),
    (("  authority: US-OFAC\n", ""), "dataset a-list: give jurisdiction and authority together"),
    (("a-list:", "a-*-list:"), "dataset a-\\*-list: a \\* may only end an id"),
    (("a-list:", "a-*:"), "dataset a-\\*: a family of datasets has no downloads"),
    (("    - loader: un-xml\n", "    - loader: un-xml\n      update: maybe\n"),
     "dataset a-list: download 1: update is 'maybe': expected bool"),
    (("", GOOD.replace("a-list", "b-list").replace("un-xml", "ofac-sdn-csv")),
     "dataset b-list: file a.xml is also a-list's"),
    (("", "a-list:\n  title: again\n"), "'a-list' is given twice"),
    (("rank: 10", "rank: 10\n  leaves_out_families: {counter_terrorism: ''}"),
     "dataset a-list: leaves_out_families: 'counter_terrorism': expected a program family and where"),
    (("rank: 10", "rank: 10\n  leaves_out_families: [counter_terrorism]"),
     "dataset a-list: leaves_out_families is \\['counter_terrorism'\\]: expected dict"),
])
def test_a_file_that_breaks_a_rule_is_refused_naming_the_entry(tmp_path, change, message):
    old, new = change
    path = tmp_path / "datasets.yaml"
    path.write_text(GOOD.replace(old, new, 1) if old else GOOD + new, encoding="utf-8")
    with pytest.raises(DatasetsFileError, match=message) as raised:
        read(path)
    assert str(raised.value).startswith(str(path))


def test_the_good_file_reads(tmp_path):
    path = tmp_path / "datasets.yaml"
    path.write_text(GOOD, encoding="utf-8")
    (entry,) = read(path).values()
    assert (entry.id, entry.rank, entry.download("un-xml").url) == ("a-list", 10, "https://example.org/a.xml")
