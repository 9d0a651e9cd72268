"""bench/generate.py writes files the project's real loaders read: a tiny file of each
format, parsed (no database, no timing; the benchmarks themselves are not tests)."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from loaders import get
from loaders.records import Link, Record

ROOT = Path(__file__).resolve().parents[2]
SPEC = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
generate = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = generate  # dataclasses look their module up there
SPEC.loader.exec_module(generate)

SIZES = {"ofac": 40, "uk": 12, "eu": 15, "ca": 12, "un": 10}
#: The real files that read fastest (the UK workbook takes seconds): enough names and dates.
SOURCES = [source for source in generate.REAL if source[0] != "uk-ofsi"]


@pytest.fixture(scope="module")
def writer(tmp_path_factory) -> generate.Writer:
    folder = tmp_path_factory.mktemp("generated")
    pool = generate.Pool.real(folder / "pool.json", SOURCES)
    return generate.Writer(folder, seed=3, pool=pool, sizes=SIZES)


def parse(kind: str, path: Path) -> tuple[list[Record], list[Link], object]:
    loader = get(kind)()
    items = list(loader.read([path]))
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Link)], loader


@pytest.mark.parametrize("kind, method, size", [
    ("ofac-sdn-csv", "ofac", SIZES["ofac"]), ("uk-ofsi", "uk_xlsx", SIZES["uk"]),
    ("uk-ofsi", "uk_csv", SIZES["uk"]), ("ca-sema-xml", "canada", SIZES["ca"]),
    ("eu-fsf-xml", "eu", SIZES["eu"]), ("un-xml", "un", SIZES["un"]),
])
def test_each_official_format_loads_with_its_loader(writer, kind, method, size):
    path = getattr(writer, method)()
    assert get(kind).sniff(path.parent if kind == "ofac-sdn-csv" else path)
    records, _, loader = parse(kind, path)
    assert len(records) == size
    assert len({r.key for r in records}) == size
    assert all(r.name and r.sanctions for r in records)
    assert not loader.warnings, loader.warnings


def test_lists_share_targets_as_real_lists_do(writer):
    """UN targets are OFAC targets too; the UK and the EU cite their UN reference."""
    ofac, _, _ = parse("ofac-sdn-csv", writer.ofac())
    un, _, _ = parse("un-xml", writer.un())
    uk, _, _ = parse("uk-ofsi", writer.uk_csv())
    ofac_names = {words(r.name) for r in ofac}
    assert sum(words(r.name) in ofac_names for r in un) >= len(un) // 2
    un_refs = {ref for r in un for ref in r.refs}
    assert {ref for r in uk for ref in r.same_as} <= un_refs


def words(name: str) -> frozenset[str]:
    return frozenset(name.replace(",", " ").lower().split())


def test_the_same_seed_writes_the_same_files(writer, tmp_path):
    again = generate.Writer(tmp_path, seed=3, pool=writer.pool, sizes=SIZES)
    assert again.un().read_bytes() == writer.un().read_bytes()


def test_ftm_file_has_things_sanctions_relationships_and_referents(writer):
    path = writer.ftm(3000)
    records, links, loader = parse("ftm", path)
    schemas = Counter(r.schema for r in records)
    assert 1500 < len(records) < 2400 and schemas["Person"] and schemas["Organization"]
    assert sum(len(r.sanctions) for r in records) > 200
    assert len(links) > 300
    assert any(ref.startswith("ofac:") for r in records for ref in r.same_as)
    assert [str(w) for w in loader.warnings if "not loaded (no field" not in str(w)] == []
