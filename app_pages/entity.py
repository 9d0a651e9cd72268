"""Entity profile (?id=): who the target is, every designation by every state with its
dates and source, a timeline of them, why the lists' records are one entity, and the
network around it."""

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import (ENTITY_PAGE, GAPS_PAGE, NETWORK_PAGE, SEARCH_PAGE, cached,
                              entity_table)
from graph import dates, viz

entity_id = st.query_params.get("id")
query = st.query_params.get("search")
if not entity_id:
    st.title("Entity profile")
    st.info("Search for a person, an organisation or a vessel first.")
    st.page_link(SEARCH_PAGE, label="Search", icon=":material/search:")
    st.stop()
entity = cached.entity(entity_id)
if entity is None:
    st.title("Entity profile")
    st.warning(f"No entity has the id “{entity_id}”: a later load may have joined it to "
               "another. Search for it by name.")
    st.page_link(SEARCH_PAGE, label="Search", icon=":material/search:")
    st.stop()
entity_id = entity["id"]

st.title(entity["name"])
st.caption(f"{entity.get('kind') or 'Entity'} · `{entity_id}` · from "
           + ", ".join(entity.get("datasets") or []))
if query:
    others = cached.search(query)
    others = others[others.id != entity_id]
    if not others.empty:
        with st.expander(f"{len(others)} other matches for “{query}”"):
            entity_table(others[["id", "name", "kind", "jurisdictions", "score"]], key="others",
                         column_config={"jurisdictions": st.column_config.ListColumn("listed by")})

network = viz.combined({entity_id: cached.neighbours(entity_id, per_type=25)})

# -- who ------------------------------------------------------------------------------------
who, roles = st.columns(2)
with who:
    st.subheader("Names and identity")
    st.markdown("\n".join(f"- {name}" for name in entity.get("names") or [entity["name"]]))
    facts = {
        "Born": entity.get("birth_dates"), "Birthplace": entity.get("birth_places"),
        "Nationality": entity.get("nationalities"), "Country": entity.get("countries"),
        "Gender": entity.get("gender"),
    }
    st.markdown("\n".join(f"**{label}:** {', '.join(v) if isinstance(v, list) else v}  "
                          for label, v in facts.items() if v))
with roles:
    st.subheader("Roles and links")
    for position in entity.get("positions") or []:
        st.markdown(f"- {position}")
    for source, target, link in network.edges(data=True):
        if link["type"] in viz.DESIGNATION_EDGES or entity_id not in (source, target):
            continue
        other = target if source == entity_id else source
        arrow = "→" if source == entity_id else "←"
        role = f" ({link['role']})" if link.get("role") else ""
        st.page_link(ENTITY_PAGE, query_params={"id": other},
                     label=f"{arrow} {link['type'].replace('_', ' ').lower()}{role}: "
                           f"{network.nodes[other]['name']}")

# -- designations ---------------------------------------------------------------------------
st.subheader("Designations")
st.page_link(GAPS_PAGE, label="Its row in the gap matrix: who designated it, who did not",
             query_params={"target": entity["name"], "regimes": "true"}, icon=":material/grid_on:")
designations = cached.designations(entity_id)
if designations.empty:
    st.info("No list designates this entity: it is in the graph because a designated "
            "target is linked to it.")
else:
    st.dataframe(
        designations[["jurisdiction", "program", "date", "delisted", "status", "record_id",
                      "list_date", "source_url", "authority", "family"]],
        hide_index=True, key="designations",
        column_config={
            "date": st.column_config.TextColumn("designated", width="medium",
                                                help=dates.EXPLAINED),
            "list_date": st.column_config.DateColumn("list of", format="YYYY-MM-DD",
                                                     help="the date of the list version it rests on"),
            "record_id": "record id",
            "source_url": st.column_config.LinkColumn("source", display_text=r"https?://(?:www\.)?([^/]+)"),
        })
    timeline = designations.assign(
        row=designations.jurisdiction + " · " + designations.program.fillna("?"),
        start=designations.since,
        end=designations.delisted_on.fillna(pd.Timestamp(date.today())),
        state=designations.delisted_on.map(lambda d: "in force" if pd.isna(d) else "delisted"),
    ).dropna(subset=["start"])
    if timeline.empty:
        st.caption("No designation here carries a date: the timeline is empty.")
    else:
        tooltip = ["jurisdiction", "program", alt.Tooltip("start:T", title="from"),
                   alt.Tooltip("delisted_on:T", title="delisted"), "record_id"]
        y = alt.Y("row:N", title=None, axis=alt.Axis(labelLimit=360))
        colour = alt.Color("jurisdiction:N", title=None, scale=alt.Scale(scheme="tableau10"))
        bars = alt.Chart(timeline).mark_bar(height=12, opacity=0.5).encode(
            x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            x2="end:T", y=y, color=colour, tooltip=tooltip)
        starts = alt.Chart(timeline).mark_point(filled=True, size=100).encode(
            x="start:T", y=y, color="jurisdiction:N", shape=alt.Shape("state:N", title=None),
            tooltip=tooltip)
        st.altair_chart((bars + starts).properties(height=40 + 28 * len(timeline)), width="stretch")

# -- why one entity -------------------------------------------------------------------------
st.subheader("Why these records are one entity")
records = pd.DataFrame(entity["records"])
listed = set(records[records.status != "stub"].key)
# Each record's chain of SAME_AS evidence to the entity's first record (whose key is the
# entity's id); together they are every join the resolver, or data/resolution.yaml, made.
joins = {(step["from"], step["to"]): step
         for key in sorted(listed - {entity_id}) if entity_id in listed
         for step in cached.explain_match(entity_id, key)["chain"]}
if joins:
    st.dataframe(pd.DataFrame(joins.values(), columns=["from", "to", "method", "score", "features"]),
                 hide_index=True, key="joins",
                 column_config={"score": st.column_config.ProgressColumn("score", min_value=0, max_value=1,
                                                                         format="%.2f"),
                                "features": st.column_config.ListColumn("evidence", width="large")})
else:
    st.caption("One list record describes this entity: there is nothing to join.")
st.caption(f"The {len(records)} list records, each as its list states it:")
st.dataframe(records.reindex(columns=["key", "dataset", "name", "names", "birth_dates",
                                      "nationalities", "countries", "same_as", "status"]),
             hide_index=True, key="records",
             column_config={c: st.column_config.ListColumn(c.replace("_", " "))
                            for c in ("names", "birth_dates", "nationalities", "countries", "same_as")})

# -- network --------------------------------------------------------------------------------
st.subheader("Network")
st.page_link(NETWORK_PAGE, label="Explore it: expand nodes, filter, find paths",
             query_params={"id": entity_id}, icon=":material/hub:")
clicked = viz.render(network, key="profile-network", height=460)
if clicked == f"{viz.MORE}{entity_id}":
    st.switch_page(NETWORK_PAGE, query_params={"id": entity_id, "all": entity_id})
if clicked and clicked != entity_id and viz.is_entity(network, clicked):
    st.switch_page(NETWORK_PAGE, query_params={"id": entity_id, "open": clicked})
