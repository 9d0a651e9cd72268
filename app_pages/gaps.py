"""Gap matrix (?family=…&jur=…): targets × jurisdictions, each cell the date a
jurisdiction first designated the target, coloured designated / not / delisted; the lag
per pair of jurisdictions; coordinated actions on a timeline. Every filter is in the URL."""

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import (
    ANY,
    cached,
    case_list_filter,
    country_control,
    country_label,
    date_basis_control,
    entity_table,
    family_control,
    graph,
    join_lists,
    program_control,
    save_case_list,
)
from graph import briefing, dates
from graph.export import cell_dates, first_designation, gap_table
from graph.model import model
from graph.names import normalize
from graph.wording import counted

COLOURS = {
    "designated": "#DCFCE7",
    "not designated": "#FDE2E1",
    "delisted": "#FEF3C7",
    "no list": "#E5E7EB",
    "not known": "#F3F4F6",
    "other family": "#DBEAFE",
}

st.title("Gap matrix")
m = model()

family_box, program_box, country_box, kind_box = st.columns(4)
# Human rights by default: the question this tool was built for.
family = family_control(family_box, default="human_rights")
program = program_control(
    program_box, family, help="its targets, and their designations by its jurisdiction under it only"
)
country = country_control(country_box)
kind = kind_box.selectbox(
    "Kind", m.entity_kinds, index=None, key="kind", bind="query-params", placeholder="any"
)
# The jurisdictions box is the wider: five tags show whole at 1280 px, and so do the
# choices of the row below it.
jurisdictions_box, as_of_box, case_box = st.columns([3, 1, 1.4])
basis_box, sort_box, regimes_box = st.columns([1, 1, 2])
jurisdictions = jurisdictions_box.multiselect(
    "Jurisdictions", list(m.jurisdictions), default=["US", "GB", "EU", "CA"], key="jur", bind="query-params"
)
as_of = as_of_box.date_input(
    "As of",
    value=None,
    key="as_of",
    bind="query-params",
    format="YYYY-MM-DD",
    help="only designations in force that day",
)
case = case_list_filter(case_box)
date_basis = date_basis_control(basis_box)
sort = sort_box.segmented_control(
    "Sort by",
    ["name", "lag"],
    default="name",
    key="sort",
    bind="query-params",
    help="lag: days from a target's first designation to its last",
)
name_box = st.container()
name = name_box.text_input(
    "Target name", key="target", bind="query-params", type="search", placeholder="any; e.g. chen quanguo"
)
country_regimes = regimes_box.toggle(
    "Country regimes count too",
    key="regimes",
    bind="query-params",
    help="with a family: designations under country regimes count as well. Canada listed "
    "the Xinjiang officials under SEMA China, not its Magnitsky law; that regime counts in "
    "the human rights family by its stated grounds (data/programs/ca.yaml), with or without this",
)

filters = {
    "family": family,
    "program": program,
    "country": country,
    "kind": kind,
    "jurisdictions": jurisdictions or None,
    "as_of": as_of,
    "include_country_regimes": country_regimes,
    "date_basis": date_basis,
    "case": case,
}
matrix = cached.gap_matrix(**filters)
if matrix.empty:
    st.info("No target matches these filters.")
    st.stop()

if name:
    wanted = normalize(name).split()
    matrix = matrix[matrix.name.map(lambda n: all(w in normalize(n).split() for w in wanted))]
    if matrix.empty:
        typed = name if len(name) <= 80 else name[:79] + "…"  # never a screenful
        st.info(f"No target named “{typed}” among those the filters select.")
        st.stop()

shown = [j for j in matrix.columns if j in m.jurisdictions]
first = matrix[shown]  # not `dates`: that is graph.dates, which the cells below use
matrix = matrix.assign(lag=(first.max(axis=1) - first.min(axis=1)).dt.days)
if sort == "lag":
    matrix = matrix.sort_values(["lag", "name"], ascending=[False, True], na_position="last")


coverage_rows = cached.coverage()
coverage = coverage_rows.set_index("jurisdiction")
coverage_of = briefing.by_state(coverage_rows)
# The programs each state's silence is read for (extracts may hold the whole of them).
compared = model().compared_programs(shown, family, program, country_regimes)
# Designations under programs of another family: "designated under X", not "never".
others = cached.programs_of(list(matrix.id), shown, as_of, date_basis) if family or program else {}
# Records of a state's list the resolver could not tell from a target: its silence says nothing.
undecided = cached.undecided(list(matrix.id), shown)
doubted = set(zip(undecided.id, undecided.jurisdiction))
# Targets listed under a UN regime: what a state's list leaving out the UN's listings
# (Canada's) cannot speak of, nor the UN's list where none of its records is theirs.
un_listed = cached.un_listed(list(matrix.id))
# The program families each is designated under: what a state's list leaving one out
# (Canada's terrorist entities, under its Criminal Code) cannot speak of.
families = cached.families_of(list(matrix.id))
#: A cell's text for a state's silence (briefing.absence's state; "not known" says why).
CELL = {"no list": "no list", "not designated": "—"}


# What a state's silence on a target rests on, as the profile and the CSV say it.
silence = briefing.absences(coverage_of, compared, as_of)


def cells(row: dict) -> tuple[dict, dict]:
    """A target's cells: the text (the date with what it is, the delisting) and the state."""
    text, state = {}, {}
    first = first_designation(row)
    is_un_listed, target_families = row["id"] in un_listed, families.get(row["id"], ())
    for j in shown:
        if j not in row["bases"]:
            elsewhere = others.get(row["id"], {}).get(j)
            if elsewhere:
                text[j], state[j] = "designated under " + ", ".join(elsewhere), "other family"
            elif (row["id"], j) in doubted:
                text[j], state[j] = "record under review", "not known"
            else:
                state[j], said = silence(j, first, is_un_listed, target_families)
                text[j] = CELL.get(state[j]) or briefing.unknown_because(said)
            continue
        delisted = row["delisted"].get(j)
        text[j] = cell_dates(row, j)
        state[j] = "delisted" if delisted else "designated"
        if delisted and (row["id"], j) in doubted:
            # Another record it designates in force may be this target (briefing.state_lines).
            text[j], state[j] = text[j] + "; record under review", "not known"
        elif j in row["in_force_unknown"]:
            # As of a day its dates are bounds around (briefing.IN_FORCE_UNKNOWN).
            text[j], state[j] = text[j] + "; in force then not known", "not known"
    return text, state


def header(j: str, long: bool = False) -> str:
    """A column's header: what its "not designated" rests on (short: fits the column)."""
    if j not in coverage.index:
        return j
    c = coverage.loc[j]
    if c.status == "no list":
        return f"{j} · no list loaded" if long else f"{j} · no list"
    if not long:
        return f"{j} {c.list_date:%Y-%m-%d}" if pd.notna(c.list_date) else f"{j} · undated"
    when = (
        f"list of {c.list_date:%Y-%m-%d}" if pd.notna(c.list_date) else f"list {dates.undated(c.not_before)}"
    )
    return f"{j} · {'partial, ' if c.status == 'partial' else ''}{when}"


texts, states = zip(*(cells(row) for row in matrix.to_dict("records")))
states = pd.DataFrame(list(states), index=matrix.index)
table = matrix[["id", "name", "kind", "lag"]].join(pd.DataFrame(list(texts), index=matrix.index))
styled = table.style.apply(
    lambda _: states.map(lambda s: f"background-color: {COLOURS[s]}"), axis=None, subset=shown
)
chosen = {
    "case list": case,
    "family": family,
    "program": program,
    "country": country,
    "kind": kind,
    "as of": as_of,
    "name": name,
}
st.caption(
    counted(len(matrix), "target")
    + " ("
    + (", ".join(f"{k}: {v}" for k, v in chosen.items() if v) or "no filter")
    + f"); dates are the first designation ({date_basis} date where one is stated). "
    "Green: designated; red: not designated by the lists loaded; amber: delisted; "
    "blue: designated under a program of another family; grey: no list of that "
    'jurisdiction is loaded; light grey, "list older": the list loaded is older than the '
    "target's first designation, so it cannot say whether that state followed; "
    '"record under review": that list holds a record the resolver could not tell from the '
    'target (its profile names it); "extracts only": only extracts of that state\'s lists are '
    "loaded, not the whole of the programs compared (the EU's human rights annex is whole for "
    'the human rights family); "UN listing, list apart": the target is listed under a UN '
    "regime (by the UN, or by a state applying it), and that state's list loaded holds its "
    "own designations only (Canada's), not the UN's "
    'listings it applies; "listed apart": the target is or was designated under a family of '
    "programs that state lists apart from its lists loaded (Canada's terrorist entities, "
    'under its Criminal Code); "UN record not matched": a state lists the target under a UN regime '
    "it implements, and no record of the UN's list loaded was matched to it; \"in force then "
    'not known": with "As of", the dates of that state\'s designations are bounds around the day '
    "(on or before a later day, first seen or no longer listed between versions either side "
    'of it) or unknown, so whether it was in force then is not known; "lists newer than the '
    'day": with "As of", the oldest version of that state\'s lists loaded is of a later day, so '
    "what it designated then and delisted before that is in none of them. "
    + dates.EXPLAINED
    + " Click a row to open the profile."
)
for j in shown:
    if j in coverage.index and coverage.at[j, "status"] != "no list":
        c = coverage.loc[j]
        age = f", {counted(int(c.age_days), 'day')} old" if pd.notna(c.age_days) else ""
        around = briefing.versions_around(c, as_of)
        st.caption(
            f"**{j}** rests on {'; '.join(c.lists)}{age}."
            + (" Partial: a target missing from it may be listed elsewhere." if c.status == "partial" else "")
            + (
                f" As of {as_of}: on its versions of {around[0]} and {around[1]}, either side of the day; "
                "a listing made and ended between them is in neither."
                if around
                else ""
            )
        )
grounds = {p.id: p.family_grounds for p in m.programs.values() if p.family_grounds and p.family == family}
for program_id, why in grounds.items():
    st.caption(f"{program_id} counts as {family.replace('_', ' ')}: {why}")
# Narrow widths that fit five jurisdictions at 1280 px (wider screens share out the rest)
# and rows of up to four lines: long names and dates wrap, never clipped.
entity_table(
    styled,
    key="matrix",
    column_order=["name", "kind", *shown, "lag"],
    row_height=84,
    height=40 + 84 * min(len(table), 8),
    column_config={
        "name": st.column_config.TextColumn("name", width=140),
        "kind": st.column_config.TextColumn("kind", width=100),
        "lag": st.column_config.NumberColumn(
            "lag", format="%d", width=45, help="days from the first designation to the last"
        ),
        **{j: st.column_config.TextColumn(header(j), width=95, help=header(j, long=True)) for j in shown},
    },
)
# Per jurisdiction the day, its status and basis, program, record id, list and source:
# plain text columns, never a dict. Made when the button is pressed: for the 20,160
# targets of every family it took 3 s of each rerun.
st.download_button(
    "Download CSV",
    lambda: gap_table(matrix, coverage_rows, others, undecided, un_listed, compared, families).to_csv(
        index=False
    ),
    file_name="gap_matrix.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)


def filter_by(saved: dict) -> None:
    """The matrix of the list just saved, in the URL too."""
    st.session_state["case.pending"] = saved["id"]
    st.rerun()


# The rows shown (or some of them, or a file's) as a named case list, then filtered by it.
save_case_list(
    matrix[["id", "name"]],
    key="gaps-case",
    made_from="gap matrix: " + (", ".join(f"{k} {v}" for k, v in chosen.items() if v) or "no filter"),
    then=filter_by,
)

# A briefing to attach to a letter: per target each state's action or its absence, made
# when the button is pressed (it reads each target's designations).
question = {
    "Case list": case,
    "Program family": (family or ANY).replace("_", " "),
    "Program": program,
    "Target country": country and country_label(country),
    "Kind": kind,
    "As of": as_of,
    "Target name": name,
    "Dates": date_basis,
    "Country regimes count too": bool(family) and country_regimes,
}
made_by = {
    "name": "gap_matrix",
    "params": {k: v for k, v in filters.items() if v not in (None, False)},
    "command": briefing.command(**filters, target=name),
}
g = graph()


def briefing_file(format: str):
    return lambda: briefing.render(
        briefing.from_graph(
            g,
            matrix,
            shown,
            as_of=as_of,
            date_basis=date_basis,
            question=question,
            query=made_by,
            compared=compared,
        ),
        format,
    )


st.caption(
    f"**Briefing**: the {counted(min(len(matrix), briefing.MAX_TARGETS), 'target')} above"
    + (
        f" (the first {briefing.MAX_TARGETS} of {len(matrix):,})"
        if len(matrix) > briefing.MAX_TARGETS
        else ""
    )
    + ", each state's action with its date, program, record id and official link, or "
    "what its absence rests on; the lags, the lists' dates and these filters."
)
for box, (format, label) in zip(st.columns(4), [("md", "Markdown"), ("html", "HTML"), ("pdf", "PDF")]):
    extension, mime = briefing.FORMATS[format]
    box.download_button(
        f"Briefing ({label})",
        briefing_file(format),
        file_name=f"briefing.{extension}",
        mime=mime,
        on_click="ignore",
        icon=":material/description:",
        key=f"briefing-{format}",
    )

st.subheader("Lag between jurisdictions")
base = st.selectbox(
    "From",
    shown,
    key="base",
    bind="query-params",
    help="days from this jurisdiction's first designation of a target to each other's",
)
summary = cached.lag_summary(base=base, **filters)
if summary.empty:
    st.info(
        f"No lag to show: that needs targets designated by {base} and by another "
        "selected jurisdiction whose list is loaded."
    )
else:
    number = st.column_config.NumberColumn
    st.dataframe(
        summary.drop(columns="date_basis"),
        hide_index=True,
        key="lag-summary",
        column_config={  # short headers: the fourteen columns fit at 1280 px
            "from": st.column_config.TextColumn("from", width=45),
            "to": st.column_config.TextColumn("to", width=45),
            "targets": number("targets", width=60, help=f"designated by {base}"),
            "mirrored": number("mirrored", width=65),
            "never_mirrored": number(
                "never", width=50, help="never mirrored, by lists newer than the designation"
            ),
            "not_known": number(
                "not known",
                width=60,
                help="not designated by the lists loaded, which cannot say: older than the designation "
                "(or undated), holding a record under review, or leaving out what the target is listed under",
            ),
            "share_never_mirrored": st.column_config.ProgressColumn(
                "never mirrored",
                min_value=0,
                max_value=1,
                format="percent",
                width=110,
                help="of the targets whose answer the lists can give",
            ),
            "dated_lags": number(
                "dated", width=50, help="lags between exact days: the statistics count these"
            ),
            "median_days": number("median", width=60, help="median days"),
            "mean_days": number("mean", width=55, help="mean days"),
            "min_days": number("min", width=45, help="fewest days"),
            "max_days": number("max", width=50, help="most days"),
            "other_first": number("other first", width=60, help="the other acted first"),
            "same_day": number("same day", width=60),
        },
    )

st.subheader("Coordinated actions")
window = st.slider(
    "Window (days)",
    0,
    90,
    0,
    key="window",
    bind="query-params",
    help="designations of the same targets by several jurisdictions within this many days",
)
actions = cached.coordinated_actions(window_days=window, **filters)
if actions.empty:
    st.info("No coordinated action among these targets within this window.")
else:
    actions = join_lists(actions, "jurisdictions", "names")
    chart = (
        alt.Chart(actions)
        .mark_circle(opacity=0.7)
        .encode(
            x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y-%m")),
            y=alt.Y("n_jurisdictions:Q", title="jurisdictions", axis=alt.Axis(tickMinStep=1)),
            size=alt.Size("n_targets:Q", title="targets"),
            tooltip=[alt.Tooltip("start:T"), "jurisdictions", "n_targets", "names"],
        )
    )
    st.altair_chart(chart, width="stretch")
    st.dataframe(
        actions[["start", "end", "jurisdictions", "n_targets", "names"]],
        hide_index=True,
        key="actions",
        row_height=84,  # the names wrap
        column_config={
            "start": st.column_config.DateColumn(format="YYYY-MM-DD", width=90),
            "end": st.column_config.DateColumn(format="YYYY-MM-DD", width=90),
            "jurisdictions": st.column_config.TextColumn(width=110),
            "n_targets": st.column_config.NumberColumn("targets", width=60),
            "names": st.column_config.TextColumn(width=400),
        },
    )
