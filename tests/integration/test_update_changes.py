"""`python -m graph update` ends with what changed, one line per state: the UN list of
2024-11-30 and Canada's of 2020-04-15 are in the graph, the local list server of
test_update.py serves their newer versions (2026-02-27, 2025-09-22) under their official
names, and Australia's file is missing (HTTP 404). No network, no mock: the real download
and load path.

The UN's line is checked against a diff of its two files read with ElementTree
(un_versions.py); Canada's against its two versions as its loader reads them (record ids
gone and new) and the moves the matcher found, which tests/integration/test_changes.py
checks on their own."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date

from conftest import DATA

from graph.update import update, what_changed
from loaders.canada import CanadaSemaLoader

from .test_update import served  # noqa: F401  (the local list server fixture)
from .un_versions import NEW_FILE, OLD_FILE, diff, entries

CA_2020 = DATA / "canada" / "sema-lmes_2020-04-15.xml"
CA_2025 = DATA / "canada" / "sema-lmes_2025-09-22.xml"
LINE = re.compile(r"^  (?P<state>[A-Z]{2}): (?P<text>.*)$")


def what_changed_lines(stdout: str) -> dict[str, str]:
    lines = stdout.splitlines()
    assert "What changed, per state:" in lines, stdout
    tail = lines[lines.index("What changed, per state:") + 1:]
    found = [LINE.match(line) for line in tail]
    assert all(found), tail
    return {m["state"]: m["text"] for m in found}


def test_update_ends_with_what_changed_per_state(empty_graph, cli_env, served, tmp_path, monkeypatch):  # noqa: F811
    g = empty_graph
    g.load("un-xml", OLD_FILE)
    g.load("ca-sema-xml", CA_2020)
    base, folder, _ = served
    shutil.copy(NEW_FILE, folder / "consolidated.xml")
    shutil.copy(CA_2025, folder / "sema-lmes.xml")

    out = subprocess.run(
        [sys.executable, "-m", "graph", "update", "--only", "ca,un,au", "--dir", str(tmp_path / "downloads")],
        env={**cli_env, "SANCT_UPDATE_BASE_URL": base}, capture_output=True, text=True, timeout=900)
    print(out.stdout)
    # Australia's file is missing: the command fails, after saying what the others changed.
    assert out.returncode == 1, out.stderr
    states = what_changed_lines(out.stdout)
    assert list(states) == ["CA", "UN", "AU"]  # one line per state, in the order of the sources

    # The UN: a diff of the two files. Each entry is one target here (no two UN entries
    # resolve to one entity), so entries and targets count the same.
    un = diff()
    assert (len(un.added), len(un.removed), len(un.moved), len(un.amended)) == (130, 6, 6, 33)
    keys = [f"un-sc:{i}" for i in un.added | un.removed | {b for _, b in un.moved} | set(un.amended)]
    assert len({g.entity(k)["id"] for k in keys}) == len(keys)
    assert states["UN"] == ("130 targets added, 6 removed, 6 moved, 33 amended "
                            "since the previous version (un-sc of 2024-11-30)")

    # Canada: every entry gone from the 2025 version was removed or moved, every new one
    # added or the destination of a move; which entries moved is the matcher's finding or
    # a judgement's (12 of them, checked in tests/integration/test_changes.py); an amendment is a
    # name a version no longer lists. Counted as targets: a person Canada lists under two
    # regimes is two entries and one target.
    old, new = ({r.record_id: r for r in CanadaSemaLoader().read([path])} for path in (CA_2020, CA_2025))
    gone, came = set(old) - set(new), set(new) - set(old)
    assert len(gone) == 112
    moves = g.changes(date(2020, 4, 16), jurisdictions=["CA"], kinds=["moved"])
    pairs = {tuple(d.removeprefix("moved from ").split(" to ")) for d in moves.detail}
    assert len(pairs) == 12 and {a for a, _ in pairs} <= gone and {b for _, b in pairs} <= came
    dropped = {i for i in set(old) & set(new) if set(old[i].all_names()) - set(new[i].all_names())}

    def targets(record_ids) -> int:
        return len({g.entity(f"ca-sema:{i}")["id"] for i in record_ids})

    expected = (targets(came - {b for _, b in pairs}), targets(gone - {a for a, _ in pairs}),
                targets({b for _, b in pairs}), targets(dropped))
    assert expected[0] > 200 and expected[1] >= 100 and expected[3] > 0, expected
    assert states["CA"] == ("{:,} targets added, {:,} removed, {:,} moved, {:,} amended "
                            "since the previous version (ca-sema of 2020-04-15)").format(*expected)

    assert states["AU"] == "not updated: au-dfat"

    # The same files again: no new version, nothing to count.
    monkeypatch.setattr(g, "settings", replace(g.settings, update_base_url=base))
    outcomes = update(g, ["un"], tmp_path / "again")
    assert [o.ok for o in outcomes] == [True]
    assert [s.summary() for s in what_changed(g, outcomes)] == ["UN: no new version of un-sc"]


def test_a_first_version_has_nothing_to_compare_with(empty_graph, served, tmp_path, monkeypatch):  # noqa: F811
    g = empty_graph
    base, folder, _ = served
    shutil.copy(NEW_FILE, folder / "consolidated.xml")
    monkeypatch.setattr(g, "settings", replace(g.settings, update_base_url=base))
    outcomes = update(g, ["un"], tmp_path / "downloads")
    assert [o.ok for o in outcomes] == [True] and (outcomes[0].had_previous, outcomes[0].previous) == (False, None)
    (state,) = what_changed(g, outcomes)
    assert state.summary() == "UN: first version of un-sc: nothing to compare it with"
    # The list's own date, read from the file, is the version's day.
    assert ET_DATE.search(NEW_FILE.read_text(encoding="utf-8")[:400])["day"] == "2026-02-27"
    assert g.sources().published_on.dt.date.tolist() == [date(2026, 2, 27)]
    assert len(entries(NEW_FILE)) == g.read("MATCH (r:Record {dataset: 'un-sc'}) RETURN count(r) AS n")[0]["n"]


ET_DATE = re.compile(r'dateGenerated="(?P<day>\d{4}-\d{2}-\d{2})T')
