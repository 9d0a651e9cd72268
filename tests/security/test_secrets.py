"""Issue 8, secrets: the Neo4j password, and credentials written into NEO4J_URI, appear in
no log, no command output, no exception and no page of the app.

Each test collects what a user or an onlooker could see (the server's folder with its
logs, the output of commands, error messages, the HTML chromium renders and the app's
own log) and looks for the password in it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from conftest import ON_THE_CASE_GRAPH, ROOT, free_port
from e2e.harness import launch_chromium, streamlit_app, wait_for_app
from graph import GraphUnavailable, SanctionsGraph
from graph import __main__ as cli
from graph.server import LocalServer
from reliability.processes import command, environment, use_environment
from security.local_server import local_server

XINJIANG_TARGET = "us-ofac-sdn:29220"
PAGES = ["", f"entity?id={XINJIANG_TARGET}", f"network?id={XINJIANG_TARGET}", "gaps",
         "queries?cypher=MATCH%20(n)%20RETURN%20count(n)%20AS%20n", "queries?cypher=CREATE%20(:Probe)",
         "data"]


def password_of(settings) -> str:
    return settings.password or LocalServer(settings).password()


def with_credentials(uri: str, password: str) -> str:
    """The URI with user and password written into it, as some users do."""
    scheme, rest = uri.split("://", 1)
    return f"{scheme}://neo4j:{password}@{rest}"


def unreachable_uri() -> str:
    return f"bolt://127.0.0.1:{free_port()}"


def test_no_password_in_the_servers_folder(server_settings, demo_graph, tmp_path):
    """Logs, configuration and the database files themselves (Neo4j stores the password
    hashed), after loads: only the password file holds it."""
    with local_server(server_settings, tmp_path / "neo4j") as settings:
        if settings is not server_settings:  # a server of its own: give it a load to log
            with SanctionsGraph.connect(settings, start=False) as g:
                g.load("curated", ROOT / "data" / "curated")
        password = password_of(settings).encode()
        server = LocalServer(settings)
        files = [p for p in settings.home.rglob("*") if p.is_file() and p != server.password_file]
        assert any(p.suffix == ".log" or p.name == "server.out" for p in files)
        assert [str(p) for p in files if password in p.read_bytes()] == []


# The case graph has every kind of page and command output, at a fraction of the demo's cost.
@ON_THE_CASE_GRAPH
def test_no_password_in_command_output(case_graph, server_settings, cli_env, tmp_path, monkeypatch, capsys):
    """What every command prints, working and failing, with the password wrong or
    written into NEO4J_URI: in processes of their own, and (the rest of the commands,
    to keep the time down) through the command line's main() in this process."""
    password = password_of(server_settings)
    in_processes = [["server", "status"], ["search", "chen quanguo"],
                    ["load", "ftm", str(tmp_path / "missing.json")]]
    in_this_process = [["entity", XINJIANG_TARGET], ["query"], ["query", "lag_summary"],
                       ["gaps", "--family", "human_rights"], ["resolve"], ["query", "no_such_query"]]
    wrong_password = {**cli_env, "NEO4J_URI": LocalServer(server_settings).uri if not server_settings.uri
                      else server_settings.uri, "NEO4J_PASSWORD": "not-the-password"}
    in_the_uri = {**cli_env, "NEO4J_URI": with_credentials(unreachable_uri(), password),
                  "NEO4J_PASSWORD": password}
    outputs = []
    for env, commands in ((cli_env, in_processes), (wrong_password, [["search", "x"]]), (in_the_uri, [["search", "x"]])):
        for args in commands:
            done = command(env, *args)
            outputs.append(done.stdout + done.stderr)
            assert "Traceback" not in outputs[-1], (args, outputs[-1])
    assert "refused the credentials" in outputs[-2] and "cannot be used" in outputs[-1]
    use_environment(monkeypatch, cli_env)
    for args in in_this_process:
        cli.main(args)
        out, err = capsys.readouterr()
        outputs.append(out + err)
    assert XINJIANG_TARGET in outputs[-len(in_this_process)] and "no saved query" in outputs[-1]
    assert [o for o in outputs if password in o or "not-the-password" in o] == []


def test_no_password_in_exceptions_or_settings(server_settings):
    password = password_of(server_settings)
    messages = [repr(replace(server_settings, password=password))]
    for settings in (replace(server_settings, uri=with_credentials(unreachable_uri(), password), password=password),
                     replace(server_settings, uri=unreachable_uri(), password=password),
                     replace(server_settings, password="not-the-password")):
        with pytest.raises(GraphUnavailable) as e:
            SanctionsGraph.connect(settings, start=False)
        messages.append(str(e.value))
    assert [m for m in messages if password in m or "not-the-password" in m] == []


def rendered_pages(env: dict[str, str], log: Path, wait_for: str | None = None) -> list[str]:
    """The HTML of every page, as chromium renders it, once the app has run it. In a
    thread of its own: in a whole run the e2e tests hold Playwright's sync API open in
    this one, and a thread cannot open it twice."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_rendered_pages, env, log, wait_for).result()


def _rendered_pages(env: dict[str, str], log: Path, wait_for: str | None) -> list[str]:
    pages = []
    with streamlit_app(env, log) as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        for path in PAGES:
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            if wait_for:
                page.get_by_text(wait_for).first.wait_for()
            pages.append(page.content())
        browser.close()
    return pages


@ON_THE_CASE_GRAPH
def test_no_password_in_the_pages_or_the_apps_log(case_graph, server_settings, tmp_path):
    password = password_of(server_settings)
    env = environment(server_settings)
    if server_settings.uri:
        env["NEO4J_PASSWORD"] = password
    pages = rendered_pages(env, tmp_path / "app.log")
    assert "Chen Quanguo" in pages[1] or "CHEN, Quanguo" in pages[1]  # the real pages, with data
    # Credentials in the URI, of a server that is not there: every page says so.
    away = {**env, "NEO4J_URI": with_credentials(unreachable_uri(), password), "NEO4J_PASSWORD": password}
    pages += rendered_pages(away, tmp_path / "app-away.log", wait_for="Neo4j is not reachable")
    logs = (tmp_path / "app.log").read_text() + (tmp_path / "app-away.log").read_text()
    assert [i for i, html in enumerate(pages) if password in html] == []
    assert password not in logs
    assert "Traceback" not in logs + "".join(pages)

