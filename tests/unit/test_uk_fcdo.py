"""The FCDO UK Sanctions List XML loader on the real 5-record excerpt (no database)."""

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from graph.model import Model
from loaders import detect
from loaders.base import LoadError
from loaders.uk_fcdo import FcdoXmlLoader

XML = Path(__file__).resolve().parents[2] / "data" / "uk" / "uk_sanctions_list_sample_2026-09-10.xml"


@pytest.fixture(scope="module")
def fcdo():
    loader = FcdoXmlLoader()
    return loader, {r.record_id: r for r in loader.read([XML])}


def test_counts_match_the_file(fcdo):
    loader, records = fcdo
    root = etree.parse(str(XML)).getroot()
    designations = root.findall("Designation")
    assert len(records) == len(designations) == 5
    assert loader.meta.published_on == date(2026, 9, 10) and loader.meta.published_from == "file"
    assert loader.warnings == []
    names = sum(len({" ".join(p.text for p in n if p.tag.startswith("Name") and p.tag[4:].isdigit())
                     for n in d.iter("Name")})
                + len({n.text for n in d.iter("NameNonLatinScript")}) - 1 for d in designations)
    assert sum(len(r.names) for r in records.values()) == names == 7
    assert sum(len(r.addresses) for r in records.values()) == len(root.findall(".//Address")) == 4
    assert sum(len(r.sanctions) for r in records.values()) == 5


def test_keys_refs_and_programs(fcdo):
    _, records = fcdo
    afg = records["AFG0006"]
    assert afg.refs == ["gb-ref:AFG0006"] and afg.same_as == ["ofsi-group:7172", "un:TAi.002"]
    assert afg.name == "MOHAMMAD HASSAN AKHUND" and afg.schema == "Person"
    assert afg.birth_dates == ["1958-05-12", "1945", "1946"]  # "dd/mm/1945" is a year
    assert afg.identifiers.count("Passport P04581926 (Afghanistan passport number P04581926, "
                                 "issued in Kandahar (expires 7 August 2034))") == 1  # listed twice
    assert afg.extra["Title"] == "Mullah; Haji"
    (sanction,) = afg.sanctions
    assert (sanction.authority, sanction.listed_on) == ("GB-FCDO", date(2001, 1, 25))
    assert sanction.extra["DesignationSource"] == "UK|UN" and sanction.extra["TravelBan"] == "true"
    assert records["DPR0075"].schema == "Vessel" and records["DPR0075"].same_as == ["un:KPv.001"]
    assert records["DPR0075"].identifiers == ["IMO 9562233"]
    model = Model()
    programs = {r.record_id: model.program("GB", r.sanctions[0].program).id for r in records.values()}
    assert programs == {"AFG0001": "GB-AFGHANISTAN", "AFG0006": "GB-AFGHANISTAN", "BEL0107": "GB-BELARUS",
                        "DPR0075": "GB-DPRK", "AQD0195": "GB-ISIL-AQ"}
    # The OFSI list's short name and FCDO's title are one program.
    assert model.program("GB", "Global Human Rights") == model.program(
        "GB", "The Global Human Rights Sanctions Regulations 2020")


def test_parent_companies_and_subsidiaries_are_links_by_name(fcdo):
    _, records = fcdo
    links = [(l.type, l.target, l.by_name, l.reverse) for l in records["BEL0107"].links]
    assert links == [("OWNS", "CJSC Belarusian Oil Company", True, True),
                     ("OWNS", "Belneftekhim", True, True),
                     ("OWNS", "BNK (Deutschland) GmbH", True, False)]
    assert records["BEL0107"].extra["TypeOfEntity"] == "Oil trading company"
    assert records["BEL0107"].sanctions[0].reason.startswith("BNK (UK) Ltd is controlled")
    assert records["AFG0001"].sanctions[0].reason is None  # the empty statement is a newline


def test_detected_by_content():
    assert detect(XML) is FcdoXmlLoader


def test_truncated_file_names_the_line(tmp_path):
    data = XML.read_bytes()
    cut = tmp_path / "UK-Sanctions-List.xml"
    cut.write_bytes(data[: data.index(b"<UniqueID>BEL0107")])
    with pytest.raises(LoadError) as e:
        list(FcdoXmlLoader().read([cut]))
    assert e.value.path == str(cut) and e.value.line == 144 and "malformed XML" in e.value.message


def test_duplicate_unique_id(tmp_path):
    bad = tmp_path / "UK-Sanctions-List.xml"
    bad.write_bytes(XML.read_bytes().replace(b"<UniqueID>AQD0195<", b"<UniqueID>AFG0001<"))
    with pytest.raises(LoadError) as e:
        list(FcdoXmlLoader().read([bad]))
    assert e.value.record == "AFG0001" and "appears twice (first at line 4)" in str(e.value)
