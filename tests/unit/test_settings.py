"""The local folder (graph/settings.py): what a checkout writes goes to its .local/
unless SANCT_LOCAL_DIR names another, and the server's folder and the run files follow
it; the tests' processes each write to one of their own (tests/conftest.py)."""

from __future__ import annotations

from conftest import ROOT
from graph import settings


def test_the_local_folder_is_the_checkouts_unless_one_is_named(monkeypatch, tmp_path):
    for name in ("SANCT_LOCAL_DIR", "SANCT_NEO4J_HOME", "SANCT_RUN_DIR"):
        monkeypatch.delenv(name, raising=False)
    s = settings.load()
    assert (s.local_dir, s.home, s.run_dir) == (ROOT / ".local", ROOT / ".local" / "neo4j", ROOT / ".local")
    monkeypatch.setenv("SANCT_LOCAL_DIR", str(tmp_path))
    s = settings.load()
    assert (s.local_dir, s.home, s.run_dir) == (tmp_path, tmp_path / "neo4j", tmp_path)
    # The server's folder and the run files, each set, win.
    monkeypatch.setenv("SANCT_RUN_DIR", str(tmp_path / "run"))
    monkeypatch.setenv("SANCT_NEO4J_HOME", str(tmp_path / "server"))
    s = settings.load()
    assert (s.local_dir, s.home, s.run_dir) == (tmp_path, tmp_path / "server", tmp_path / "run")


def test_a_test_process_writes_to_a_folder_of_its_own():
    """Not the checkout's .local/, which a developer's `make run` uses, nor another
    worker's: the run's temporary folder, one per process."""
    local = settings.load().local_dir
    assert local != ROOT / ".local" and not local.is_relative_to(ROOT)
    assert local.is_dir() and local.name.startswith("local")
