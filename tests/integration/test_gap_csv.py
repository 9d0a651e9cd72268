"""The gap matrix as plain columns (graph.export.gap_table): per jurisdiction the day, its
status and date basis, program, record id, list and source, never a dict or a list; the
same from `python -m graph gaps --format csv`. Expected values are read from the source
files: OFAC's sdn.csv, Canada's SEMA list and the curated case's announcements."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import DATA, ON_THE_CASE_GRAPH, ROOT
from graph.export import GAP_TABLE_FIELDS, gap_table

CANADA = DATA / "canada" / "sema-lmes_2025-09-22.xml"
#: Shares the case graph with the modules that read it (tests/conftest.py).
pytestmark = ON_THE_CASE_GRAPH


@pytest.fixture(scope="module")
def expected():
    """Chen Quanguo as the source files have him."""
    sdn = next(r for r in csv.reader((DATA / "ofac" / "sdn.csv").open(encoding="utf-8"))
               if r[0] == "29220")
    case = yaml.safe_load((DATA / "curated" / "xinjiang.yaml").read_text(encoding="utf-8"))
    treasury = next(a for a in case["announcements"]
                    if {"record": "us-ofac-sdn:29220", "program": "GLOMAG"} in a["designates"])
    record = next(r for r in ET.parse(CANADA).getroot().iter("record")
                  if r.findtext("GivenName") == "Quanguo" and r.findtext("LastName") == "Chen")
    canada = yaml.safe_load((DATA / "datasets.yaml").read_text(encoding="utf-8"))["ca-sema"]
    return {"name": sdn[1], "us_program": sdn[3], "us_date": treasury["date"].isoformat(),
            "us_url": treasury["url"], "ca_date": record.findtext("DateOfListing"),
            "ca_part": record.findtext("Schedule").split()[-1], "ca_item": record.findtext("Item"),
            "ca_url": canada["downloads"][0]["files"]["sema-lmes.xml"]}


def test_chen_quanguos_row_has_program_record_id_source_and_basis(case_graph, expected):
    matrix = case_graph.gap_matrix(family="human_rights", include_country_regimes=True,
                                 jurisdictions=["US", "GB", "CA"])
    table = gap_table(matrix, case_graph.coverage())
    assert list(table.columns[:4]) == ["id", "name", "kind", "countries"]
    assert list(table.columns[4:4 + 1 + len(GAP_TABLE_FIELDS)]) == [
        "US", "US status", "US date basis", "US first seen after", "US program", "US record id",
        "US list", "US source", "US delisted"]
    chen = table[table.name == expected["name"]].iloc[0]
    assert (chen["US"], chen["US status"], chen["US date basis"]) == (expected["us_date"], "designated", "announced")
    assert chen["US program"] == f"US-{expected['us_program']}"
    assert (chen["US record id"], chen["US list"], chen["US source"]) == ("29220", "us-ofac-sdn", expected["us_url"])
    assert (chen["CA"], chen["CA status"], chen["CA date basis"]) == (expected["ca_date"], "designated", "listed")
    assert chen["CA record id"] == f"china-p{expected['ca_part']}-{expected['ca_item']}"  # SEMA China, Part 1, Item 5
    assert chen["CA list"] == "ca-sema"
    # No announcement, no URL of its own, held by the current version: its list's URL.
    assert chen["CA source"] == expected["ca_url"]
    # No GB list is loaded here: "no list", never "not designated", and nothing else said.
    assert chen["GB status"] == "no list"
    assert chen[[c for c in table.columns if c.startswith("GB") and c != "GB status"]].isna().all()
    # Never a dict or a list: every cell is text or empty.
    assert all(isinstance(v, str) or v is None for v in table.to_numpy().ravel())
    assert "{}" not in table.to_csv(index=False) and "[]" not in table.to_csv(index=False)


def test_the_cli_csv_carries_the_same_columns(case_graph, cli_env, expected):
    out = subprocess.run([sys.executable, "-m", "graph", "gaps", "--family", "human_rights",
                          "--include-country-regimes", "--jurisdictions", "US,CA", "--format", "csv"],
                         cwd=ROOT, env=cli_env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert "{}" not in out.stdout
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(out.stdout))}
    chen = rows[expected["name"]]
    assert (chen["US"], chen["US date basis"], chen["US program"], chen["US record id"], chen["US source"]) == (
        expected["us_date"], "announced", f"US-{expected['us_program']}", "29220", expected["us_url"])
    assert (chen["CA"], chen["CA date basis"], chen["CA status"]) == (expected["ca_date"], "listed", "designated")
    assert chen["date_basis"] == "announced"

    # By another family (the State Department's visa ban): Canada's SEMA China listing is
    # "designated under" it, as the app's page and CSV say, not "not designated".
    out = subprocess.run([sys.executable, "-m", "graph", "gaps", "--family", "other_measures",
                          "--jurisdictions", "US,CA", "--format", "csv"],
                         cwd=ROOT, env=cli_env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    chen = {r["name"]: r for r in csv.DictReader(io.StringIO(out.stdout))}[expected["name"]]
    assert (chen["US status"], chen["US program"]) == ("designated", "US-7031C")
    assert (chen["CA"], chen["CA status"]) == ("", "designated under CA-CHINA")
    # As of a day before Canada listed him (2024-12-09, its list says), it had not, under
    # any program; and its only list loaded, of 2025-09-22, says nothing of that day.
    out = subprocess.run([sys.executable, "-m", "graph", "gaps", "--family", "other_measures", "--as-of",
                          "2020-12-31", "--jurisdictions", "US,CA", "--format", "csv"],
                         cwd=ROOT, env=cli_env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    chen = {r["name"]: r for r in csv.DictReader(io.StringIO(out.stdout))}[expected["name"]]
    assert chen["CA status"].startswith("not known: its oldest list loaded is of 2025-09-22, after the day asked")


def test_a_sanction_names_the_cell_before_a_visa_ban_of_the_same_day(case_graph, expected):
    # Any family: the State Department's visa restriction (curated, 7031(c)) and OFAC's
    # listing are of one day; OFAC's record and announcement are the cell's.
    table = gap_table(case_graph.gap_matrix(jurisdictions=["US"]), case_graph.coverage())
    chen = table[table.name == expected["name"]].iloc[0]
    assert (chen["US"], chen["US record id"], chen["US list"], chen["US source"]) == (
        expected["us_date"], "29220", "us-ofac-sdn", expected["us_url"])
    assert chen["US program"].split(", ") == [f"US-{expected['us_program']}", "US-7031C"]
