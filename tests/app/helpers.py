"""Reading what a page shows, sending what the browser would send, and pointing the app
at a database: helpers for the AppTest tests."""

from __future__ import annotations

import json
import time

import pytest
from streamlit.testing.v1 import AppTest

#: The variables that choose the database the app reads.
CONNECTION = ("NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_BOLT_PORT", "SANCT_NEO4J_HOME")


def point_at(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Give this process the connection variables of `env` (cli_env: the test server)."""
    for name in CONNECTION:
        if name in env:
            monkeypatch.setenv(name, env[name])
        else:
            monkeypatch.delenv(name, raising=False)


def elements(at: AppTest, key: str) -> dict:
    """What the app sent to the network component `key`: {"nodes": […], "edges": […]}."""
    found = [e for e in at.get("component_instance") if e.key == key]
    assert found, f"no network component {key!r} on the page"
    return json.loads(found[0].proto.json_args)["elements"]


def node_ids(at: AppTest, key: str) -> set[str]:
    return {n["data"]["id"] for n in elements(at, key)["nodes"]}


def click_node(at: AppTest, key: str, node_id: str) -> AppTest:
    """What the browser sends when a node of component `key` is clicked."""
    at.session_state[key] = {"action": "clicked_node", "timestamp": time.time_ns(),
                             "data": {"type": "tap", "target_id": node_id, "target_group": "nodes"}}
    return at.run()


def select_row(at: AppTest, key: str, row: int) -> AppTest:
    """What the browser sends when row `row` of the table `key` is clicked."""
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def table_with(at: AppTest, *columns: str):
    """The first table on the page that has all these columns, as a DataFrame."""
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError(f"no table with columns {columns} on the page")
