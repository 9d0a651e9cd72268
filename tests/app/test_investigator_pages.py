"""The investigator's day, page by page (the issue "the investigator's day"): the profile
answers first, one line per state; "any" family survives a shared link; a load asks
for confirmation; a pasted page is not repeated in full; saved queries' known parameters
are chosen, not typed.

On a small graph of the Xinjiang case, loaded once for this file: OFAC's entries for it
(from data/ofac/sdn.csv), Canada's list of 2025-09-22, the UK's sample, the EU's
Regulation 2020/1998 extract and the curated case."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import DATA, loaded

from .helpers import table_with, texts


@pytest.fixture
def case(graph, case_ofac_sdn):
    return loaded(graph, "xinjiang-case", [("ofac-sdn-csv", case_ofac_sdn),
                                           ("ca-sema-xml", DATA / "canada" / "sema-lmes_2025-09-22.xml"),
                                           ("uk-fcdo-xml", DATA / "uk" / "uk_sanctions_list_sample_2026-09-10.xml"),
                                           ("eu-oj-csv", DATA / "eu" / "eu_oj_32020R1998.csv"),
                                           ("curated", DATA / "curated")])


def who_designated(at) -> dict[str, str]:
    """The profile's first block: {jurisdiction code: its line}."""
    block = next(m.value for m in at.markdown if "**United States (US)**" in m.value)
    lines: dict[str, str] = {}
    current = None
    for line in block.splitlines():
        found = re.match(r"- \*\*.+? \((\w\w)\)\*\*", line)
        if found:
            current = found[1]
            lines[current] = line
        elif line.startswith("  - ") and current:
            lines[current] += "\n" + line
        elif line.startswith("- "):
            lines["no list"] = line
    return lines


def test_the_profile_answers_first_one_line_per_state(case, open_page):
    chen = case.search("chen quanguo").id[0]
    at = open_page("entity", id=chen)
    assert not at.exception
    assert texts(at.subheader)[0] == "Who designated it"
    lines = who_designated(at)
    coverage = case.coverage().set_index("jurisdiction")

    us = lines["US"]
    assert ":green-badge[designated]" in us and "2020-07-09 (announced)" in us
    assert "Global Magnitsky (US-GLOMAG)" in us and "record `29220`" in us
    assert "[announcement](https://home.treasury.gov/news/press-releases/sm1055)" in us
    # The visa ban's only source is an NGO's account: it says so.
    assert "[secondary source](https://humanrightsfirst.org/" in us
    assert "(no official announcement known)" in us

    ca = lines["CA"]
    assert ":green-badge[designated]" in ca and "2024-12-09 (listed)" in ca and "record `" in ca
    assert "[list](" in ca or "[announcement](" in ca

    for j in ("GB", "EU"):
        when = coverage.at[j, "list_date"]
        if coverage.at[j, "status"] == "partial":
            # Extracts only, and the profile compares every measure: not known, each
            # extract named with its date or its bound (briefing.absence).
            assert ":gray-badge[not known]" in lines[j], lines[j]
            assert "only extracts of its lists are loaded" in lines[j]
            assert all(x in lines[j] for x in coverage.at[j, "lists"]), lines[j]
            assert "may be listed elsewhere" in lines[j]
        else:
            assert ":red-badge[not designated]" in lines[j], lines[j]
            assert (f"list of {when:%Y-%m-%d}" if pd.notna(when) else "undated") in lines[j], lines[j]
    if coverage.at["AU", "status"] == "no list":
        assert "Australia (AU)" in lines["no list"] and "no list loaded" in lines["no list"]
        assert "AU" not in lines
    else:
        assert ":red-badge[not designated]" in lines["AU"]
    # Never "not designated" for a state whose list is not loaded.
    assert "not designated" not in lines["no list"]
    # The detailed table stays below, each date with its basis.
    table = table_with(at, "jurisdiction", "program", "date", "record_id")
    assert "2020-07-09 (announced)" in set(table.date)


def test_any_family_survives_a_shared_link(case, open_page):
    at = open_page("gaps", target="chen quanguo")
    at.selectbox(key="family").set_value("any").run()
    assert not at.exception
    assert at.selectbox(key="family").value == "any"
    assert not any("family:" in c.value for c in at.caption)
    # (AppTest does not see the URL the browser would show: tests/e2e checks ?family=any.)
    # The link, opened afresh: "any", not None or "Choose an option".
    again = open_page("gaps", family="any", target="chen quanguo")
    assert not again.exception
    assert again.selectbox(key="family").value == "any"
    matrix = table_with(again, "name", "US")
    assert list(matrix.name) == ["CHEN, Quanguo"]
    assert not any("family:" in c.value for c in again.caption)


def test_the_gap_matrix_offers_a_briefing(case, open_page):
    at = open_page("gaps", target="chen quanguo", regimes="true", jur=["US", "GB", "EU", "CA", "AU"])
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Briefing (Markdown)", "Briefing (HTML)", "Briefing (PDF)"]


def test_loading_asks_for_confirmation_first(case, open_page):
    at = open_page("data")
    assert not at.exception
    buttons = {b.label: b for b in at.button}
    assert buttons["Load the bundled data"].disabled and buttons["Download and load"].disabled
    assert buttons["Load"].disabled
    at.checkbox(key="confirm-load").check().run()
    buttons = {b.label: b for b in at.button}
    assert not buttons["Load the bundled data"].disabled and not buttons["Download and load"].disabled
    assert buttons["Load"].disabled  # still: no file chosen


def test_a_very_long_search_is_not_repeated_in_full(case, open_page):
    text = "zqxj " * 400
    at = open_page("search", q=text)
    assert not at.exception
    shown = [e.value for e in [*at.info, *at.warning, *at.caption, *at.markdown]]
    assert any("No entity matches" in s for s in shown)
    assert all(len(s) < 400 for s in shown), max(shown, key=len)[:200]
    assert any("…”" in s for s in shown)


def test_saved_query_parameters_are_chosen_from_the_graph(case, open_page):
    at = open_page("queries", query="urged_vs_designated")
    assert not at.exception
    call = at.selectbox(key="p.call")
    assert "hrf-joint-letter-2020-08-18" in call.options
    at = open_page("queries", query="urged_vs_designated", **{"p.call": "hrf-joint-letter-2020-08-18"})
    assert at.selectbox(key="p.call").value == "hrf-joint-letter-2020-08-18"
    assert any("Joint letter of 71 organisations" in c.value for c in at.caption)
    assert not table_with(at, "call", "jurisdiction").empty

    at = open_page("queries", query="lags", **{"p.base": "US", "p.others": ["GB", "CA"]})
    assert not at.exception
    assert at.selectbox(key="p.base").value == "US" and "CA" in at.selectbox(key="p.base").options
    assert at.multiselect(key="p.others").value == ["GB", "CA"]
    assert "human_rights" in at.selectbox(key="p.family").options
    assert "US-GLOMAG" in at.selectbox(key="p.program").options
