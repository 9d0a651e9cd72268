"""In chromium on the bundled data: a case list made on the gap matrix from a file (the
targets the 2020 letter names, as the curated case lists them) filters the matrix, the
network and a saved query, and its link restores it in another browser and after the app
restarts; the app in viewer mode (SANCT_APP_MODE=viewer) has no loading controls on its
Data page. Nothing may be fetched from beyond 127.0.0.1."""

import re

import pytest
import yaml
from playwright.sync_api import expect

from conftest import DATA

from .harness import ARTIFACTS, HarnessError, nodes_drawn, streamlit_app, table_row, wait_for_app

pytestmark = pytest.mark.e2e
CALL = "hrf-joint-letter-2020-08-18"


def test_a_case_list_from_a_file_filters_pages_and_outlives_a_restart(demo_graph, app_url, cli_env,
                                                                      browser_page, chromium, snap, tmp_path):
    page = browser_page
    letter = yaml.safe_load((DATA / "curated" / "xinjiang.yaml").read_text(encoding="utf-8"))
    keys = next(c for c in letter["calls"] if c["id"] == CALL)["names"]
    names = sorted(demo_graph.entity(k)["name"] for k in keys)
    listed = tmp_path / "letter.txt"
    listed.write_text("# the targets the 2020 letter names\n" + "\n".join(keys) + "\n", encoding="utf-8")

    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(f"{app_url}/gaps?family=any&regimes=true")
    wait_for_app(page)
    page.get_by_text("Save as a case list").click()
    page.locator("input[type=file]").set_input_files(listed)
    # The upload is its own request and rerun: typing while they are under way raced them
    # (once in a busy run the button stayed disabled), so the file is shown first.
    expect(page.get_by_text(listed.name, exact=True)).to_be_visible(timeout=60_000)
    wait_for_app(page)
    name = page.get_by_label("Name", exact=True)
    name.fill("Xinjiang 2020 letter")
    name.press("Enter")
    expect(name).to_have_value("Xinjiang 2020 letter")
    wait_for_app(page)
    save = page.get_by_role("button", name="Save case list")
    expect(save).to_be_enabled(timeout=60_000)
    save.click()
    page.wait_for_url("**case=xinjiang-2020-letter**")
    wait_for_app(page)
    for name in names:
        expect(table_row(page, name)).to_have_count(1)
    expect(page.locator("[data-testid='stDataFrame']").first.locator("tr[role='row']")).to_have_count(
        len(names) + 1)  # and the header row
    shared = page.url
    snap(page, "case_list")

    # The link in another browser, and after the app restarts: the graph keeps the list.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        with streamlit_app(cli_env, ARTIFACTS / "streamlit-restarted.log") as restarted:
            other = chromium.new_context(viewport={"width": 1400, "height": 1600}).new_page()
            other.goto(shared.replace(app_url, restarted))
            wait_for_app(other)
            for name in names:
                expect(table_row(other, name)).to_have_count(1)
            other.goto(f"{restarted}/network?case=xinjiang-2020-letter")
            wait_for_app(other)
            nodes_drawn(other, more_than=len(names))
            other.goto(f"{restarted}/queries?query=lags&p.case=xinjiang-2020-letter&p.base=US")
            wait_for_app(other)
            expect(table_row(other, "CHEN, Quanguo", "US", "CA")).to_have_count(1)
            expect(table_row(other, "WANG, Junzheng")).to_have_count(0)  # not named in the letter
            other.context.close()
    except HarnessError as e:
        pytest.fail(str(e), pytrace=False)
    assert page.outside == [], f"the app asked for {page.outside}: it must work offline"


@pytest.fixture
def viewer_url(demo_graph, cli_env):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        with streamlit_app({**cli_env, "SANCT_APP_MODE": "viewer"}, ARTIFACTS / "streamlit-viewer.log") as url:
            yield url
    except HarnessError as e:
        pytest.fail(str(e), pytrace=False)


def test_viewer_mode_has_no_loading_controls(demo_graph, viewer_url, browser_page, snap):
    page = browser_page
    before = demo_graph.sources()
    page.goto(f"{viewer_url}/data")
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^This app runs in viewer mode"))).to_be_visible()
    expect(table_row(page, "us-ofac-sdn")).not_to_have_count(0)
    expect(page.locator("input[type=file]")).to_have_count(0)
    expect(page.get_by_role("checkbox")).to_have_count(0)
    for label in ("Load", "Download and load", "Load the bundled data"):
        expect(page.get_by_role("button", name=label, exact=True)).to_have_count(0)
    snap(page, "data_viewer")
    assert demo_graph.sources().equals(before)
    assert page.outside == [], f"the app asked for {page.outside}: it must work offline"
