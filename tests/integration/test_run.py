"""`make run` as a user types it every morning: the bundled data loaded again writes
nothing, and run / stop / run, a reboot's stale pid files and a second run while one is
running each end with the app open on the same data (the real server, the real CLI)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from graph.loading import DEMO
from graph.server import LocalServer
from tests.conftest import ROOT, free_port
from tests.reliability.graph_state import counts, snapshot

DATA_CA = ROOT / "data" / "canada"
VERSIONS = """
MATCH (s:Source)
RETURN s.dataset AS dataset, s.id AS id, s.current AS current,
       toString(s.published_on) AS published_on, toString(s.loaded_at) AS loaded_at
ORDER BY dataset, published_on, id
"""


def test_loading_the_bundled_data_again_writes_nothing(demo_graph):
    g = demo_graph
    before, history = snapshot(g), g.read(VERSIONS)
    reports = [g.load(kind, *paths) for kind, paths in DEMO]
    assert [r.written.unchanged for r in reports] == [True] * len(DEMO)
    # The older of Canada's two versions is found in the history, not refused as older.
    older = reports[[str(paths[0]) for _, paths in DEMO].index(str(DATA_CA / "sema-lmes_2020-04-15.xml"))]
    assert (older.written.version.number, older.written.version.of) == (1, 2)
    assert "already loaded as version 1 of 2 (dated 2020-04-15)" in older.summary()
    # Every count and checksum, and each version's load time: nothing was written.
    assert snapshot(g) == before
    assert g.read(VERSIONS) == history


def test_an_older_version_missing_from_the_history_is_refused_plainly(empty_graph, tmp_path):
    g = empty_graph
    newer, older = DATA_CA / "sema-lmes_2025-09-22.xml", DATA_CA / "sema-lmes_2020-04-15.xml"
    g.load("ca-sema-xml", newer)
    with pytest.raises(Exception) as refused:
        g.load("ca-sema-xml", older)
    assert "dated 2020-04-15, older than the current one (2025-09-22)" in str(refused.value)
    assert g.read("MATCH (s:Source {dataset: 'ca-sema'}) RETURN count(s) AS n")[0]["n"] == 1


def _cli(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds:.0f} s")
        time.sleep(0.5)


def _start(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "graph", "run"], env=env, cwd=ROOT,
                            stdout=open(log, "ab"), stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)


@pytest.mark.restarts_server
def test_run_stop_run_a_reboot_and_a_second_run(demo_graph, cli_env, server_settings, tmp_path):
    g = demo_graph
    port = free_port()
    env = {**cli_env, "SANCT_RUN_DIR": str(tmp_path), "SANCT_APP_PORT": str(port),
           "SANCT_NEO4J_HEAP": server_settings.heap, "SANCT_NEO4J_PAGECACHE": server_settings.pagecache}
    data = counts(g)
    log = tmp_path / "run.log"
    progress = tmp_path / "demo-load.json"
    app = _start(env, log)
    try:
        _wait(lambda: _healthy(port), 90, "the app answering")

        # A second `make run` while one runs: a clear message, no second app.
        second = _cli(env, "run", timeout=120)
        assert second.returncode == 0, second.stderr
        assert f"The app already runs at http://127.0.0.1:{port} (pid {app.pid})" in second.stdout

        # The load behind the app finds every source loaded: it writes nothing.
        _wait(lambda: progress.exists() and '"finished_at": null' not in progress.read_text(),
              600, "the background load finishing")
        text = progress.read_text()
        assert '"error": null' in text and f'"done": {len(DEMO)}' in text, text
        assert text.count("unchanged since it was last loaded") + text.count("already loaded as version") == len(DEMO)

        stopped = _cli(env, "stop")
        assert stopped.returncode == 0, stopped.stderr
        assert f"stopped the app (pid {app.pid})" in stopped.stdout
        assert "Neo4j stopped" in stopped.stdout
        app.wait(timeout=60)
        assert not _healthy(port)

        # After a reboot: both pid files name processes that are gone, the ports are free.
        gone = subprocess.Popen(["true"])
        gone.wait()
        (tmp_path / "app.pid").write_text(f"{gone.pid} {port}\n")
        (server_settings.home / "server.pid").write_text(f"{gone.pid}\n")
        progress.unlink()
        app = _start(env, log)
        # The app opens first; Neo4j starts behind it, then the load finds the data there.
        _wait(lambda: _healthy(port), 90, "the app answering after a reboot")
        _wait(lambda: progress.exists() and '"finished_at": null' not in progress.read_text(),
              600, "the background load finishing after a reboot")
        assert '"error": null' in progress.read_text()
        assert counts(g) == data
    finally:
        _cli(env, "stop")
        app.wait(timeout=60)
        # The rest of the test session needs its server back.
        LocalServer(server_settings).start()
