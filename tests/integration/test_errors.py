"""Neo4j's errors as the project's (graph/exc.py): a refusal of the server's own is one
line on the command line; an error in the project's own Cypher stays a bug."""

import subprocess
import sys
from dataclasses import replace

import pytest
from neo4j.exceptions import CypherSyntaxError

from graph import SanctionsGraph
from graph.exc import GraphRefused, NotFound


def test_a_database_that_does_not_exist_is_refused_in_one_line(empty_graph, server_settings, cli_env):
    with SanctionsGraph.connect(replace(server_settings, database="nosuch"), start=False) as g:
        with pytest.raises(GraphRefused, match="Neo4j refused: .*nosuch"):
            g.search("chen quanguo")
    done = subprocess.run([sys.executable, "-m", "graph", "search", "chen quanguo"],
                          env={**cli_env, "NEO4J_DATABASE": "nosuch"}, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("error: Neo4j refused: ") and "nosuch" in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr


def test_a_mistake_in_the_projects_own_cypher_is_not_hidden(empty_graph):
    with pytest.raises(CypherSyntaxError):
        empty_graph.read("MATCH (n RETURN n")


def test_an_unknown_id_is_not_found(empty_graph, cli_env):
    with pytest.raises(NotFound, match="no record or entity 'us-ofac-sdn:1'"):
        empty_graph.explain_match("us-ofac-sdn:1", "gb-ofsi:2")
    done = subprocess.run([sys.executable, "-m", "graph", "resolve", "--explain", "us-ofac-sdn:1", "x:2"],
                          env=cli_env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (2, "error: no record or entity 'us-ofac-sdn:1'\n")
