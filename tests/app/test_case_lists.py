"""Case lists in the app: made from the gap matrix's rows, from a search's matches or
from a file; then the gap matrix, the network and a saved query show only its targets;
it outlives a restart of the app (the graph keeps it), and a shared link (?case=…)
restores it. On the ten OFAC entries of the curated case, Canada's list and the case."""

import streamlit as st
import yaml

from conftest import DATA, ON_THE_CASE_GRAPH

from .helpers import node_ids, table_with

CALL = "hrf-joint-letter-2020-08-18"
#: Shares the case graph with the modules that read it (tests/conftest.py).
pytestmark = ON_THE_CASE_GRAPH


def restart() -> None:
    """What a restart of the app forgets: every cached client and answer."""
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_case_list_from_gap_matrix_rows_filters_it_and_survives_a_restart(changed_case_graph, open_page):
    chen, xpcc = (changed_case_graph.entity(f"us-ofac-sdn:{n}") for n in ("29220", "29299"))
    at = open_page("gaps", regimes="true", family="any")
    everyone = table_with(at, "name", "US")
    assert {chen["name"], xpcc["name"]} < set(everyone.name)
    at.multiselect(key="gaps-case.targets").set_value([chen["id"], xpcc["id"]])
    at.text_input(key="gaps-case.name").input("Two of the letter").run()
    at = next(b for b in at.button if b.label == "Save case list").click().run()
    at.run()  # the rerun the save asks for
    assert not at.exception and not at.error
    assert at.selectbox(key="case").value == "two-of-the-letter"
    assert at.query_params["case"] == "two-of-the-letter"
    assert set(table_with(at, "name", "US").name) == {chen["name"], xpcc["name"]}

    restart()
    again = open_page("gaps", case="two-of-the-letter", regimes="true", family="any")
    assert again.selectbox(key="case").value == "two-of-the-letter"
    assert set(table_with(again, "name", "US").name) == {chen["name"], xpcc["name"]}
    network = open_page("network", case="two-of-the-letter")
    assert not network.exception
    assert {chen["id"], xpcc["id"]} <= node_ids(network, "network")
    query = open_page("queries", query="lags", **{"p.case": "two-of-the-letter", "p.base": "US"})
    assert query.selectbox(key="p.case").value == "two-of-the-letter"
    assert set(table_with(query, "target", "from", "to").name) <= {chen["name"], xpcc["name"]}
    assert chen["name"] in set(table_with(query, "target", "from", "to").name)


def test_a_case_list_from_a_search_and_from_a_file(changed_case_graph, open_page):
    at = open_page("search", q="xinjiang")
    found = table_with(at, "name", "score")
    at.text_input(key="search-case.name").input("Xinjiang bodies").run()
    at = next(b for b in at.button if b.label == "Save case list").click().run()
    assert not at.error
    saved = changed_case_graph.case_list("xinjiang-bodies")
    assert set(saved["targets"].name) == set(found.name) and saved["made_from"] == "search “xinjiang”"
    assert [link.label for link in at.get("page_link")][-1] == "The gap matrix of “Xinjiang bodies”"

    letter = yaml.safe_load((DATA / "curated" / "xinjiang.yaml").read_text(encoding="utf-8"))
    names = next(c for c in letter["calls"] if c["id"] == CALL)["names"]
    at = open_page("gaps", regimes="true")
    at.file_uploader(key="gaps-case.file").upload("letter.txt", "\n".join(names).encode(), "text/plain")
    at.multiselect(key="gaps-case.targets").set_value([])
    at.text_input(key="gaps-case.name").input("Xinjiang 2020 letter").run()
    at = next(b for b in at.button if b.label == "Save case list").click().run()
    at.run()
    assert not at.error
    expected = {changed_case_graph.entity(k)["name"] for k in names}
    assert set(table_with(at, "name", "US").name) == expected
    assert changed_case_graph.case_list("xinjiang-2020-letter")["made_from"] == "file letter.txt"
