"""The Data page (sources, uploads, updates), a database with no data yet, and Neo4j
going away and coming back: every page says so plainly and recovers by itself."""

import http.server
import threading
from functools import partial

import pytest
import yaml

from conftest import DATA, free_port
from graph import settings
from graph.exc import InvalidInput

from .helpers import point_at, table_with, texts

PAGES = ["search", "entity", "network", "gaps", "queries", "data"]


def test_sources_with_dates_sha256_and_counts(demo_graph, open_page):
    at = open_page("data")
    # The current version of each list: the US list's is the newest of its history,
    # 14,965 entries (sdn_2024-05-03.csv).
    current = table_with(at, "dataset", "current", "records", "designations")
    assert current.current.all() and current.dataset.is_unique
    assert current[current.dataset == "us-ofac-sdn"].iloc[0].records == 14965
    # Every version: the US list's 307 earlier versions (known by their commit) and the
    # 2021 CSV set; the current one with its file's sha256.
    versions = table_with(at, "dataset", "sha256", "loaded_at")
    us = versions[versions.dataset == "us-ofac-sdn"]
    assert len(us) == 309 and us.current.sum() == 1
    assert len(us[us.current].iloc[0].sha256) == 64
    assert "entities" in at.caption[0].value


@pytest.mark.parametrize("page", PAGES)
def test_a_database_with_no_data_yet_says_where_to_load_it(empty_graph, open_page, page):
    at = open_page(page, id="us-ofac-sdn:29220")
    assert not at.exception
    if page == "data":
        assert "Nothing is loaded yet" in at.info[0].value
    else:
        assert "The graph holds no data yet" in at.info[0].value
        assert [link.label for link in at.get("page_link")][0] == "Open the Data page"


def test_upload_a_list_file_and_see_the_load_report(empty_graph, open_page):
    at = open_page("data")
    curated = DATA / "curated" / "xinjiang.yaml"
    at.file_uploader(key="uploads").upload(curated.name, curated.read_bytes(), "application/yaml")
    at.run()
    assert at.button[0].disabled, "nothing loads before the user confirms"
    at.checkbox(key="confirm-load").check().run()
    at.button[0].click().run()  # "Load"
    assert not at.exception and not at.error
    assert at.status[0].label == "Loaded xinjiang.yaml."
    assert "curated: 14 records" in at.status[0].code[0].value
    assert "curated" in set(table_with(at, "dataset", "sha256").dataset)


def test_a_file_that_fails_to_load_changes_nothing_and_says_why(empty_graph, open_page):
    at = open_page("data")
    at.file_uploader(key="uploads").upload("notes.csv", b"this,is\nnot,a list\n", "text/csv")
    at.checkbox(key="confirm-load").check().run()
    at.button[0].click().run()
    assert at.status[0].label == "Loading notes.csv failed; the graph is as it was."
    assert "notes.csv" in at.error[0].value and "could not tell the format" in at.error[0].value
    assert empty_graph.status()["entities"] == 0
    assert at.file_uploader(key="uploads").value, "the file is still there to try another format"


def test_the_official_lists_are_shown_with_their_urls(empty_graph, open_page):
    at = open_page("data")
    shown = table_with(at, "list", "publisher", "file", "url")
    # data/datasets.yaml read as text: every file `update` downloads, in its order.
    spec = yaml.safe_load((DATA / "datasets.yaml").read_text(encoding="utf-8"))
    assert list(zip(shown.list, shown.url)) == [
        (dataset, url) for dataset, entry in spec.items() for d in entry.get("downloads", [])
        if d.get("update", True) for url in d["files"].values()]
    assert set(shown[shown.list == "ca-sema"].publisher) == {"Global Affairs Canada"}


@pytest.fixture
def served_lists(tmp_path, monkeypatch):
    """A local HTTP server with the UK FCDO sample under its official name, and none of
    OFSI's: `update` then loads one GB list and reports the other as not updated."""
    (tmp_path / "UK-Sanctions-List.xml").write_bytes(
        (DATA / "uk" / "uk_sanctions_list_sample_2026-09-10.xml").read_bytes())
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SANCT_UPDATE_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}")
    yield
    server.shutdown()
    server.server_close()


def test_an_update_loads_what_it_can_and_names_what_it_could_not(empty_graph, open_page, served_lists):
    at = open_page("data")
    at.multiselect(key="only").set_value(["gb"]).run()
    at.checkbox(key="confirm-load").check().run()
    next(b for b in at.button if b.label == "Download and load").click().run()
    assert at.status[0].label == "Not updated: gb-ofsi"
    assert "gb-ofsi: NOT UPDATED" in at.error[0].value
    assert "gb-fcdo" in set(table_with(at, "dataset", "sha256").dataset)
    # Then what changed, per state: the FCDO list is new to the graph, OFSI's is missing.
    assert at.status[0].code[-1].value == ("GB: first version of gb-fcdo: nothing to compare it with; "
                                           "not updated: gb-ofsi")


@pytest.fixture
def neo4j_away(app_env, monkeypatch, tmp_path):
    """The app's settings point at a port where no Neo4j listens."""
    monkeypatch.setenv("NEO4J_BOLT_PORT", str(free_port()))
    monkeypatch.setenv("SANCT_NEO4J_HOME", str(tmp_path / "nowhere"))
    monkeypatch.delenv("NEO4J_URI", raising=False)


@pytest.mark.parametrize("page", PAGES)
def test_neo4j_away_is_said_plainly_on_every_page(neo4j_away, open_page, page):
    at = open_page(page, id="us-ofac-sdn:29220", q="chen")
    assert not at.exception, "no stack trace"
    assert texts(at.error)[0].startswith(
        "**Neo4j is not reachable.** The local Neo4j server is not running")
    assert "python -m graph server start" in "\n".join(texts(at.markdown))


def test_the_app_recovers_when_neo4j_returns(demo_graph, neo4j_away, open_page, monkeypatch,
                                             cli_env):
    at = open_page("search", q="chen quanguo")
    assert "Neo4j is not reachable" in at.error[0].value
    point_at(cli_env, monkeypatch)  # the server is back
    next(b for b in at.button if b.label == "Try again").click().run()
    assert not at.error
    assert table_with(at, "name", "score").name[0] == "CHEN, Quanguo"


def test_a_database_the_server_does_not_have_is_said_plainly(empty_graph, open_page, monkeypatch):
    """The server answers and refuses (here NEO4J_DATABASE names no database of it): its
    words on the page, not a stack trace."""
    monkeypatch.setenv("NEO4J_DATABASE", "nosuch")
    at = open_page("search", q="chen quanguo")
    assert not at.exception
    assert [e.value for e in at.error if e.value.startswith("Neo4j refused: ")], [e.value for e in at.error]
    assert any("nosuch" in e.value for e in at.error)


def test_a_secrets_table_fills_what_the_environment_leaves_unset(monkeypatch):
    for name in ("NEO4J_URI", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEO4J_USER", "from-env")
    s = settings.load_with({"uri": "neo4j+s://example.org", "user": "from-table", "password": "x"})
    assert (s.uri, s.user, s.password) == ("neo4j+s://example.org", "from-env", "x")
    with pytest.raises(InvalidInput, match="unknown keys in the \\[neo4j\\] settings: host"):
        settings.load_with({"host": "example.org"})


def test_viewer_mode_shows_no_load_controls_and_refuses_a_load(empty_graph, open_page, monkeypatch):
    """SANCT_APP_MODE=viewer, a deployment investigators share: the Data page lists what
    is loaded and nothing that loads; what a browser would send for the page's load
    buttons loads nothing, and the client the pages share refuses a load outright."""
    from app_pages import common
    from graph.client import LoadRefused

    monkeypatch.setenv("SANCT_APP_MODE", "viewer")
    at = open_page("data")
    assert not at.exception
    assert not at.button and not at.checkbox and not at.get("file_uploader") and not at.multiselect
    assert [i.value for i in at.info] == [common.VIEWER_REFUSAL, "Nothing is loaded yet."]
    assert common.VIEWER_REFUSAL.startswith("This app runs in viewer mode (SANCT_APP_MODE=viewer)")
    # The clicks a browser would send for the buttons of local mode, confirmed.
    for key in ("confirm-load", "load-bundled", "load-update", "load-files"):
        at.session_state[key] = True
    at.run()
    assert not at.status and not at.exception
    assert empty_graph.status()["entities"] == 0 and empty_graph.sources().empty
    with pytest.raises(LoadRefused, match="viewer mode"):
        common.graph().load("curated", DATA / "curated" / "xinjiang.yaml")
    assert empty_graph.status()["entities"] == 0


def test_local_mode_is_the_default_and_a_wrong_mode_is_named(monkeypatch):
    monkeypatch.delenv("SANCT_APP_MODE", raising=False)
    assert settings.load().app_mode == "local" and not settings.load().viewer
    monkeypatch.setenv("SANCT_APP_MODE", "Viewer")
    assert settings.load().viewer
    monkeypatch.setenv("SANCT_APP_MODE", "readonly")
    with pytest.raises(InvalidInput, match="SANCT_APP_MODE must be one of local, viewer, got 'readonly'"):
        settings.load()
