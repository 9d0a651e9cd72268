"""The local Neo4j these tests inspect: the tests' own shared server when it is a local
one (as in CI), else one started for the module (SANCT_TEST_NEO4J_URI names another)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from conftest import free_port
from graph.server import LocalServer
from graph.settings import Settings


@contextmanager
def local_server(server_settings: Settings, folder: Path) -> Iterator[Settings]:
    if not server_settings.uri:
        yield server_settings
        return
    settings = replace(server_settings, uri=None, password=None, home=folder, bolt_port=free_port(),
                       heap="512m", pagecache="128m")
    server = LocalServer(settings)
    server.start()
    try:
        yield settings
    finally:
        server.stop()
