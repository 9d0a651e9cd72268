"""What changed (?since=…&family=…&jur=…): the lists' changes since a day on a timeline per
state — targets added, removed, moved between schedules, amended —, the new gaps (targets a
state designated since then, and the states that have not yet) and the closed ones (states
that followed, with the lag). Every filter is in the URL; CSV and Atom downloads."""

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import (
    cached,
    country_control,
    date_basis_control,
    entity_table,
    family_control,
    graph,
    join_lists,
    program_control,
)
from graph import dates
from graph.feed import atom
from graph.model import model
from graph.wording import counted

#: The kinds of change, each with its colour on the timeline.
KINDS = {"added": "#16A34A", "removed": "#DC2626", "moved": "#2563EB", "amended": "#D97706"}
#: Days before the newest list loaded that "since" starts from by default.
DEFAULT_DAYS = 30

st.title("What changed")
m = model()

# The default day is a month before the newest list loaded, not before today: the lists
# are as new as their last version, and a month before today may hold nothing at all.
sources = cached.sources()
newest = sources.loc[sources.current.fillna(False).astype(bool), "published_on"].max()
newest = newest.date() if pd.notna(newest) else pd.Timestamp.today().date()

since_box, family_box, program_box, country_box = st.columns(4)
since = since_box.date_input(
    "Since",
    value=newest - timedelta(days=DEFAULT_DAYS),
    key="since",
    bind="query-params",
    format="YYYY-MM-DD",
    help=f"changes on or after this day; by default {DEFAULT_DAYS} days before the newest list "
    f"loaded ({newest:%Y-%m-%d}). A change known only as between two versions of a list "
    "counts when the newer one is on or after it",
)
family = family_control(family_box)
program = program_control(program_box, family)
country = country_control(country_box)
jurisdictions_box, kinds_box, kind_box, basis_box = st.columns([2, 2, 1, 1])
jurisdictions = jurisdictions_box.multiselect(
    "Jurisdictions",
    list(m.jurisdictions),
    default=[],
    key="jur",
    bind="query-params",
    placeholder="every one",
    help="the states whose changes are shown, and who is expected to follow a designation",
)
kinds = kinds_box.multiselect(
    "Changes",
    list(KINDS),
    default=[],
    key="what",
    bind="query-params",
    placeholder="every kind",
    help="added, removed, moved between schedules (a renumbering, not a "
    "delisting), amended (names a newer version no longer lists)",
)
kind = kind_box.selectbox(
    "Kind", m.entity_kinds, index=None, key="kind", bind="query-params", placeholder="any"
)
date_basis = date_basis_control(basis_box)
country_regimes = st.toggle(
    "Country regimes count too",
    key="regimes",
    bind="query-params",
    help="with a family: designations under country regimes count as well (Canada listed "
    "the 2021 Xinjiang officials under SEMA China, not its Magnitsky law)",
)

if since is None:
    st.info("Choose the day to look from.")
    st.stop()
filters = {
    "family": family,
    "program": program,
    "country": country,
    "kind": kind,
    "jurisdictions": jurisdictions or None,
    "include_country_regimes": country_regimes,
    "date_basis": date_basis,
}
changes = cached.changes(since, kinds=kinds or None, **filters)
chosen = {
    "family": family,
    "program": program,
    "country": country,
    "kind": kind,
    "jurisdictions": ", ".join(jurisdictions),
    "changes": ", ".join(kinds),
}
described = ", ".join(f"{k}: {v}" for k, v in chosen.items() if v) or "no filter"
st.caption(f"Since {since:%Y-%m-%d} ({described}). " + dates.EXPLAINED)

# -- the changes -------------------------------------------------------------------------

if changes.empty:
    st.info(f"No change since {since:%Y-%m-%d} among the lists loaded for these filters.")
else:
    counts = changes.kind.value_counts()
    for box, k in zip(st.columns(len(KINDS)), KINDS):
        box.metric(k, f"{counts.get(k, 0):,}")

    # The timeline: a dot per day, state and kind of change, as large as the changes it
    # holds; a change known only as between two versions is a hollow dot at the newer one
    # with a line back to the older (from `since` at most), never a day it does not have.
    day = pd.Timestamp(since)
    timeline = changes.assign(
        exact=changes.basis.isin(dates.EXACT),
        start=[
            max(a + pd.Timedelta(days=1), day) if pd.notna(a) else d
            for a, d in zip(changes["after"], changes["date"])
        ],
    )
    timeline = (
        timeline.groupby(["jurisdiction", "kind", "date", "start", "exact", "when"], dropna=False)
        .agg(
            n=("id", "size"),
            names=(
                "name",
                lambda s: "; ".join(s.head(5)) + (f" … and {len(s) - 5:,} more" if len(s) > 5 else ""),
            ),
        )
        .reset_index()
    )
    colour = alt.Color(
        "kind:N", title="change", scale=alt.Scale(domain=list(KINDS), range=list(KINDS.values()))
    )
    base = alt.Chart(timeline).encode(
        y=alt.Y("jurisdiction:N", title=None),
        yOffset=alt.YOffset("kind:N"),
        color=colour,
        tooltip=[
            "jurisdiction",
            "kind",
            alt.Tooltip("when:N", title="date"),
            alt.Tooltip("n:Q", title="changes"),
            "names",
        ],
    )
    ranges = (
        base.transform_filter("!datum.exact")
        .mark_rule(opacity=0.45, strokeWidth=2)
        .encode(x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y-%m-%d")), x2="date:T")
    )
    exact = (
        base.transform_filter("datum.exact")
        .mark_circle(opacity=0.8)
        .encode(x="date:T", size=alt.Size("n:Q", title="changes"))
    )
    bounded = (
        base.transform_filter("!datum.exact")
        .mark_point(filled=False, strokeWidth=2)
        .encode(x="date:T", size=alt.Size("n:Q", title="changes"))
    )
    st.altair_chart(alt.layer(ranges, exact, bounded), width="stretch")
    st.caption(
        "Filled: the day is known (listed or announced). Hollow, with a line: the change "
        "appeared between two versions of the list, after the line's start and by the dot. "
        "Click a row to open the target's profile."
    )

    table = changes[
        ["id", "when", "kind", "jurisdiction", "program", "name", "record_id", "detail", "source_url"]
    ]
    entity_table(
        table,
        key="changes",
        column_config={
            "when": st.column_config.TextColumn("date", width="medium"),
            "source_url": st.column_config.LinkColumn("source", display_text="list"),
        },
    )
    csv_box, atom_box, _ = st.columns([1, 1, 4])
    # The files are made when a button is clicked, not on every run of the page.
    csv_box.download_button(
        "Download CSV",
        lambda: changes.to_csv(index=False),
        file_name="changes.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="changes-csv",
    )
    app_url = f"http://127.0.0.1:{graph().settings.app_port}"
    atom_box.download_button(
        "Download Atom feed",
        lambda: atom(changes, since=since, filters={**chosen, "dates": date_basis}, app_url=app_url),
        file_name="changes.atom",
        mime="application/atom+xml",
        on_click="ignore",
        icon=":material/rss_feed:",
        key="changes-atom",
    )

# -- new gaps: designated since the day by one state, not (yet) by others ------------------

st.subheader("New gaps")
gaps = cached.new_gaps(since, **filters)
no_list = list(gaps.no_list.iloc[0]) if not gaps.empty else []
open_gaps = gaps[gaps.gap]
# A state whose list is older than the designation (or undated) cannot say it has not
# followed: not known, never a gap.
unknown = gaps.status.str.startswith("not known: ")
if open_gaps.empty and not unknown.any():
    st.info(
        "No target designated since this day awaits another state's designation "
        "(among the states whose lists are loaded)."
    )
else:
    # One row per target: who designated it and when, who has not yet, whose list cannot
    # tell, and who lists it under a program of another family.
    labelled = gaps.assign(
        not_yet=gaps.jurisdiction.where(gaps.gap),
        not_known=(gaps.jurisdiction + " (" + gaps.status.str.removeprefix("not known: ") + ")").where(
            unknown
        ),
        other=(gaps.jurisdiction + ": " + gaps.status.str.removeprefix("designated under ")).where(
            ~gaps.gap & ~unknown
        ),
    )
    labelled = labelled[labelled.id.isin(set(open_gaps.id) | set(gaps.id[unknown]))]
    follow_up = (
        labelled.groupby("id", sort=False)
        .agg(
            name=("name", "first"),
            target_kind=("target_kind", "first"),
            designated_by=("designated_by", "first"),
            when=("when", "first"),
            programs=("programs", "first"),
            not_yet=("not_yet", lambda s: ", ".join(s.dropna())),
            not_known=("not_known", lambda s: "; ".join(s.dropna())),
            other=("other", lambda s: "; ".join(s.dropna())),
        )
        .reset_index()
    )
    follow_up["designated"] = follow_up.designated_by.map(", ".join) + ": " + follow_up.when
    follow_up["programs"] = follow_up.programs.map(", ".join)
    follow_up = follow_up.rename(
        columns={"not_yet": "not yet", "not_known": "not known", "other": "under another program"}
    )
    waiting = sorted(open_gaps.jurisdiction.unique())
    untold = sorted(gaps.jurisdiction[unknown].unique())
    untold_targets = gaps.id[unknown].nunique()
    st.caption(
        f"{counted(len(follow_up), 'target')} designated since {since:%Y-%m-%d} by a state"
        + (f" and not (yet) by another: {', '.join(waiting)}" if waiting else "")
        + (
            f"; for {counted(untold_targets, 'target')}, not known for {', '.join(untold)}: the list "
            "loaded is older than the target's first designation, or undated and perhaps older, so it "
            "cannot say whether the state followed"
            if untold
            else ""
        )
        + (f"; no list of {', '.join(no_list)} is loaded: those are unknown, not gaps." if no_list else ".")
    )
    entity_table(
        follow_up[
            [
                "id",
                "name",
                "target_kind",
                "designated",
                "not yet",
                "not known",
                "under another program",
                "programs",
            ]
        ],
        key="new-gaps",
        column_config={
            "designated": st.column_config.TextColumn(width="medium"),
            "not known": st.column_config.TextColumn(width="medium"),
        },
    )
    st.download_button(
        "Download CSV",
        lambda: join_lists(gaps, "countries", "designated_by", "programs", "elsewhere", "no_list").to_csv(
            index=False
        ),
        file_name="new_gaps.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="new-gaps-csv",
    )

# -- closed gaps: states that followed since the day --------------------------------------

st.subheader("Closed gaps")
closed = cached.closed_gaps(since, **filters)
if closed.empty:
    st.info("No state followed another's designation since this day.")
else:
    st.caption(
        "Each state whose first designation of a target came since this day, after "
        "another's: the lag in days where both days are known, else the range the "
        "versions of the lists allow."
    )
    entity_table(
        closed[["id", "name", "jurisdiction", "when", "followed", "followed_when", "lag"]],
        key="closed-gaps",
        column_config={
            "when": st.column_config.TextColumn("designated"),
            "followed_when": st.column_config.TextColumn("followed the designation of"),
        },
    )
    st.download_button(
        "Download CSV",
        lambda: join_lists(closed, "countries", "programs", "designated_before").to_csv(index=False),
        file_name="closed_gaps.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="closed-gaps-csv",
    )
