"""Search (?q=): one box for a name in any script or word order, an acronym, an alias, a
list record id or a list's reference. Enter opens the best match when it is a confident
one (CONFIDENT_SCORE) and no other is as close, and its profile lists the other matches;
otherwise, and for a link with ?q=, the page lists the matches to choose from. Any text may be typed: none of it is
query syntax."""

import streamlit as st

from app_pages.common import (
    GAPS_PAGE,
    SEARCH_BOX,
    cached,
    entity_table,
    open_entity,
    save_case_list,
)
from graph.client import CONFIDENT_SCORE
from graph.exc import GraphRefused
from graph.wording import counted

st.title("Search")
#: Typed text repeated in a message is cut to this many characters: a pasted page must
#: not fill the screen.
SHOWN_CHARS = 80


def shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1].rstrip() + "…"


def open_best_match() -> None:
    st.session_state["search.open"] = True


text = st.text_input(
    SEARCH_BOX,
    key="q",
    bind="query-params",
    type="search",
    on_change=open_best_match,
    placeholder="chen quanguo, Chen Quan-guo, 陈全国, XPCC, GHR0075 …",
)
# Set by Enter (or leaving the box) after a change; popped always, so clearing the box
# does not leave it armed for the next visit.
open_best = st.session_state.pop("search.open", False)
results = None
if text:
    try:
        results = cached.search(text)
    except GraphRefused as e:  # SearchFailed, or Neo4j refusing any read (its rights, its memory)
        # The server's trouble, not the text's: one line, no stack trace.
        st.warning(
            f"The search for “{shown(text)}” could not run: {e}. Try again in a moment.",
            icon=":material/error:",
        )
if results is not None:
    if results.empty:
        st.info(
            f"No entity matches “{shown(text)}”. Try another spelling, the name in its own "
            "script, an acronym, or a list's record id or reference."
        )
    elif (
        open_best
        and results.score[0] >= CONFIDENT_SCORE
        and (len(results) == 1 or results.score[1] < results.score[0])
    ):
        open_entity(results.id[0], search=text)
    else:
        if open_best and results.score[0] < CONFIDENT_SCORE:
            st.info(
                f"No match is close enough to open at once (the best scores "
                f"{results.score[0]:.2f}, below {CONFIDENT_SCORE:.2f}): choose one below.",
                icon=":material/list:",
            )
        elif open_best:  # "HRF": Human Rights First and Human Rights Foundation alike
            equal = int((results.score == results.score[0]).sum())
            st.info(
                f"{equal} matches are equally close (score {results.score[0]:.2f}): choose one below.",
                icon=":material/list:",
            )
        st.caption(
            f"{counted(len(results), 'match', 'matches')}, best first. Click a row to open the profile."
        )
        entity_table(
            results[["id", "name", "kind", "jurisdictions", "score", "matched"]],
            key="results",
            column_config={
                "jurisdictions": st.column_config.ListColumn("listed by"),
                "score": st.column_config.ProgressColumn("score", min_value=0, max_value=1, format="%.2f"),
                "matched": "matched name",
            },
        )
        save_case_list(
            results[["id", "name"]],
            key="search-case",
            made_from=f"search “{shown(text)}”",
            then=lambda saved: st.page_link(
                GAPS_PAGE,
                query_params={"case": saved["id"], "family": "any"},
                label=f"The gap matrix of “{saved['name']}”",
                icon=":material/grid_on:",
            ),
        )
elif not text:
    st.caption(
        "Names are matched in any word order and script, with or without hyphens "
        "and accents, and by their acronyms; a list's record id or reference "
        f"(GHR0075) finds its entity. Enter opens the best match when it scores "
        f"{CONFIDENT_SCORE:.2f} or more and no other as much, and lists the "
        "matches otherwise."
    )
