"""A briefing from a real graph, written by the command line: the PDF opens and reads back
(pdftotext) with each state's line; a call's briefing covers every target it names.

The graph: `case_graph` (tests/conftest.py): Canada's list of 2025-09-22, the curated
case, and OFAC's entries for the targets the case names."""

from __future__ import annotations

import shutil
import subprocess
import sys


from conftest import ON_THE_CASE_GRAPH, ROOT

#: Shares the case graph with the modules that read it (tests/conftest.py).
pytestmark = ON_THE_CASE_GRAPH


def briefing(cli_env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph", "briefing", *args], cwd=ROOT, env=cli_env,
                          capture_output=True, text=True, timeout=600)


def test_a_pdf_briefing_opens_and_says_what_each_state_did(case_graph, cli_env, tmp_path):
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
    chen = case_graph.search("chen quanguo").id[0]
    out = tmp_path / "chen.pdf"
    done = briefing(cli_env, "--ids", chen, "--jurisdictions", "US,GB,EU,CA,AU", "--format", "pdf",
                    "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    # In reading order (no -layout): a table cell's lines stay together.
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Who designated these targets, and who did not" in flat
    assert "2024-12-09 (listed)" in flat  # Canada's SEMA China listing, its list's own date
    assert "2020-07-09 (announced)" in flat  # Treasury's press release, and the visa ban…
    assert "announcement: Treasury Sanctions Chinese Entity" in flat
    assert "secondary source" in flat  # …whose only source is an NGO's account
    # GB, EU, AU: none of their lists is loaded here, which is never "not designated".
    assert "no list loaded" in flat and "not designated" not in flat
    assert "Freshness of the lists" in flat and "Where the dates and links come from" in flat
    assert f"--ids {chen}" in flat


def test_a_calls_briefing_in_markdown_covers_every_target_it_names(case_graph, cli_env, tmp_path):
    out = tmp_path / "call.md"
    done = briefing(cli_env, "--call", "hrf-joint-letter-2020-08-18", "--jurisdictions", "US,GB,CA",
                    "--format", "md", "--out", str(out))
    assert done.returncode == 0, done.stderr
    md = out.read_text(encoding="utf-8")
    named = case_graph.run_saved("urged_vs_designated", call="hrf-joint-letter-2020-08-18")
    assert md.count("\n### ") == named.id.nunique()
    assert "- Call: hrf-joint-letter-2020-08-18" in md
    assert "`urged_vs_designated`" in md


def test_bad_requests_exit_2_with_one_line(case_graph, cli_env, tmp_path):
    done = briefing(cli_env, "--ids", "no-such:entity", "--out", str(tmp_path / "x.pdf"))
    assert done.returncode == 2 and done.stderr.strip() == "error: no entity no-such:entity"
    done = briefing(cli_env, "--family", "human_rights", "--format", "docx", "--out", str(tmp_path / "x"))
    assert done.returncode == 2 and "unknown --format 'docx'" in done.stderr
