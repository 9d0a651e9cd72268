"""A gap matrix row as plain columns (graph/export.py gap_table), without a database: a
state whose list is older than the target's first designation is "not known", never
"not designated"."""

import pandas as pd

from graph.export import first_designation, gap_table


def test_a_list_older_than_the_first_designation_says_not_known():
    # The US listed a target on 2025-06-01. The UK list loaded is of 2025-04-10: it cannot
    # say the UK did not follow. Canada's, of 2025-09-22, can: not designated. Australia's
    # is undated but holds an entry of 2025-07-01, so it is of a later day: it can too.
    matrix = pd.DataFrame([{
        "id": "us-ofac-sdn:1", "name": "A Target", "kind": "Person", "countries": ["CN"],
        "US": pd.Timestamp("2025-06-01"), "GB": pd.NaT, "CA": pd.NaT, "AU": pd.NaT,
        "bases": {"US": "listed"}, "after": {}, "programs": {"US": ["US-GLOMAG"]},
        "record_ids": {"US": "1"}, "lists": {"US": "us-ofac-sdn"}, "sources": {"US": "https://x"},
        "delisted": {}, "delisted_after": {}, "date_basis": "announced",
    }])
    coverage = pd.DataFrame([
        {"jurisdiction": "US", "status": "full", "list_date": pd.Timestamp("2025-06-30"), "not_before": pd.NaT},
        {"jurisdiction": "GB", "status": "full", "list_date": pd.Timestamp("2025-04-10"), "not_before": pd.NaT},
        {"jurisdiction": "CA", "status": "full", "list_date": pd.Timestamp("2025-09-22"), "not_before": pd.NaT},
        {"jurisdiction": "AU", "status": "full", "list_date": pd.NaT, "not_before": pd.Timestamp("2025-07-01")},
    ])
    assert first_designation(matrix.iloc[0]).isoformat() == "2025-06-01"
    row = gap_table(matrix, coverage).iloc[0]
    assert row["US status"] == "designated"
    assert row["GB status"] == "not known: its list of 2025-04-10 is older than the designation of 2025-06-01"
    # A "not designated" cited from the file names the list and its day.
    assert row["CA status"].startswith("not designated by the list of 2025-09-22 (")
    assert row["AU status"] == "not designated by the undated list loaded (of 2025-07-01 or later by its newest entry)"
    # Without the coverage, nothing is known of the lists' dates: as before, "not designated".
    assert gap_table(matrix).iloc[0]["GB status"] == "not designated"
    # Canada's list holds a record the resolver could not tell from the target (a pair
    # left for review): its silence says nothing either.
    undecided = pd.DataFrame([
        {"id": "us-ofac-sdn:1", "jurisdiction": "CA", "record": "ca-sema:x-1", "name": "A. Target",
         "entity": "ca-sema:x-1", "score": 0.82, "ours": "us-ofac-sdn:1"},
        {"id": "us-ofac-sdn:2", "jurisdiction": "AU", "record": "au-dfat:9", "name": "Another",
         "entity": "au-dfat:9", "score": 0.95, "ours": "us-ofac-sdn:2"},
    ])
    row = gap_table(matrix, coverage, undecided=undecided).iloc[0]
    assert row["CA status"] == ("not known: its record ca-sema:x-1 (A. Target) may be this target: the matcher "
                                "scored them 0.82 and left them for a person to review")
    assert row["AU status"].startswith("not designated by the undated list")  # the other row's doubt is not this one's
    # Nor can a delisting be read as one where such a record is in force: Canada's record
    # of the target left its list, and another it lists may be the target.
    delisted = matrix.assign(CA=pd.Timestamp("2020-04-15"), bases=[{"US": "listed", "CA": "on_or_before"}],
                             delisted=[{"CA": pd.Timestamp("2025-09-22")}])
    assert gap_table(delisted, coverage).iloc[0]["CA status"] == "delisted"
    assert gap_table(delisted, coverage, undecided=undecided).iloc[0]["CA status"].startswith(
        "not known: its record ca-sema:x-1 (A. Target) may be this target")
    # A list that leaves out the UN's listings (Canada's autonomous one) says nothing of a
    # UN-listed target.
    apart = coverage.assign(leaves_out_un=coverage.jurisdiction == "CA")
    row = gap_table(matrix, apart, un_listed={"us-ofac-sdn:1"}).iloc[0]
    assert row["CA status"].startswith("not known: this target is listed under a UN Security Council regime")
    assert gap_table(matrix, apart, un_listed=set()).iloc[0]["CA status"].startswith("not designated by the list of")
