"""Case lists (graph/cases.py): the "Xinjiang 2020 letter" made from the call that names
its targets, kept in the graph through a reload, used as a filter by the gap matrix and
the saved queries, from the command line and the client; and its briefing in Markdown,
HTML and PDF, read back for each target, each state's date or absence and each record id.
Expected values come from the source files: the curated case (the call's names, the
announcements' dates), OFAC's sdn.csv, Canada's SEMA list and the EU's 2020/1998 annex."""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import CASE_OFAC_ENTRIES, DATA, ROOT, loaded, without_case_lists
from graph.exc import NotFound

CANADA = DATA / "canada" / "sema-lmes_2025-09-22.xml"
CALL = "hrf-joint-letter-2020-08-18"
NAME = "Xinjiang 2020 letter"


@pytest.fixture(scope="module")
def case():
    return yaml.safe_load((DATA / "curated" / "xinjiang.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sdn():
    """sdn.csv's rows by ent_num."""
    return {r[0]: r for r in csv.reader((DATA / "ofac" / "sdn.csv").open(encoding="utf-8"))
            if r and r[0] in CASE_OFAC_ENTRIES}


@pytest.fixture
def xinjiang(graph, case_ofac_sdn):
    """The ten OFAC entries, Canada's 2025 list, the EU's 2020/1998 annex, the curated case:
    loaded once for the module; each test's case lists are deleted after it."""
    loaded(graph, "case+eu", [("ofac-sdn-csv", case_ofac_sdn), ("ca-sema-xml", CANADA),
                              ("eu-oj-csv", DATA / "eu" / "eu_oj_32020R1998.csv"), ("curated", DATA / "curated")])
    yield from without_case_lists(graph)


def cli(cli_env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph", *args], cwd=ROOT, env=cli_env,
                          capture_output=True, text=True, timeout=600)


def letter_keys(case) -> list[str]:
    return next(c for c in case["calls"] if c["id"] == CALL)["names"]


def us_dates(case) -> dict[str, str]:
    """The Treasury announcement's date of each OFAC record (GLOMAG)."""
    return {d["record"]: a["date"].isoformat() for a in case["announcements"] if a["jurisdiction"] == "US"
            for d in a["designates"] if d.get("program") == "GLOMAG"}


def canada_listed(sdn) -> dict[str, tuple[str, str]]:
    """ent_num → (record id, DateOfListing) for the letter's people on Canada's list,
    matched by surname and given name as sdn.csv writes them ("CHEN, Quanguo")."""
    found = {}
    for r in ET.parse(CANADA).getroot().iter("record"):
        for ent, row in sdn.items():
            last, _, given = row[1].partition(", ")
            if (r.findtext("LastName") or "").upper() == last and r.findtext("GivenName") == given:
                part = r.findtext("Schedule").split()[-1]
                found[ent] = (f"china-p{part}-{r.findtext('Item')}", r.findtext("DateOfListing"))
    return found


def test_a_case_list_from_a_call_filters_the_gap_matrix_and_survives_a_reload(xinjiang, cli_env, case):
    made = cli(cli_env, "case", NAME, "--call", CALL, "--description", "the 71 NGOs' letter")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"{NAME} (id xinjiang-2020-letter, {len(letter_keys(case))} targets; "
                                  f"made from call {CALL}: ")
    expected = {xinjiang.entity(k)["id"] for k in letter_keys(case)}
    found = xinjiang.case_list("xinjiang-2020-letter")
    assert set(found["targets"].id) == expected and found["name"] == NAME
    assert xinjiang.case_lists().set_index("id").at["xinjiang-2020-letter", "targets"] == len(expected)

    # The gap matrix and a saved query: only its targets (by id or by name).
    matrix = xinjiang.gap_matrix(family="human_rights", include_country_regimes=True, case=NAME)
    assert set(matrix.id) == expected
    everyone = xinjiang.gap_matrix(family="human_rights", include_country_regimes=True)
    assert set(everyone.id) > expected  # Wang Junzheng and Chen Mingguo are not in the letter
    lags = xinjiang.run_saved("lags", base="US", case="xinjiang-2020-letter")
    assert set(lags.target) <= expected and not lags.empty
    assert "xinjiang-2020-letter" in xinjiang.choices("case")

    # A reload of the curated case (its calls are rewritten) and of Canada's list keep it.
    xinjiang.load("curated", DATA / "curated", force=True)
    xinjiang.load("ca-sema-xml", CANADA, force=True)
    assert set(xinjiang.case_list(NAME)["targets"].id) == expected

    shown = cli(cli_env, "case", "--format", "csv")
    assert shown.returncode == 0, shown.stderr
    assert f"xinjiang-2020-letter,{NAME},{len(expected)},call {CALL}" in shown.stdout
    gaps = cli(cli_env, "gaps", "--case", "xinjiang-2020-letter", "--family", "human_rights",
               "--include-country-regimes", "--jurisdictions", "US,CA", "--format", "csv")
    assert gaps.returncode == 0, gaps.stderr
    assert {r["id"] for r in csv.DictReader(gaps.stdout.splitlines())} == expected


def test_a_case_list_from_ids_a_search_and_a_file_and_what_is_refused(xinjiang, cli_env, tmp_path):
    chen = xinjiang.entity("us-ofac-sdn:29220")["id"]
    xpcc = xinjiang.entity("us-ofac-sdn:29299")["id"]
    listed = tmp_path / "targets.txt"
    listed.write_text("# two targets\nus-ofac-sdn:29220\nXinjiang Production and Construction Corps\n",
                      encoding="utf-8")
    assert set(xinjiang.case_list("From a file", file=listed)["targets"].id) == {chen, xpcc}
    assert set(xinjiang.case_list("From ids", ["us-ofac-sdn:29220"])["targets"].id) == {chen}
    xinjiang.case_list("From ids", ["us-ofac-sdn:29299"], replace=False)
    assert set(xinjiang.case_list("from-ids")["targets"].id) == {chen, xpcc}
    assert chen in set(xinjiang.case_list("Chen", search="chen quanguo")["targets"].id)
    with pytest.raises(NotFound, match="no entity no-such:entity"):
        xinjiang.case_list("Bad", ["no-such:entity"])
    assert xinjiang.case_list("Bad") is None, "nothing was written"
    refused = cli(cli_env, "case", "Nothing")
    assert refused.returncode == 2
    assert refused.stderr.strip() == ("error: no case list 'Nothing'; make one with --ids, --call, "
                                      "--search or --file")


def pdf_text(path) -> str:
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def html_text(document: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", document, flags=re.S)))


def test_the_letters_briefing_in_three_formats_names_every_target_date_and_record(
        xinjiang, cli_env, case, sdn, tmp_path):
    xinjiang.case_list(NAME, call=CALL)
    keys = letter_keys(case)
    targets = {xinjiang.entity(k)["id"]: k.split(":")[1] for k in keys}
    # Each state's announced designations of the letter's targets, as the curated case
    # has them (day, record id); Canada's 2024 listings, as its list has them.
    expected: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for a in case["announcements"]:
        for d in a["designates"]:
            entity = xinjiang.entity(d["record"])
            if entity and entity["id"] in targets and not d["record"].startswith("curated:"):
                expected.setdefault((entity["id"], a["jurisdiction"]), []).append(
                    (f"{a['date'].isoformat()} (announced)", d["record"].split(":", 1)[1]))
    for ent, (record, listed) in canada_listed(sdn).items():
        entity = xinjiang.entity(f"us-ofac-sdn:{ent}")["id"]
        if entity in targets and (entity, "CA") not in expected:
            expected[(entity, "CA")] = [(f"{listed} (listed)", record)]
    assert {j for _, j in expected} == {"US", "EU", "CA"}
    assert all((t, "US") in expected for t in targets)

    md = xinjiang.brief("md", case=NAME, jurisdictions=["US", "GB", "EU", "CA"])
    page = xinjiang.brief("html", case="xinjiang-2020-letter", jurisdictions=["US", "GB", "EU", "CA"])
    out = tmp_path / "letter.pdf"
    done = cli(cli_env, "brief", "--case", "xinjiang-2020-letter", "--jurisdictions", "US,GB,EU,CA",
               "--format", "pdf", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{out}: a briefing on {len(keys)} targets, US, GB, EU, CA"

    for text, cells_wrap in ((md, False), (html_text(page), False), (pdf_text(out), True)):
        flat = " ".join(text.split()).replace("\\", "")
        assert f"{NAME}: who designated these targets, and who did not" in flat
        assert "Case list: Xinjiang 2020 letter (xinjiang-2020-letter)" in flat
        # Each target's section of the part "Each target, state by state", in its order.
        detail = flat[flat.index("Each target, state by state"):]
        starts = sorted((detail.index(sdn[ent][1]), entity) for entity, ent in targets.items())
        for (start, entity), (end, _) in zip(starts, starts[1:] + [(len(detail), None)]):
            section = detail[start:end]
            for j in ("US", "EU", "CA"):
                for day, record in expected.get((entity, j), []):
                    # pdftotext reads a table's wrapped cells side by side: "United States
                    # 2020-07-09 (US) (announced)"; the day and its basis are each there.
                    said = all(w in section for w in day.split(" ", 1)) if cells_wrap else day in section
                    # …and a narrow cell breaks "china-p1-11" at a hyphen, which it drops.
                    pattern = re.escape(record).replace(r"\-", "-? ?" if cells_wrap else "-")
                    assert said and re.search(rf"(?<![\w.-]){pattern}(?![\w-])", section), (
                        targets[entity], j, day, record)
            if (entity, "EU") not in expected:
                # A case list compares every measure: the EU's one regime's annex says nothing.
                assert "only extracts of its lists are loaded" in section
            assert "no list loaded" in section  # GB
        assert any((t, "EU") not in expected for t in targets)
        assert "python -m graph brief --case xinjiang-2020-letter" in flat
