"""`pip install .` works outside the repository: the wheel carries what the code reads
besides its modules (graph/bundled.py: the model, the saved queries, the program lists
and judgements, the demo data, the local server's Maven project, the app), and the
installed copy runs from any directory: the command line, its console script, and
`from graph import SanctionsGraph`.

The wheel is built from a copy of the checkout (setuptools writes build/ beside the
sources) with the venv's setuptools, without the network, and installed without its
dependencies (the venv has them) into a folder of its own; every command runs with
that folder as the only source of the project's code, from another directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from graph import bundled
from graph.loading import DEMO, HISTORY
from graph.queries import catalogue

#: The checkout's folders and files that are not the project's source.
NOT_SOURCE = shutil.ignore_patterns(".git", ".local", ".venv", "target", "__pycache__", "build",
                                    "*.egg-info", ".pytest_cache", "test-artifacts", "bench")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "--no-index", "-q", "-w", str(work / "dist"), str(source)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = (work / "dist").glob("sanctions_graph-*.whl")
    return built


@pytest.fixture(scope="module")
def site(wheel) -> Path:
    site = wheel.parent.parent / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                           "--target", str(site), str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return site


def installed(site: Path, *args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python ARGS` with the installed copy as the project's only code: PYTHONPATH is the
    install folder alone (the editable install of the checkout is in the venv too, so the
    scripts check that they import the installed copy), the current directory another."""
    env = {**(env or os.environ), "PYTHONPATH": str(site), "XDG_DATA_HOME": str(cwd / "user-data")}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as z:
        return set(z.namelist())


def shipped(path: Path) -> str:
    """The name in the wheel of a file of the checkout."""
    relative = path.resolve().relative_to(ROOT)
    return str(relative if relative.parts[0] in ("graph", "loaders") else Path("graph/_bundled") / relative)


def test_the_wheel_holds_the_code_and_what_it_reads(wheel):
    names = wheel_names(wheel)
    expected = [*ROOT.glob("graph/**/*.py"), *ROOT.glob("loaders/*.py"), ROOT / "graph" / "model.yaml",
                *ROOT.glob("queries/*.cypher"), *ROOT.glob("data/programs/*.yaml"), ROOT / "data" / "resolution.yaml",
                ROOT / "neo4j" / "pom.xml", *ROOT.glob("neo4j/src/main/java/*.java"),
                ROOT / "app.py", *ROOT.glob("app_pages/*.py"), ROOT / ".streamlit" / "config.toml"]
    expected += [path for _, paths in DEMO for path in paths if path.is_file()]
    expected += [path for _, paths in DEMO for folder in paths if folder.is_dir() for path in folder.iterdir()]
    assert len(expected) > 60
    assert sorted({shipped(p) for p in expected} - names) == []
    # Nothing of the checkout that is not the product: tests, benchmarks, the server's build.
    assert not [n for n in names if n.startswith(("tests/", "bench/", "graph/_bundled/tests/"))
                or "/target/" in n or "__pycache__" in n]
    with zipfile.ZipFile(wheel) as z:
        scripts = z.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "sanctions-graph = graph.__main__:main" in scripts


def test_the_installed_command_line_runs_from_anywhere(site, tmp_path):
    """`python -m graph query` lists the saved queries (files of the package, no database),
    `query NAME` checks its parameters, and the console script is the same command."""
    listing = installed(site, "-m", "graph", "query", "--format", "json", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    # the checkout's saved queries, parsed from the installed copy's files
    assert json.loads(listing.stdout) == catalogue().to_dict("records")
    assert len(catalogue()) == len(list((ROOT / "queries").glob("[!_]*.cypher"))) > 10
    bad = installed(site, "-m", "graph", "query", "lags", "-p", "as_of=soon", cwd=tmp_path)
    assert (bad.returncode, bad.stderr) == (2, "error: lags: parameter 'as_of' must be a date "
                                               "(YYYY-MM-DD), got 'soon'\n")
    # The console script pip wrote for the wheel is the same command.
    table = installed(site, "-m", "graph", "query", cwd=tmp_path)
    script = installed(site, str(site / "bin" / "sanctions-graph"), "query", cwd=tmp_path)
    assert script.returncode == table.returncode == 0, script.stderr + table.stderr
    assert script.stdout == table.stdout and "\nlags(base: " in table.stdout
    # Its help names it as it was run.
    usage = installed(site, str(site / "bin" / "sanctions-graph"), "--help", cwd=tmp_path)
    assert usage.stdout.startswith("usage: sanctions-graph "), usage.stdout[:80]
    assert installed(site, "-m", "graph", "--help", cwd=tmp_path).stdout.startswith("usage: python -m graph ")


def test_the_installed_copy_finds_its_files_in_itself(site, tmp_path):
    """The package reads its own copies: the model and program lists load, every path of
    `load --demo` is a file of the installed copy, and what it writes goes to the user's
    folder, not beside its code."""
    program = f"""
import json, sys
from pathlib import Path
import graph
from graph import SanctionsGraph, bundled, settings
from graph.loading import DEMO
from graph.model import model
site = Path({str(site)!r}).resolve()
assert Path(graph.__file__).resolve().is_relative_to(site), graph.__file__
assert bundled.CHECKOUT is None and bundled.BASE.is_relative_to(site)
paths = [p for _, ps in DEMO for p in ps]
s = settings.load()
print(json.dumps({{
    "client": SanctionsGraph.__module__,
    "programs": len(model().programs),
    "demo": [str(p.relative_to(bundled.DATA)) for p in paths if p.exists() and p.is_relative_to(site)],
    "demo_paths": len(paths),
    "local_dir": str(s.local_dir), "home": str(s.home), "run_dir": str(s.run_dir),
}}))
"""
    defaults = {k: v for k, v in os.environ.items() if k not in ("SANCT_LOCAL_DIR", "SANCT_NEO4J_HOME", "SANCT_RUN_DIR")}
    done = installed(site, "-c", program, cwd=tmp_path, env=defaults)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    from graph.model import model
    assert found["client"] == "graph.client" and found["programs"] == len(model().programs) > 50
    assert found["demo"] == [str(p.relative_to(bundled.DATA)) for _, ps in DEMO for p in ps]
    assert len(found["demo"]) == found["demo_paths"]
    user = tmp_path / "user-data" / "sanctions-graph"
    assert (found["local_dir"], found["home"], found["run_dir"]) == (str(user), str(user / "neo4j"), str(user))


def test_the_installed_copy_reads_the_demo_lists_as_the_checkout_does(site, tmp_path):
    """Every demo list parsed from the installed files gives what the checkout's give: the
    same list, digest, counts and warnings (a side file left out, OFAC's alt.csv say,
    would be a warning and fewer aliases). The history replay's bundle is one file."""
    program = """
import json, sys, tempfile
from graph.loading import DEMO, HISTORY, parse
found = []
for kind, paths in DEMO:
    if kind.startswith(HISTORY):
        continue
    with tempfile.TemporaryFile() as spool:
        p = parse(kind, paths, spool)
    found.append([kind, p.loader.meta.dataset, p.loader.meta.sha256, p.counts,
                  sorted(w.message for w in p.loader.warnings)])
print(json.dumps(found))
"""
    # side by side: each reads every demo list
    checkout = subprocess.Popen([sys.executable, "-c", program], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    there = installed(site, "-c", program, cwd=tmp_path)
    here = subprocess.CompletedProcess(checkout.args, 0, *checkout.communicate(timeout=600))
    here.returncode = checkout.returncode
    assert there.returncode == 0, there.stderr
    assert here.returncode == 0, here.stderr
    assert json.loads(there.stdout) == json.loads(here.stdout)
    assert len(json.loads(here.stdout)) == len([k for k, _ in DEMO if not k.startswith(HISTORY)])


def test_the_installed_command_line_loads_a_demo_list(site, empty_graph, cli_env, tmp_path):
    """Against the test server: the installed `load` reads a list of its own bundled data
    (the FCDO sample, 5 records) into the graph, and `query` runs a saved query on it."""
    env = {k: v for k, v in cli_env.items() if k != "PYTHONPATH"}
    sample = site / "graph" / "_bundled" / "data" / "uk" / "uk_sanctions_list_sample_2026-09-10.xml"
    done = installed(site, "-m", "graph", "load", "uk-fcdo-xml", str(sample), cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("gb-fcdo: 5 records, 5 designations") and str(sample) in done.stdout
    members = installed(site, "-m", "graph", "query", "program_members", "-p", "program=GB-BELARUS",
                        "--format", "json", cwd=tmp_path, env=env)
    assert members.returncode == 0, members.stderr
    assert [m["name"] for m in json.loads(members.stdout)] == ["BNK (UK) Ltd"]
    assert empty_graph.sources().dataset.tolist() == ["gb-fcdo"]
