"""Every date true or honestly bounded, on the demo graph: the basis of each designation
date, the US list dated by its 308 versions and OFAC's 2023 change archive, moves between
Canada's schedules, removals bounded by two versions, and what "not designated" rests on.
Expected values are read from the real files here, not from the code under test."""

from __future__ import annotations

import csv
import re
from datetime import date

import pandas as pd
from lxml import etree

from tests.conftest import DATA

ZAKIR, TUNIYAZ = "us-ofac-sdn:34079", "us-ofac-sdn:34119"


def test_no_date_is_the_day_a_list_was_loaded(demo_graph):
    rows = demo_graph.read(
        """
        MATCH (d:Designation)
        OPTIONAL MATCH (d)-[:RECORDED_IN]->(held:Source)
        OPTIONAL MATCH (listing:Source {dataset: d.dataset, current: true}) WHERE held IS NULL
        WITH d, coalesce(held, listing) AS s, coalesce(d.announced_on, d.listed_on, d.first_seen) AS since
        WHERE since = date(s.loaded_at) AND NOT since IN [d.listed_on, d.announced_on]
          AND NOT since IN [s.published_on, date(s.downloaded_at)]
        RETURN d.id AS id, since
        """)
    assert rows == []


def test_every_us_designation_in_force_has_a_date_or_a_bound(demo_graph):
    rows = {r["basis"]: r["n"] for r in demo_graph.read(
        """
        MATCH (d:Designation {jurisdiction: 'US', status: 'active'})
        RETURN CASE WHEN d.announced_on IS NOT NULL THEN 'announced'
                    WHEN d.listed_on IS NOT NULL THEN 'listed'
                    ELSE coalesce(d.seen_basis, 'unknown') END AS basis, count(*) AS n
        """)}
    assert "unknown" not in rows, rows
    # The history dates every entry added after its first version (2021-08-18): first
    # seen, or announced where OFAC's 2023 archive names it; the rest were listed on or
    # before 2021-08-18 (9,083 entries in that version, some under several programs).
    assert rows["first_seen"] + rows["announced"] > 6000 and rows["on_or_before"] > 9000, rows
    print(f"US designations in force by basis: {rows}; day-precise (listed or announced): "
          f"{(rows.get('listed', 0) + rows.get('announced', 0)) / sum(rows.values()):.1%}")


def test_zakir_and_tuniyaz_first_seen_on_the_day_the_us_acted(demo_graph):
    for key in (ZAKIR, TUNIYAZ):
        us = demo_graph.designations(key).query("jurisdiction == 'US'")
        assert list(us.basis) == ["first_seen"], us
        assert list(us.since.dt.date) == [date(2021, 12, 10)]
        assert list(us.after.dt.date) == [date(2021, 12, 9)]
        assert list(us.date) == ["2021-12-10 (first seen; after 2021-12-09)"]
    # Canada listed both on 2024-12-09; the matrix shows both states, each with its basis.
    matrix = demo_graph.gap_matrix(family="human_rights", jurisdictions=["US", "CA"]).set_index("id")
    row = matrix.loc[demo_graph.entity(ZAKIR)["id"]]
    assert (row.US.date(), row.bases["US"]) == (date(2021, 12, 10), "first_seen")
    assert (row.CA.date(), row.bases["CA"]) == (date(2024, 12, 9), "listed")


def test_the_2023_change_archive_gives_announced_dates(demo_graph):
    # GAO Qi (39417), added on 2023-12-08 under GLOMAG (sdnnew23.txt).
    text = (DATA / "ofac" / "sdnnew23.txt").read_text(encoding="latin-1")
    assert re.search(r"12/08/23.*?GAO, Qi", text, re.S)
    us = demo_graph.designations("us-ofac-sdn:39417").query("jurisdiction == 'US'")
    glomag = us[us.program_id == "US-GLOMAG"]
    assert list(glomag.announced_on.dt.date) == [date(2023, 12, 8)]
    assert list(glomag.basis) == ["announced"]


def test_a_program_added_to_an_entry_or_dropped_is_dated_by_its_versions(demo_graph):
    """OFAC keeps an entry's id when it adds a program or drops one: Mnangagwa (7513) went
    from ZIMBABWE to GLOMAG in its version of 2024-03-04 (EO 14118), Boris Rotenberg
    (16671) gained RUSSIA-EO14024 in that of 2022-03-04. The entry's first version
    (2021-08-18) dates neither (tests/unit/test_history.py finds them in the versions)."""
    rows = demo_graph.read(
        """
        MATCH (d:Designation) WHERE d.record_key IN ['us-ofac-sdn:7513', 'us-ofac-sdn:16671']
        RETURN d.record_id AS entry, d.program AS program, d.status AS status, d.seen_basis AS basis,
               toString(d.first_seen) AS first, toString(d.first_seen_after) AS after,
               toString(d.delisted_on) AS gone_by, toString(d.delisted_after) AS last_seen
        ORDER BY entry, program
        """)
    assert rows == [
        {"entry": "16671", "program": "RUSSIA-EO14024", "status": "active", "basis": "first_seen",
         "first": "2022-03-04", "after": "2022-03-01", "gone_by": None, "last_seen": None},
        {"entry": "16671", "program": "UKRAINE-EO13661", "status": "active", "basis": "on_or_before",
         "first": "2021-08-18", "after": None, "gone_by": None, "last_seen": None},
        {"entry": "7513", "program": "GLOMAG", "status": "active", "basis": "first_seen",
         "first": "2024-03-04", "after": "2024-02-28", "gone_by": None, "last_seen": None},
        # Ended while the entry stayed listed: bounded by the versions around it.
        {"entry": "7513", "program": "ZIMBABWE", "status": "inactive", "basis": "on_or_before",
         "first": "2021-08-18", "after": None, "gone_by": "2024-03-04", "last_seen": "2024-02-28"},
    ]


def test_an_ofac_entry_folded_into_another_is_not_a_delisting(demo_graph):
    """Kadyrov's duplicate entry 36459 (2022-09-15 to 2022-11-14) was folded into 23343,
    which gained RUSSIA-EO14024 in the version of 2022-11-14 (tests/unit/test_history.py
    finds the fold in the versions). The US listed him under EO 14024 from 2022-09-15,
    and neither entry's designations ended."""
    rows = demo_graph.read(
        """
        MATCH (d:Designation) WHERE d.record_key IN ['us-ofac-sdn:36459', 'us-ofac-sdn:23343']
        RETURN d.record_id AS entry, d.program AS program, d.status AS status,
               toString(d.first_seen) AS first, toString(d.first_seen_after) AS after,
               d.delisted_on AS delisted, d.moved_to AS moved_to, d.history AS history
        ORDER BY entry, program
        """)
    kept = {r["program"]: r for r in rows if r["entry"] == "23343"}
    folded = [r for r in rows if r["entry"] == "36459"]
    assert {r["program"] for r in folded} == {"GLOMAG", "MAGNIT", "RUSSIA-EO14024"}
    for r in folded:
        assert (r["status"], r["delisted"]) == ("moved", None), r
        assert r["moved_to"] == f"us-ofac-sdn:23343/US-{r['program']}", r
        assert [h.split(" ", 1)[1] for h in r["history"]] == ["listed", "moved to 23343"], r
        # First seen in the version of 2022-09-15 and moved in that of 2022-11-14, not on
        # the replay's last day (2024-05-03).
        assert r["history"] == ["2022-09-15 listed", "2022-11-14 moved to 23343"], r
    record = demo_graph.read("MATCH (r:Record {key: 'us-ofac-sdn:36459'}) "
                             "RETURN toString(r.first_seen) AS first, toString(r.removed_on) AS gone, r.history AS history")
    assert record == [{"first": "2022-09-15", "gone": "2022-11-14",
                       "history": ["2022-09-15 listed", "2022-11-14 moved to 23343"]}], record
    assert (kept["RUSSIA-EO14024"]["first"], kept["RUSSIA-EO14024"]["after"]) == ("2022-09-15", "2022-09-14")
    assert kept["GLOMAG"]["first"] == "2021-08-18" and kept["GLOMAG"]["status"] == "active"
    assert {r["status"] for r in kept.values()} == {"active"}
    # One target: the two entries are one entity, whose US designations are all in force.
    entity = demo_graph.entity("us-ofac-sdn:36459")["id"]
    assert demo_graph.entity("us-ofac-sdn:23343")["id"] == entity
    us = demo_graph.designations(entity).query("jurisdiction == 'US'")
    assert us.delisted_on.isna().all(), us
    # The page cites both entries: 23343's EO 14024 date is 36459's, first seen there.
    from graph import briefing

    cited = {(r["record_id"], r["program_id"]): briefing.action_text(briefing.action(r))
             for r in us.to_dict("records")}
    eo14024 = cited["23343", "US-RUSSIA-EO14024"]
    assert eo14024.startswith("2022-09-15 (first seen; after 2022-09-14)"), eo14024
    assert eo14024.endswith("record 23343 (us-ofac-sdn), moved from 36459"), eo14024
    # 36459's GLOMAG moved into 23343's, whose own date is the earlier.
    glomag = cited["23343", "US-GLOMAG"]
    assert glomag.startswith("on or before 2021-08-18") and glomag.endswith("moved from 36459"), glomag
    assert {k[1] for k, t in cited.items() if t.endswith("record 36459 (us-ofac-sdn), moved to 23343")} \
        == {"US-GLOMAG", "US-MAGNIT", "US-RUSSIA-EO14024"}, cited
    # What changed, as the changes page says it: the move between the last version that
    # held 36459 (2022-11-09) and the one of 2022-11-14.
    moved = demo_graph.changes("2021-01-01", jurisdictions=["US"], kinds=["moved"])
    moved = moved[moved.record_id == "23343"]
    assert set(moved.detail) == {"moved from 36459 to 23343"}
    assert {(d.date(), a.date(), b) for d, a, b in zip(moved.date, moved["after"], moved.basis)} \
        == {(date(2022, 11, 14), date(2022, 11, 9), "first_seen")}


def test_a_renamed_ofac_entry_is_amended_in_the_version_that_renamed_it(demo_graph):
    """OFAC's 28354 is "ALTABAEVA, Ekaterina Borisovna" in the history's versions up to
    2022-09-29 and "ALTABAEVA, Ekateryna Borysovna" from 2022-09-30 (tests/unit/
    test_history.py reads the day off git); the demo's 2021 sdn.csv names 12743 "SYRIAN
    MILITARY INTELLIGENCE", which every version of the history writes "… DIRECTORATE",
    from the first (2021-08-18). Neither change is of the replay's last day, 2024-05-03."""
    sdn = (DATA / "ofac" / "sdn.csv").read_text(encoding="latin-1")
    assert re.search(r'^12743,"SYRIAN MILITARY INTELLIGENCE",', sdn, re.MULTILINE)
    amended = demo_graph.changes("2021-01-01", jurisdictions=["US"], kinds=["amended"])
    rows = {r["record_id"]: r for r in amended.to_dict("records") if r["record_id"] in ("28354", "12743")}
    assert rows["28354"]["detail"] == "names no longer listed: ALTABAEVA, Ekaterina Borisovna"
    assert (rows["28354"]["date"].date(), rows["28354"]["after"].date(), rows["28354"]["basis"]) \
        == (date(2022, 9, 30), date(2022, 9, 29), "first_seen")
    assert rows["12743"]["detail"] == "names no longer listed: SYRIAN MILITARY INTELLIGENCE"
    assert (rows["12743"]["date"].date(), rows["12743"]["basis"]) == (date(2021, 8, 18), "on_or_before")
    assert pd.isna(rows["12743"]["after"])


def test_a_us_not_designated_says_the_versions_replayed_lack_its_aliases(demo_graph):
    # The US list is OFAC's dated history, whose versions hold sdn.csv only (no alt.csv):
    # entries new since the 2021 set carry their main names only.
    from graph import briefing

    coverage = demo_graph.coverage()
    lacks = coverage.set_index("jurisdiction").lacks
    assert lacks["US"] == ["addresses", "remarks longer than 1,000 characters", "strong aliases"]
    assert lacks["GB"] == [] and lacks["CA"] == []
    assert briefing.absence("US", coverage)[1].endswith(briefing.LACKS_ALIASES)
    assert not briefing.absence("GB", coverage)[1].endswith(briefing.LACKS_ALIASES)


def test_a_move_between_canadas_schedules_is_not_a_delisting(demo_graph):
    g = demo_graph
    for old, new in [("russia-s2-6", "russia-p2-74"),       # Sberbank
                     ("russia-s2-1", "russia-p2-94"),       # Gazprombank
                     ("russia-s2-2", "russia-p2-72"),       # VEB
                     ("russia-p1-50", "russia-p1.1-1"),     # Bortnikov, to Part 1.1
                     ("russia-p1-108", "russia-p1.1-9")]:   # Zolotov, to Part 1.1
        ca = g.designations(f"ca-sema:{new}").query("jurisdiction == 'CA'")
        assert set(ca.record_id) >= {old, new}, ca
        assert ca.delisted_on.isna().all() and set(ca.status) == {"active", "moved"}, ca
        # The first date is the 2020 list's, where the entry was already listed.
        assert ca.date.iloc[0] == "on or before 2020-04-15", ca


def test_the_zimbabwe_listings_left_between_the_two_versions(demo_graph):
    old = etree.parse(str(DATA / "canada" / "sema-lmes_2020-04-15.xml"))
    zimbabwe = sum(1 for country in old.iter("Country") if (country.text or "").startswith("Zimbabwe"))
    rows = demo_graph.read(
        """
        MATCH (d:Designation {dataset: 'ca-sema', program_id: 'CA-ZIMBABWE'})
        WHERE d.seen_basis = 'on_or_before'   // in the 2020 list already
        RETURN d.status AS status, toString(d.delisted_after) AS after, toString(d.delisted_on) AS by,
               count(*) AS n ORDER BY status
        """)
    # 100 left the list between the two versions; the others are in the 2025 list too.
    assert rows == [{"status": "active", "after": None, "by": None, "n": zimbabwe - 100},
                    {"status": "inactive", "after": "2020-04-15", "by": "2025-09-22", "n": 100}]
    assert zimbabwe == 181


def test_un_removals_are_bounded_by_the_two_versions(demo_graph):
    def references(name):
        tree = etree.parse(str(DATA / "un" / name))
        return {e.findtext("DATAID"): e.findtext("REFERENCE_NUMBER") for e in tree.iter("INDIVIDUAL", "ENTITY")}
    old, new = references("UN_consolidated_2024-11-30.xml"), references("UN_consolidated_2026-02-27.xml")
    gone = set(old) - set(new)
    # The Haiti entries were issued again under new DATAIDs with their reference
    # numbers (HTi.002 …): moves, not delistings.
    reissued = {i for i in gone if old[i] in set(new.values())}
    rows = demo_graph.read(
        """
        MATCH (r:Record {dataset: 'un-sc'}) WHERE r.status IN ['removed', 'moved']
        RETURN r.record_id AS id, r.status AS status, toString(r.removed_after) AS after,
               toString(r.removed_on) AS by
        """)
    assert {r["id"] for r in rows if r["status"] == "removed"} == gone - reissued
    assert {r["id"] for r in rows if r["status"] == "moved"} == reissued
    assert len(gone - reissued) == 6 and len(reissued) == 6
    assert {(r["after"], r["by"]) for r in rows if r["status"] == "removed"} == {("2024-11-30", "2026-02-27")}


def test_each_designation_cites_the_version_that_last_held_it(demo_graph):
    """A designation the current version of its list holds cites that version; one that
    left cites the last version that held it (graph/model.yaml RECORDED_IN)."""
    g = demo_graph

    def cited(key):
        """The list dates the record's designations cite."""
        return set(g.designations(key).query("record_key == @key").list_date.dt.date)

    # Canada: of the 2020 list's 181 Zimbabwe listings, 100 left by 2025 (test above).
    zimbabwe = {r["status"]: r["key"] for r in g.read(
        "MATCH (d:Designation {dataset: 'ca-sema', program_id: 'CA-ZIMBABWE'}) "
        "RETURN d.status AS status, min(d.record_key) AS key")}
    assert cited(zimbabwe["inactive"]) == {date(2020, 4, 15)}
    assert cited(zimbabwe["active"]) == {date(2025, 9, 22)}
    # The UN: entries removed or issued again under a new id (test above) were last
    # held by the 2024 list; one in both lists is held by the 2026 one.
    def dataids(name):
        return {e.findtext("DATAID") for e in etree.parse(str(DATA / "un" / name)).iter("INDIVIDUAL", "ENTITY")}
    old, new = dataids("UN_consolidated_2024-11-30.xml"), dataids("UN_consolidated_2026-02-27.xml")
    for dataid in sorted(old - new):
        assert cited(f"un-sc:{dataid}") == {date(2024, 11, 30)}, dataid
    assert cited(f"un-sc:{min(old & new)}") == {date(2026, 2, 27)}
    # Every list: a designation that left has one RECORDED_IN, to a version of its own
    # list of the day it was last seen (delisted_after, where the list says it by absence);
    # one the current version holds has none.
    rows = g.read(
        """
        MATCH (d:Designation)
        OPTIONAL MATCH (d)-[:RECORDED_IN]->(s:Source)
        WITH d, collect(s) AS held
        RETURN d.status = 'moved' OR coalesce(d.delisted_by, '') = 'absence' AS left, size(held) AS versions,
               all(s IN held WHERE s.dataset = d.dataset AND (d.delisted_after IS NULL OR
                   coalesce(s.published_on, date(s.downloaded_at)) = d.delisted_after)) AS dated,
               count(*) AS n ORDER BY left
        """)
    assert [(r["left"], r["versions"], r["dated"]) for r in rows] == [(False, 0, True), (True, 1, True)], rows
    # The replayed US history among them: entries that left before its newest version.
    assert g.read(
        "MATCH (d:Designation {dataset: 'us-ofac-sdn', delisted_by: 'absence'})-[:RECORDED_IN]->(s:Source) "
        "RETURN count(DISTINCT s) AS n")[0]["n"] > 10


def test_not_designated_says_what_it_rests_on(demo_graph):
    coverage = demo_graph.coverage().set_index("jurisdiction")
    assert coverage.loc["US"].status == "full" and coverage.loc["US"].list_date == pd.Timestamp("2024-05-03")
    assert coverage.loc["CA"].status == "full" and coverage.loc["CA"].list_date == pd.Timestamp("2025-09-22")
    assert coverage.loc["AU"].status == "full"
    # Australia's list states no date: its newest Control Date bounds it (the list is of
    # that day or later), said beside "undated" and never taken for its date.
    assert pd.isna(coverage.loc["AU"].list_date) and pd.isna(coverage.loc["AU"].age_days)
    assert coverage.loc["AU"].not_before == pd.Timestamp("2024-11-11")
    assert any(x.endswith("undated, of 2024-11-11 or later by its newest entry)") for x in coverage.loc["AU"].lists)
    assert pd.isna(coverage.loc["US"].not_before)  # a dated list needs no bound
    # The EU: one regulation's annex and a 5-record sample of the FSF list.
    assert coverage.loc["EU"].status == "partial"
    assert any("eu-fsf (sample" in x for x in coverage.loc["EU"].lists)
    # The annex states no date: the EU's answer is of no one day, only of the day the annex's
    # newest listing (2026-05-28, eu_oj_32020R1998.csv) bounds it by, older than the
    # sample's 2026-08-05; not the sample's date, as if it were the whole list's.
    assert pd.isna(coverage.loc["EU"].list_date) and coverage.loc["EU"].not_before == pd.Timestamp("2026-05-28")
    assert coverage.loc["JP"].status == "no list" and coverage.loc["JP"].lists == []
    # "Not designated" names the whole list it rests on, as its publisher does
    # (data/datasets.yaml covers): Canada's is its autonomous sanctions list.
    from graph import briefing

    rows = coverage.reset_index()
    assert coverage.loc["CA"].rests_on == ["Consolidated Canadian Autonomous Sanctions List"]
    assert briefing.absence("CA", rows)[1].startswith(
        "not designated by the Consolidated Canadian Autonomous Sanctions List of 2025-09-22 (")
    assert briefing.absence("AU", rows)[1] == (
        "not designated by the undated DFAT Consolidated List loaded (of 2024-11-11 or later by its newest entry)")
    assert coverage.loc["EU"].rests_on == [] and coverage.loc["JP"].rests_on == []


def test_the_default_view_answers_the_letters_question(demo_graph):
    """China, human rights, no toggle: Canada's 2021 listings under its China regime count."""
    g = demo_graph
    matrix = g.gap_matrix(family="human_rights", country="CN",
                          jurisdictions=["US", "GB", "EU", "CA", "AU"]).set_index("id")
    chen = matrix.loc[g.entity("us-ofac-sdn:29220")["id"]]
    assert chen.US.date() == date(2020, 7, 9) and chen.CA.date() == date(2024, 12, 9)
    assert pd.isna(chen.GB) and pd.isna(chen.EU) and pd.isna(chen.AU)
    assert not {"GB", "EU", "AU"} & set(chen.bases)
    zhu = matrix.loc[g.entity("us-ofac-sdn:29219")["id"]]
    assert zhu.US.date() == date(2020, 7, 9)
    assert [zhu[j].date() for j in ("GB", "EU", "CA")] == [date(2021, 3, 22)] * 3
    listed = g.gap_matrix(family="human_rights", country="CN", jurisdictions=["CA"],
                          date_basis="listed").set_index("id")
    assert (listed.loc[zhu.name].CA.date(), listed.loc[zhu.name].bases["CA"]) == (date(2021, 3, 21), "listed")


def test_coordinated_actions_say_who_acted_on_whom(demo_graph):
    actions = demo_graph.coordinated_actions(family="human_rights", country="CN").set_index("start")
    day = actions.loc[pd.Timestamp("2021-03-22")]
    us = next(a for a in day.acted if a.startswith("US: "))
    # The US acted on two of the five that day (Wang Junzheng, Chen Mingguo).
    assert len(us.split(": ", 1)[1].split("; ")) == 2, day.acted


def test_the_follow_up_list_after_the_us_additions_of_2021_12_10(demo_graph):
    """Zakir and Tuniyaz: new gaps for the UK, the EU and Australia; Canada closed its gap
    on 2024-12-09, a lag known only as a range (the US date is a first-seen bound)."""
    g = demo_graph
    states = dict(jurisdictions=["US", "GB", "EU", "CA", "AU"], family="human_rights")
    gaps = g.new_gaps(since="2021-12-10", **states)
    closed = g.closed_gaps(since="2021-12-10", **states)
    for key in (ZAKIR, TUNIYAZ):
        target = g.entity(key)["id"]
        mine = gaps[(gaps.id == target) & gaps.gap]
        assert set(mine.jurisdiction) == {"GB", "EU", "AU"}, mine
        assert set(mine.first_by) == {"US"}
        canada = closed[(closed.id == target) & (closed.jurisdiction == "CA")].iloc[0]
        assert (canada.date.date(), canada.followed) == (date(2024, 12, 9), "US")
        # From after 2021-12-09 / by 2021-12-10 to 2024-12-09: 1,095 or 1,096 days.
        assert (canada.days_min, canada.days_max) == (1095, 1096) and pd.isna(canada.days)


def test_a_removal_after_an_undated_version_is_a_bound(demo_graph):
    """OFAC's sdn.csv of 2021 is undated; the history's first version is of 2021-08-18.
    An entry of the first and not the second (Ferdows, 29892) left on or before
    2021-08-18: no day is known, and none is shown."""
    rows = [r for r in csv.reader((DATA / "ofac" / "sdn.csv").open(encoding="utf-8")) if r and r[0] == "29892"]
    assert len(rows) == 1
    us = demo_graph.designations("us-ofac-sdn:29892").query("jurisdiction == 'US'")
    assert set(us.delisted_by) == {"absence"} and us.delisted_after.isna().all()
    assert set(us.delisted) == {"delisted on or before 2021-08-18"}, us.delisted
    # Its lines say the same day: the replay's oldest version, not its newest (2024-05-03).
    lines = demo_graph.read(
        "MATCH (r:Record {key: $key}) RETURN [h IN r.history WHERE h ENDS WITH ' no longer listed'] AS gone "
        "UNION ALL MATCH (d:Designation {record_key: $key}) "
        "RETURN [h IN d.history WHERE h ENDS WITH ' no longer listed'] AS gone",
        key="us-ofac-sdn:29892",
    )
    assert [r["gone"] for r in lines] == [["2021-08-18 no longer listed"]] * (1 + len(us)), lines


def test_an_announcement_after_a_version_that_held_the_designation_does_not_date_it(demo_graph):
    """OFAC's 2023 archive adds JOINT STOCK COMPANY STAR under RUSSIA-EO14024 on 09/14/23
    (then entry 44738, folded into 44022 on 09/25/23, which the archive lists as a
    change). The change is no designation day: the versions held the designation from
    2023-09-14."""
    lines = (DATA / "ofac" / "sdnnew23.txt").read_text(encoding="latin-1").splitlines()
    added = next(i for i, line in enumerate(lines) if line.startswith("JOINT STOCK COMPANY STAR (a.k.a."))
    day = next(line for line in reversed(lines[:added]) if re.match(r"^\d\d/\d\d/\d\d:", line))
    assert day.startswith("09/14/23")
    us = demo_graph.designations("us-ofac-sdn:44022").query("program_id == 'US-RUSSIA-EO14024'")
    assert set(us.since.dt.date) == {date(2023, 9, 14)}, us[["date", "announced_on", "first_seen"]]
    assert set(us.basis) == {"first_seen"} and us.announced_on.isna().all()


def test_a_change_names_its_programs_in_order(demo_graph):
    """`change_id` is the Atom feed's entry id: a change of a record under several
    programs names them sorted, so that a graph built again, which may hold them in
    another order, gives the same change the same id (the GRU's 34823: US-CYBER2,
    US-ELECTION-EO13848, US-UKRAINE-EO13661 in one build, another order in the next)."""
    added = demo_graph.changes("2021-01-01", jurisdictions=["US"], kinds=["added"])
    several = added[added.program.str.contains(", ")]
    assert len(several) > 100, several
    assert [p for p in several.program if p != ", ".join(sorted(p.split(", ")))] == []
    days = several.date.dt.strftime("%Y-%m-%d")
    assert list(several.change_id) == list("added " + several.record_key + " " + several.program + " " + days)


def test_as_of_a_day_that_bounds_only_surround_whether_it_was_in_force_is_not_known(demo_graph):
    """As of a day, a designation whose dates are bounds around it is neither "designated"
    then nor "not designated": before, a filter `since <= as_of` took each bound for a day
    and dropped it, so that as of 2020-12-31 the US had designated 8 targets of the
    demo's 12,120 and "not designated" the rest."""
    from graph import briefing
    from graph.export import gap_table

    # OFAC's Wagner entry: in the history's first version (2021-08-18) under UKRAINE-EO13660.
    wagner = demo_graph.entity("us-ofac-sdn:22543")["id"]
    before = demo_graph.designations(wagner, as_of="2020-12-31").query("jurisdiction == 'US'")
    assert list(before.program_id) == ["US-UKRAINE-EO13660"] and before.in_force.isna().all()
    since = demo_graph.designations(wagner, as_of="2021-08-18").query("jurisdiction == 'US'")
    assert list(since.in_force) == [True]
    matrix = demo_graph.gap_matrix(as_of="2020-12-31", jurisdictions=["US", "GB", "CA"])
    row = matrix.set_index("id").loc[wagner]
    assert row.in_force_unknown == ["US"] and row.bases["US"] == "on_or_before"
    table = gap_table(matrix[matrix.id == wagner], demo_graph.coverage()).iloc[0]
    assert table["US status"] == briefing.IN_FORCE_UNKNOWN + ": on or before 2021-08-18"
    # The UK and Canada listed it in 2022. The UK's one list loaded is of 2025-04-10: a
    # designation of 2020 ended before then would be in none, so its silence says
    # nothing of 2020-12-31; Canada's lists of 2020-04-15 and 2025-09-22 lack it, and
    # its silence rests on both (its newest alone says nothing of 2020).
    assert table["GB status"].startswith(briefing.BEFORE_VERSIONS + "2025-04-10, after the day asked")
    assert table["CA status"] == (
        "not designated by the Consolidated Canadian Autonomous Sanctions List in its versions of 2020-04-15 and "
        "2025-09-22, either side of the day asked: a listing made and ended between them is in neither")
    md = demo_graph.brief("md", ids=[wagner], jurisdictions=["US", "GB", "CA"], as_of="2020-12-31")
    # (The UK's and Canada's Africa Corps, in doubt with Wagner, make theirs "not known" too.)
    assert "| PRIVATE MILITARY COMPANY 'WAGNER' | not known: in force then not known |" in md
    assert f"- **United States (US)**: {briefing.IN_FORCE_UNKNOWN}: on or before 2021-08-18 · UKRAINE" in md

    # Canada's Zimbabwe listings in its list of 2020-04-15 and gone from that of
    # 2025-09-22: in force on the first day, ended by the second, not known in between.
    zimbabwe = demo_graph.read(
        """
        MATCH (d:Designation {dataset: 'ca-sema', program_id: 'CA-ZIMBABWE', status: 'inactive'})-[:TARGETS]->(e)
        RETURN e.id AS id ORDER BY d.id LIMIT 1
        """)[0]["id"]

    def canada(day: str) -> list:
        found = demo_graph.designations(zimbabwe, as_of=day).query("program_id == 'CA-ZIMBABWE'")
        return [None if pd.isna(x) else x for x in found.in_force]

    assert (canada("2020-04-15"), canada("2022-01-01"), canada("2025-09-22")) == ([True], [None], [])
