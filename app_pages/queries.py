"""Saved queries (?query=NAME&p.PARAM=…): pick one, fill the form its typed parameters
make (a parameter whose values the graph knows, such as a jurisdiction, a program or a
call, is chosen from them), read the result as a table (and as a graph when it returns
paths), download it.
Below, ad-hoc Cypher (?cypher=): read-only and time-limited; a refusal says why."""

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages import viz
from app_pages.common import cached, graph, join_lists
from graph import briefing
from graph.queries import Param, QueryError, saved_queries

st.title("Saved queries")
queries = saved_queries()
name = st.selectbox("Query", list(queries), key="query", bind="query-params")
query = queries[name]
st.caption(query.description)


def field(param: Param):
    """The widget for one typed parameter; its value is kept in the URL as p.NAME."""
    label = param.name.replace("_", " ")
    bound = {"key": f"p.{param.name}", "help": param.help or None, "bind": "query-params"}
    known = cached.choices(param.name) if param.base in ("str", "list[str]") and not param.choices else None
    if known is not None:
        return known_field(param, label, known, bound)
    if param.choices:
        options = list(param.choices)
        index = options.index(param.default) if param.default in options else None
        return st.selectbox(label, options, index=index, placeholder="any", **bound)
    if param.base == "bool":
        return st.checkbox(label, value=bool(param.default), **bound)
    if param.base == "int":
        low, high = param.bounds or (None, None)
        return st.number_input(
            label,
            min_value=low,
            max_value=high,
            step=1,
            value=param.default if param.default is not None else None,
            **bound,
        )
    if param.base == "date":
        # Streamlit offers ten years back by default; the lists go back to the 1990s.
        return st.date_input(
            label, value=param.default, min_value=dt.date(1990, 1, 1), format="YYYY-MM-DD", **bound
        )
    default = ", ".join(param.default) if isinstance(param.default, list) else param.default
    hint = "comma-separated" if param.base == "list[str]" else ("required" if param.required else "any")
    return st.text_input(label, value=default or "", placeholder=hint, **bound)


def known_field(param: Param, label: str, known: dict[str, str], bound: dict):
    """A parameter whose values the graph holds: chosen from them, never typed. The URL
    keeps the value itself (US, US-GLOMAG, a call's id); what it is shows beside it."""
    options = list(known)
    if param.base == "list[str]":
        default = [v for v in (param.default or []) if v in options]
        return st.multiselect(label, options, default=default, placeholder="any", **bound)
    index = options.index(param.default) if param.default in options else None
    value = st.selectbox(
        label, options, index=index, **bound, placeholder="choose one" if param.required else "any"
    )
    if value is not None and known[value] != value:
        st.caption(known[value])
    return value


values = {}
columns = st.columns(3)
for i, param in enumerate(query.params.values()):
    with columns[i % 3]:
        values[param.name] = field(param)
# An empty box means "no value": the parameter's default, or None where it allows it.
given = {k: v for k, v in values.items() if v not in ("", None, [])}
missing = [p.name for p in query.params.values() if p.required and p.name not in given]


#: The widest a text column of a result is drawn; longer text wraps.
MAX_TEXT_WIDTH = 200


def show(result: pd.DataFrame, file_name: str) -> None:
    if result.empty:
        st.info("The query returned no rows.")
        return
    st.caption(f"{len(result):,} rows")
    if result.attrs.get("truncated"):
        st.warning(f"Only the first {len(result):,} rows are shown: add LIMIT or aggregate.")
    # Long text wraps in columns of at most MAX_TEXT_WIDTH px rather than running off the table.
    texts = {
        c: result[c].head(500).map(lambda v: len(v) if isinstance(v, str) else 0).max()
        for c in result.columns
        if result[c].dtype == object or pd.api.types.is_string_dtype(result[c].dtype)
    }
    texts = {c: n for c, n in texts.items() if n}
    st.dataframe(
        result,
        hide_index=True,
        row_height=84 if any(n > 30 for n in texts.values()) else None,
        column_config={
            **{
                c: st.column_config.DateColumn(format="YYYY-MM-DD", width=90)
                for c in result.select_dtypes("datetime").columns
            },
            **{
                c: st.column_config.TextColumn(width=int(min(MAX_TEXT_WIDTH, 20 + 7 * max(n, len(c)))))
                for c, n in texts.items()
            },
        },
    )
    paths = viz.paths_graph(result)
    if paths is not None:
        viz.render(paths, key=f"{file_name}-graph", height=420)
    st.download_button(
        "Download CSV",
        join_lists(result, *result.columns).to_csv(index=False),
        file_name=f"{file_name}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"{file_name}-csv",
    )


if missing:
    st.info(f"Fill in {', '.join(missing)} to run the query.")
else:
    try:
        result = cached.run_saved(name, **given)
        show(result, name)
        if query.absence and not result.empty:
            # What its "not designated" rests on, as every other view says it.
            st.caption(briefing.absence_note(cached.coverage(), query.absence))
    except QueryError as e:
        st.error(str(e), icon=":material/block:")

st.subheader("Ad-hoc Cypher")
st.caption(
    "Read-only: anything that would write, load files or administer the server is "
    f"refused, and a query stops after {graph().settings.query_timeout:g} s."
)
text = st.text_area(
    "Cypher",
    key="cypher",
    bind="query-params",
    height=120,
    placeholder="MATCH (e:Person)<-[:TARGETS]-(d:Designation {jurisdiction: 'GB'}) "
    "RETURN e.name, d.listed_on LIMIT 20",
)
if text.strip():
    try:
        show(graph().cypher(text), "cypher")
    except QueryError as e:
        st.error(f"**Not run.** {e}", icon=":material/block:")
