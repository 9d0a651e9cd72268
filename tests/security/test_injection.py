"""Issue 8, injection: search text and saved-query parameters reach Neo4j as parameters,
never as Cypher or Lucene text. A list loads whose entities are numbered with injection
strings, and others named with them; each is found literally, by the client, the
command line and the app, while the graph stays exactly as it was.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import common
from conftest import ROOT
from graph import __main__ as cli
from reliability.graph_state import snapshot
from reliability.processes import command, environment, use_environment

INJECTIONS = [
    "'}) DETACH DELETE n //",
    '"}) DETACH DELETE n //',
    "`}) DETACH DELETE n //",
    "`Entity`) DETACH DELETE n //",
    "\\u0027}) DETACH DELETE n //",
    "\\u0060) MATCH (n) DETACH DELETE n //",
    "Robert'); MATCH (n) DETACH DELETE n; //",
    "') CALL dbms.listConfig() YIELD name RETURN name //",
    "$text} RETURN 1 //",
    "chen~ OR *:* AND name:[a TO z]",
    "x\" OR \"1\"=\"1",
]
DATASET = "ftm-injections"


@pytest.fixture
def injected(empty_graph, tmp_path):
    """For each injection string a person with it as id, and one with it as name."""
    path = tmp_path / "injections.ftm.json"
    people = [(text, f"Numbered {i}") for i, text in enumerate(INJECTIONS)]
    people += [(f"named-{i}", text) for i, text in enumerate(INJECTIONS)]
    path.write_text("".join(json.dumps({"id": id, "caption": name, "schema": "Person",
                                        "properties": {"name": [name]}}) + "\n"
                            for id, name in people), encoding="utf-8")
    empty_graph.load("ftm", path)
    return empty_graph


def key(id: str) -> str:
    return f"{DATASET}:{id}"


def found_literally(i: int, text: str, ids: list[str], scores: list[float]) -> bool:
    """The person numbered with the text comes first; the one named with it is among the
    exact matches (names that differ only in punctuation match as well: by design)."""
    exact = {id for id, score in zip(ids, scores) if score == 1.0}
    return ids[0] == key(text) and key(f"named-{i}") in exact


def test_client_finds_each_injection_literally(injected):
    g = injected
    before = snapshot(g)
    for i, text in enumerate(INJECTIONS):
        hits = g.search(text)
        assert found_literally(i, text, list(hits.id), list(hits.score)), (text, hits.head(5))
        assert g.entity(key(f"named-{i}"))["name"] == text
        assert g.designations(key(text)).empty
        profile = g.run_saved("entity_profile", id=key(text))
        assert not profile.empty and set(profile.id) == {key(text)}, text
        for query, params in (("program_members", {"program": text}),
                              ("designation_gaps", {"base": text, "others": [text]}),
                              ("neighbourhood", {"id": text, "types": [text]}),
                              ("shortest_path", {"a": text, "b": key(text)})):
            assert g.run_saved(query, **params).empty, (query, text)
        assert g.cypher("MATCH (e:Entity {id: $id}) RETURN e.name AS name", id=key(text)).name[0] == f"Numbered {i}"
    assert snapshot(g) == before


def test_command_line_finds_each_injection_literally(injected, cli_env, monkeypatch, capsys):
    """`search TEXT` and `query NAME --param k=TEXT`: every string through the command
    line's own main() (in this process, with the command line's environment), two in
    a process of their own too."""
    before = snapshot(injected)
    use_environment(monkeypatch, cli_env)

    def in_this_process(*args: str) -> tuple[int, str, str]:
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    def in_a_process(*args: str) -> tuple[int, str, str]:
        done = command(cli_env, *args)
        return done.returncode, done.stdout, done.stderr

    for i, text in enumerate(INJECTIONS):
        for runner in (in_this_process, in_a_process) if i < 2 else (in_this_process,):
            code, out, err = runner("search", text, "--limit", "30")
            assert code == 0 and f"named-{i} " in out and text in out, (text, out, err)
            code, out, err = runner("query", "entity_profile", "--param", f"id={key(text)}", "--format", "json")
            assert code == 0, err
            assert {row["id"] for row in json.loads(out)} == {key(text)}
    assert snapshot(injected) == before


def test_app_search_finds_each_injection_literally(injected, server_settings, monkeypatch):
    env = environment(server_settings)
    use_environment(monkeypatch, env)
    common.graph.clear()
    common.forget_results()
    before = snapshot(injected)
    for i, text in enumerate(INJECTIONS):
        # A link with ?q=: what a shared search opens (the box keeps what it holds).
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        app.secrets["neo4j"] = {}  # a developer's .streamlit/secrets.toml must not lead it away
        app.query_params["q"] = text
        app.run()
        assert not app.exception and not app.error, (text, app.exception)
        results = app.dataframe[0].value
        assert found_literally(i, text, list(results.id), list(results.score)), (text, results.head(5))
    assert snapshot(injected) == before
    common.graph.clear()
