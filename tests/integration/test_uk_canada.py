"""Issue 3: the UK and Canadian lists in a real Neo4j, and Canada's delisting history
from the 2020 list to the 2025 one. The four loads happen once for the module."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from conftest import DATA
from loaders.canada import CanadaSemaLoader

CA_2020 = DATA / "canada" / "sema-lmes_2020-04-15.xml"
CA_2025 = DATA / "canada" / "sema-lmes_2025-09-22.xml"
OFSI = DATA / "uk" / "ofsi_conlist_2025-04-10.xlsx"
FCDO = DATA / "uk" / "uk_sanctions_list_sample_2026-09-10.xml"
UK_XINJIANG = ["14074", "14076", "14077", "14078", "14079"]


@pytest.fixture
def loaded(demo_graph):
    """The demo graph holds both Canadian versions (2020, then 2025) and both UK lists.
    Returns it with each list version's Source node, keyed by file name."""
    sources = demo_graph.read("MATCH (s:Source) UNWIND s.files AS file "
                              "RETURN split(file, ' (')[0] AS path, s {.*} AS source")
    return demo_graph, {Path(r["path"]).name: r["source"] for r in sources}


def ca_ids(path):
    return {r.record_id for r in CanadaSemaLoader().read([path])}


def test_canada_2025_delists_what_the_2020_list_had_and_2025_lacks(loaded):
    g, sources = loaded
    gone = ca_ids(CA_2020) - ca_ids(CA_2025)
    assert sources[CA_2020.name]["records"] == 1369 and sources[CA_2025.name]["records"] == 5090
    assert len(gone) == 112  # the Source's own count is reset by any later reload of the file
    rows = g.read(
        """
        MATCH (d:Designation {dataset: 'ca-sema'}) WHERE d.status IN ['inactive', 'moved']
        RETURN d.record_id AS id, d.status AS status, d.delisted_on AS delisted_on,
               d.delisted_after AS after, d.delisted_by AS why
        """)
    # Each entry the 2025 list lacks left it, or moved to a new item number (Sberbank,
    # Gazprombank, VEB, Bortnikov, Zolotov, …: tests/integration/test_dates.py).
    assert {r["id"] for r in rows} == gone
    moved = {r["id"] for r in rows if r["status"] == "moved"}
    assert {"russia-s2-6", "russia-s2-1", "russia-s2-2", "russia-s2-3", "russia-p1-50", "russia-p1-108"} <= moved
    assert {(r["after"].to_native(), r["delisted_on"].to_native(), r["why"])
            for r in rows if r["status"] == "inactive"} == {(date(2020, 4, 15), date(2025, 9, 22), "absence")}
    # Never deleted: the records of the 2020 list stay, marked removed or moved.
    records = g.read("MATCH (r:Record {dataset: 'ca-sema'}) RETURN r.status AS status, count(*) AS n")
    assert {r["status"]: r["n"] for r in records} == {"active": 5090, "removed": 112 - len(moved),
                                                       "moved": len(moved)}
    listed = g.sources()
    ca = listed[listed.dataset == "ca-sema"].sort_values("published_on")
    assert list(ca.published_on) == [pd.Timestamp("2020-04-15"), pd.Timestamp("2025-09-22")]
    assert list(ca.current) == [False, True]


def test_designations_as_of_either_list_date(loaded):
    g, _ = loaded

    def canada(key, as_of=None):
        # The record's own designations: its entity may gather other entries (Canada
        # lists Maduro under Venezuela and under the JVCFOA).
        d = g.designations(key, as_of=as_of)
        return d[d.record_key == key]

    gone = canada("ca-sema:zimbabwe-102")  # in 2020 only
    assert list(zip(gone.program_id, gone.status, gone.delisted_on)) == [
        ("CA-ZIMBABWE", "inactive", pd.Timestamp("2025-09-22"))]
    assert len(canada("ca-sema:zimbabwe-102", as_of="2020-04-15")) == 1
    assert canada("ca-sema:zimbabwe-102", as_of="2025-09-22").empty
    for kept in ("ca-sema:syria-p2-1", "ca-sema:iran-p2-1", "ca-sema:jvcfor-1"):  # in both
        assert len(canada(kept, as_of=date(2020, 4, 15))) == 1, kept
        assert len(canada(kept, as_of=date(2025, 9, 22))) == 1, kept
    chen = canada("ca-sema:china-p1-5")  # listed 2024-12-09, after the 2020 list
    assert canada("ca-sema:china-p1-5", as_of="2020-04-15").empty
    assert list(canada("ca-sema:china-p1-5", as_of="2025-09-22").listed_on) == [pd.Timestamp("2024-12-09")]
    # Made for Xinjiang's human rights violations (data/programs/ca.yaml family_grounds).
    assert list(zip(chen.program_id, chen.family)) == [("CA-CHINA", "human_rights")]


def test_china_and_uk_xinjiang_records_with_their_dates(loaded):
    g, sources = loaded
    china = g.read(
        """
        MATCH (d:Designation {dataset: 'ca-sema'})-[:UNDER]->(p:Program {id: 'CA-CHINA'})
        RETURN d.record_id AS id, d.listed_on AS listed_on
        """)
    expected = {f"china-p1-{i}": date(2021, 3, 21) if i <= 4 else date(2024, 12, 9) for i in range(1, 13)}
    expected["china-p2-1"] = date(2021, 3, 21)
    assert {r["id"]: r["listed_on"].to_native() for r in china} == expected

    assert (sources[OFSI.name]["records"], sources[OFSI.name]["designations"]) == (4686, 4702)
    uk = g.read(
        """
        UNWIND $ids AS id
        MATCH (d:Designation {record_key: 'gb-ofsi:' + id})-[:UNDER]->(p:Program)
        RETURN d.record_id AS id, p.id AS program, p.family AS family, d.listed_on AS listed_on
        """, ids=UK_XINJIANG)
    assert sorted((r["id"], r["program"], r["family"], r["listed_on"].to_native()) for r in uk) == [
        (i, "GB-GLOBAL-HUMAN-RIGHTS", "human_rights", date(2021, 3, 22)) for i in UK_XINJIANG]


def test_the_two_uk_lists_join_on_their_shared_ids(loaded):
    g, sources = loaded
    akhund = g.entity("gb-fcdo:AFG0006")  # OFSIGroupID 7172 = the ConList's Group ID
    assert {"gb-fcdo:AFG0006", "gb-ofsi:7172"} <= {r["key"] for r in akhund["records"]}
    d = g.designations("gb-fcdo:AFG0006")
    d = d[d.jurisdiction == "GB"]  # the UN list names him too
    # One program whichever spelling: ConList "Afghanistan", FCDO the regulation's title.
    assert set(zip(d.dataset, d.program_id)) == {("gb-ofsi", "GB-AFGHANISTAN"), ("gb-fcdo", "GB-AFGHANISTAN")}
    # The excerpt's parent companies and subsidiary are not in its five records: said, not invented.
    assert sources[FCDO.name]["unresolved_links"] == 3
