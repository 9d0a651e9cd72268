"""graph/briefing.py on small frames shaped as the client returns them: every state's line,
dates with their basis, what "not designated" rests on, lags only between exact days, and
links that say whether they are official."""

import re
from datetime import date, datetime, timezone

import pandas as pd
import pytest

from graph import briefing, dates
from graph.exc import InvalidInput
from graph.model import model
from loaders.datasets import find_dataset

MADE = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
TREASURY = "https://home.treasury.gov/news/press-releases/sm1055"
NGO = "https://humanrightsfirst.org/library/human-rights-first-welcomes-sanctions/"
SEMA = "https://www.international.gc.ca/world-monde/assets/office_docs/sema-lmes.xml"


def designation(**values) -> dict:
    row = {"jurisdiction": "US", "program": None, "program_id": None, "since": None, "basis": "unknown",
           "after": None, "delisted_on": None, "delisted_after": None, "record_id": None,
           "dataset": None, "source_url": None, "announcement": None}
    row.update(values)
    for column in ("since", "after", "delisted_on", "delisted_after"):
        row[column] = pd.Timestamp(row[column]) if row[column] else pd.NaT
    return row


@pytest.fixture
def chen() -> pd.DataFrame:
    return pd.DataFrame([
        designation(jurisdiction="US", program="Global Magnitsky", program_id="US-GLOMAG",
                    since="2020-07-09", basis="announced", record_id="29220", dataset="us-ofac-sdn",
                    source_url=TREASURY, announcement="Treasury Sanctions Chinese Entity and Officials (sm1055)"),
        designation(jurisdiction="US", program="7031(c) visa restrictions", program_id="US-7031C",
                    since="2020-07-09", basis="announced", record_id="chen-quanguo", dataset="curated",
                    source_url=NGO, announcement="Secretary of State: visa restrictions"),
        designation(jurisdiction="CA", program="SEMA China", program_id="CA-CHINA", since="2024-12-09",
                    basis="listed", record_id="china-p1-7", dataset="ca-sema", source_url=SEMA),
    ])


@pytest.fixture
def coverage() -> pd.DataFrame:
    frame = pd.DataFrame([
        {"jurisdiction": "US", "name": "United States", "status": "full",
         "lists": ["us-ofac-sdn (full)"], "list_date": "2024-05-03", "age_days": 942},
        {"jurisdiction": "GB", "name": "United Kingdom", "status": "full",
         "lists": ["gb-ofsi (full)"], "list_date": "2025-04-10", "age_days": 600},
        {"jurisdiction": "EU", "name": "European Union", "status": "partial",
         "lists": ["eu-oj-2020-1998 (extract)"], "list_date": "2020-12-07", "age_days": 2185,
         "whole_programs": ["EU-HR"]},
        {"jurisdiction": "CA", "name": "Canada", "status": "full",
         "lists": ["ca-sema (full)"], "list_date": "2025-09-22", "age_days": 435},
        {"jurisdiction": "AU", "name": "Australia", "status": "no list", "lists": [],
         "list_date": None, "age_days": None},
    ])
    frame["list_date"] = pd.to_datetime(frame["list_date"])
    frame["age_days"] = frame["age_days"].astype("Int64")
    return frame


JURISDICTIONS = ["US", "GB", "EU", "CA", "AU"]


def test_one_line_per_state_with_what_each_rests_on(chen, coverage):
    lines = {x.jurisdiction: x for x in briefing.state_lines(chen, coverage, JURISDICTIONS)}
    assert list(lines) == JURISDICTIONS
    assert lines["US"].state == "designated"
    assert [a.date for a in lines["US"].actions] == ["2020-07-09 (announced)"] * 2
    assert lines["CA"].state == "designated" and lines["CA"].actions[0].date == "2024-12-09 (listed)"
    assert lines["GB"].state == "not designated"
    assert lines["GB"].text == "not designated by the list of 2025-04-10 (600 days old)"
    # Only extracts of the EU's lists: their silence says nothing of every measure. Each by
    # name and date, not their oldest date as if it were a whole list's.
    assert lines["EU"].state == "not known"
    assert lines["EU"].text == ("not known: only extracts of its lists are loaded (eu-oj-2020-1998 (extract)): "
                                "a target missing from them may be listed elsewhere; not designated under "
                                "EU Global Human Rights Sanctions Regime (EU-HR), whose whole list is loaded")
    # Compared by the human rights family, whose one EU program the annex holds whole, it is
    # "not designated"; by a family with an EU program it does not hold, still not known.
    by_family = {x.jurisdiction: x for x in briefing.state_lines(
        chen, coverage, JURISDICTIONS, compared={"EU": ["EU-HR"], "GB": ["GB-GHR"]})}
    assert by_family["EU"].state == "not designated"
    assert by_family["EU"].text == ("not designated by the extracts loaded (eu-oj-2020-1998 (extract)), "
                                    "which hold the whole of EU-HR")
    assert by_family["GB"].text == lines["GB"].text  # a whole list says the same either way
    more = {x.jurisdiction: x for x in briefing.state_lines(
        chen, coverage, JURISDICTIONS, compared={"EU": ["EU-HR", "EU-RUS"]})}
    assert more["EU"].state == "not known" and "not designated under EU Global" in more["EU"].text
    other = {x.jurisdiction: x for x in briefing.state_lines(
        chen, coverage, JURISDICTIONS, compared={"EU": ["EU-RUS"]})}
    assert other["EU"].text.endswith("may be listed elsewhere")  # the annex says nothing of EU-RUS
    # No list: never "not designated".
    assert lines["AU"].state == "no list" and "not designated" not in lines["AU"].text


def test_links_say_what_they_are(chen):
    links = [briefing.link(r) for r in chen.to_dict("records")]
    assert [x.kind for x in links] == ["announcement", "secondary", "list"]
    assert links[0].url == TREASURY and links[2].url == SEMA
    assert briefing.link({"source_url": None}).kind == "none"
    # OpenSanctions' record of a designation is a secondary account, even where it cites the
    # official list's page; the list's own record of it, at the same page, is the list.
    assert briefing.link({"source_url": SEMA, "dataset": "ftm-zala_entities"}).kind == "secondary"
    assert briefing.link({"source_url": SEMA, "dataset": "ca-sema"}).kind == "list"
    assert briefing.is_official("https://eur-lex.europa.eu/eli/reg_impl/2021/478/oj")
    assert briefing.is_official("https://www.gov.uk/government/news/x")
    assert not briefing.is_official("https://notgov.uk.example.com/x")
    assert briefing.is_official("https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv")
    assert not briefing.is_official("https://other.blob.core.windows.net/x")
    assert not briefing.is_official("https://data.opensanctions.org/datasets/latest/x.json")


def test_programs_outside_the_comparison_are_not_a_designation(chen, coverage):
    lines = {x.jurisdiction: x for x in briefing.state_lines(
        chen, coverage, JURISDICTIONS, programs={"US": ["US-GLOMAG"]})}
    assert lines["CA"].state == "other program"
    assert "SEMA China (CA-CHINA)" in lines["CA"].text
    assert [a.counted for a in lines["US"].actions] == [True, False]


def test_lags_only_between_exact_days(chen, coverage):
    lines = briefing.state_lines(chen, coverage, JURISDICTIONS)
    lags = {x.to: x for x in briefing.lags(lines, "US", coverage)}
    assert lags["CA"].days == 1614 and lags["CA"].text == "CA: +1,614 days"
    assert lags["GB"].days is None
    assert lags["GB"].text == "GB: not designated 1,736 days later (list of 2025-04-10)"
    assert lags["AU"].text == "AU: no list loaded"
    first_seen = chen.copy()
    first_seen.loc[2, ["basis", "after"]] = ["first_seen", pd.Timestamp("2024-11-30")]
    lines = briefing.state_lines(first_seen, coverage, JURISDICTIONS)
    ca = {x.to: x for x in briefing.lags(lines, "US", coverage)}["CA"]
    assert ca.days is None and "2024-12-09 (first seen; after 2024-11-30)" in ca.text


def test_a_delisting_and_an_unknown_date(coverage):
    frame = pd.DataFrame([
        designation(jurisdiction="GB", program="Global Human Rights", program_id="GB-GHR",
                    since="2021-03-22", basis="announced", delisted_on="2023-01-05", record_id="14074",
                    source_url="https://www.gov.uk/government/news/uk-sanctions"),
        designation(jurisdiction="US", program="Global Magnitsky", program_id="US-GLOMAG",
                    record_id="1"),
    ])
    lines = {x.jurisdiction: x for x in briefing.state_lines(frame, coverage, ["US", "GB"])}
    assert lines["GB"].state == "delisted" and lines["GB"].actions[0].delisted == "delisted 2023-01-05"
    assert lines["US"].actions[0].date == "designated, date unknown (undated list)"
    lags = briefing.lags(list(lines.values()), "US", coverage)
    assert "no exact lag" in lags[0].text
    # Gone from a version after an undated one (OFAC's 2021 sdn.csv, then the history's
    # first version of 2021-08-18): a bound, never the day. An end date the list states is.
    assert dates.describe_delisting(date(2021, 8, 18), None, "absence") == "delisted on or before 2021-08-18"
    assert dates.describe_delisting(date(2021, 8, 18), date(2021, 8, 1), "absence") == (
        "delisted by 2021-08-18 (after 2021-08-01)")
    assert dates.describe_delisting(date(2023, 1, 5), None, "end date") == "delisted 2023-01-05"
    gone = frame.assign(delisted_by=["absence", None])
    lines = {x.jurisdiction: x for x in briefing.state_lines(gone, coverage, ["US", "GB"])}
    assert lines["GB"].actions[0].delisted == "delisted on or before 2023-01-05"


def brief(chen, coverage) -> briefing.Briefing:
    targets = pd.DataFrame([{"id": "us-ofac-sdn:29220", "name": "CHEN, Quanguo", "kind": "Person"},
                            {"id": "x:1", "name": "NOBODY | *odd* name", "kind": "Person"}])
    return briefing.build(
        targets, {"us-ofac-sdn:29220": chen}, coverage, JURISDICTIONS, made=MADE,
        question={"Program family": "human rights", "Target country": "CN", "As of": None},
        query={"name": "gap_matrix", "params": {"family": "human_rights", "country": "CN",
                                                "jurisdictions": JURISDICTIONS},
               "command": "python -m graph briefing --family human_rights --country CN"})


def test_markdown_has_every_state_line_dates_with_basis_and_the_query(chen, coverage):
    md = briefing.to_markdown(brief(chen, coverage))
    assert md.startswith("# Who designated these targets, and who did not")
    assert "Made 2026-12-01 09:30 UTC" in md
    assert "- Program family: human rights" in md and "As of" not in md
    assert "`gap_matrix`" in md and "`family=human_rights; country=CN; jurisdictions=US,GB,EU,CA,AU`" in md
    assert "`python -m graph briefing --family human_rights --country CN`" in md
    chen_section = md.split("### CHEN, Quanguo")[1].split("###")[0]
    us = next(line for line in chen_section.splitlines() if line.startswith("- **United States (US)**"))
    assert us == "- **United States (US)**: designated:"
    assert (f"  - 2020-07-09 (announced) · Global Magnitsky (US-GLOMAG) · record 29220 (us-ofac-sdn) · "
            f"announcement: [Treasury Sanctions Chinese Entity and Officials (sm1055)](<{TREASURY}>)") in chen_section
    assert "secondary source (no official announcement known): [Secretary of State: visa restrictions]" in chen_section
    assert ("- **Canada (CA)**: designated: 2024-12-09 (listed) · SEMA China (CA-CHINA) · "
            f"record china-p1-7 (ca-sema) · list: [www.international.gc.ca](<{SEMA}>)") in chen_section
    assert "- **United Kingdom (GB)**: not designated by the list of 2025-04-10 (600 days old)" in chen_section
    assert "- **Australia (AU)**: no list loaded" in chen_section
    assert "Lags from the US designation: GB: not designated 1,736 days later" in chen_section
    assert "; CA: +1,614 days; AU: no list loaded." in chen_section
    # The target with no designation: every state's absence, and markdown kept literal.
    assert "### NOBODY \\| \\*odd\\* name" in md
    nobody = md.split("### NOBODY")[1].split("##")[0]
    assert "- **United States (US)**: not designated by the list of 2024-05-03 (942 days old)" in nobody
    # Every date in the state lines says what it is.
    for line in md.splitlines():
        for day in re.findall(r"\b\d{4}-\d{2}-\d{2}\b(?! \d\d:)", line):
            assert any(w in line for w in ("(announced)", "(listed)", "list of", "first seen",
                                           "| 2", "Made", "delisted")), line
    assert "| Australia (AU) | no list loaded | — | — | — |" in md
    assert dates.EXPLAINED.split(":")[0].replace('"', '\\"') in md or "Each date says where it comes from" in md


def test_html_is_self_contained_and_escaped(chen, coverage):
    page = briefing.to_html(brief(chen, coverage))
    assert page.startswith("<!DOCTYPE html>")
    assert "NOBODY | *odd* name" in page and "<script" not in page
    assert 'src="http' not in page and "@import" not in page  # nothing fetched from elsewhere
    assert f'<a href="{TREASURY}">' in page
    assert "2024-12-09 (listed)" in page and "not designated by the list of 2025-04-10 (600 days old)" in page
    assert "<code>gap_matrix</code>" in page


def test_unknown_format_and_cap(chen, coverage):
    with pytest.raises(InvalidInput, match="unknown briefing format"):
        briefing.render(brief(chen, coverage), "docx")
    many = pd.DataFrame([{"id": f"x:{i}", "name": f"T{i}"} for i in range(briefing.MAX_TARGETS + 5)])
    b = briefing.build(many, {}, coverage, ["US"], made=MADE)
    assert len(b.targets) == briefing.MAX_TARGETS and b.left_out == 5
    assert "5 more left out" in briefing.to_markdown(b)


def test_an_undated_list_says_the_day_its_newest_entry_bounds(chen, coverage):
    # Australia's list states no date; its newest Control Date says it is of that day or
    # later: a "not designated" and a lag rest on that bound, never on a list date.
    coverage.loc[coverage.jurisdiction == "AU", ["status", "lists"]] = ["full", None]
    coverage["not_before"] = pd.to_datetime([None, None, None, None, "2024-11-11"])
    lines = {line.jurisdiction: line for line in briefing.state_lines(chen, coverage, JURISDICTIONS)}
    assert lines["AU"].text == (
        "not designated by the undated list loaded (of 2024-11-11 or later by its newest entry)")
    lags = {lag.to: lag for lag in briefing.lags(list(lines.values()), "US", coverage)}
    assert lags["AU"].days is None
    assert lags["AU"].text == ("AU: not designated at least 1,586 days later "
                               "(list undated, of 2024-11-11 or later by its newest entry)")
    # Without the bound, the list is just undated: it cannot say whether AU followed.
    coverage["not_before"] = pd.NaT
    assert briefing.absence("AU", coverage) == ("not designated", "not designated by the undated list loaded")
    lines = briefing.state_lines(chen, coverage, JURISDICTIONS)
    assert {x.to: x for x in briefing.lags(lines, "US", coverage)}["AU"].text == (
        "AU: not known (its list is undated)")


def test_not_designated_names_the_whole_list_it_rests_on(coverage):
    # coverage's rests_on: the whole lists by their publishers' names (data/datasets.yaml
    # covers). A letter cites the list; Canada's is its autonomous sanctions list alone.
    named = coverage.assign(rests_on=[["OFAC Specially Designated Nationals list"], ["OFSI Consolidated List"],
                                      [], ["Consolidated Canadian Autonomous Sanctions List"], []])
    assert briefing.absence("GB", named)[1] == "not designated by the OFSI Consolidated List of 2025-04-10 (600 days old)"
    assert briefing.absence("CA", named)[1] == (
        "not designated by the Consolidated Canadian Autonomous Sanctions List of 2025-09-22 (435 days old)")
    two = named.assign(rests_on=[["OFAC Specially Designated Nationals list", "OFAC list B"], [], [], [], []])
    assert briefing.absence("US", two)[1].startswith(
        "not designated by the OFAC Specially Designated Nationals list and the OFAC list B of 2024-05-03")


def test_not_designated_on_a_day_between_two_versions_names_both(coverage):
    # Canada's versions of 2020-04-15 and 2025-09-22: asked of 2022-01-01, the newest
    # alone says nothing of that day; both are what its silence rests on, and a listing
    # made and ended between them would be in neither.
    from datetime import date

    coverage["versions"] = [[[date(2021, 8, 18), date(2022, 1, 3), date(2024, 5, 3)]], [[date(2025, 4, 10)]], [],
                            [[date(2020, 4, 15), date(2025, 9, 22)]], []]
    assert briefing.absence("CA", coverage, as_of="2022-01-01") == (
        "not designated", "not designated by the list in its versions of 2020-04-15 and 2025-09-22, either side "
        "of the day asked: a listing made and ended between them is in neither")
    # A day of a version, or after the newest: that version's answer, as without a day.
    assert briefing.absence("US", coverage, as_of="2022-01-03")[1] == (
        "not designated by the list of 2024-05-03 (942 days old)")
    assert briefing.absence("CA", coverage, as_of="2026-01-01")[1] == (
        "not designated by the list of 2025-09-22 (435 days old)")
    assert briefing.absence("US", coverage, as_of="2021-12-31")[1].startswith(
        "not designated by the list in its versions of 2021-08-18 and 2022-01-03, either side")
    # Two lists: the widest span of the two around the day.
    coverage.at[3, "versions"] = [[date(2020, 4, 15), date(2025, 9, 22)], [date(2021, 6, 1), date(2023, 1, 1)]]
    assert "in its versions of 2020-04-15 and 2025-09-22," in briefing.absence("CA", coverage, as_of="2022-01-01")[1]


def test_a_saved_querys_silence_names_the_lists_it_rests_on(coverage):
    coverage["not_before"] = [pd.NaT, pd.NaT, pd.Timestamp("2026-05-28"), pd.NaT, pd.NaT]
    coverage.loc[coverage.jurisdiction == "EU", "list_date"] = pd.NaT
    note = briefing.absence_note(coverage, ["not_designated_by"])
    assert note.startswith(
        "Not designated (not_designated_by) means no designation in the lists loaded (US: whole list of "
        "2024-05-03; GB: whole list of 2025-04-10; EU: extracts only, undated, of 2026-05-28 or later by its "
        "newest entry; CA: whole list of 2025-09-22); no list of AU is loaded, so nothing here says what it "
        "designated. This query reads every silence as one;")


def test_a_list_whose_files_lack_its_aliases_says_so(coverage):
    # OFAC's dated versions hold sdn.csv only: a "not designated" by one rests on the
    # entries' main names, and says so.
    coverage["lacks"] = [["addresses", "strong aliases"], [], [], ["addresses"], []]
    state, text = briefing.absence("US", coverage)
    assert (state, text) == ("not designated", "not designated by the list of 2024-05-03 (942 days old)"
                             + briefing.LACKS_ALIASES)
    assert "another name may be missed" in text
    # Addresses alone change no name: the line is as before.
    assert briefing.absence("CA", coverage)[1] == "not designated by the list of 2025-09-22 (435 days old)"


def test_a_list_older_than_the_designation_gives_no_lag(chen, coverage):
    # A UK list of before the US designation cannot say that the UK did not follow.
    coverage.loc[coverage.jurisdiction == "GB", "list_date"] = pd.Timestamp("2019-01-01")
    lines = briefing.state_lines(chen, coverage, JURISDICTIONS)
    gb_line = {line.jurisdiction: line for line in lines}["GB"]
    assert (gb_line.state, gb_line.text) == (
        "not known", "not known: its list of 2019-01-01 is older than the designation of 2020-07-09")
    gb = {x.to: x for x in briefing.lags(lines, "US", coverage)}["GB"]
    assert (gb.days, gb.text) == (None, "GB: not known (its list of 2019-01-01 is older than the US designation)")


def test_whether_a_list_can_say_a_state_did_not_follow():
    # A list of the designation's day or later can; an older one, or an undated one not
    # bounded after it, cannot (graph/dates.py older_than, used by every page and file).
    day = date(2024, 12, 9)
    assert dates.older_than(pd.Timestamp("2025-04-10"), pd.NaT, day) is None
    assert dates.older_than(pd.Timestamp("2024-12-09"), pd.NaT, day) is None
    assert dates.older_than(pd.Timestamp("2024-05-03"), pd.NaT, day) == (
        "its list of 2024-05-03 is older than the designation of 2024-12-09")
    assert dates.older_than(pd.NaT, pd.Timestamp("2026-05-28"), day) is None
    assert dates.older_than(pd.NaT, pd.Timestamp("2024-11-11"), day) == (
        "its list is undated, of 2024-11-11 or later by its newest entry, perhaps older than the "
        "designation of 2024-12-09")
    assert dates.older_than(None, None, day) == "its list is undated, perhaps older than the designation of 2024-12-09"
    assert dates.older_than(pd.Timestamp("2019-01-01"), pd.NaT, None) is None  # no day: nothing to compare


def test_a_record_the_resolver_could_not_tell_apart_makes_silence_not_known(chen, coverage):
    # GB's list has a record the matcher found as alike as 0.97 and left for review: the
    # UK's silence cannot be read as "not designated". A record of another state changes
    # nothing for GB.
    undecided = pd.DataFrame([
        {"jurisdiction": "GB", "record": "gb-ofsi:1", "name": "CHEN Quanguo", "entity": "gb-ofsi:1",
         "score": 0.97, "ours": "us-ofac-sdn:29220"},
        {"jurisdiction": "GB", "record": "gb-ofsi:2", "name": "CHEN Quan Guo", "entity": "gb-ofsi:2",
         "score": 0.80, "ours": "us-ofac-sdn:29220"},
        {"jurisdiction": "EU", "record": "eu-fsf:9", "name": "CHEN Quanguo", "entity": "eu-fsf:9",
         "score": 0.91, "ours": "us-ofac-sdn:29220"},
    ])
    lines = {x.jurisdiction: x for x in briefing.state_lines(chen, coverage, JURISDICTIONS, undecided=undecided)}
    assert lines["GB"].state == "not known"
    assert lines["GB"].text == ("not known: its record gb-ofsi:1 (CHEN Quanguo) may be this target: the matcher "
                                "scored them 0.97 and left them for a person to review (1 other record too)")
    assert lines["EU"].state == "not known" and "eu-fsf:9" in lines["EU"].text
    # Designated states and states with no list are as they were.
    assert lines["US"].state == "designated" and lines["AU"].state == "no list"
    without = {x.jurisdiction: x for x in briefing.state_lines(chen, coverage, JURISDICTIONS)}
    assert without["GB"].state == "not designated"
    # Nor can a lag be counted from it.
    lag = {x.to: x for x in briefing.lags(list(lines.values()), "US", coverage)}
    assert lag["GB"].days is None and lag["GB"].text.startswith("GB: not known: its record gb-ofsi:1 ")


def test_a_delisting_beside_a_record_the_resolver_could_not_tell_apart_is_not_known(coverage):
    # Canada's 2020 record "VTB Bank OAO" is gone from its 2025 list, which lists "VTB"
    # (russia-p2-75) instead, a record the resolver left for review against this target:
    # "delisted by Canada" would say what the data cannot.
    vtb = pd.DataFrame([
        designation(jurisdiction="US", program="RUSSIA-EO14024", program_id="US-RUSSIA-EO14024",
                    since="2022-02-25", basis="first_seen", after="2022-02-24", record_id="17013",
                    dataset="us-ofac-sdn"),
        designation(jurisdiction="CA", program="SEMA Russia", program_id="CA-RUSSIA", since="2020-04-15",
                    basis="on_or_before", delisted_on="2025-09-22", delisted_after="2020-04-15",
                    record_id="russia-s2-3", dataset="ca-sema", source_url=SEMA),
    ])
    undecided = pd.DataFrame([
        {"id": "us-ofac-sdn:17013", "jurisdiction": "CA", "record": "ca-sema:russia-p2-75", "name": "VTB",
         "entity": "ca-sema:russia-p2-75", "score": 1.0, "ours": "us-ofac-sdn:17013"},
    ])
    lines = {x.jurisdiction: x for x in briefing.state_lines(vtb, coverage, JURISDICTIONS, undecided=undecided)}
    assert lines["CA"].state == "not known"
    assert [a.record_id for a in lines["CA"].actions] == ["russia-s2-3"]  # the delisting is still shown
    assert lines["CA"].text.startswith("not known: its record ca-sema:russia-p2-75 (VTB) may be this target")
    assert {x.jurisdiction: x for x in briefing.state_lines(vtb, coverage, JURISDICTIONS)}["CA"].state == "delisted"
    b = briefing.build(pd.DataFrame([{"id": "us-ofac-sdn:17013", "name": "VTB BANK", "kind": "Organization"}]),
                       {"us-ofac-sdn:17013": vtb}, coverage, JURISDICTIONS, made=MADE, undecided=undecided)
    summary = next(x for x in briefing.to_markdown(b).splitlines() if x.startswith("| VTB BANK |"))
    assert "not known: record under review" in summary and "delisted" not in summary
    assert "ca-sema:russia-p2-75 (VTB) may be this target" in briefing.to_html(b)


def test_every_state_that_designates_a_target_in_doubt_is_not_known(coverage):
    # Canada's "VTB" (russia-p2-75) left for review against OFAC's VTB Bank (17013), one
    # entity with Australia's "VTB Bank": if the two are one target, Australia designates
    # it too, so "not designated by Australia" cannot be said either.
    vtb = pd.DataFrame([
        designation(jurisdiction="CA", program="SEMA Russia", program_id="CA-RUSSIA", since="2022-02-24",
                    basis="listed", record_id="russia-p2-75", dataset="ca-sema", source_url=SEMA),
    ])
    undecided = pd.DataFrame([
        {"id": "ca-sema:russia-p2-75", "jurisdiction": j, "record": record, "name": name,
         "entity": "us-ofac-cons:17013", "score": 0.8, "ours": "ca-sema:russia-p2-75",
         "scored": "us-ofac-cons:17013"}
        for j, record, name in [("US", "us-ofac-cons:17013", "VTB BANK PJSC"), ("AU", "au-dfat:6772", "VTB Bank")]
    ])
    lines = {x.jurisdiction: x for x in briefing.state_lines(vtb, coverage, JURISDICTIONS, undecided=undecided)}
    assert lines["US"].text == ("not known: its record us-ofac-cons:17013 (VTB BANK PJSC) may be this target: "
                                "the matcher scored them 0.80 and left them for a person to review")
    assert lines["AU"].text == ("not known: its record au-dfat:6772 (VTB Bank) may be this target: it is one "
                                "target with us-ofac-cons:17013, which the matcher scored 0.80 against this "
                                "one and left for a person to review")
    assert lines["CA"].state == "designated"


def test_a_designation_whose_record_is_as_like_another_target_says_so(chen, coverage):
    # The CA record china-p1-7 scores as high against another target, a UK record, as a
    # join needs: the resolver chose, a person should look. Against another US entry it
    # says nothing: the US keeps its two entries apart.
    undecided = pd.DataFrame([
        {"id": "us-ofac-sdn:29220", "jurisdiction": "GB", "record": "gb-ofsi:9", "name": "CHEN Quan",
         "entity": "gb-ofsi:9", "score": 0.95, "ours": "ca-sema:china-p1-7"},
        {"id": "us-ofac-sdn:29220", "jurisdiction": "US", "record": "us-ofac-sdn:1", "name": "CHEN Quan",
         "entity": "us-ofac-sdn:1", "score": 1.0, "ours": "us-ofac-sdn:29220"},
        {"id": "us-ofac-sdn:29220", "jurisdiction": "GB", "record": "gb-ofsi:8", "name": "CHEN Q",
         "entity": "gb-ofsi:8", "score": 0.80, "ours": "us-ofac-sdn:29220"},
    ])
    lines = {x.jurisdiction: x for x in briefing.state_lines(chen, coverage, JURISDICTIONS, undecided=undecided)}
    assert lines["CA"].state == "designated"
    assert lines["CA"].doubt == ("its record ca-sema:china-p1-7 is as like another target, gb-ofsi:9 (CHEN Quan, "
                                 "0.95): which of the two it names is for a person to review")
    assert lines["US"].doubt == ""  # another US entry; and 0.80 is below a join's score
    b = briefing.build(pd.DataFrame([{"id": "us-ofac-sdn:29220", "name": "CHEN, Quanguo", "kind": "Person"}]),
                       {"us-ofac-sdn:29220": chen}, coverage, JURISDICTIONS, made=MADE, undecided=undecided)
    assert lines["CA"].doubt in briefing.to_markdown(b)
    assert "which of the two it names is for a person to review" in briefing.to_html(b)
    # The summary table says it too, and why the UK's answer is not known: not its list's age.
    summary = next(x for x in briefing.to_markdown(b).splitlines() if x.startswith("| CHEN, Quanguo |"))
    assert "2024-12-09 (listed) (record in doubt)" in summary
    assert "not known: record under review" in summary and "list older" not in summary


def test_a_list_that_leaves_out_the_uns_listings_says_nothing_of_a_un_listed_target(coverage):
    # Canada's autonomous list holds its own designations only: the UN's, which Canada
    # applies under the United Nations Act regulations, are in no list of Canada's.
    listed = pd.DataFrame([
        designation(jurisdiction="UN", program="ISIL and Al-Qaida", program_id="UN-SCISIL",
                    since="2001-01-25", basis="listed", record_id="6908555", dataset="un-sc"),
        designation(jurisdiction="US", program="SDGT", program_id="US-SDGT", since="2001-09-23",
                    basis="listed", record_id="2676", dataset="us-ofac-sdn"),
    ])
    apart = coverage.assign(leaves_out_un=coverage.jurisdiction == "CA")
    lines = {x.jurisdiction: x for x in briefing.state_lines(listed, apart, ["US", "GB", "CA", "UN"])}
    assert (lines["CA"].state, lines["CA"].text) == ("not known", briefing.UN_APART)
    assert lines["GB"].state == "not designated"  # the UK's list holds the UN's listings
    lag = {x.to: x for x in briefing.lags(list(lines.values()), "UN", apart)}
    assert lag["CA"].text == f"CA: {briefing.UN_APART}" and lag["CA"].days is None
    # Delisted by the UN, or never listed by it: Canada's silence counts again.
    ended = listed.assign(delisted_on=[pd.Timestamp("2020-01-01"), pd.NaT])
    assert {x.jurisdiction: x for x in briefing.state_lines(ended, apart, ["CA"])}["CA"].state == "not designated"


def test_a_list_that_leaves_out_a_family_says_nothing_of_a_target_designated_under_it(coverage):
    # Hamas (OFAC 4695, FTO and SDGT): Canada lists it as a terrorist entity under its
    # Criminal Code, a list apart from its autonomous list (data/datasets.yaml).
    hamas = pd.DataFrame([
        designation(jurisdiction="US", program="SDGT", program_id="US-SDGT", since="2021-08-18",
                    basis="on_or_before", record_id="4695", dataset="us-ofac-sdn"),
    ])
    left_out = dict(find_dataset("ca-sema").leaves_out_families)
    apart = coverage.assign(leaves_out_families=[left_out if j == "CA" else {} for j in coverage.jurisdiction])
    lines = {x.jurisdiction: x for x in briefing.state_lines(hamas, apart, ["US", "GB", "CA"])}
    assert lines["CA"].state == "not known" and lines["CA"].text.startswith(briefing.FAMILY_APART)
    assert "counter-terrorism programs" in lines["CA"].text and "Criminal Code" in lines["CA"].text
    assert briefing.unknown_because(lines["CA"].text) == "listed apart"
    assert lines["GB"].state == "not designated"  # the UK's list holds its terrorist designations
    lag = {x.to: x for x in briefing.lags(list(lines.values()), "US", apart)}
    assert lag["CA"].text == f"CA: {lines['CA'].text}" and lag["CA"].days is None
    # Ended by the US (OFAC's FARC, 2021): Canada's Criminal Code may list it still.
    ended = hamas.assign(delisted_on=pd.Timestamp("2022-01-01"))
    assert {x.jurisdiction: x for x in briefing.state_lines(ended, apart, ["CA"])}["CA"].state == "not known"
    # A comparison of human-rights programs does not count the family: Canada's
    # autonomous list holds them, and its silence says "not designated".
    compared = model().compared_programs(["US", "CA"], "human_rights", None, False)
    lines = {x.jurisdiction: x for x in briefing.state_lines(hamas, apart, ["CA"], compared=compared)}
    assert lines["CA"].state == "not designated"


def test_a_state_listing_a_target_under_a_un_regime_says_the_un_lists_it(coverage):
    # Australia's 3177, Al-Shabaab under "2713 (Al-Shabaab)" (data/programs/au.yaml
    # implements UN-SC2713), in an entity the UN's record of it was not joined to: the
    # UN's list cannot be read as silent on it, nor Canada's autonomous list.
    shabaab = pd.DataFrame([
        designation(jurisdiction="AU", program="2713 (Al-Shabaab)", program_id="AU-UN-SOMALIA",
                    since="2010-04-12", basis="listed", record_id="3177", dataset="au-dfat"),
    ])
    un_row = pd.DataFrame([{"jurisdiction": "UN", "name": "United Nations", "status": "full",
                            "lists": ["un-sc (full)"], "list_date": pd.Timestamp("2026-02-27"), "age_days": 282}])
    states = pd.concat([coverage, un_row], ignore_index=True)
    states["age_days"] = states["age_days"].astype("Int64")
    states = states.assign(leaves_out_un=states.jurisdiction == "CA", status=states.status.mask(
        states.jurisdiction == "AU", "full"))
    lines = {x.jurisdiction: x for x in briefing.state_lines(shabaab, states, ["AU", "UN", "CA", "GB"])}
    assert lines["AU"].state == "designated"
    assert (lines["UN"].state, lines["UN"].text) == ("not known", briefing.UN_UNMATCHED)
    assert (lines["CA"].state, lines["CA"].text) == ("not known", briefing.UN_APART)
    assert lines["GB"].state == "not designated"  # its list holds the UN's listings
    lag = {x.to: x for x in briefing.lags(list(lines.values()), "AU", states)}
    assert lag["UN"].days is None and lag["UN"].text == f"UN: {briefing.UN_UNMATCHED}"
    assert briefing.unknown_because(lines["UN"].text) == "UN record not matched"
    # Australia's own terrorism listings (1373: the UN keeps no list under it) say nothing
    # of the UN; nor does a listing ended.
    for other in (shabaab.assign(program_id="AU-CT-1373"), shabaab.assign(delisted_on=pd.Timestamp("2020-01-01"))):
        lines = {x.jurisdiction: x for x in briefing.state_lines(other, states, ["UN", "CA"])}
        assert lines["UN"].state == lines["CA"].state == "not designated"


def test_a_bound_between_two_versions_of_one_day_says_so():
    # OFAC's history holds two versions of some days (2021-12-02: Belarus's designations
    # appeared between them): "2021-12-02 (first seen; after 2021-12-02)" read as a riddle.
    assert dates.describe("2021-12-02", "first_seen", "2021-12-02") == (
        "2021-12-02 (first seen between two versions of that day)")
    assert dates.describe("2021-12-10", "first_seen", "2021-12-09") == "2021-12-10 (first seen; after 2021-12-09)"
    assert dates.describe_delisting("2022-03-11", "2022-03-11") == (
        "delisted 2022-03-11 (gone between two versions of that day)")
    assert dates.describe_delisting("2022-03-11", "2022-03-10") == "delisted by 2022-03-11 (after 2022-03-10)"
