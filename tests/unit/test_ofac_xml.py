"""The OFAC SDN.XML-layout loader on the real non-SDN consolidated file (no database)."""

import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from loaders.base import LoadError
from loaders.ofac_xml import OfacXmlLoader

XML = Path(__file__).resolve().parents[2] / "data" / "ofac" / "cons_sdnxml_2025-06-30.xml"
NS = {"o": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"}


@pytest.fixture(scope="module")
def cons():
    loader = OfacXmlLoader()
    return loader, {r.record_id: r for r in loader.read([XML])}


@pytest.fixture(scope="module")
def root():
    return etree.parse(str(XML)).getroot()


def test_every_entry_loads_and_matches_the_record_count(cons, root):
    loader, records = cons
    assert len(records) == int(root.findtext("o:publshInformation/o:Record_Count", namespaces=NS)) == 443
    assert not loader.warnings
    assert loader.meta.dataset == "us-ofac-cons"
    assert loader.meta.published_on == date(2025, 6, 30)
    assert all(r.refs == [f"ofac:{r.record_id}"] for r in records.values())
    assert Counter(r.schema for r in records.values()) == {"Organization": 363, "Person": 80}


def test_programs_akas_addresses_links_match_the_file(cons, root):
    _, records = cons
    programs = Counter(p.text for p in root.iterfind(".//o:program", NS))
    assert Counter(s.program for r in records.values() for s in r.sanctions) == programs
    assert all(s.jurisdiction == "US" and s.authority == "US-OFAC" for r in records.values() for s in r.sanctions)
    akas = root.findall(".//o:aka", NS)
    assert Counter(n.quality for r in records.values() for n in r.names) == Counter(
        a.findtext("o:category", namespaces=NS) for a in akas)
    assert sum(1 for r in records.values() for n in r.names if n.kind == "fka") == sum(
        1 for a in akas if a.findtext("o:type", namespaces=NS) == "f.k.a.")
    assert sum(len(r.addresses) for r in records.values()) == len(root.findall(".//o:address", NS))
    linked = sum(len(re.findall(r"Linked To: ", e.text)) for e in root.iterfind(".//o:remarks", NS))
    assert sum(len(r.links) for r in records.values()) == linked == 283


def test_id_list_facts_and_identifiers(cons, root):
    _, records = cons
    ids = root.findall(".//o:id", NS)
    genders = [i for i in ids if i.findtext("o:idType", namespaces=NS) == "Gender"]
    assert sum(1 for r in records.values() if r.gender) == len(genders) == 3
    vtb = next(r for r in records.values() if r.name == "VTB BANK PUBLIC JOINT STOCK COMPANY")
    assert "Tax ID No. 7702070139 (Russia)" in vtb.identifiers
    assert "SWIFT/BIC VTBRRUMM" in vtb.identifiers
    assert vtb.extra["Website"] == "www.vtb.com; www.vtb.ru"
    assert vtb.extra["Executive Order 13662 Directive Determination"] == "Subject to Directive 1"
    assert vtb.extra["Organization Established Date"] == "17 Oct 1990"
    assert "RU" in vtb.countries
    assert [(link.type, link.target, link.by_name) for link in vtb.links] == []


def test_people_are_named_last_comma_first(cons):
    _, records = cons
    zahhar = next(r for r in records.values() if r.name == "ZAHHAR, Mahmoud Khaled")
    assert zahhar.schema == "Person" and zahhar.gender == "male"
    assert zahhar.birth_dates == ["1945"] and zahhar.birth_places == ["Gaza Strip"]
    assert zahhar.nationalities == ["PS"]
    assert {(n.value, n.quality) for n in zahhar.names} >= {("ZAHAR, Mahmoud", "weak")}
    assert [(link.type, link.target, link.by_name) for link in zahhar.links] == [("LINKED_TO", "HAMAS", True)]


def test_the_file_name_says_which_list(tmp_path):
    sdn = tmp_path / "SDN.XML"
    shutil.copy(XML, sdn)
    loader = OfacXmlLoader()
    first = next(loader.read([sdn]))
    assert loader.meta.dataset == "us-ofac-sdn" and first.dataset == "us-ofac-sdn"


def test_truncated_file_names_the_line(tmp_path):
    data = XML.read_bytes()
    cut = tmp_path / "consolidated.xml"
    cut.write_bytes(data[: data.index(b"<uid>9647</uid>") + 40])
    with pytest.raises(LoadError) as e:
        list(OfacXmlLoader().read([cut]))
    assert e.value.path == str(cut) and e.value.line and "malformed XML" in e.value.message


def test_malformed_entry_names_the_line(tmp_path):
    bad = tmp_path / "consolidated.xml"
    bad.write_bytes(XML.read_bytes().replace(b"<uid>9640</uid>", b"<uid>x9640</uid>", 1))
    with pytest.raises(LoadError, match=r"consolidated\.xml, line 46: uid must be a number"):
        list(OfacXmlLoader().read([bad]))
    broken = tmp_path / "broken.xml"
    broken.write_bytes(XML.read_bytes().replace(b"</lastName>", b"</lastname>", 1))
    with pytest.raises(LoadError, match=r"line 10: malformed XML"):
        list(OfacXmlLoader().read([broken]))
