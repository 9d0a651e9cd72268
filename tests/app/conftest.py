"""AppTest fixtures: the app runs in-process against the real test server of
tests/conftest.py (never a mock); a test asks for `demo_graph` or `empty_graph` for the
data it needs, then opens a page with `open_page("entity", id=…)`.

This folder is a package (it has an __init__.py) so that this conftest does not take the
module name `conftest` from tests/conftest.py, which other tests import."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import ROOT

from .helpers import point_at

#: Seconds one run of a page may take: the first imports pandas, altair and the driver.
RUN_TIMEOUT = 90


@pytest.fixture(autouse=True)
def fresh_caches():
    """Streamlit's caches live in this process: each test starts without them."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()  # releases the client, closing its driver


@pytest.fixture
def app_env(cli_env, monkeypatch):
    """The app process's environment points at the test server, as for the CLI."""
    point_at(cli_env, monkeypatch)


@pytest.fixture
def open_page(app_env):
    def open_page(page: str, **query: str | list[str]) -> AppTest:
        """Run app.py on app_pages/PAGE.py with the URL parameters `query`."""
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT)
        # An empty [neo4j] table: a developer's .streamlit/secrets.toml must not lead the
        # app away from the test server.
        at.secrets["neo4j"] = {}
        at.switch_page(f"app_pages/{page}.py")
        at.query_params.update(query)
        return at.run()
    return open_page
