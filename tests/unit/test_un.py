"""The UN Security Council consolidated list loader on the real 2026 file (no database)."""

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from loaders.base import LoadError
from loaders.un import UnScLoader

UN = Path(__file__).resolve().parents[2] / "data" / "un" / "UN_consolidated_2026-02-27.xml"


@pytest.fixture(scope="module")
def un():
    loader = UnScLoader()
    return loader, {r.record_id: r for r in loader.read([UN])}


@pytest.fixture(scope="module")
def entries():
    root = etree.parse(str(UN)).getroot()
    return root.findall("INDIVIDUALS/INDIVIDUAL") + root.findall("ENTITIES/ENTITY")


def test_every_entry_loads(un, entries):
    loader, records = un
    assert len(records) == len(entries) == 1003
    assert Counter(r.schema for r in records.values()) == {"Person": 730, "Organization": 273}
    assert loader.meta.dataset == "un-sc" and loader.meta.published_on == date(2026, 2, 27)
    for e in entries:
        rec = records[e.findtext("DATAID")]
        assert rec.refs == [f"un:{e.findtext('REFERENCE_NUMBER').strip()}"]
        assert [(s.jurisdiction, s.authority, s.program) for s in rec.sanctions] == [
            ("UN", "UN-SC", e.findtext("UN_LIST_TYPE"))]
        assert rec.sanctions[0].listed_on == date.fromisoformat(e.findtext("LISTED_ON")[:10])


def test_aliases_and_addresses_match_the_file(un, entries):
    _, records = un
    aliases = [a for e in entries for a in e if a.tag.endswith("_ALIAS") and (a.findtext("ALIAS_NAME") or "").strip()]
    original = [e for e in entries if e.findtext("NAME_ORIGINAL_SCRIPT")]
    assert sum(len(r.names) for r in records.values()) == len(aliases) + len(original)
    assert not any(not n.value.strip() for r in records.values() for n in r.names)  # stubs skipped
    weak = sum(1 for a in aliases if a.findtext("QUALITY") == "Low")
    assert sum(1 for r in records.values() for n in r.names if n.quality == "weak") == weak
    addresses = [a for e in entries for a in e if a.tag.endswith("_ADDRESS")
                 and any((c.text or "").strip() for c in a)]
    assert sum(len(r.addresses) for r in records.values()) == len(addresses)


def test_references_in_comments_become_links_to_dataids(un, entries):
    _, records = un
    data_id = {e.findtext("REFERENCE_NUMBER").strip(): e.findtext("DATAID") for e in entries}
    expected = 0
    for e in entries:
        cited = set(re.findall(r"\b[A-Z]{2}[ie]\.\d{3}\b", e.findtext("COMMENTS1") or ""))
        cited.discard(e.findtext("REFERENCE_NUMBER").strip())
        expected += len(cited & set(data_id))
        assert {link.target for link in records[e.findtext("DATAID")].links} == {
            data_id[c] for c in cited if c in data_id}
    assert sum(len(r.links) for r in records.values()) == expected
    # Abdul Haq (QDi.268): "Overall leader and commander of the Eastern Turkistan Islamic Movement (QDe.088)"
    abdul_haq = records["2854925"]
    assert [(link.type, link.target) for link in abdul_haq.links] == [("LEADS", "113356")]
    kony_son = next(r for r in records.values() if r.refs == ["un:CFi.010"])
    assert ("FAMILY_OF", data_id["CFi.009"]) in {(link.type, link.target) for link in kony_son.links}


def test_xinjiang_related_records(un):
    _, records = un
    etim, abdul_haq = records["113356"], records["2854925"]
    assert etim.name == "EASTERN TURKISTAN ISLAMIC MOVEMENT (ETIM)" and etim.schema == "Organization"
    assert etim.sanctions[0].listed_on == date(2002, 9, 11)
    assert "Islamic Party of Turkestan" in [n.value for n in etim.names]
    assert abdul_haq.birth_dates == ["1971-10-10"] and abdul_haq.nationalities == ["CN"]
    assert abdul_haq.birth_places == ["Hetian Area, Xinjiang Uighur Autonomous Region, China"]
    assert abdul_haq.identifiers[0].startswith("National Identification Number 653225197110100533")


def test_dates_of_birth_exact_approximate_between(un, entries):
    _, records = un
    between = next(e for e in entries if e.findtext("INDIVIDUAL_DATE_OF_BIRTH/TYPE_OF_DATE") == "BETWEEN")
    first, last = (int(between.findtext(f"INDIVIDUAL_DATE_OF_BIRTH/{k}")) for k in ("FROM_YEAR", "TO_YEAR"))
    assert records[between.findtext("DATAID")].birth_dates[:last - first + 1] == [
        str(y) for y in range(first, last + 1)]
    assert records["6907993"].birth_dates == ["1971"]  # EXACT with a YEAR only
    # APPROXIMATELY: the dates the list gives so, counted from the file.
    approximate = {e.findtext("DATAID"): {d for b in e.iter("INDIVIDUAL_DATE_OF_BIRTH")
                                          if b.findtext("TYPE_OF_DATE") == "APPROXIMATELY"
                                          for d in [(b.findtext("DATE") or b.findtext("YEAR") or "")[:10]] if d}
                   for e in entries}
    approximate = {k: v for k, v in approximate.items() if v}
    assert len(approximate) >= 50
    for data_id, dates in approximate.items():
        assert set(records[data_id].approximate_birth_dates) == dates, data_id
    assert sum(1 for r in records.values() if r.approximate_birth_dates) == len(approximate)


def test_truncated_file_names_the_line(tmp_path):
    data = UN.read_bytes()
    cut = tmp_path / "un.xml"
    cut.write_bytes(data[: data.index(b"<DATAID>113356</DATAID>")])
    with pytest.raises(LoadError) as e:
        list(UnScLoader().read([cut]))
    assert e.value.path == str(cut) and e.value.line == 48167


def test_entry_without_a_name_or_regime_is_refused(tmp_path):
    bad = tmp_path / "un.xml"
    bad.write_bytes(UN.read_bytes().replace(b"<UN_LIST_TYPE>DRC</UN_LIST_TYPE>", b"<UN_LIST_TYPE/>", 1))
    with pytest.raises(LoadError, match=r"line 4, record 6907993: the entry names no UN_LIST_TYPE"):
        list(UnScLoader().read([bad]))
