"""Exports: GraphML and GEXF open in networkx with every node, CSV holds nodes and edges
(on the case graph), and an FtM export loads back into an empty database with the same
counts."""

import json

import networkx as nx
import pandas as pd
import pytest
import yaml

from conftest import DATA, ON_THE_CASE_GRAPH, wipe
from graph.exc import InvalidInput

NETWORK = """
CALL () { MATCH (n) WHERE n:Entity OR n:Program OR n:Jurisdiction OR n:Call RETURN count(n) AS nodes }
CALL () { MATCH (:Designation)-[:TARGETS]->(:Entity) RETURN count(*) AS designations }
CALL () { MATCH (:Entity)-[l]->(:Entity) WHERE type(l) IN $links RETURN count(l) AS links }
CALL () { MATCH (:Program) RETURN count(*) AS programs }
CALL () { MATCH (:Call)-[r:NAMES|URGES]->() RETURN count(r) AS named_urged }
CALL () { MATCH (:Entity)-[r:SIGNED]->(:Call) RETURN count(r) AS signed }
RETURN nodes, designations + links + programs + named_urged + signed AS edges, signed
"""
COUNTS = """
CALL () { MATCH (e:Entity) RETURN count(e) AS entities }
CALL () { MATCH (d:Designation) RETURN count(d) AS designations }
CALL () { MATCH (:Entity)-[l]->(:Entity) WHERE type(l) IN $links RETURN count(l) AS links }
RETURN entities, designations, links
"""
LINKS = ["LINKED_TO", "LEADS", "MEMBER_OF", "OWNS", "FAMILY_OF", "ASSOCIATE_OF", "PART_OF"]


def curated_signatures() -> int:
    """How many (organisation, call) signatures the curated case names."""
    calls = yaml.safe_load((DATA / "curated" / "xinjiang.yaml").read_text(encoding="utf-8"))["calls"]
    return len({(key, call["id"]) for call in calls for key in call.get("signatories", [])})


@pytest.fixture
def expected(case_graph):
    counts = case_graph.read(NETWORK, links=LINKS)[0]
    # Every signature is a SIGNED edge (none was once written, and exports of 0 = 0 passed).
    assert counts["signed"] == curated_signatures() == 8
    return counts


# The formats are checked on the case graph: every kind of node and edge is in it, and
# writing and reading the whole demo graph took a minute of a test run.
@ON_THE_CASE_GRAPH
@pytest.mark.parametrize("format, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_open_in_networkx(case_graph, expected, tmp_path, format, read):
    written = case_graph.export(tmp_path / f"graph.{format}", format)
    graph = read(written[0])
    assert graph.number_of_nodes() == expected["nodes"]
    assert graph.number_of_edges() == expected["edges"]
    assert sum(1 for *_, d in graph.edges(data=True) if d.get("relationship") == "SIGNED") == expected["signed"]
    chen = case_graph.entity("us-ofac-sdn:29220")["id"]
    if format == "graphml":
        assert graph.nodes[chen]["label"] == "CHEN, Quanguo" and graph.nodes[chen]["kind"] == "Person"
        glomag = [d for _, v, d in graph.out_edges(chen, data=True) if v == "US-GLOMAG"]
        assert [d["announced_on"] for d in glomag] == ["2020-07-09"]
        assert graph.nodes["US-GLOMAG"]["kind"] == "Program"
    else:
        assert graph.nodes[chen]["label"] == "CHEN, Quanguo"


@ON_THE_CASE_GRAPH
def test_csv_nodes_and_edges(case_graph, expected, tmp_path):
    nodes, edges = case_graph.export(tmp_path / "csv", "csv")
    assert (nodes.name, edges.name) == ("nodes.csv", "edges.csv")
    nodes, edges = pd.read_csv(nodes), pd.read_csv(edges)
    assert len(nodes) == expected["nodes"] and len(edges) == expected["edges"]
    assert list(nodes.columns[:3]) == ["id", "label", "kind"]
    assert list(edges.columns[:5]) == ["source", "target", "id", "label", "relationship"]
    assert set(edges.relationship) >= {"DESIGNATED_UNDER", "OF", "LEADS", "LINKED_TO", "NAMES", "URGES"}
    assert (edges.relationship == "SIGNED").sum() == expected["signed"]


def test_unknown_format_is_refused(demo_graph, tmp_path):
    with pytest.raises(InvalidInput, match="unknown export format 'xml'; choose one of csv, graphml, gexf, ftm"):
        demo_graph.export(tmp_path / "graph.xml", "xml")


def test_ftm_export_loads_back_with_the_same_counts(empty_graph, tmp_path):
    g = empty_graph
    for kind, path in (("eu-oj-csv", DATA / "eu" / "eu_oj_32020R1998.csv"),
                       ("uk-fcdo-xml", DATA / "uk" / "uk_sanctions_list_sample_2026-09-10.xml"),
                       ("ftm", DATA / "opensanctions" / "zala_entities.ftm.json"),
                       ("curated", DATA / "curated")):
        g.load(kind, path)
    before = g.read(COUNTS, links=LINKS)[0]
    assert before["links"] > 0 and before["designations"] > 100
    zhu = g.designations("eu-oj-2020-1998:I.A-5")
    path = g.export(tmp_path / "graph.ftm.json", "ftm")[0]
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    schemata = pd.Series([e["schema"] for e in lines]).value_counts()
    assert schemata["Sanction"] == before["designations"]

    wipe(g)
    report = g.load("ftm", path)
    assert report.dataset == "ftm-graph"
    assert g.read(COUNTS, links=LINKS)[0] == before
    again = g.designations(g.search("Zhu Hailun").id[0])
    assert sorted(again.jurisdiction) == sorted(zhu.jurisdiction) == ["EU", "US"]
    eu = lambda d: list(d[d.jurisdiction == "EU"].listed_on)  # noqa: E731
    assert eu(again) == eu(zhu) == [pd.Timestamp("2021-03-22")]
