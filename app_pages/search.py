"""Search (?q=): one box for a name in any script or word order, an alias or a list
record id. Enter opens the best match, whose profile lists the other matches; a link
with ?q= opens the list of matches itself."""

import streamlit as st

from app_pages.common import cached, entity_table, open_entity

st.title("Search")


def open_best_match() -> None:
    st.session_state["search.open"] = True


text = st.text_input("Name, alias or list record id", key="q", bind="query-params",
                     type="search", on_change=open_best_match,
                     placeholder="chen quanguo, Chen Quan-guo, 陈全国, GHR0075 …")
# Set by Enter (or leaving the box) after a change; popped always, so clearing the box
# does not leave it armed for the next visit.
open_best = st.session_state.pop("search.open", False)
if text:
    results = cached.search(text)
    if results.empty:
        st.info(f"No entity matches “{text}”. Try another spelling, the name in its own "
                "script, or a list's record id.")
    elif open_best:
        open_entity(results.id[0], search=text)
    else:
        st.caption(f"{len(results)} matches, best first. Click a row to open the profile.")
        entity_table(
            results[["id", "name", "kind", "jurisdictions", "score", "matched"]], key="results",
            column_config={
                "jurisdictions": st.column_config.ListColumn("listed by"),
                "score": st.column_config.ProgressColumn("score", min_value=0, max_value=1,
                                                         format="%.2f"),
                "matched": "matched name",
            })
else:
    st.caption("Names are matched in any word order and script, with or without hyphens "
               "and accents; Enter opens the best match.")
