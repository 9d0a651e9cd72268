"""E2E fixtures: the app as `streamlit run app.py` on the demo data of the real test
server, in Debian's chromium. There is no skipping: without chromium the tests fail and
say how to install it. This folder is a package so that this conftest does not take the
module name `conftest` from tests/conftest.py."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import Page, sync_playwright

from .harness import ARTIFACTS, ROOT, HarnessError, launch_chromium, record_outside_requests, streamlit_app
#: The README shows these.
SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except HarnessError as e:
            pytest.fail(str(e), pytrace=False)
        yield browser
        browser.close()


@pytest.fixture
def app_url(demo_graph, cli_env) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        with streamlit_app(cli_env, ARTIFACTS / "streamlit.log") as url:
            yield url
    except HarnessError as e:
        pytest.fail(str(e), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Whether the test itself failed, for browser_page to keep what the page showed."""
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture
def browser_page(chromium, request):
    """A fresh page whose requests beyond 127.0.0.1 are kept in `page.outside`. When the
    test fails, the page as it was is kept among the artifacts (failed-<test>.png)."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    page = context.new_page()
    page.outside = record_outside_requests(page)
    yield page
    if getattr(request.node, "call_failed", False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"failed-{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture
def snap():
    def snap(page: Page, name: str) -> None:
        """A screenshot among the test artifacts, and in docs/screenshots for the README."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{name}.png")
        shutil.copyfile(ARTIFACTS / f"{name}.png", SCREENSHOTS / f"{name}.png")
    return snap
