"""Issue 15: a load resolves only what it changed (graph/resolving.py), and the graph it
leaves is the one resolving every record from scratch gives (`resolve --rebuild`)."""

import subprocess
import sys
from itertools import groupby

import pytest

import graph.resolving
from conftest import DATA, ROOT, resolution_state
from graph.resolve import MERGE
from graph.resolving import Candidates, Resolver
from graph.store import Derivation, SourceWriter

CANADA = DATA / "canada" / "sema-lmes_2025-09-22.xml"


def test_the_demo_loaded_list_by_list_equals_a_rebuild(demo_graph, cli_env):
    """Sixteen loads, each resolving only its own changes (moves between versions, the
    replayed history, the judgements of data/resolution.yaml, FtM files that cite other
    lists), against one resolution of every record."""
    before = _rebuilt_alike(demo_graph, cli_env, timeout=1200)
    # Not an empty comparison: the lists' records joined across lists, as the case needs.
    ids = before["entity_id"]
    assert ids["ca-sema:china-p1-5"] == ids["us-ofac-sdn:29220"] == "us-ofac-sdn:29220"
    assert ids["gb-ofsi:14078"] == ids["eu-oj-2020-1998:I.A-5"] == "us-ofac-sdn:29219"
    assert sum(1 for key, entity in ids.items() if key.startswith("un-sc:") and entity != key) > 500
    assert {m for _, _, m, _, _ in before["same_as"]} == {"matcher", "same_as", "judgement"}


def test_a_reload_of_an_unchanged_list_resolves_nothing(demo_graph):
    before = resolution_state(demo_graph)
    report = demo_graph.load("ca-sema-xml", CANADA, force=True).written
    assert report.compared == 0 and not report.unchanged
    assert report.records == 5090  # every <record> of the file: one record each
    assert resolution_state(demo_graph) == before


def test_a_list_resolved_in_small_parts_equals_a_rebuild(empty_graph, cli_env, monkeypatch):
    """Resolver.incremental clusters a few components at a time; a score below MERGE
    joins nothing, so it may link records of two parts, and is stored by the later one
    (Outcome.across). In parts of 25 records, the UN list's pairs cross parts often."""
    monkeypatch.setattr(graph.resolving, "PART", 25)
    across: list[int] = []
    apply = Derivation.apply

    def counting(self, outcome, **kw):
        across.append(len(outcome.across))
        return apply(self, outcome, **kw)

    monkeypatch.setattr(Derivation, "apply", counting)
    empty_graph.load("un-xml", DATA / "un" / "UN_consolidated_2024-11-30.xml")
    empty_graph.load("un-xml", DATA / "un" / "UN_consolidated_2026-02-27.xml")
    empty_graph.load("eu-oj-csv", DATA / "eu" / "eu_oj_32020R1998.csv")
    assert len(across) > 40 and sum(across) > 0, across
    before = _rebuilt_alike(empty_graph, cli_env)
    assert any(score < MERGE for _, _, score, _, _ in before["candidates"])


@pytest.mark.parametrize("taken", [True, False], ids=["taken", "made-again"])
def test_a_list_new_to_the_graph_is_scored_before_it_is_written(empty_graph, cli_env, monkeypatch, taken):
    """A list new to the graph: each of its records is new, so the pairs to score are found
    and their scoring begun before any record is written (SourceWriter._begin_resolving),
    and resolution takes them. A new version of a list finds them after its writes (only
    the records it changed are scored). Candidates begun from other records than the
    load turns out to change (here: made_of forced false) are made again. Either way,
    the graph is the one a rebuild gives."""
    steps: list[str] = []
    for cls, name in [(Resolver, "candidates"), (SourceWriter, "_records")]:
        monkeypatch.setattr(cls, name, _noting(getattr(cls, name), name, steps))
    made_of = Candidates.made_of
    monkeypatch.setattr(Candidates, "made_of", lambda self, *a: steps.append("made_of") or (taken and made_of(self, *a)))
    for kind, path in [("un-xml", DATA / "un" / "UN_consolidated_2024-11-30.xml"),
                       ("un-xml", DATA / "un" / "UN_consolidated_2026-02-27.xml"),
                       ("eu-fsf-xml", DATA / "eu" / "fsf_sample_2026-08-05.xml")]:
        empty_graph.load(kind, path)
        steps.append("|")
    first_load = ["candidates", "_records", "made_of"] + ([] if taken else ["candidates"])
    assert [step for step, _ in groupby(steps)] == [*first_load, "|", "_records", "candidates", "|", *first_load, "|"]
    before = _rebuilt_alike(empty_graph, cli_env)
    # Not an empty comparison: the EU list's records found in the UN list were joined
    # (by the candidates of its load, the last).
    joined = {(a, b) for a, b, *_ in before["same_as"] if a.split(":")[0] != b.split(":")[0]}
    assert joined == {("eu-fsf:3822", "un-sc:110354"), ("eu-fsf:521", "un-sc:111083"),
                      ("eu-fsf:6106", "un-sc:690738"), ("eu-fsf:6177", "un-sc:2962519")}


def _noting(method, name: str, steps: list[str]):
    def noted(self, *args, **kwargs):
        steps.append(name)
        return method(self, *args, **kwargs)

    return noted


def _rebuilt_alike(graph, cli_env, timeout: int = 600) -> dict:
    """Run `resolve --rebuild` on `graph` and check it moved no record and changed none of
    the resolution (entities, SAME_AS, CANDIDATE edges); returns that resolution."""
    before = resolution_state(graph)
    done = subprocess.run([sys.executable, "-m", "graph", "resolve", "--rebuild"], cwd=ROOT,
                          env=cli_env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    assert "0 records moved to another entity" in done.stderr, done.stderr
    after = resolution_state(graph)
    for what in before:
        assert before[what] == after[what], what
    return before
