"""The network picture of the pages (not a page itself). Every use of st-link-analysis
lives in this module, so replacing the component (say, by neo4j-viz) touches this file only.

`to_elements` is pure; `render` draws and reports what was clicked.
The graphs are the client's networkx graphs: nodes carry `label` (Person, Organization,
Program, Jurisdiction, …) and `name`; edges carry `type`. A node may carry `more`: how
many of its links the picture leaves out, drawn as one "N more" node beside it.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pandas as pd
import streamlit as st
from st_link_analysis import EdgeStyle, Event, NodeStyle, st_link_analysis

from graph.client import paths_graph as client_paths_graph
from graph.export import text_attributes
from graph.model import model

#: Prefix of the ids of the "N more" nodes; the node they stand beside follows it.
MORE = "more:"
#: The node attributes in which the client counts the links a network leaves out.
MORE_KEYS = ("more", "more_by_type")
#: Edge types the client's network graphs use beside the entity links of the model.
DESIGNATION_EDGES = ("DESIGNATED_UNDER", "OF")

NODE_STYLES = [
    NodeStyle("Person", "#2A629A", "name", "person"),
    NodeStyle("Organization", "#E07B39", "name", "account_balance"),
    NodeStyle("Vessel", "#3D8D7A", "name", "local_shipping"),
    NodeStyle("Aircraft", "#3D8D7A", "name", "flight"),
    NodeStyle("Entity", "#6B7280", "name", "badge"),
    NodeStyle("Program", "#8E7DBE", "name", "description"),
    NodeStyle("Jurisdiction", "#B91C1C", "name", "flag"),
    NodeStyle("More", "#9CA3AF", "name", "group"),
]


class ReadableNames:
    """Node names readable without zooming in: the component's own style hides labels
    smaller than 10 px on screen, so a picture of twenty nodes showed no names at all.
    Passed among the node styles, which come after the component's defaults."""

    def dump(self) -> dict:
        return {"selector": "node", "style": {"min-zoomed-font-size": 0, "font-size": 7}}


NODE_STYLES.append(ReadableNames())
# labeled=None: the component warns about its deprecated `labeled` unless it is None.
EDGE_STYLES = [
    EdgeStyle(t, caption="label", directed=True, labeled=None)
    for t in [*model().links, *DESIGNATION_EDGES, "MORE"]
]
# fcose lays out a few hundred nodes in seconds in a software-rendered browser; no
# animation, so a picture is final as soon as it appears.
LAYOUT = {"name": "fcose", "animate": False, "fit": True, "padding": 20, "nodeDimensionsIncludeLabels": True}
CLICK = Event("clicked_node", "click tap", "node")


def to_elements(graph: nx.MultiDiGraph) -> dict:
    """The component's elements for `graph`: every attribute shown in its side panel."""
    nodes, edges = [], []
    for node, attrs in graph.nodes(data=True):
        nodes.append(
            {
                "data": {
                    **text_attributes(attrs),
                    "id": node,
                    "label": attrs.get("label") or "Entity",
                    "name": attrs.get("name") or node,
                }
            }
        )
        if attrs.get("more"):
            more = f"{MORE}{node}"
            nodes.append({"data": {"id": more, "label": "More", "name": f"{attrs['more']} more"}})
            edges.append({"data": {"id": f"{more}>", "label": "MORE", "source": node, "target": more}})
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        edges.append(
            {
                "data": {
                    **text_attributes(attrs),
                    "id": f"{source}>{key}>{target}",
                    "label": attrs.get("type") or key,
                    "source": source,
                    "target": target,
                }
            }
        )
    return {"nodes": nodes, "edges": edges}


def render(graph: nx.MultiDiGraph, key: str, height: int = 560) -> str | None:
    """Draw `graph`; return the id of the node the user has just clicked (or asked to
    expand with a double-click or the expand button), else None."""
    # The component lays the picture out again only when the layout changes: naming the
    # node count in it gets a grown picture (a node expanded) laid out anew, not stacked.
    layout = {**LAYOUT, "nodes": graph.number_of_nodes()}
    event = st_link_analysis(
        to_elements(graph),
        layout=layout,
        node_styles=NODE_STYLES,
        edge_styles=EDGE_STYLES,
        height=height,
        key=key,
        node_actions=["expand"],
        events=[CLICK],
    )
    return _new_click(event, key)


def _new_click(event: dict | None, key: str) -> str | None:
    # The component returns its last event on every rerun: act on each one once.
    if not event or st.session_state.get(f"{key}.seen") == event.get("timestamp"):
        return None
    st.session_state[f"{key}.seen"] = event.get("timestamp")
    data = event.get("data") or {}
    if event.get("action") == "expand":
        return next(iter(data.get("node_ids") or []), None)
    return data.get("target_id")


def combined(networks: dict[str, nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """One picture of the networks around several centres (centre id → its network).
    "N more" stays beside the centres only: elsewhere it would count links that another
    centre's network may already show."""
    picture = nx.compose_all(networks.values())
    for node in picture:
        for key in MORE_KEYS:
            picture.nodes[node].pop(key, None)
    for centre, network in networks.items():
        if centre in network:
            picture.nodes[centre].update(
                {k: network.nodes[centre][k] for k in MORE_KEYS if k in network.nodes[centre]}
            )
    return picture


def filtered(
    graph: nx.MultiDiGraph, jurisdictions: Iterable[str] | None = None, keep: Iterable[str] = ()
) -> nx.MultiDiGraph:
    """`graph` with only the entities designated by one of `jurisdictions` (None: no
    filter) and those jurisdictions' programs. Nodes in `keep` stay in any case."""
    if jurisdictions is None:
        return graph
    jurisdictions, keep = set(jurisdictions), set(keep)
    shown = graph.copy()
    for node in graph:
        if is_entity(graph, node) and node not in keep and not designated_by(graph, node) & jurisdictions:
            shown.remove_node(node)
    shown.remove_nodes_from(
        [n for n, label in graph.nodes(data="label") if label == "Jurisdiction" and n not in jurisdictions]
    )
    # Programs left without a jurisdiction or without anyone they designate go too.
    shown.remove_nodes_from(
        [
            n
            for n, label in list(shown.nodes(data="label"))
            if label == "Program" and not (shown.in_degree(n) and shown.out_degree(n))
        ]
    )
    return shown


def designated_by(graph: nx.MultiDiGraph, node: str) -> set[str]:
    """The jurisdictions whose programs designate `node` in `graph`."""
    return {
        j
        for p in graph.successors(node)
        if graph.nodes[p].get("label") == "Program"
        for j in graph.successors(p)
    }


def paths_graph(rows: pd.DataFrame) -> nx.MultiDiGraph | None:
    """The paths a query returned, as one graph (graph/client.py paths_graph), or None
    when the rows hold no paths."""
    if not {"nodes", "links"} <= set(rows.columns):
        return None
    return client_paths_graph(rows.to_dict("records"))


def is_entity(graph: nx.MultiDiGraph, node: str) -> bool:
    """Whether `node` is a target (a person, an organisation, …), not a program or a state."""
    return graph.nodes[node].get("label") not in ("Program", "Jurisdiction")
