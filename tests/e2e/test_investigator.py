"""What an investigator does, in a real browser on the bundled data: search a name, read
the profile and its gap-matrix row, expand the network, run a saved query and download
it, look at the loaded sources. Nothing may be fetched from beyond 127.0.0.1."""

import csv

import pytest
from playwright.sync_api import expect

from app_pages.common import SEARCH_BOX

from .harness import ARTIFACTS, NETWORK, nodes_drawn, table_row, wait_for_app

pytestmark = pytest.mark.e2e


def test_from_a_name_to_the_gap_row_the_network_and_a_saved_query(demo_graph, app_url, browser_page, snap):
    page = browser_page
    xpcc = demo_graph.search("Xinjiang Production and Construction Corps").id[0]

    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{app_url}/?q=陈全国")  # a shared search link lists the matches
    wait_for_app(page)
    expect(table_row(page, "CHEN, Quanguo", "Person")).to_have_count(1)
    # A reader's menu, not a developer's: nothing offers to publish the app elsewhere.
    expect(page.get_by_role("button", name="Main menu")).to_be_visible()
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)
    snap(page, "search")
    box = page.get_by_label(SEARCH_BOX)
    box.fill("chen quanguo")
    box.press("Enter")  # opens the best match

    page.wait_for_url("**/entity?**")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="CHEN, Quanguo", level=1)).to_be_visible()
    expect(table_row(page, "US", "Global Magnitsky")).to_have_count(1)
    expect(table_row(page, "CA")).to_have_count(1)
    profile = page.url
    page.set_viewport_size({"width": 1400, "height": 2600})
    nodes_drawn(page, more_than=3)
    snap(page, "entity")
    page.set_viewport_size({"width": 1400, "height": 1400})

    page.get_by_role("link", name="Its row in the gap matrix").click()
    page.wait_for_url("**/gaps?**")
    wait_for_app(page)
    expect(table_row(page, "CHEN, Quanguo", "2020-07-09 (announced)", "2024-12-09 (listed)")).to_have_count(1)
    snap(page, "gaps")

    page.goto(profile)
    wait_for_app(page)
    page.get_by_role("link", name="Explore it").click()
    page.wait_for_url("**/network?**")
    wait_for_app(page)
    before = nodes_drawn(page, more_than=3)
    # The function returns nothing: Playwright would serialise what emit() returns (the
    # element, and through it the whole Cytoscape instance), which took 10-14 s.
    page.frame_locator(NETWORK).first.locator("#cy").evaluate(
        "(el, id) => { el._cyreg.cy.getElementById(id).emit('tap'); }", xpcc)
    page.wait_for_url("**open=**")
    wait_for_app(page)
    nodes_drawn(page, more_than=before)
    snap(page, "network")

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Saved queries").click()
    page.wait_for_url("**/queries**")
    wait_for_app(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Query").click()
    page.get_by_role("option", name="lag_summary", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("Per pair of jurisdictions")).to_be_visible()
    country = page.get_by_label("country", exact=True)  # a box of the generated form
    country.fill("CN")
    country.press("Enter")
    wait_for_app(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    saved = ARTIFACTS / "lag_summary.csv"
    download.value.save_as(saved)
    with open(saved, newline="", encoding="utf-8") as f:
        rows = {(r["from"], r["to"]): r for r in csv.DictReader(f)}
    assert {("US", "GB"), ("US", "EU"), ("US", "CA")} <= set(rows)
    assert int(rows[("US", "GB")]["mirrored"]) > 0
    snap(page, "queries")

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Data").click()
    page.wait_for_url("**/data")
    wait_for_app(page)
    expect(table_row(page, "us-ofac-sdn")).not_to_have_count(0)
    snap(page, "data")

    assert page.outside == [], f"the app asked for {page.outside}: it must work offline"
