"""`python -m graph update` against a local HTTP server that serves the real sample files
under their official names: the real download and load path, no mocks."""

import hashlib
import http.server
import shutil
import subprocess
import sys
import threading
from dataclasses import replace
from functools import partial

import pytest

from conftest import DATA
from graph.update import sources, update

CA_2020 = DATA / "canada" / "sema-lmes_2020-04-15.xml"
FCDO = DATA / "uk" / "uk_sanctions_list_sample_2026-09-10.xml"


class ListServer(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; names in `server.cut_short` are sent half, then the connection drops."""

    def do_GET(self):
        name = self.path.lstrip("/")
        if name not in self.server.cut_short:
            return super().do_GET()
        data = (self.server.folder / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path):
    folder = tmp_path / "served"
    folder.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(ListServer, directory=str(folder)))
    server.folder, server.cut_short = folder, set()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder, server
    server.shutdown()
    server.server_close()


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def canada_state(g):
    return g.read(
        """
        MATCH (s:Source {dataset: 'ca-sema', current: true})
        CALL (s) { MATCH (r:Record {dataset: 'ca-sema'}) RETURN count(r) AS records }
        RETURN s.id AS id, s.url AS url, s.sha256 AS sha256, s.size AS size,
               s.downloaded_at AS downloaded_at, records
        """)


def test_every_source_is_listed_once_with_a_loader():
    from loaders import LOADERS
    assert {s.jurisdiction for s in sources()} == {"us", "gb", "ca", "eu", "un", "au"}
    assert all(s.kind in LOADERS for s in sources()), [s.kind for s in sources() if s.kind not in LOADERS]
    names = [f.name for s in sources() for f in s.files]
    assert len(names) == len(set(names))


def test_update_downloads_loads_and_keeps_the_previous_state_on_failure(
        empty_graph, cli_env, served, tmp_path, monkeypatch):
    g = empty_graph
    base, folder, server = served
    shutil.copy(CA_2020, folder / "sema-lmes.xml")
    shutil.copy(FCDO, folder / "UK-Sanctions-List.xml")
    downloads = tmp_path / "downloads"

    # 1. The command line: Canada and the FCDO list load; the ConList is missing (404),
    # which is reported while the other two still update.
    out = subprocess.run(
        [sys.executable, "-m", "graph", "update", "--only", "ca,gb", "--dir", str(downloads)],
        env={**cli_env, "SANCT_UPDATE_BASE_URL": base}, capture_output=True, text=True, timeout=600)
    assert out.returncode == 1, out.stderr
    assert f"gb-ofsi: NOT UPDATED, the graph keeps its previous version: {base}/ConList.csv: HTTP 404" in out.stdout
    assert f"ca-sema: downloaded {base}/sema-lmes.xml (247778 bytes" in out.stdout
    assert "gb-fcdo: downloaded" in out.stdout and "gb-fcdo: 5 records" in out.stdout
    saved = downloads / "ca-sema" / "sema-lmes.xml"
    assert saved.read_bytes() == CA_2020.read_bytes()
    assert not list(downloads.rglob("*.part")) and not list((downloads / "gb-ofsi").iterdir())
    (before,) = canada_state(g)
    assert (before["url"], before["sha256"], before["size"], before["records"]) == (
        f"{base}/sema-lmes.xml", sha256(CA_2020), CA_2020.stat().st_size, 1369)
    assert before["downloaded_at"] is not None
    fcdo = g.read("MATCH (s:Source {dataset: 'gb-fcdo'}) RETURN s.url AS url, s.published_on AS published_on")
    assert [(r["url"], str(r["published_on"])) for r in fcdo] == [(f"{base}/UK-Sanctions-List.xml", "2026-09-10")]

    # 2. A download cut short: nothing is loaded and the saved file of step 1 stays.
    monkeypatch.setattr(g, "settings", replace(g.settings, update_base_url=base))
    shutil.copy(DATA / "canada" / "sema-lmes_2025-09-22.xml", folder / "sema-lmes.xml")
    server.cut_short.add("sema-lmes.xml")
    (outcome,) = update(g, ["ca"], downloads)
    assert not outcome.ok and "interrupted after 782576 of 1565152 bytes" in outcome.message
    assert canada_state(g) == [before]
    assert saved.read_bytes() == CA_2020.read_bytes() and not list(downloads.rglob("*.part"))

    # 3. A whole download of a file that does not parse: named, and nothing changes.
    server.cut_short.clear()
    data = (folder / "sema-lmes.xml").read_bytes()
    (folder / "sema-lmes.xml").write_bytes(data[: data.index(b"<LastName>Chen</LastName>") + 12])
    (outcome,) = update(g, ["ca"], downloads)
    assert not outcome.ok
    assert outcome.message.startswith("the file does not load: ") and "line 2852: malformed XML" in outcome.message
    assert canada_state(g) == [before]
