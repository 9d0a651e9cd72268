"""The write path's statements for records new to the graph or stored unchanged (the
bulk of every load): index seeks and CREATE only. An Eager operator makes Neo4j hold a
whole batch before it writes; a label scan reads every node of a label, and would make a
load cost what the graph holds instead of what it changes (issue #15)."""

import pytest

from graph import store

STATEMENTS = ["STORED_RECORDS", "STORED_DESIGNATIONS", "CREATE_RECORDS", "CREATE_DESIGNATIONS", "LINK_DESIGNATIONS"]
SCANS = {"AllNodesScan", "NodeByLabelScan", "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan"}


def operators(plan) -> list[str]:
    found = [plan["operatorType"].split("@")[0]]
    for child in plan.get("children", []):
        found += operators(child)
    return found


@pytest.mark.parametrize("name", STATEMENTS)
def test_write_path_statement_has_no_eager_and_no_scan(graph, name):
    with graph.driver.session(database=graph.database) as session:
        plan = session.run("EXPLAIN " + getattr(store, name)).consume().plan
    ops = operators(plan)
    assert [op for op in ops if op.startswith("Eager")] == [], ops
    assert SCANS.isdisjoint(ops), ops
    # What the statements read, they read by a unique key.
    if "MATCH" in getattr(store, name):
        assert any(op.startswith("NodeUniqueIndexSeek") for op in ops), ops
