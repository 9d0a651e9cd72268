"""python -m graph query / gaps / export: results as table, CSV or JSON; bad input exits
non-zero with one line on stderr."""

import csv
import io
import json
import subprocess
import sys

import networkx as nx
import pytest

from conftest import ON_THE_CASE_GRAPH
from graph import __main__ as cli
from reliability.processes import use_environment


def run(env, *args):
    return subprocess.run([sys.executable, "-m", "graph", *args], env=env, capture_output=True,
                          text=True, timeout=300)


def test_query_lags_as_csv(demo_graph, cli_env):
    out = run(cli_env, "query", "lags", "--param", "base=US", "-p", "others=GB,CA",
              "-p", "family=human_rights", "-p", "include_country_regimes=true", "-p", "country=CN",
              "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    zhu = {r["to"]: r for r in rows if r["name"] == "ZHU, Hailun"}
    assert (zhu["GB"]["base_date"], zhu["GB"]["follow_date"], zhu["GB"]["days"]) == ("2020-07-09", "2021-03-22", "256")
    chen = {r["to"]: r for r in rows if r["name"] == "CHEN, Quanguo"}
    assert (chen["GB"]["follow_date"], chen["GB"]["days"], chen["CA"]["days"]) == ("", "", "1614")
    assert {r["date_basis"] for r in rows} == {"announced"}
    # An empty follow_date is "not designated": what that rests on is said on stderr,
    # which the CSV file leaves out (its rows all parse above).
    assert "Not designated (follow_date) means no designation in the lists loaded (" in out.stderr
    assert "GB: whole list of 2025-04-10" in out.stderr and "CA: whole list of 2025-09-22" in out.stderr


def test_gaps_as_json_and_table(demo_graph, cli_env):
    out = run(cli_env, "gaps", "--family", "human_rights", "--include-country-regimes",
              "--country", "CN", "--jurisdictions", "US,GB,EU,CA", "--format", "json")
    assert out.returncode == 0, out.stderr
    chen = next(r for r in json.loads(out.stdout) if r["name"] == "CHEN, Quanguo")
    assert [chen[j] for j in ("US", "GB", "EU", "CA")] == ["2020-07-09", None, None, "2024-12-09"]
    table = run(cli_env, "gaps", "--family", "human_rights", "--country", "CN",
                "--jurisdictions", "US,GB", "--date-basis", "listed")
    assert table.returncode == 0, table.stderr
    header, *lines = table.stdout.splitlines()
    assert header.split()[:5] == ["id", "name", "kind", "US", "GB"]
    assert any("ZHU, Hailun" in line and "2021-03-22" in line for line in lines)


def test_query_list_and_neighbourhood_table(demo_graph, cli_env):
    listing = run(cli_env, "query")
    assert listing.returncode == 0, listing.stderr
    assert "neighbourhood(id: str, hops: int[1..3] = 1," in listing.stdout
    out = run(cli_env, "query", "neighbourhood", "-p", "id=us-ofac-sdn:29220", "-p", "designations=false")
    assert out.returncode == 0, out.stderr
    assert "XINJIANG PRODUCTION AND CONSTRUCTION CORPS" in out.stdout and "DESIGNATED_UNDER" not in out.stdout


@pytest.mark.parametrize("args, error", [
    (["query", "gapz"], "error: no saved query 'gapz'; the saved queries are changes, closed_gaps, coordinated_actions,"),
    (["query", "lags", "-p", "hops=2"], "error: lags: no parameter 'hops'; its parameters are base,"),
    (["query", "lags", "-p", "as_of=soon"], "error: lags: parameter 'as_of' must be a date (YYYY-MM-DD), got 'soon'"),
    (["query", "lags", "-p", "base"], "error: --param needs KEY=VALUE, got 'base'"),
    (["query", "program_members"], "error: program_members: parameter 'program' is required (text)"),
    (["query", "lags", "--format", "xlsx"], "error: unknown --format 'xlsx'; choose one of table, csv, json"),
    (["gaps", "--date-basis", "effective"], "error: gap_matrix: parameter 'date_basis' must be one of 'announced', 'listed', got 'effective'"),
    (["export", "--format", "xml", "--out", "x.xml"], "error: unknown export format 'xml'; choose one of csv, graphml, gexf, ftm"),
    (["export", "--out", "x.xml"], "error: give --format (csv, graphml, gexf, ftm) and --out PATH"),
])
def test_bad_input_exits_2_with_one_line(demo_graph, cli_env, monkeypatch, capsys, args, error):
    # Through the command line's main() in this process, as `python -m graph` runs it (the
    # test below runs one in a process of its own): a process costs 1.5 s of imports.
    use_environment(monkeypatch, cli_env)
    assert cli.main(args) == 2
    said = capsys.readouterr().err.strip()
    assert said.startswith(error) and len(said.splitlines()) == 1


def test_bad_input_exits_2_from_a_process_of_its_own(demo_graph, cli_env):
    out = run(cli_env, "query", "lags", "-p", "as_of=soon")
    assert out.returncode == 2
    assert out.stderr.strip() == "error: lags: parameter 'as_of' must be a date (YYYY-MM-DD), got 'soon'"


@ON_THE_CASE_GRAPH  # a small graph is enough to check the command (test_export.py)
def test_export_graphml(case_graph, cli_env, tmp_path):
    out = run(cli_env, "export", "--format", "graphml", "--out", str(tmp_path / "g.graphml"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(tmp_path / "g.graphml")
    nodes = case_graph.read("MATCH (n) WHERE n:Entity OR n:Program OR n:Jurisdiction OR n:Call "
                            "RETURN count(n) AS n")[0]["n"]
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == nodes
