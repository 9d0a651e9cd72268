"""The "What changed" page in a real browser on the bundled data: a shared link with its
filters (since, family, target country, jurisdictions) shows the closed gaps of the
Xinjiang officials; a new day typed into the date box goes into the URL; that URL,
opened in another browser context, shows the same view; the Atom feed downloads. Nothing
may be fetched from beyond 127.0.0.1.

Expected values come from the files: Canada listed eight Chinese officials on 2024-12-09
(its DateOfListing, read with lxml); the US list first holds Zakir and Tuniyaz in its
version of 2021-12-10, not in that of 2021-12-09 (tests/integration/test_dates.py)."""

from __future__ import annotations

import csv
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import DATA
from lxml import etree
from playwright.sync_api import Page, expect

from .harness import ARTIFACTS, record_outside_requests, table_row, wait_for_app

pytestmark = pytest.mark.e2e

ATOM = "{http://www.w3.org/2005/Atom}"
STATES = ["US", "GB", "EU", "CA", "AU"]
SHARED = ("changes?since=2021-12-10&family=human+rights&country=China+%28CN%29"
          + "".join(f"&jur={j}" for j in STATES))


def canada_china() -> dict[str, tuple[str, date]]:
    """Canada's China regime, its individuals (Part 1): record key → (surname, DateOfListing),
    read with lxml."""
    tree = etree.parse(str(DATA / "canada" / "sema-lmes_2025-09-22.xml"))
    return {f"ca-sema:china-p1-{r.findtext('Item').strip()}":
            (r.findtext("LastName").strip().upper(), date.fromisoformat(r.findtext("DateOfListing")))
            for r in tree.iter("record")
            if r.findtext("Country").startswith("China") and r.findtext("Schedule").strip() == "Part 1"}


#: You Quan is on the US list under Hong Kong's EO 13936 only (data/ofac/sdn.csv): Canada's
#: listing of 2024-12-09 is his first in the human rights family. The US designated the
#: seven others Canada listed that day under Global Magnitsky in 2020-2022 (Chen, Huo and
#: Peng in that sdn.csv of 2021, the others in the history's later versions).
US_PROGRAMS = {r[1]: r[3] for r in csv.reader((DATA / "ofac" / "sdn.csv").open(encoding="utf-8")) if len(r) > 3}


def expect_follow_up(page: Page, name: str, timeout: float = 5_000) -> None:
    """The New gaps row of one of Canada's listings of 2024-12-09, since 2024-12-01: it
    awaits the UK, and the EU, whose list here is an extract that holds the whole of its
    human rights regime (the family compared). Australia's list is undated,
    of 2024-11-11 or later by its newest Control Date: it awaits Australia where the US
    designated the target before, and cannot say where Canada's listing is the first."""
    if "GLOMAG" in US_PROGRAMS.get(name, "GLOMAG"):
        row = table_row(page, name, "CA: 2024-12-09 (listed)", "AU, EU, GB")
    else:
        row = table_row(page, name, "CA: 2024-12-09 (listed)", "EU, GB",
                        "AU (its list is undated, of 2024-11-11 or later by its newest entry, perhaps "
                        "older than the designation of 2024-12-09)")
    expect(row).to_have_count(1, timeout=timeout)


def set_since(page: Page, day: date) -> None:
    """Type a day into the Since box (its year, month and day segments), then leave it."""
    for part, text in (("year", f"{day:%Y}"), ("month", f"{day:%m}"), ("day", f"{day:%d}")):
        page.get_by_role("spinbutton", name=f"{part}, Since").click()
        page.keyboard.type(text)
    page.get_by_role("heading", name="What changed", level=1).click()


def test_the_what_changed_page_and_its_shareable_url(demo_graph, app_url, browser_page, snap):
    page = browser_page
    # Canada's eight listings of 2024-12-09, Zakir and Tuniyaz among them, by the names
    # of their entities (the pages show those: Tuniyaz is "Erken" in the US list, "Erkin"
    # in Canada's).
    listed = canada_china()
    names = {demo_graph.entity(key)["name"]: surname for key, (surname, day) in listed.items()
             if day >= date(2024, 12, 1)}
    assert all(surname in name for name, surname in names.items())
    december = set(names)
    assert len(december) == 8 and {"ZAKIR, Shohrat", "TUNIYAZ, Erken"} <= december
    assert {day for surname, day in listed.values() if surname in ("ZAKIR", "TUNIYAZ")} == {date(2024, 12, 9)}
    # The US date is a bound: after 2021-12-09, by 2021-12-10.
    low, high = (date(2024, 12, 9) - date(2021, 12, 10)).days, (date(2024, 12, 9) - date(2021, 12, 9)).days
    lag = f"between {low:,} and {high:,} days"
    assert lag == "between 1,095 and 1,096 days"

    page.set_viewport_size({"width": 1400, "height": 2200})
    page.goto(f"{app_url}/{SHARED}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="What changed", level=1)).to_be_visible()
    # Closed gaps: Canada followed the US on both, a lag known as a range.
    for name in ("ZAKIR, Shohrat", "TUNIYAZ, Erken"):
        expect(table_row(page, name, "CA", "2024-12-09 (listed)", lag)).to_have_count(1, timeout=60_000)

    # A new day typed in the box goes into the URL, the other filters stay.
    set_since(page, date(2024, 12, 1))
    page.wait_for_url("**since=2024-12-01**")
    wait_for_app(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"since": ["2024-12-01"], "family": ["human rights"], "country": ["China (CN)"],
                     "jur": STATES}, page.url
    expect(page.get_by_test_id("stMetric").filter(has_text="added")).to_contain_text(str(len(december)))
    assert {name for name in december if "GLOMAG" not in US_PROGRAMS.get(name, "GLOMAG")} == {"YOU, Quan"}
    for name in december:
        expect_follow_up(page, name)
    snap(page, "changes")

    # The Atom feed of the same changes: one entry per listing.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Atom feed").click()
    saved = ARTIFACTS / "changes.atom"
    download.value.save_as(saved)
    entries = etree.parse(str(saved)).getroot().findall(f"{ATOM}entry")
    assert sorted(e.findtext(f"{ATOM}title") for e in entries) == sorted(
        f"CA added: {name} (CA-CHINA)" for name in december)

    # The URL, opened in another browser (no shared session), shows the same view.
    shared = page.url
    context = page.context.browser.new_context(viewport={"width": 1400, "height": 2400})
    try:
        other = context.new_page()
        outside = record_outside_requests(other)
        other.goto(shared)
        wait_for_app(other)
        expect(other.get_by_role("spinbutton", name="year, Since")).to_have_attribute("aria-valuenow", "2024")
        expect(other.get_by_role("spinbutton", name="day, Since")).to_have_attribute("aria-valuenow", "1")
        for name in december:  # (a new session's first run may take a while to start)
            expect_follow_up(other, name, timeout=60_000)
        assert outside == [], f"the app asked for {outside}: it must work offline"
    finally:
        context.close()
    assert page.outside == [], f"the app asked for {page.outside}: it must work offline"
