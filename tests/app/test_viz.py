"""app_pages/viz.py's pure functions: the component's elements, "N more", filters; the
picture's GraphML (graph/export.py)."""

import io

import networkx as nx
import pandas as pd

from app_pages import viz
from graph.export import graphml


def network(centre: str = "chen", more: int = 0) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("chen", label="Person", name="CHEN, Quanguo")
    g.add_node("xpcc", label="Organization", name="XPCC")
    g.add_node("US-GLOMAG", label="Program", name="Global Magnitsky")
    g.add_node("US", label="Jurisdiction", name="United States")
    g.add_node("CA-CHINA", label="Program", name="SEMA China")
    g.add_node("CA", label="Jurisdiction", name="Canada")
    g.add_edge("chen", "xpcc", key="LEADS:curated", type="LEADS", role="First Political Commissar")
    g.add_edge("chen", "US-GLOMAG", key="DESIGNATED_UNDER", type="DESIGNATED_UNDER", date="2020-07-09")
    g.add_edge("xpcc", "US-GLOMAG", key="DESIGNATED_UNDER", type="DESIGNATED_UNDER", date="2020-07-31")
    g.add_edge("chen", "CA-CHINA", key="DESIGNATED_UNDER", type="DESIGNATED_UNDER", date="2024-12-09")
    g.add_edge("US-GLOMAG", "US", key="OF", type="OF")
    g.add_edge("CA-CHINA", "CA", key="OF", type="OF")
    if more:
        g.nodes[centre].update(more=more, more_by_type={"LINKED_TO": more})
    return g


def test_elements_carry_labels_names_and_every_attribute():
    elements = viz.to_elements(network(more=3))
    nodes = {n["data"]["id"]: n["data"] for n in elements["nodes"]}
    assert nodes["chen"]["label"] == "Person" and nodes["chen"]["name"] == "CHEN, Quanguo"
    assert nodes["more:chen"] == {"id": "more:chen", "label": "More", "name": "3 more"}
    edges = {(e["data"]["source"], e["data"]["label"], e["data"]["target"]): e["data"]
             for e in elements["edges"]}
    assert edges[("chen", "LEADS", "xpcc")]["role"] == "First Political Commissar"
    assert ("chen", "MORE", "more:chen") in edges
    assert len({e["data"]["id"] for e in elements["edges"]}) == len(elements["edges"])


def test_n_more_stays_beside_the_centres_only():
    around_chen, around_xpcc = network(more=3), network("xpcc", more=9)
    around_xpcc.nodes["chen"]["more"] = 2  # counted from the XPCC: links the picture may show
    picture = viz.combined({"chen": around_chen, "xpcc": around_xpcc})
    assert picture.nodes["chen"]["more"] == 3 and picture.nodes["xpcc"]["more"] == 9
    assert "more" not in viz.combined({"xpcc": network(more=3)}).nodes["chen"]


def test_filter_by_jurisdiction_keeps_its_designations_and_the_kept_nodes():
    canada = viz.filtered(network(), jurisdictions=["CA"], keep=["chen"])
    assert set(canada) == {"chen", "CA-CHINA", "CA"}
    assert viz.filtered(network(), jurisdictions=["US"]).nodes.keys() >= {"chen", "xpcc", "US"}
    unfiltered = network()
    assert viz.filtered(unfiltered, jurisdictions=None) is unfiltered
    assert viz.designated_by(network(), "chen") == {"US", "CA"}


def test_graphml_opens_in_networkx_with_every_node():
    g = network(more=3)
    g.nodes["chen"]["names"] = ["CHEN, Quanguo", "陈全国"]
    g.nodes["xpcc"]["notes"] = None
    back = nx.read_graphml(io.StringIO(graphml(g)))
    assert set(back) == set(g) and back.number_of_edges() == g.number_of_edges()
    # As in the exports: names hold commas, so the items of a list are joined by "; ".
    assert back.nodes["chen"]["names"] == "CHEN, Quanguo; 陈全国"
    assert back.nodes["chen"]["more"] == "3" and "notes" not in back.nodes["xpcc"]


def test_rows_of_paths_become_one_graph():
    rows = pd.DataFrame({
        "hops": [2],
        "nodes": [[{"id": "a", "name": "A", "kind": "Person"}, {"id": "x", "name": "X", "kind": None},
                   {"id": "b", "name": "B", "kind": "Person"}]],
        "links": [[{"type": "LEADS", "from": "a", "to": "x", "role": None},
                   {"type": "LINKED_TO", "from": "b", "to": "x", "role": None}]],
    })
    g = viz.paths_graph(rows)
    assert list(g.edges(keys=True)) == [("a", "x", "LEADS"), ("b", "x", "LINKED_TO")]
    assert g.nodes["x"]["label"] == "Entity"
    assert viz.paths_graph(pd.DataFrame({"hops": [1]})) is None
