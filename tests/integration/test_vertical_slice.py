"""Issue 2 acceptance on the real OFAC files and the curated case, against a real Neo4j."""

import csv
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import CASE_OFAC_ENTRIES, DATA
from graph import LoadError

XINJIANG = sorted(CASE_OFAC_ENTRIES)

COUNTS = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { MATCH (n) UNWIND labels(n) AS label RETURN collect(label) AS labels }
CALL () { MATCH ()-[r]->() RETURN collect(type(r)) AS types }
RETURN nodes, relationships, labels, types
"""


def counts(g):
    row = g.read(COUNTS)[0]
    return (row["nodes"], row["relationships"],
            sorted(pd.Series(row["labels"]).value_counts().items()),
            sorted(pd.Series(row["types"]).value_counts().items()))


def test_all_sdn_entries_with_their_programs(demo_graph):
    # The current US list is the newest version of its history (2024-05-03): its entries,
    # and its GLOMAG entries, read here with the csv module.
    with open(DATA / "ofac" / "history" / "sdn_2024-05-03.csv", encoding="latin-1", newline="") as f:
        entries = [row for row in csv.reader(f) if len(row) == 12]
    active = demo_graph.read(
        "MATCH (r:Record {dataset: 'us-ofac-sdn', status: 'active'}) RETURN count(r) AS n")
    assert active[0]["n"] == len(entries) == 14965
    glomag = demo_graph.read(
        "MATCH (d:Designation {dataset: 'us-ofac-sdn', status: 'active'})-[:UNDER]->(p:Program {id: 'US-GLOMAG'}) "
        "RETURN count(d) AS n, collect(DISTINCT p.family) AS families")
    programs = [row[3].replace("[", " ").replace("]", " ").split() for row in entries]
    assert glomag[0]["n"] == sum(1 for p in programs if "GLOMAG" in p)
    assert glomag[0]["families"] == ["human_rights"]
    authority = demo_graph.read(
        "MATCH (:Program {id: 'US-SDGT'})-[:ADMINISTERED_BY]->(a:Authority)-[:OF]->(j:Jurisdiction) "
        "RETURN a.id AS a, j.code AS j")
    assert authority == [{"a": "US-OFAC", "j": "US"}]


def test_xinjiang_records_are_typed_us_glomag(demo_graph):
    rows = demo_graph.read(
        """
        UNWIND $ids AS id
        MATCH (d:Designation {record_key: 'us-ofac-sdn:' + id})-[:TARGETS]->(e:Entity)
        RETURN id, e.kind AS kind, d.jurisdiction AS j, d.program_id AS program, d.record_id AS record
        """, ids=XINJIANG)
    assert len(rows) == 10
    assert {r["j"] for r in rows} == {"US"} and {r["program"] for r in rows} == {"US-GLOMAG"}
    kinds = {r["id"]: r["kind"] for r in rows}
    assert kinds["29159"] == kinds["29299"] == "Organization"
    assert {kinds[i] for i in XINJIANG if i not in ("29159", "29299")} == {"Person"}


def test_linked_to_relationships(demo_graph):
    rows = demo_graph.read(
        """
        MATCH (a:Entity)-[l:LINKED_TO {dataset: 'us-ofac-sdn'}]->(b:Entity)
        WHERE a.id IN $ids
        RETURN a.id AS a, b.id AS b
        """, ids=[f"us-ofac-sdn:{i}" for i in XINJIANG])
    links = {(r["a"].split(":")[1], r["b"].split(":")[1]) for r in rows}
    assert ("29300", "29299") in links  # SUN Jinlong → XPCC
    assert ("31493", "29159") in links  # CHEN Mingguo → XPSB
    assert ("29299", "29220") in links  # XPCC → CHEN Quanguo


def test_chen_quanguo_designations(demo_graph):
    found = demo_graph.search("chen quanguo")
    chen = found.id[0]
    assert chen == "us-ofac-sdn:29220"
    for spelling in ("Quanguo Chen", "CHEN Quan-guo", "陈全国"):
        assert demo_graph.search(spelling).id[0] == chen, spelling
    d = demo_graph.designations(chen)
    glomag = d[d.program_id == "US-GLOMAG"].iloc[0]
    assert (glomag.jurisdiction, glomag.record_id) == ("US", "29220")
    assert "Office of Foreign Assets Control" in glomag.authority
    assert glomag.announced_on == pd.Timestamp("2020-07-09")
    assert glomag.source_url == "https://home.treasury.gov/news/press-releases/sm1055"
    assert pd.api.types.is_datetime64_any_dtype(d.announced_on)
    # The visa restriction is another measure under another program.
    visa = d[d.program_id == "US-7031C"]
    assert len(visa) == 1 and visa.iloc[0].family == "other_measures"


def test_wang_junzheng_announced_2021_03_22(demo_graph):
    d = demo_graph.designations(demo_graph.search("Wang Junzheng").id[0])
    us = d[d.program_id == "US-GLOMAG"]
    assert list(us.announced_on) == [pd.Timestamp("2021-03-22")]
    assert list(us.source_url) == [
        "https://thehill.com/policy/international/china/544327-us-treasury-announces-sanctions-chinese-officials-uyghur-human-rights-abuses"]


def test_second_load_changes_nothing(demo_graph):
    before = counts(demo_graph)
    # The 2021 CSV set is the first version of the US list's history: found there.
    assert demo_graph.load("ofac-sdn-csv", DATA / "ofac" / "sdn.csv").written.unchanged
    # Forced, it is refused: written again it would set the list back to 2021.
    with pytest.raises(LoadError, match="older than the current one"):
        demo_graph.load("ofac-sdn-csv", DATA / "ofac" / "sdn.csv", force=True)
    # Current versions written again all the same: the counts do not move.
    assert not demo_graph.load("ca-sema-xml", DATA / "canada" / "sema-lmes_2025-09-22.xml",
                               force=True).written.unchanged
    demo_graph.load("curated", DATA / "curated", force=True)
    assert counts(demo_graph) == before


def test_corrupted_copy_fails_with_the_line_and_changes_nothing(demo_graph, tmp_path):
    for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        shutil.copy(DATA / "ofac" / name, tmp_path / name)
    lines = (tmp_path / "sdn.csv").read_bytes().split(b"\r\n")
    lines[4999] = lines[4999][:-5]  # a row that ends inside a quoted field
    lines[5000] = b"\xff\xfe\x00garbage"
    (tmp_path / "sdn.csv").write_bytes(b"\r\n".join(lines))
    before = counts(demo_graph)
    with pytest.raises(LoadError) as e:
        demo_graph.load("ofac-sdn-csv", tmp_path / "sdn.csv")
    assert "sdn.csv" in str(e.value) and e.value.line in (5000, 5001)
    assert counts(demo_graph) == before


def test_cli_search_and_bad_input(demo_graph, cli_env, tmp_path):
    out = subprocess.run([sys.executable, "-m", "graph", "search", "chen quanguo", "--limit", "3"],
                         env=cli_env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1].split()[0] == "us-ofac-sdn:29220"
    bad = tmp_path / "sdn.csv"
    bad.write_bytes(b'1,"X",-0- \r\n')
    out = subprocess.run([sys.executable, "-m", "graph", "load", "ofac-sdn-csv", str(bad)],
                         env=cli_env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert out.stderr.strip() == f"error: {bad}, line 1: expected 12 columns, found 3"
