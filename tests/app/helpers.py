"""Reading what a page shows and sending what the browser would send, for AppTest."""

from __future__ import annotations

import json
import time

from streamlit.testing.v1 import AppTest


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
