"""What every page shares: the cached client, and the message when Neo4j is away."""

import streamlit as st

from graph import GraphUnavailable, SanctionsGraph


@st.cache_resource(show_spinner="Connecting to Neo4j…")
def _connect() -> SanctionsGraph:
    return SanctionsGraph.connect()


def client() -> SanctionsGraph | None:
    try:
        g = _connect()
        g.ping()
        return g
    except GraphUnavailable as e:
        _connect.clear()
        st.session_state["unavailable"] = str(e)
        return None


def unavailable() -> None:
    st.error(f"Neo4j is not reachable: {st.session_state.get('unavailable', '')}")
