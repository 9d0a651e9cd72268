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

import pandas as pd
import pytest
import yaml

from conftest import CASE_OFAC_ENTRIES, DATA, ROOT, loaded, without_case_lists
from graph import briefing
from graph.exc import InvalidInput, NotFound

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


def test_a_briefing_on_given_targets_compares_and_dates_them_as_asked(xinjiang, case, sdn):
    """Targets given by id, call or case list are compared by the family asked and dated
    on the basis asked, as the gap matrix compares and dates its own. Before, both were
    ignored while the briefing's command line repeated them: a designation under any
    program counted, and every date was the announcement's."""
    ent = next(e for e, row in sdn.items() if row[1] == "WANG, Mingshan")
    record, listed = canada_listed(sdn)[ent]  # Canada's list: its DateOfListing
    announced = next(a["date"].isoformat() for a in case["announcements"] if a["jurisdiction"] == "CA"
                     and {"record": f"ca-sema:{record}"} in a["designates"])  # Global Affairs Canada
    assert listed != announced  # 2021-03-21 against 2021-03-22
    given = {"ids": [f"us-ofac-sdn:{ent}"], "jurisdictions": ["US", "CA"]}

    def canada_line(md: str) -> str:
        return next(line for line in md.splitlines() if line.startswith("- **Canada (CA)**"))

    assert f"designated: {announced} (announced)" in canada_line(xinjiang.brief("md", **given))
    by_list = xinjiang.brief("md", **given, date_basis="listed")
    assert f"designated: {listed} (listed)" in canada_line(by_list) and "- Dates: listed" in by_list

    # Chen Quanguo: OFAC's Global Magnitsky designation, the State Department's visa ban
    # (other measures) and Canada's SEMA China listing, a human-rights one (data/programs/).
    chen = {"ids": ["us-ofac-sdn:29220"], "jurisdictions": ["US", "CA"]}
    rights = xinjiang.brief("md", **chen, family="human_rights")
    assert "- Program family: human\\_rights" in rights
    us = rights[rights.index("- **United States (US)**: designated:"):rights.index("- **Canada (CA)**")]
    glomag, visa_ban = us.splitlines()[1:]
    assert "(US-GLOMAG)" in glomag and "(outside the programs compared)" not in glomag
    assert "(US-7031C)" in visa_ban and "(outside the programs compared)" in visa_ban
    other = xinjiang.brief("md", **chen, family="non_proliferation")
    assert "| CHEN, Quanguo | other program only | other program only |" in other
    with pytest.raises(InvalidInput, match="country chooses targets from the gap matrix"):
        xinjiang.brief("md", **chen, country="CN")


@pytest.mark.parametrize("selection", [
    {"family": "human_rights"},
    {"family": "human_rights", "include_country_regimes": True},
    {"family": "other_measures"},
    {"program": "US-GLOMAG"},
    {"program": "CA-CHINA", "family": "human_rights"},
])
def test_a_briefing_counts_the_designations_the_gap_matrix_counts(xinjiang, selection):
    """Model.counts, which a briefing on given targets applies to their designations, and
    the gap matrix's filter in Cypher (queries/_designations.cypher) count the same
    designations of every target of the matrix."""
    matrix = xinjiang.gap_matrix(**selection)
    assert len(matrix) > 0
    rows = xinjiang.read("UNWIND $ids AS id MATCH (e:Entity {id: id})<-[:TARGETS]-(d:Designation)-[:UNDER]->(p:Program) "
                         "RETURN e.id AS id, d.jurisdiction AS jurisdiction, p.id AS program_id, p.family AS family",
                         ids=list(matrix.id))
    designations = pd.DataFrame(rows)
    by_target = dict(tuple(designations.groupby("id")))
    uncounted = 0
    for target, programs in zip(matrix.id, matrix.programs):
        counted = briefing.counted_programs(by_target[target], **selection)
        assert {j: set(p) for j, p in counted.items()} == {j: set(p) for j, p in programs.items()}, target
        uncounted += len(by_target[target]) - sum(map(len, counted.values()))
    if "program" in selection or not selection.get("include_country_regimes"):
        assert uncounted > 0, "the selection leaves out some designations of its targets"
