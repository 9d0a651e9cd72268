"""Issue 4 through the real store: the lists of the Xinjiang case loaded into Neo4j, one
entity per target, the evidence on the graph, judgements that survive reloads, and ids
that do not move when nothing changed, on the demo graph (every bundled list)."""

import subprocess
import sys
from dataclasses import replace

import pytest

import graph.resolve
from conftest import DATA, ROOT, resolution_state
from graph.resolve import Features, blocking_keys
from graph.store import read_features
from loaders.canada import CanadaSemaLoader
from loaders.ofac_csv import OfacCsvLoader

CANADA = DATA / "canada" / "sema-lmes_2025-09-22.xml"

#: shared/facts/xinjiang_case.md, "What the real list files show": one target a row.
XINJIANG = {
    "Xinjiang Public Security Bureau": ["us-ofac-sdn:29159"],
    "Chen Quanguo": ["us-ofac-sdn:29220", "ca-sema:china-p1-5"],
    "Zhu Hailun": ["us-ofac-sdn:29219", "gb-ofsi:14078", "ca-sema:china-p1-1", "eu-oj-2020-1998:I.A-5"],
    "Wang Mingshan": ["us-ofac-sdn:29162", "gb-ofsi:14076", "ca-sema:china-p1-3", "eu-oj-2020-1998:I.A-7"],
    "Huo Liujun": ["us-ofac-sdn:29160", "ca-sema:china-p1-11"],
    "Xinjiang Production and Construction Corps": ["us-ofac-sdn:29299"],
    "Sun Jinlong": ["us-ofac-sdn:29300"],
    "Peng Jiarui": ["us-ofac-sdn:29319", "ca-sema:china-p1-8"],
    "Wang Junzheng": ["us-ofac-sdn:31492", "gb-ofsi:14077", "ca-sema:china-p1-2", "eu-oj-2020-1998:I.A-6"],
    "Chen Mingguo": ["us-ofac-sdn:31493", "gb-ofsi:14074", "ca-sema:china-p1-4", "eu-oj-2020-1998:I.A-8"],
    "XPCC Public Security Bureau": ["gb-ofsi:14079", "ca-sema:china-p2-1", "eu-oj-2020-1998:I.B-1"],
}


@pytest.fixture
def loaded(demo_graph):
    """Every bundled list: the Xinjiang case must hold with all of them loaded."""
    return demo_graph


def entity_ids(g) -> dict[str, str]:
    return {r["key"]: r["entity"] for r in g.read(
        "MATCH (r:Record)-[:DESCRIBES]->(e:Entity) RETURN r.key AS key, e.id AS entity")}


def test_every_xinjiang_target_is_one_entity_and_the_two_bureaus_two(loaded):
    ids = entity_ids(loaded)
    found = {target: {ids[k] for k in keys} for target, keys in XINJIANG.items()}
    assert all(len(entities) == 1 for entities in found.values()), found
    assert len({next(iter(e)) for e in found.values()}) == len(XINJIANG)
    assert found["Xinjiang Public Security Bureau"] != found["XPCC Public Security Bureau"]
    # The entity id is the US record's where the US listed the target.
    assert found["Chen Quanguo"] == {"us-ofac-sdn:29220"}
    assert found["XPCC Public Security Bureau"] == {"gb-ofsi:14079"}
    designated = loaded.designations("ca-sema:china-p1-5")
    assert set(designated.jurisdiction) >= {"US", "CA"}


def test_the_evidence_is_on_the_graph_and_explained(loaded):
    why = loaded.explain_match("us-ofac-sdn:29220", "ca-sema:china-p1-5")
    assert why["same_entity"] and why["entities"] == ["us-ofac-sdn:29220", "us-ofac-sdn:29220"]
    [step] = why["chain"]
    assert step["method"] == "matcher" and step["score"] >= graph.resolve.MERGE
    assert "born 1955-11 / 1955: agree to the year" in step["features"]
    assert "agree to the year" in why["summary"]
    # Four lists, one entity: the chain runs through SAME_AS edges of the stored evidence.
    why = loaded.explain_match("eu-oj-2020-1998:I.A-8", "ca-sema:china-p1-4")
    assert why["same_entity"] and why["chain"]
    apart = loaded.explain_match("us-ofac-sdn:29159", "gb-ofsi:14079")
    assert not apart["same_entity"]
    assert apart["judgement"]["records"] == ["us-ofac-sdn:29159", "gb-ofsi:14079"]
    assert apart["best"]["score"] < graph.resolve.REVIEW
    same_as = loaded.read("MATCH ()-[m:SAME_AS]->() RETURN count(m) AS n, "
                          "collect(DISTINCT m.method) AS methods")[0]
    assert same_as["n"] > 3000 and set(same_as["methods"]) <= {"matcher", "same_as", "judgement"}


def test_a_refused_join_is_explained_with_the_resolvers_own_reason(loaded):
    # The FCDO sample's AQD0195 (Fadhil Harun, born 1972) shares its UK reference with
    # OFSI 10664 (Hilarion del Rosario Santos, born 1966-03-12): a stated link the
    # birth dates contradict, kept for review with both reasons.
    why = loaded.explain_match("gb-fcdo:AQD0195", "gb-ofsi:10664")
    assert not why["same_entity"]
    [refusal] = [r for r in why["refusals"] if {r["a"], r["b"]} == {"gb-fcdo:AQD0195", "gb-ofsi:10664"}]
    assert refusal["method"] == "same_as"
    assert "both carry the id gb-ref:AQD0195" in refusal["features"]
    assert any(f.startswith("not merged: birth dates") and "1972" in f and "1966-03-12" in f
               for f in refusal["features"]), refusal
    assert "listed for a person to review" in why["summary"] and "not merged: birth dates" in why["summary"]
    # Two people of Canada's Iran schedule given one Persian alias: apart, and the reason said.
    why = loaded.explain_match("ca-sema:iran-p2.1-100", "ca-sema:iran-p2.1-101")
    assert not why["same_entity"] and not why["refusals"]
    assert "a non-Latin name on two entries of one list, not evidence on its own" in why["summary"]


def test_a_state_whose_record_may_be_the_target_is_not_known_not_silent(loaded):
    # OFAC lists Sberbank of Russia (17018) and its Ukrainian subsidiary JSC Sberbank
    # (18715, "Linked To: PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA" in
    # cons_sdnxml_2025-06-30.xml) apart; the UK's PJSC SBERBANK OF RUSSIA (OFSI 15076) and
    # Canada's "Sberbank" match both alike, and the resolver joined them to one. On the
    # other's profile the UK and Canada are "not known", naming their record: never
    # "not designated".
    from graph import briefing

    coverage = loaded.coverage()
    for entity in ("us-ofac-cons:17018", "us-ofac-cons:18715"):
        lines = {x.jurisdiction: x for x in briefing.state_lines(
            loaded.designations(entity), coverage, ["US", "GB", "CA"], undecided=loaded.undecided([entity]))}
        assert lines["US"].state == "designated"
        for state, record in (("GB", "gb-ofsi:15076"), ("CA", "ca-sema:russia-p2-74")):
            joined = loaded.entity(record)["id"] == loaded.entity(entity)["id"]
            assert lines[state].state == ("designated" if joined else "not known"), (entity, lines[state])
            if not joined:
                assert f"its record {record} " in lines[state].text and "review" in lines[state].text
            else:  # joined to one Sberbank, as like the other: the line says so
                assert f"its record {record} is as like another target" in lines[state].doubt, lines[state]


def test_the_store_reads_the_features_the_loaders_give(loaded):
    keys = ["us-ofac-sdn:29159", "us-ofac-sdn:29220", "ca-sema:china-p1-5"]
    stored, _ = read_features(loaded.read, keys)
    records = [r for r in OfacCsvLoader().read([DATA / "ofac" / "sdn.csv"]) if r.key in keys]
    records += [r for r in CanadaSemaLoader().read([CANADA]) if r.key in keys]
    expected = [replace(f, blocking=tuple(sorted(blocking_keys(f))))
                for f in map(Features.of_record, records)]
    assert sorted(stored, key=lambda f: f.key) == sorted(expected, key=lambda f: f.key)


def test_review_candidates_without_a_load(loaded, cli_env):
    frame = loaded.review_candidates()
    # The scores the loads stored, none scored again: the same as a rebuild's
    # (test_resolving.py); 8,178 pairs of the real lists score at least REVIEW.
    assert frame.attrs["records"] > 18000 and frame.attrs["scored"] > 8000
    assert frame.attrs["compared"] == 0
    assert len(frame) > 0 and frame.score.between(graph.resolve.REVIEW, 1.0).all()
    done = subprocess.run([sys.executable, "-m", "graph", "resolve", "--review", "--limit", "2"],
                          cwd=ROOT, env=cli_env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "candidate pairs scored (by the loads)" in done.stderr
    assert "data/resolution.yaml" in done.stdout and "not_same:" in done.stdout


def test_reloads_keep_every_entity_id(loaded):
    """Written again, a list moves nothing; how a new list joins others without moving
    what it does not join is tests/unit/test_resolve_incremental.py's."""
    before = entity_ids(loaded)
    for kind, path in (("ca-sema-xml", CANADA), ("un-xml", DATA / "un" / "UN_consolidated_2026-02-27.xml")):
        assert not loaded.load(kind, path, force=True).written.unchanged
        assert entity_ids(loaded) == before, kind
    # The UN list's entries joined the other lists' entries of their targets.
    assert sum(1 for k, e in before.items() if k.startswith("un-sc:") and e != k) > 500


def test_judgements_win_and_survive_reloads(loaded, tmp_path, monkeypatch):
    """A change of judgements is resolved again where it applies, not everywhere: each
    load below reads a few records, and the graph ends as it began."""
    us, ca = "us-ofac-sdn:29220", "ca-sema:china-p1-5"
    demo = resolution_state(loaded)
    path = tmp_path / "resolution.yaml"
    path.write_text(f"not_same:\n  - records: [{us}, {ca}]\n    reason: test\n")
    monkeypatch.setattr(graph.resolve, "JUDGEMENTS_PATH", path)
    for load in range(2):  # the judgement holds at every load
        written = loaded.load("curated", DATA / "curated").written
        if load == 0:
            # The records of the project's own judgements (gone from this file) and of
            # this one, and their components: not the 30,000 records a rebuild reads.
            assert 0 < written.records_read < 1000, written.records_read
        else:  # applied already: nothing to write
            assert written.unchanged
        ids = entity_ids(loaded)
        assert ids[us] != ids[ca]
    assert "judged not the same" in loaded.explain_match(us, ca)["summary"]
    path.write_text(f"same:\n  - records: [us-ofac-sdn:29159, {ca}]\n    reason: test\n")
    loaded.load("curated", DATA / "curated")
    ids = entity_ids(loaded)
    assert ids[us] != ids[ca] == ids["us-ofac-sdn:29159"]
    path.write_text("")
    loaded.load("curated", DATA / "curated")
    ids = entity_ids(loaded)
    assert ids[us] == ids[ca] != ids["us-ofac-sdn:29159"]
    # Back to the project's own judgements: the graph is the demo graph again, which
    # equals a resolution of every record from scratch (test_resolving.py).
    monkeypatch.undo()
    loaded.load("curated", DATA / "curated")
    assert resolution_state(loaded) == demo
