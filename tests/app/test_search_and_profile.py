"""Search and entity profile pages, on the demo data in the real test server."""

import pytest

from conftest import DATA
from graph.client import CONFIDENT_SCORE

from .helpers import click_node, node_ids, select_row, table_with, texts


@pytest.fixture
def chen_quanguo(demo_graph) -> str:
    return demo_graph.search("chen quanguo").id[0]


def test_enter_opens_the_best_match_with_the_other_matches_beside_it(demo_graph, open_page, chen_quanguo):
    at = open_page("search")
    at.text_input(key="q").input("chen quanguo").run()
    assert not at.exception
    assert at.query_params == {"id": chen_quanguo, "search": "chen quanguo"}
    assert texts(at.title) == ["CHEN, Quanguo"]
    assert any("other matches for “chen quanguo”" in e.label for e in at.expander)


@pytest.mark.parametrize("text", ["陈全国", "Chen Quan-guo", "quanguo chen"])
def test_a_search_link_lists_matches_in_any_script_and_word_order(demo_graph, open_page,
                                                                  chen_quanguo, text):
    at = open_page("search", q=text)
    assert at.text_input(key="q").value == text
    results = at.dataframe[0].value
    assert list(results.columns) == ["id", "name", "kind", "jurisdictions", "score", "matched"]
    best = results.iloc[0]
    assert (best.id, best.kind, best.score) == (chen_quanguo, "Person", 1.0)
    assert {"US", "CA"} <= set(best.jurisdictions)


def test_clicking_a_result_opens_its_profile(demo_graph, open_page):
    at = open_page("search", q="chen quanguo")
    second = at.dataframe[0].value.iloc[1]
    select_row(at, "results", 1)
    assert at.query_params["id"] == second.id
    assert texts(at.title) == [second["name"]]


def test_no_match_says_so(demo_graph, open_page):
    at = open_page("search", q="xqzvw qqqq")
    assert not at.dataframe
    assert "No entity matches “xqzvw qqqq”" in at.info[0].value


def test_profile_shows_identity_designations_records_and_network(demo_graph, open_page, chen_quanguo):
    at = open_page("entity", id=chen_quanguo)
    assert not at.exception
    assert texts(at.title) == ["CHEN, Quanguo"]
    markdown = "\n".join(texts(at.markdown))
    assert "陈全国" in markdown and "**Born:** 1955" in markdown
    assert "First Political Commissar of the XPCC" in markdown
    # Each absence says what it rests on, by the list's name: the UK's dated list,
    # Australia's undated one with the day its newest entry bounds it by.
    assert "by the OFSI Consolidated List of 2025-04-10 (" in markdown
    assert "by the undated DFAT Consolidated List loaded (of 2024-11-11 or later by its newest entry)" in markdown
    designations = table_with(at, "jurisdiction", "program", "date")
    us = designations[designations.program == "Global Magnitsky"].iloc[0]
    # Each date with what it is: Treasury's announcement, Canada's list.
    assert (us.jurisdiction, us.date, us.record_id) == ("US", "2020-07-09 (announced)", "29220")
    assert us.source_url.startswith("https://home.treasury.gov/")
    canada = designations[designations.jurisdiction == "CA"].iloc[0]
    assert canada.date == "2024-12-09 (listed)"
    records = table_with(at, "key", "dataset")
    assert {"us-ofac-sdn:29220", "curated:chen-quanguo"} <= set(records.key)
    xpcc = demo_graph.search("Xinjiang Production and Construction Corps").id[0]
    assert {chen_quanguo, xpcc, "US-GLOMAG", "US"} <= node_ids(at, "profile-network")
    links = [link.label for link in at.get("page_link")]
    assert any(label.endswith("XINJIANG PRODUCTION AND CONSTRUCTION CORPS") for label in links)


def test_a_birth_date_the_list_gives_as_approximate_says_circa(demo_graph, open_page):
    # sdn.csv: MAKHLUF, Hafiz, "DOB circa 1975"; the UK's Hafiz MAKHLOUF (1971-04-02) is
    # another entity, for review.
    at = open_page("entity", id="us-ofac-sdn:10569")
    markdown = "\n".join(texts(at.markdown))
    assert "**Born:** circa 1975" in markdown
    records = table_with(at, "key", "dataset")
    assert list(records[records.key == "us-ofac-sdn:10569"].birth_dates) == ["circa 1975"]


def test_a_list_record_key_opens_its_entity(demo_graph, open_page):
    zhu = demo_graph.search("zhu hailun").id[0]
    at = open_page("entity", id="gb-ofsi:14078")
    assert texts(at.title) == [demo_graph.entity(zhu)["name"]]
    designations = table_with(at, "jurisdiction", "program", "date")
    assert {"US", "GB", "EU", "CA"} <= set(designations.jurisdiction)
    # Why the UK's record is this entity: the resolver's evidence for the join.
    joins = table_with(at, "from", "to", "method", "features")
    uk = joins[(joins["from"] == "gb-ofsi:14078") | (joins["to"] == "gb-ofsi:14078")].iloc[0]
    assert any("born 1958-01" in feature for feature in uk.features)


def test_a_click_in_the_profile_network_continues_in_the_explorer(demo_graph, open_page, chen_quanguo):
    xpcc = demo_graph.search("Xinjiang Production and Construction Corps").id[0]
    at = click_node(open_page("entity", id=chen_quanguo), "profile-network", xpcc)
    assert at.query_params == {"id": chen_quanguo, "open": xpcc}
    assert texts(at.title) == ["Network"]


def test_unknown_or_missing_id_says_what_to_do(demo_graph, open_page):
    at = open_page("entity", id="no-such:entity")
    assert "No entity has the id “no-such:entity”" in at.warning[0].value
    at = open_page("entity")
    assert "Search for a person" in at.info[0].value


# -- Enter and any text, on the curated case alone (loads in seconds) ---------------------------


@pytest.fixture
def curated(empty_graph):
    empty_graph.load("curated", DATA / "curated")
    return empty_graph


def test_enter_opens_a_confident_match(curated, open_page):
    xpcc = curated.entity("curated:xpcc")["id"]
    for text in ("XPCC", "Bingtuan", "新疆生产建设兵团"):
        at = open_page("search")
        at.text_input(key="q").input(text).run()
        assert not at.exception
        assert at.query_params == {"id": xpcc, "search": text}, text


def test_enter_lists_the_matches_when_none_is_confident(curated, open_page):
    at = open_page("search")
    at.text_input(key="q").input("Human Rights").run()
    assert not at.exception
    assert "id" not in at.query_params and texts(at.title) == ["Search"]
    results = at.dataframe[0].value
    assert {"Human Rights First", "Human Rights Foundation"} <= set(results.name)
    assert results.score.max() < CONFIDENT_SCORE
    assert "No match is close enough to open at once" in at.info[0].value
    # A row is still a click away.
    select_row(at, "results", 0)
    assert at.query_params["id"] == results.id[0]


def test_enter_lists_matches_that_are_equally_close(curated, open_page):
    at = open_page("search")
    at.text_input(key="q").input("HRF").run()  # Human Rights First, Human Rights Foundation
    assert "id" not in at.query_params
    results = at.dataframe[0].value
    assert set(results.name[:2]) == {"Human Rights First", "Human Rights Foundation"}
    assert results.score[0] == results.score[1] >= CONFIDENT_SCORE
    assert "2 matches are equally close" in at.info[0].value


@pytest.mark.parametrize("text", ["*", '"', "~", ".*", "' OR 1=1 --", "name:[a TO z]"])
def test_any_text_gives_a_page_without_an_error(curated, open_page, text):
    at = open_page("search")
    at.text_input(key="q").input(text).run()
    assert not at.exception and not at.error, text
    assert "id" not in at.query_params
    assert at.info and ("No entity matches" in at.info[0].value
                        or "No match is close enough" in at.info[0].value)


def test_the_network_picker_takes_only_a_confident_match(curated, open_page):
    at = open_page("network")
    at.text_input(key="id.text").input("Human Rights").run()
    assert not at.exception and "id" not in at.query_params
    assert "closely enough to choose it" in at.warning[0].value
    at.text_input(key="id.text").input("Bingtuan").run()
    assert at.query_params["id"] == curated.entity("curated:xpcc")["id"]
