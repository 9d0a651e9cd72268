"""Entity profile (?id=): first the answer, one line per state: who designated the target,
when (the date with its basis), under which program, the record id and the official
source; or which list of what date says it did not, or that no list of that state is
loaded. Then who the target is, every designation in detail with a timeline, why the
lists' records are one entity, and the network around it."""

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import viz
from app_pages.common import (
    ENTITY_PAGE,
    GAPS_PAGE,
    NETWORK_PAGE,
    SEARCH_PAGE,
    cached,
    entity_table,
    join_lists,
)
from graph import briefing, dates

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
    st.warning(
        f"No entity has the id “{entity_id}”: a later load may have joined it to "
        "another. Search for it by name."
    )
    st.page_link(SEARCH_PAGE, label="Search", icon=":material/search:")
    st.stop()
entity_id = entity["id"]

st.title(entity["name"])
st.caption(
    f"{entity.get('kind') or 'Entity'} · `{entity_id}` · from " + ", ".join(entity.get("datasets") or [])
)
if query:
    others = cached.search(query)
    others = others[others.id != entity_id]
    if not others.empty:
        typed = " ".join(query.split())  # a pasted page must not fill the screen
        typed = typed if len(typed) <= 80 else typed[:79].rstrip() + "…"
        with st.expander(f"{len(others)} other matches for “{typed}”"):
            entity_table(
                others[["id", "name", "kind", "jurisdictions", "score"]],
                key="others",
                column_config={"jurisdictions": st.column_config.ListColumn("listed by")},
            )

# -- who designated it: the answer first, readable at any width ----------------------------
BADGES = {
    "designated": ":green-badge[designated]",
    "delisted": ":orange-badge[delisted]",
    "other program": ":blue-badge[designated]",
    "not designated": ":red-badge[not designated]",
    "no list": ":gray-badge[no list loaded]",
    "not known": ":gray-badge[not known]",
}


def source_link(link: briefing.Link) -> str:
    if link.kind == "none":
        return "no source URL recorded"
    text = f"[{link.label}]({link.url})"
    return text + " (no official announcement known)" if link.kind == "secondary" else text


def action_line(a: briefing.Action) -> str:
    record = (
        f"record `{a.record_id}`{briefing.moved(a.moved_from, a.moved_to)}" if a.record_id else "no record id"
    )
    delisted = f" → {a.delisted}" if a.delisted else ""
    return f"{a.date}{delisted} · {briefing.escape_markdown(a.program)} · {record} · {source_link(a.link)}"


designations = cached.designations(entity_id)
coverage = cached.coverage()
loaded = list(coverage[coverage.status != "no list"].jurisdiction)
acted = [j for j in dict.fromkeys(designations.jurisdiction) if j not in loaded]
st.subheader("Who designated it")
lines = []
for line in briefing.state_lines(
    designations, coverage, loaded + acted, undecided=cached.undecided([entity_id])
):
    head = f"- **{briefing.escape_markdown(line.name)} ({line.jurisdiction})** {BADGES[line.state]} "
    if not line.actions:
        # The badge says "not designated" or "not known": the text says what it rests on.
        lines.append(head + line.text.replace("not designated by", "by", 1).removeprefix("not known: "))
    elif len(line.actions) == 1:
        lines.append(head + action_line(line.actions[0]))
    else:
        lines += [head] + [f"  - {action_line(a)}" for a in line.actions]
    for said in (line.text if line.actions else "", line.doubt):
        if said:
            lines.append(f"  - :orange[{briefing.escape_markdown(said)}]")
unloaded = coverage[(coverage.status == "no list") & ~coverage.jurisdiction.isin(acted)]
if not unloaded.empty:
    lines.append(
        f"- {BADGES['no list']} "
        + ", ".join(f"{n} ({j})" for j, n in zip(unloaded.jurisdiction, unloaded.name))
        + ": whether they designated it is not known here."
    )
st.markdown("\n".join(lines))
st.caption(
    "Dates say where they come from (hover “designated” in the table below). A link is "
    "the official **announcement** where one is loaded, else the official **list**; a "
    "secondary source is named as such. A state without a designation says which list of "
    "what date that rests on, or that it is not known: where one of its records may be "
    "this target, left for a person to review."
)

network = viz.combined({entity_id: cached.neighbours(entity_id, per_type=25)})

# -- who ------------------------------------------------------------------------------------
who, roles = st.columns(2)
with who:
    st.subheader("Names and identity")
    st.markdown("\n".join(f"- {name}" for name in entity.get("names") or [entity["name"]]))
    facts = {
        "Born": dates.birth_dates_shown(entity.get("birth_dates") or [], entity["records"]),
        "Birthplace": entity.get("birth_places"),
        "Nationality": entity.get("nationalities"),
        "Country": entity.get("countries"),
        "Gender": entity.get("gender"),
    }
    st.markdown(
        "\n".join(
            f"**{label}:** {', '.join(v) if isinstance(v, list) else v}  " for label, v in facts.items() if v
        )
    )
with roles:
    st.subheader("Roles")
    for position in entity.get("positions") or []:
        st.markdown(f"- {position}")
    if not entity.get("positions"):
        st.caption("No list states a position.")

# Links across the page's width, the relation above each: a link's label is one line, and
# a long name in half the width would be cut.
linked = [
    (source, target, link)
    for source, target, link in network.edges(data=True)
    if link["type"] not in viz.DESIGNATION_EDGES and entity_id in (source, target)
]
if linked:
    st.subheader("Links")
for source, target, link in linked:
    other = target if source == entity_id else source
    arrow = "→" if source == entity_id else "←"
    role = f" ({link['role']})" if link.get("role") else ""
    st.caption(f"{arrow} {link['type'].replace('_', ' ').lower()}{role}:")
    st.page_link(ENTITY_PAGE, query_params={"id": other}, label=network.nodes[other]["name"])

# -- designations ---------------------------------------------------------------------------
st.subheader("Designations in detail")
st.page_link(
    GAPS_PAGE,
    label="Its row in the gap matrix: who designated it, who did not",
    query_params={"target": entity["name"], "regimes": "true"},
    icon=":material/grid_on:",
)
if designations.empty:
    st.info("No list designates this entity: it is in the graph because a designated target is linked to it.")
else:
    # Widths that fit 1280 px, and rows of up to four lines: the text wraps, never clipped.
    text = st.column_config.TextColumn
    st.dataframe(
        designations[
            [
                "jurisdiction",
                "program",
                "date",
                "delisted",
                "status",
                "record_id",
                "list_date",
                "source_url",
                "authority",
                "family",
            ]
        ].assign(
            family=designations.family.str.replace("_", " "),
            record_id=[
                f"{r}{briefing.moved(f, t)}" if isinstance(r, str) else r
                for r, f, t in zip(
                    designations.record_id, designations.moved_from_record, designations.moved_to_record
                )
            ],
        ),
        hide_index=True,
        key="designations",
        row_height=84,
        placeholder="",
        height=40 + 84 * min(len(designations), 10),
        column_config={
            "jurisdiction": text("state", width=50),
            "program": text("program", width=150),
            "date": text("designated", width=105, help=dates.EXPLAINED),
            "delisted": text("delisted", width=70),
            "status": text("status", width=50),
            "record_id": text("record id", width=80),
            "list_date": st.column_config.DateColumn(
                "list of", format="YYYY-MM-DD", width=85, help="the date of the list version it rests on"
            ),
            "source_url": st.column_config.LinkColumn(
                "source", display_text=r"https?://(?:www\.)?([^/]+)", width=75
            ),
            "authority": text("authority", width=80),
            "family": text("family", width=70),
        },
    )
    timeline = designations.assign(
        row=designations.jurisdiction + " · " + designations.program.fillna("?"),
        start=designations.since,
        end=designations.delisted_on.fillna(pd.Timestamp(date.today())),
        state=designations.delisted_on.map(lambda d: "in force" if pd.isna(d) else "delisted"),
    ).dropna(subset=["start"])
    if timeline.empty:
        st.caption("No designation here carries a date: the timeline is empty.")
    else:
        tooltip = [
            "jurisdiction",
            "program",
            alt.Tooltip("start:T", title="from"),
            alt.Tooltip("delisted_on:T", title="delisted"),
            "record_id",
        ]
        y = alt.Y("row:N", title=None, axis=alt.Axis(labelLimit=360))
        colour = alt.Color("jurisdiction:N", title=None, scale=alt.Scale(scheme="tableau10"))
        bars = (
            alt.Chart(timeline)
            .mark_bar(height=12, opacity=0.5)
            .encode(
                x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
                x2="end:T",
                y=y,
                color=colour,
                tooltip=tooltip,
            )
        )
        starts = (
            alt.Chart(timeline)
            .mark_point(filled=True, size=100)
            .encode(
                x="start:T",
                y=y,
                color="jurisdiction:N",
                shape=alt.Shape("state:N", title=None),
                tooltip=tooltip,
            )
        )
        st.altair_chart((bars + starts).properties(height=40 + 28 * len(timeline)), width="stretch")

# -- why one entity -------------------------------------------------------------------------
st.subheader("Why these records are one entity")
records = pd.DataFrame(entity["records"])
listed = set(records[records.status != "stub"].key)
# Each record's chain of SAME_AS evidence to the entity's first record (whose key is the
# entity's id); together they are every join the resolver, or data/resolution.yaml, made.
joins = {
    (step["from"], step["to"]): step
    for key in sorted(listed - {entity_id})
    if entity_id in listed
    for step in cached.explain_match(entity_id, key)["chain"]
}
if joins:
    joined = pd.DataFrame(joins.values(), columns=["from", "to", "method", "score", "features"])
    # The evidence as text that wraps (a list column's pills would run off the table).
    st.dataframe(
        joined.assign(evidence=joined.features.map("; ".join)),
        hide_index=True,
        key="joins",
        row_height=105,
        column_config={
            "from": st.column_config.TextColumn("from", width=140),
            "to": st.column_config.TextColumn("to", width=140),
            "method": st.column_config.TextColumn("method", width=70),
            "score": st.column_config.ProgressColumn(
                "score", min_value=0, max_value=1, format="%.2f", width=90
            ),
            "features": None,
            "evidence": st.column_config.TextColumn("evidence", width=360),
        },
    )
else:
    st.caption("One list record describes this entity: there is nothing to join.")
st.caption(f"The {len(records)} list records, each as its list states it:")
# Lists as text that wraps, in widths that fit 1280 px.
listed_as = ["names", "birth_dates", "nationalities", "countries", "same_as"]
records["birth_dates"] = [dates.birth_dates_shown(r.get("birth_dates") or [], [r]) for r in entity["records"]]
st.dataframe(
    join_lists(records.reindex(columns=["key", "dataset", "name", *listed_as, "status"]), *listed_as),
    hide_index=True,
    key="records",
    row_height=84,
    column_config={
        "key": st.column_config.TextColumn("key", width=135),
        "dataset": st.column_config.TextColumn("dataset", width=75),
        "name": st.column_config.TextColumn("name", width=105),
        "names": st.column_config.TextColumn("names", width=150),
        "birth_dates": st.column_config.TextColumn("born", width=70),
        "nationalities": st.column_config.TextColumn("nationality", width=75),
        "countries": st.column_config.TextColumn("countries", width=65),
        "same_as": st.column_config.TextColumn("same as", width=95),
        "status": st.column_config.TextColumn("status", width=50),
    },
)

# -- network --------------------------------------------------------------------------------
st.subheader("Network")
st.page_link(
    NETWORK_PAGE,
    label="Explore it: expand nodes, filter, find paths",
    query_params={"id": entity_id},
    icon=":material/hub:",
)
clicked = viz.render(network, key="profile-network", height=460)
if clicked == f"{viz.MORE}{entity_id}":
    st.switch_page(NETWORK_PAGE, query_params={"id": entity_id, "all": entity_id})
if clicked and clicked != entity_id and viz.is_entity(network, clicked):
    st.switch_page(NETWORK_PAGE, query_params={"id": entity_id, "open": clicked})
