"""Issue 3: the EU, UN, OFAC SDN.XML and OpenSanctions FtM formats in a real Neo4j."""

import json
from datetime import date

import pandas as pd

from conftest import DATA

UN = DATA / "un" / "UN_consolidated_2026-02-27.xml"
XINJIANG_EU = ["I.A-5", "I.A-6", "I.A-7", "I.A-8", "I.B-1"]
ZAKHAROV = "ftm-zala_entities:NK-aU5ybkbRFJucf8YMwsJvDw"

COUNTS = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label }
RETURN nodes, relationships, collect([label, n]) AS labels
"""


def counts(g):
    rows = g.read(COUNTS)
    types = g.read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type")
    return rows[0]["nodes"], rows[0]["relationships"], rows[0]["labels"], types


def test_un_list_loaded_twice_gives_identical_counts(empty_graph):
    g = empty_graph
    first = g.load("un-xml", UN)
    before = counts(g)
    again = g.load("auto", UN)
    assert counts(g) == before
    assert (again.kind, again.detected) == ("un-xml", True)
    assert first.counts["records"] == 1003 and first.written.designations == 1003
    assert again.written.delisted == 0
    etim = g.designations("un-sc:113356")
    assert list(zip(etim.jurisdiction, etim.program_id, etim.family, etim.record_id)) == [
        ("UN", "UN-SCISIL", "counter_terrorism", "113356")]
    assert etim.listed_on[0] == pd.Timestamp("2002-09-11")
    leads = g.read("MATCH (a:Entity)-[:LEADS]->(b:Entity) WHERE 'un-sc:2854925' IN a.record_keys "
                   "RETURN b.record_keys AS keys")
    assert [r["keys"] for r in leads] == [["un-sc:113356"]]


def test_eu_ofac_xml_and_ftm_lists_by_detection(empty_graph):
    g = empty_graph
    files = {
        "eu-fsf-xml": DATA / "eu" / "fsf_sample_2026-08-05.xml",
        "eu-oj-csv": DATA / "eu" / "eu_oj_32020R1998.csv",
        "ofac-sdn-xml": DATA / "ofac" / "cons_sdnxml_2025-06-30.xml",
        "ftm": DATA / "opensanctions" / "zala_entities.ftm.json",
    }
    for kind, path in files.items():
        report = g.load("auto", path)
        assert (report.kind, report.detected) == (kind, True)
        assert f"(format detected: {kind})" in report.summary()

    # The EU's Xinjiang designations, under their Official Journal record ids.
    for record_id in XINJIANG_EU:
        d = g.designations(f"eu-oj-2020-1998:{record_id}")
        assert list(zip(d.jurisdiction, d.program_id, d.family, d.record_id)) == [
            ("EU", "EU-HR", "human_rights", record_id)], record_id
        assert d.listed_on[0] == pd.Timestamp("2021-03-22")
        assert "Council of the European Union" in d.authority[0]

    # FSF: the designation date, not the regulation's publication date.
    dorda = g.designations("eu-fsf:6106")
    assert (dorda.program_id[0], dorda.listed_on[0]) == ("EU-LBY", pd.Timestamp("2011-02-26"))
    assert pd.isna(g.designations("eu-fsf:191").listed_on[0])

    zahhar = g.designations("us-ofac-cons:9647")
    assert set(zahhar.program_id) == {"US-NS-PLC", "US-SDGT"} and set(zahhar.jurisdiction) == {"US"}

    # FtM: every Sanction entity is a designation of the record it names, but his three
    # exclusions from US federal contracts (SAM), which are no sanction.
    zakharov = g.designations(ZAKHAROV)
    assert len(zakharov) == 10
    assert {"US", "GB", "EU", "UA", "CH", "NZ"} <= set(zakharov.jurisdiction)
    assert "US-RUSSIA-EO14024" in set(zakharov.program_id)
    # Ukraine's sanctions run for a term ("duration: ten years"): an end date after the
    # file's own is when they are due to end, not a delisting.
    with open(files["ftm"], encoding="utf-8") as f:
        nsdc = next(e for e in map(json.loads, f) if e["id"].startswith("ua-nsdc-")
                    and ZAKHAROV.split(":")[1] in e["properties"]["entity"])
    assert nsdc["properties"]["status"] == ["active"]
    ends = date.fromisoformat(nsdc["properties"]["endDate"][0])
    ukraine = g.read("MATCH (d:Designation {id: $id}) RETURN d.status AS status, d.ended_on AS ended_on, "
                     "d.delisted_on AS delisted_on, d.delisted_by AS delisted_by",
                     id=f"ftm-zala_entities:{nsdc['id']}")
    assert ukraine == [{"status": "active", "ended_on": ends, "delisted_on": None, "delisted_by": None}]
    assert ends > date.today()
    owns = g.read(
        "MATCH (a:Entity)-[l:OWNS {dataset: 'ftm-zala_entities'}]->(b:Entity) "
        "WHERE $who IN a.record_keys RETURN count(l) AS n", who=ZAKHAROV)
    assert owns[0]["n"] >= 8
