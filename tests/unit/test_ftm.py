"""The OpenSanctions / FtM JSON lines loader on the real files in data/opensanctions."""

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from loaders.base import LoadError
from loaders.ftm import RELATIONSHIPS, THINGS, FtmLoader
from loaders.records import Link, Record

OS = Path(__file__).resolve().parents[2] / "data" / "opensanctions"
ZALA, T1 = OS / "zala_entities.ftm.json", OS / "t1_entities.ftm.json"
ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"  # Alexander Vyacheslavovich Zakharov, head of Zala Aero


def load(path):
    loader = FtmLoader()
    items = list(loader.read([path]))
    records = {i.record_id: i for i in items if isinstance(i, Record)}
    return loader, records, [i for i in items if isinstance(i, Link)]


def entities(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def zala():
    return load(ZALA)


def test_counts_match_the_file(zala):
    loader, records, links = zala
    lines = entities(ZALA)
    things = {e["id"] for e in lines if e["schema"] in THINGS}
    assert set(records) == things and len(records) == 17
    sanctions = [e for e in lines if e["schema"] == "Sanction" and not set(e["datasets"]) <= NO_SANCTION]
    assert sum(len(r.sanctions) for r in records.values()) == len(sanctions) == 34
    expected_links = sum(
        1 for e in lines if e["schema"] in RELATIONSHIPS
        for a in e["properties"][RELATIONSHIPS[e["schema"]][1]]
        for b in e["properties"][RELATIONSHIPS[e["schema"]][2]] if a in things and b in things)
    assert len(links) == expected_links == 21
    assert sum(len(r.addresses) for r in records.values()) == sum(
        len(e["properties"].get("address", [])) for e in lines if e["schema"] in THINGS)
    assert loader.meta.dataset == "ftm-zala_entities"
    assert loader.meta.published_on == date(2026, 4, 29)


#: The file's Sanction entities that are no sanction: Companies House's disqualified
#: directors (authority "The Insolvency Service") and SAM's exclusions from US federal
#: contracts ("Reciprocal"). 7 of its 41.
NO_SANCTION = {"gb_coh_disqualified", "us_sam_exclusions"}


def test_measures_that_are_no_sanction_are_kept_but_designate_nothing(zala):
    loader, records, _ = zala
    other = [e for e in entities(ZALA) if e["schema"] == "Sanction" and set(e["datasets"]) <= NO_SANCTION]
    assert len(other) == 7
    assert {e["properties"]["authority"][0] for e in other} == {"The Insolvency Service", "OFAC"}
    for e in other:
        record = records[e["properties"]["entity"][0]]
        assert e["id"] not in {s.sanction_id for s in record.sanctions}
        assert e["datasets"][0] in record.extra["other_measures"]
    assert not any(s.authority == "GB-INSOLVENCY" for r in records.values() for s in r.sanctions)
    assert any("7 Sanction entities are no sanction a state imposed" in w.message for w in loader.warnings)


def test_sanctions_attach_to_their_entities(zala):
    _, records, _ = zala
    by_id = {s.sanction_id: (key, s) for key, r in records.items() for s in r.sanctions}
    for e in entities(ZALA):
        if e["schema"] == "Sanction" and not set(e["datasets"]) <= NO_SANCTION:
            key, sanction = by_id[e["id"]]
            assert key == e["properties"]["entity"][0]
            assert sanction.jurisdiction == e["properties"]["country"][0].upper()
    zakharov = records[ZAKHAROV]
    assert Counter(s.jurisdiction for s in zakharov.sanctions) == Counter(
        e["properties"]["country"][0].upper() for e in entities(ZALA)
        if e["schema"] == "Sanction" and e["properties"]["entity"] == [ZAKHAROV]
        and not set(e["datasets"]) <= NO_SANCTION)
    assert len(zakharov.sanctions) == 10  # and 3 exclusions from US contracts
    ofac = next(s for s in zakharov.sanctions if s.authority == "US-OFAC")
    assert (ofac.program, ofac.listed_on) == ("US-RUSHAR", None)
    nsdc = next(s for s in zakharov.sanctions if s.program == "UA-SA1644")
    assert nsdc.authority == "UA-NSDC" and nsdc.listed_on == date(2023, 7, 1)
    assert nsdc.ended_on == date(2033, 7, 1)


def test_relationships(zala):
    _, records, links = zala
    assert Counter(link.type for link in links) == {"OWNS": 14, "FAMILY_OF": 4, "LEADS": 3}
    concern, cst = "ftm-zala_entities:NK-nR5AXM9AVPq4pQaSPSaVam", "ftm-zala_entities:NK-abdzbEBkqyT29GyREbiURZ"
    owns = [link for link in links if link.subject == concern and link.target == cst]
    assert owns and owns[0].type == "OWNS" and all(link.external for link in links)
    leads = {(link.subject, link.target) for link in links if link.type == "LEADS"}
    assert (f"ftm-zala_entities:{ZAKHAROV}", cst) in leads


def test_referents_are_mapped_and_kept(zala):
    _, records, _ = zala
    nikita = records["NK-JseaPJctnK9o8wrmz8xmoT"]
    assert set(nikita.same_as) == {"ofac:45947", "gb-ref:RUS2052", "ofsi-group:16272", "eu-ref:EU.13336.23"}
    assert "nz-ru-ind-1318-nikita-zakharov" in nikita.extra["referents"].split("; ")
    _, t1, _ = load(T1)
    assert set(t1["NK-2GdmHtZTeNXjNVrBGEXZNj"].same_as) == {"ofac:32733", "eu-ref:EU.8282.49"}


def test_last_line_without_newline_loads():
    assert not T1.read_bytes().endswith(b"\n")
    loader, records, links = load(T1)
    assert len(records) == len([e for e in entities(T1) if e["schema"] in THINGS]) == 6
    assert records["NK-2PacmNpiLUmoz4XD2mSt7A"].name == "IRGC"


def test_a_sanction_before_its_entity_still_attaches(tmp_path):
    reordered = tmp_path / "reordered.ftm.json"
    lines = ZALA.read_text(encoding="utf-8").splitlines()
    reordered.write_text("\n".join(sorted(lines, key=lambda l: '"schema": "Sanction"' not in l)),
                         encoding="utf-8")
    assert '"Sanction"' in reordered.read_text(encoding="utf-8").splitlines()[0]
    _, records, _ = load(reordered)
    assert sum(len(r.sanctions) for r in records.values()) == 34


def test_bad_json_line_names_the_line(tmp_path):
    lines = ZALA.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.ftm.json"
    bad.write_text("\n".join(lines[:9] + [lines[9][:-30]] + lines[10:]), encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad\.ftm\.json, line 10: not valid JSON"):
        list(FtmLoader().read([bad]))
    cut = tmp_path / "cut.ftm.json"
    cut.write_bytes(ZALA.read_bytes()[:50_000])
    with pytest.raises(LoadError) as e:
        list(FtmLoader().read([cut]))
    assert e.value.line == ZALA.read_bytes()[:50_000].count(b"\n") + 1


def test_lines_that_are_not_entities_are_refused(tmp_path):
    lines = T1.read_text(encoding="utf-8").splitlines()
    twice = tmp_path / "twice.ftm.json"
    twice.write_text("\n".join(lines + [lines[0]]), encoding="utf-8")
    with pytest.raises(LoadError, match=r"line 8, record NK-\w+: entity NK-\w+ appears twice \(first at line 1\)"):
        list(FtmLoader().read([twice]))
    other = tmp_path / "other.ftm.json"
    other.write_text('{"id": "x", "schema": "Person"}\n', encoding="utf-8")
    with pytest.raises(LoadError, match=r"line 1: not an FtM entity"):
        list(FtmLoader().read([other]))
