"""The EU loaders on the real files in data/eu (no database): the Financial Sanctions
Files XML and OpenSanctions' CSV of the Official Journal annex of Regulation 2020/1998."""

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from loaders.base import LoadError
from loaders.eu_fsf import EuFsfLoader
from loaders.eu_oj_csv import EuOjCsvLoader

EU = Path(__file__).resolve().parents[2] / "data" / "eu"
FSF = EU / "fsf_sample_2026-08-05.xml"
OJ = EU / "eu_oj_32020R1998.csv"
NS = {"e": "http://eu.europa.ec/fpi/fsd/export"}
XINJIANG = {"I.A-5": "朱海仑", "I.A-6": "王君正", "I.A-7": "王明山", "I.A-8": "陈明国",
            "I.B-1": "新疆生产建设兵团公安局"}


@pytest.fixture(scope="module")
def fsf():
    loader = EuFsfLoader()
    return loader, {r.record_id: r for r in loader.read([FSF])}


@pytest.fixture(scope="module")
def oj():
    loader = EuOjCsvLoader()
    return loader, {r.record_id: r for r in loader.read([OJ])}


# -- FSF XML ------------------------------------------------------------------------------


def test_fsf_counts_match_the_file(fsf):
    loader, records = fsf
    entities = etree.parse(str(FSF)).getroot().findall("e:sanctionEntity", NS)
    assert sorted(records) == sorted(e.get("logicalId") for e in entities)
    assert not loader.warnings
    for entity in entities:
        rec = records[entity.get("logicalId")]
        aliases = [a.get("wholeName") for a in entity.findall("e:nameAlias", NS)]
        assert [n.value for n in rec.names] == aliases and rec.name in aliases
        addresses = [a for a in entity.findall("e:address", NS)
                     if any(a.get(k) for k in ("street", "city", "zipCode", "poBox", "region", "place"))
                     or a.get("countryDescription") != "UNKNOWN"]
        assert len(rec.addresses) == len(addresses)
        programmes = {r.get("programme") for r in entity.findall("e:regulation", NS)}
        assert {s.program for s in rec.sanctions} == programmes
        assert len(rec.identifiers) == len(entity.findall("e:identification", NS))
        assert not rec.links


def test_fsf_keys_and_list_date(fsf):
    loader, records = fsf
    assert loader.meta.dataset == "eu-fsf"
    assert loader.meta.published_on == date(2026, 8, 5) and loader.meta.published_from == "file"
    dorda = records["6106"]
    assert dorda.refs == ["eu-ref:EU.3886.3"] and dorda.same_as == ["un:LYi.006"]
    assert records["191"].same_as == []


def test_fsf_designation_date_is_kept_apart_from_the_regulation_dates(fsf):
    _, records = fsf
    libya = records["6106"].sanctions[0]
    assert (libya.jurisdiction, libya.authority, libya.program) == ("EU", "EU-COUNCIL", "LBY")
    assert libya.listed_on == date(2011, 2, 26)
    assert libya.extra["publication_date"] == "2022-09-12"
    assert libya.extra["entry_into_force_date"] == "2022-09-13"
    assert libya.extra["regulation"] == "2022/1502 (OJ L235)"
    # No designationDate: no listing date, even though the regulation has dates.
    terr = records["191"].sanctions[0]
    assert terr.listed_on is None and terr.extra["publication_date"] == "2025-01-31"


def test_fsf_names_in_every_language_and_their_quality(fsf):
    _, records = fsf
    parchin = records["3822"]
    assert parchin.schema == "Organization" and parchin.name == "Parchin Chemical Industries (PCI)"
    langs = {n.lang: n.value for n in parchin.names}
    assert langs["FA"] == "صنایع شیمیایی پارچین" and langs["HU"] == "Parcsini Vegyipari Vállalat"
    asiri = records["6177"]
    assert asiri.name == "Ibrahim Hassan Al Asiri"
    quality = {n.value: n.quality for n in asiri.names}
    assert quality["Abu-Salaah"] == "weak"  # strong="true", remark "low quality alias"
    assert quality["إبراهيم حسن طالع عسيري"] == "strong"
    assert records["191"].name == "Khalid Sheikh MOHAMMED"


def test_fsf_birth_dates_citizenship_and_positions(fsf):
    _, records = fsf
    jan = records["521"]
    assert jan.birth_dates == ["1953", "1954", "1955", "1956", "1957", "1958"]
    # Both its birthdate elements say circa="true", yearRangeFrom="1953" yearRangeTo="1958".
    assert jan.approximate_birth_dates == ["1953", "1954", "1955", "1956", "1957", "1958"]
    assert jan.nationalities == ["AF"]
    assert jan.positions == ["Minister of Water and Electricity under the Taliban regime"]
    assert records["6177"].birth_dates == ["1982-04-18", "1982-04-19"]
    assert records["6177"].nationalities == ["SA"]
    assert records["191"].gender == "male"


def test_fsf_truncated_file_names_the_line(tmp_path):
    data = FSF.read_bytes()
    cut = tmp_path / "fsf.xml"
    cut.write_bytes(data[: data.index(b'logicalId="6106"') + 200])
    with pytest.raises(LoadError) as e:
        list(EuFsfLoader().read([cut]))
    assert e.value.path == str(cut) and e.value.line and "malformed XML" in str(e.value)


def test_fsf_malformed_xml_and_entities_are_refused(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(FSF.read_bytes().replace(b'<subjectType code="person"', b'<subjectType code="person', 1))
    with pytest.raises(LoadError, match=r"broken\.xml, line 7: malformed XML"):
        list(EuFsfLoader().read([broken]))
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b'<?xml version="1.0"?>\n<!DOCTYPE export [<!ENTITY x "boom">]>\n<export>&x;</export>')
    with pytest.raises(LoadError, match="DTD"):
        list(EuFsfLoader().read([bomb]))


def test_fsf_entry_without_key_names_its_line(tmp_path):
    bad = tmp_path / "fsf.xml"
    bad.write_bytes(FSF.read_bytes().replace(b'logicalId="521"', b'logicalId=""', 1))
    with pytest.raises(LoadError, match=r"line \d+: sanctionEntity has no logicalId"):
        list(EuFsfLoader().read([bad]))


# -- Official Journal CSV -----------------------------------------------------------------


def oj_rows():
    with open(OJ, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def cell_values(cell):
    return [v for v in next(csv.reader([cell], delimiter=";", skipinitialspace=True), []) if v.strip()]


def test_oj_counts_match_the_file(oj):
    loader, records = oj
    rows = oj_rows()
    assert len(records) == len(rows) == 177
    assert loader.meta.dataset == "eu-oj-2020-1998"
    assert loader.meta.published_on is None  # no column states a list date
    names = sum(len(cell_values(r[c])) for r in rows for c in ("alias", "weakAlias", "previousName"))
    assert sum(len(r.names) for r in records.values()) == names
    assert sum(len(r.addresses) for r in records.values()) == sum(len(cell_values(r["address"])) for r in rows)
    assert Counter(s.program for r in records.values() for s in r.sanctions) == Counter(
        r["programKey"] for r in rows)
    assert Counter(r.schema for r in records.values()) == {"Person": 136, "Organization": 41}
    # The one row without a recordId is keyed by its name, and says so.
    assert "I.B-the-zindashti-network" in records
    assert [w.line for w in loader.warnings] == [174]


def test_oj_xinjiang_records(oj):
    _, records = oj
    for record_id, chinese in XINJIANG.items():
        rec = records[record_id]
        assert [(s.jurisdiction, s.program, s.listed_on) for s in rec.sanctions] == [
            ("EU", "EU-HR", date(2021, 3, 22))], record_id
        assert chinese in [n.value for n in rec.names], record_id
    assert records["I.A-5"].name == "ZHU Hailun" and records["I.A-5"].birth_dates == ["1958-01"]
    assert records["I.A-8"].nationalities == ["CN"] and records["I.A-8"].birth_dates == ["1966-10"]
    psb = records["I.B-1"]
    assert psb.schema == "Organization"
    assert psb.name == "Xinjiang Production and Construction Corps Public Security Bureau"
    assert len(psb.addresses) == 2


def test_oj_multi_valued_cells_split_on_semicolons_only(oj):
    _, records = oj
    ri = next(r for r in records.values() if r.name == "RI Yong Gil")
    assert [n.value for n in ri.names] == ["RI Yong Gi, RI Yo’ng-kil, YI Yo’ng-kil", "리영길"]
    dates = {r.name: r.birth_dates for r in records.values()}
    assert any(d == ["1961-01-01", "1963-12-31"] for d in dates.values())  # "between … and …"


def test_oj_truncated_file_names_the_line(tmp_path):
    data = OJ.read_bytes()
    cut = tmp_path / "32020R1998.csv"
    cut.write_bytes(data[: data.index(b"\n32020R1998,5,") + 200])  # inside Zhu Hailun's reason
    with pytest.raises(LoadError) as e:
        list(EuOjCsvLoader().read([cut]))
    assert e.value.path == str(cut) and e.value.line is not None


def test_oj_rows_that_break_the_layout_are_refused(tmp_path):
    lines = OJ.read_text(encoding="utf-8").splitlines(keepends=True)
    other = tmp_path / "other.csv"
    other.write_text("".join([lines[0].replace("celex", "amendedCelex,amendmentCelex", 1)] + lines[1:]),
                     encoding="utf-8")
    with pytest.raises(LoadError, match=r"line 1: not a consolidated annex CSV"):
        list(EuOjCsvLoader().read([other]))
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("".join(lines[:3] + [lines[3].replace("32020R1998", "32014R0269", 1)]), encoding="utf-8")
    with pytest.raises(LoadError, match=r"line 4: celex 32014R0269 differs"):
        list(EuOjCsvLoader().read([mixed]))
