"""Every package the code imports is pinned: the third-party imports of graph/, loaders/,
app.py and app_pages/ are distributions that requirements.txt pins (an import that only
arrives with another package, as altair with streamlit, breaks when that one drops it)."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = sorted([*ROOT.glob("graph/**/*.py"), *ROOT.glob("loaders/*.py"), ROOT / "app.py",
                  *ROOT.glob("app_pages/*.py")])
FIRST_PARTY = {"graph", "loaders", "app_pages", "app"}
PIN = re.compile(r"^([A-Za-z0-9._-]+)==\S+")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(path: Path) -> set[str]:
    return {canonical(m[1]) for line in path.read_text(encoding="utf-8").splitlines()
            if (m := PIN.match(line.strip()))}


def imported(path: Path) -> set[str]:
    """The top-level names of the modules `path` imports (also inside functions)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - FIRST_PARTY


def test_every_third_party_import_is_pinned_in_requirements_txt():
    distributions = importlib.metadata.packages_distributions()
    runtime = pinned(ROOT / "requirements.txt")
    unpinned = {}
    for path in RUNTIME:
        for name in imported(path):
            provided = {canonical(d) for d in distributions.get(name, [])}
            assert provided, f"{path.relative_to(ROOT)} imports {name}, which no installed package provides"
            if not provided & runtime:
                unpinned.setdefault(name, []).append(str(path.relative_to(ROOT)))
    assert not unpinned, f"imported but not pinned in requirements.txt: {unpinned}"


def test_the_check_sees_the_imports():
    names = set().union(*map(imported, RUNTIME))
    assert {"neo4j", "pandas", "streamlit", "yaml", "altair", "lxml"} <= names
    assert not names & FIRST_PARTY and "json" not in names
