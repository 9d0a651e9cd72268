"""Network explorer (?id=, ?open=…): the links around an entity. Click a node to expand
it, a "N more" node to show all its links; filter by relationship type and by the
jurisdictions that designated; find the shortest path between two entities; download
what is shown as GraphML."""

import streamlit as st

from app_pages import viz
from app_pages.common import cached, case_list_filter, entity_picker
from graph.export import graphml
from graph.model import model

#: Links shown at most when a "N more" node asks for all of a node's links.
ALL_LINKS = 1000
#: A case list's targets the picture starts from, at most.
CASE_STARTS = 30

st.title("Network")
focus_box, case_box = st.columns([2, 1])
with focus_box:
    focus = entity_picker("Start from", "id")
case = case_list_filter(case_box)
# With a case list, the picture starts from each of its targets (and the entity chosen).
listed = cached.case_list(case) if case else None
if case and listed is None:
    st.warning(f"No case list has the id “{case}”.")
members = [m for m in listed["targets"].id if m != focus][:CASE_STARTS] if listed else []
if not focus and not members:
    st.info("Choose an entity to start from: type a name and press Enter; or choose a case list.")
    st.stop()
starts = [focus] * bool(focus) + members

types_box, jurisdictions_box, cap_box = st.columns([3, 2, 1])
link_types = [*model().links, "DESIGNATED_UNDER"]
types = types_box.pills(
    "Relationships",
    link_types,
    selection_mode="multi",
    default=link_types,
    key="rel",
    bind="query-params",
    format_func=lambda t: t.replace("_", " ").lower(),
)
jurisdictions = jurisdictions_box.multiselect(
    "Designated by",
    list(model().jurisdictions),
    key="jur",
    bind="query-params",
    placeholder="any jurisdiction, or none",
)
cap = cap_box.number_input(
    "Links per type",
    min_value=5,
    max_value=500,
    value=25,
    step=5,
    key="cap",
    bind="query-params",
    help="at most this many links of each type per node; the rest show as one “N more” node",
)

opened = [n for n in st.query_params.get_all("open") if n not in starts]
showing_all = set(st.query_params.get_all("all"))
around = {
    node: cached.neighbours(
        node,
        per_type=ALL_LINKS if node in showing_all else cap,
        limit=ALL_LINKS,
        types=[t for t in types if t in model().links],
        designations="DESIGNATED_UNDER" in types,
    )
    for node in [*starts, *opened]
}
picture = viz.combined(around)
shown = viz.filtered(picture, jurisdictions=jurisdictions or None, keep=[*starts, *opened])
entities = sum(1 for n in shown if viz.is_entity(shown, n))
st.caption(
    f"{entities} entities, {shown.number_of_edges()} links. Click a node to expand it; "
    "the side panel shows its details."
)
clicked = viz.render(shown, key="network", height=640)
if clicked and clicked.startswith(viz.MORE):
    st.query_params["all"] = sorted(showing_all | {clicked.removeprefix(viz.MORE)})
    st.rerun()
if clicked and clicked not in (*starts, *opened) and viz.is_entity(shown, clicked):
    st.query_params["open"] = [*opened, clicked]
    st.rerun()

reset, download = st.columns(2)
if (opened or showing_all) and reset.button("Back to the first picture", icon=":material/undo:"):
    for param in ("open", "all"):
        st.query_params.pop(param, None)
    st.rerun()
download.download_button(
    "Download as GraphML",
    graphml(shown),
    file_name="network.graphml",
    mime="application/xml",
    on_click="ignore",
    icon=":material/download:",
)

st.subheader("Shortest path")
start_box, end_box = st.columns(2)
with start_box:
    start = entity_picker("From", "from", default=focus)
with end_box:
    end = entity_picker("To", "to")
if start and end:
    path = cached.path(start, end)
    if path.number_of_nodes() == 0:
        st.info("No chain of links joins these two entities (within six hops).")
    else:
        viz.render(path, key="path", height=360)
