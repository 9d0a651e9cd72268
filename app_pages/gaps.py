"""Gap matrix (?family=…&jur=…): targets × jurisdictions, each cell the date a
jurisdiction first designated the target, coloured designated / not / delisted; the lag
per pair of jurisdictions; coordinated actions on a timeline. Every filter is in the URL."""

import altair as alt
import pandas as pd
import pycountry
import streamlit as st

from app_pages.common import cached, entity_table, join_lists
from graph import dates
from graph.model import model
from graph.names import normalize

COLOURS = {"designated": "#DCFCE7", "not designated": "#FDE2E1", "delisted": "#FEF3C7",
           "no list": "#E5E7EB", "other family": "#DBEAFE"}

st.title("Gap matrix")
m = model()
countries = {c.alpha_2: c.name for c in pycountry.countries}

family_box, program_box, country_box, kind_box = st.columns(4)
# Human rights by default: the question this tool was built for. None is "any family".
# Short names keep shared links short (?family=human+rights); the help has the long ones.
family = family_box.selectbox(
    "Program family", [None, *m.families], index=1, key="family", bind="query-params",
    format_func=lambda f: f.replace("_", " ") if f else "any",
    help="; ".join(f"{f.replace('_', ' ')}: {label}" for f, label in m.families.items()))
programs = [p.id for p in m.programs.values() if family in (None, p.family)]
program = program_box.selectbox("Program", programs, index=None, key="program",
                                bind="query-params", placeholder="any",
                                help="its targets, and their designations by its "
                                     "jurisdiction under it only")
country = country_box.selectbox("Target country", list(countries), index=None, key="country",
                                bind="query-params", placeholder="any",
                                format_func=lambda c: f"{countries[c]} ({c})")
kind = kind_box.selectbox("Kind", m.entity_kinds, index=None, key="kind", bind="query-params",
                          placeholder="any")
jurisdictions_box, as_of_box, basis_box, sort_box = st.columns(4)
jurisdictions = jurisdictions_box.multiselect("Jurisdictions", list(m.jurisdictions),
                                              default=["US", "GB", "EU", "CA"], key="jur",
                                              bind="query-params")
as_of = as_of_box.date_input("As of", value=None, key="as_of", bind="query-params",
                             format="YYYY-MM-DD", help="only designations in force that day")
date_basis = basis_box.segmented_control(
    "Dates", ["announced", "listed"], default="announced", key="dates", bind="query-params",
    help="announced: the announcement's date where known, else the list's; listed: the "
         "list's date where it gives one, else the announcement's") or "announced"
sort = sort_box.segmented_control("Sort by", ["name", "lag"], default="name", key="sort",
                                  bind="query-params",
                                  help="lag: days from a target's first designation to its last")
name_box, regimes_box = st.columns([3, 1])
name = name_box.text_input("Target name", key="target", bind="query-params", type="search",
                           placeholder="any; e.g. chen quanguo")
country_regimes = regimes_box.toggle(
    "Country regimes count too", key="regimes", bind="query-params",
    help="with a family: designations under country regimes count as well (Canada listed "
         "the 2021 Xinjiang officials under SEMA China, not its Magnitsky law)")

filters = dict(family=family, program=program, country=country, kind=kind,
               jurisdictions=jurisdictions or None, as_of=as_of,
               include_country_regimes=country_regimes, date_basis=date_basis)
matrix = cached.gap_matrix(**filters)
if matrix.empty:
    st.info("No target matches these filters.")
    st.stop()

if name:
    wanted = normalize(name).split()
    matrix = matrix[matrix.name.map(lambda n: all(w in normalize(n).split() for w in wanted))]
    if matrix.empty:
        st.info(f"No target named “{name}” among those the filters select.")
        st.stop()

shown = [j for j in matrix.columns if j in m.jurisdictions]
dates = matrix[shown]
matrix = matrix.assign(lag=(dates.max(axis=1) - dates.min(axis=1)).dt.days)
if sort == "lag":
    matrix = matrix.sort_values(["lag", "name"], ascending=[False, True], na_position="last")


coverage = cached.coverage().set_index("jurisdiction")
# Designations under programs of another family: "designated under X", not "never".
others = cached.programs_of(list(matrix.id), shown) if family or program else {}


def cells(row: pd.Series) -> tuple[dict, dict]:
    """A target's cells: the text (the date with what it is, the delisting) and the state."""
    text, state = {}, {}
    for j in shown:
        if j not in row["bases"]:
            elsewhere = others.get(row["id"], {}).get(j)
            if elsewhere:
                text[j], state[j] = "designated under " + ", ".join(elsewhere), "other family"
            elif j in coverage.index and coverage.at[j, "status"] == "no list":
                text[j], state[j] = "no list", "no list"
            else:
                text[j], state[j] = "—", "not designated"
            continue
        delisted = row["delisted"].get(j)
        text[j] = dates.describe(row[j], row["bases"][j], row["after"].get(j)) + (
            " → " + dates.describe_delisting(delisted, row["delisted_after"].get(j)) if delisted else "")
        state[j] = "delisted" if delisted else "designated"
    return text, state


def header(j: str) -> str:
    """A column's header: what its "not designated" rests on."""
    if j not in coverage.index:
        return j
    c = coverage.loc[j]
    if c.status == "no list":
        return f"{j} · no list loaded"
    when = f"list of {c.list_date:%Y-%m-%d}" if pd.notna(c.list_date) else "undated list"
    return f"{j} · {'partial, ' if c.status == 'partial' else ''}{when}"


texts, states = zip(*(cells(row) for _, row in matrix.iterrows()))
states = pd.DataFrame(list(states), index=matrix.index)
table = matrix[["id", "name", "kind", "lag"]].join(pd.DataFrame(list(texts), index=matrix.index))
styled = table.style.apply(lambda _: states.map(lambda s: f"background-color: {COLOURS[s]}"),
                           axis=None, subset=shown)
chosen = {"family": family, "program": program, "country": country, "kind": kind,
          "as of": as_of, "name": name}
st.caption(f"{len(matrix):,} targets ("
           + (", ".join(f"{k}: {v}" for k, v in chosen.items() if v) or "no filter")
           + f"); dates are the first designation ({date_basis} date where one is stated). "
           "Green: designated; red: not designated by the lists loaded; amber: delisted; "
           "blue: designated under a program of another family; grey: no list of that "
           "jurisdiction is loaded. " + dates.EXPLAINED + " Click a row to open the profile.")
for j in shown:
    if j in coverage.index and coverage.at[j, "status"] != "no list":
        c = coverage.loc[j]
        age = f", {c.age_days:,} days old" if pd.notna(c.age_days) else ""
        st.caption(f"**{j}** rests on {'; '.join(c.lists)}{age}."
                   + (" Partial: a target missing from it may be listed elsewhere."
                      if c.status == "partial" else ""))
grounds = {p.id: p.family_grounds for p in m.programs.values()
           if p.family_grounds and p.family == family}
for program_id, why in grounds.items():
    st.caption(f"{program_id} counts as {family.replace('_', ' ')}: {why}")
entity_table(styled, key="matrix", column_order=["name", "kind", *shown, "lag"],
             column_config={"lag": st.column_config.NumberColumn("lag (days)", format="%d"),
                            **{j: st.column_config.TextColumn(header(j), width="medium") for j in shown}})
export = table[["id", "name", "kind", *shown]].rename(columns={j: f"{j}" for j in shown})
for j in shown:
    export[f"{j} program"] = matrix["programs"].map(lambda ps, j=j: ", ".join(ps.get(j, [])))
export["countries"] = matrix["countries"].map(", ".join)
st.download_button("Download CSV", export.to_csv(index=False),
                   file_name="gap_matrix.csv", mime="text/csv", on_click="ignore",
                   icon=":material/download:")

st.subheader("Lag between jurisdictions")
base = st.selectbox("From", shown, key="base", bind="query-params",
                    help="days from this jurisdiction's first designation of a target to each other's")
summary = cached.lag_summary(base=base, **filters)
if summary.empty:
    st.info(f"No lag to show: that needs targets designated by {base} and by another "
            "selected jurisdiction whose list is loaded.")
else:
    st.dataframe(summary.drop(columns="date_basis"), hide_index=True, key="lag-summary",
                 column_config={"share_never_mirrored": st.column_config.ProgressColumn(
                     "never mirrored", min_value=0, max_value=1, format="percent")})

st.subheader("Coordinated actions")
window = st.slider("Window (days)", 0, 90, 0, key="window", bind="query-params",
                   help="designations of the same targets by several jurisdictions within this many days")
actions = cached.coordinated_actions(window_days=window, **filters)
if actions.empty:
    st.info("No coordinated action among these targets within this window.")
else:
    actions = join_lists(actions, "jurisdictions", "names")
    chart = alt.Chart(actions).mark_circle(opacity=0.7).encode(
        x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y-%m")),
        y=alt.Y("n_jurisdictions:Q", title="jurisdictions", axis=alt.Axis(tickMinStep=1)),
        size=alt.Size("n_targets:Q", title="targets"),
        tooltip=[alt.Tooltip("start:T"), "jurisdictions", "n_targets", "names"])
    st.altair_chart(chart, width="stretch")
    st.dataframe(actions[["start", "end", "jurisdictions", "n_targets", "names"]],
                 hide_index=True, key="actions",
                 column_config={"start": st.column_config.DateColumn(format="YYYY-MM-DD"),
                                "end": st.column_config.DateColumn(format="YYYY-MM-DD")})
