"""Network explorer: expand by clicking, "N more", filters, shortest path, all in the URL."""

import pytest

from .helpers import click_node, elements, node_ids, texts


@pytest.fixture
def ids(demo_graph) -> dict[str, str]:
    find = lambda name: demo_graph.search(name).id[0]  # noqa: E731
    return {"chen": find("chen quanguo"), "xpcc": find("Xinjiang Production and Construction Corps"),
            "mingguo": find("chen mingguo")}


def test_clicking_a_node_expands_it_and_the_url_keeps_it(demo_graph, open_page, ids):
    at = open_page("network", id=ids["chen"])
    assert not at.exception
    before = node_ids(at, "network")
    assert {ids["chen"], ids["xpcc"]} <= before
    at = click_node(at, "network", ids["xpcc"])
    assert at.query_params["open"] == ids["xpcc"]
    after = node_ids(at, "network")
    assert before < after, "expanding the XPCC adds its links to the picture"
    # The same link opens the same picture for a colleague.
    again = open_page("network", id=ids["chen"], open=ids["xpcc"])
    assert node_ids(again, "network") == after


def test_clicking_a_program_changes_nothing(demo_graph, open_page, ids):
    at = click_node(open_page("network", id=ids["chen"]), "network", "US-GLOMAG")
    assert "open" not in at.query_params


def test_a_cap_leaves_the_rest_to_an_n_more_node_that_shows_them(demo_graph, open_page):
    shipping = demo_graph.search("Islamic Republic of Iran Shipping Lines").id[0]  # 124 links
    at = open_page("network", id=shipping, cap="5")
    more = [n["data"] for n in elements(at, "network")["nodes"] if n["data"]["label"] == "More"]
    assert [m["id"] for m in more] == [f"more:{shipping}"]
    hidden = int(more[0]["name"].split()[0])
    assert hidden > 100
    shown = entities(at)
    at = click_node(at, "network", more[0]["id"])
    assert at.query_params["all"] == shipping
    assert entities(at) == shown + hidden


def entities(at) -> int:
    return sum(1 for n in elements(at, "network")["nodes"]
               if n["data"]["label"] not in ("Program", "Jurisdiction", "More"))


def test_filters_by_relationship_type_and_jurisdiction(demo_graph, open_page, ids):
    everything = node_ids(open_page("network", id=ids["chen"]), "network")
    no_designations = node_ids(open_page("network", id=ids["chen"], rel=["leads", "linked to"]), "network")
    assert "US-GLOMAG" in everything and "US-GLOMAG" not in no_designations
    gb_only = open_page("network", id=ids["chen"], jur="GB")
    assert at_least_the_start_and_no_us(gb_only, ids["chen"])


def at_least_the_start_and_no_us(at, start) -> bool:
    shown = node_ids(at, "network")
    return start in shown and "US" not in shown and "US-GLOMAG" not in shown


def test_shortest_path_between_two_entities(demo_graph, open_page, ids):
    at = open_page("network", id=ids["chen"], to=ids["mingguo"])
    path = node_ids(at, "path")
    assert {ids["chen"], ids["mingguo"]} <= path
    assert len(path) >= 3, "they are linked through the XPSB / XPCC, not directly"


def test_download_as_graphml_and_the_start_box(demo_graph, open_page, ids):
    at = open_page("network", id=ids["chen"])
    assert [b.label for b in at.get("download_button")] == ["Download as GraphML"]
    at.text_input(key="id.text").input("陈全国").run()
    assert at.query_params["id"] == ids["chen"]
    at.text_input(key="id.text").input("xqzvw qqqq").run()
    assert "No entity matches “xqzvw qqqq”" in texts(at.warning)[0]


def test_without_a_start_it_asks_for_one(demo_graph, open_page):
    at = open_page("network")
    assert "Choose an entity to start from" in at.info[0].value
