"""Issue 8, the local server: Neo4j listens on 127.0.0.1 only (Bolt, nothing else),
refuses a wrong or missing password, and keeps its generated password in a file only
its owner can read, never on a command line."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
from dataclasses import replace

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError

from graph import GraphUnavailable, SanctionsGraph
from graph.server import LocalServer
from graph.settings import Settings
from security.local_server import local_server


@pytest.fixture(scope="module")
def local(server_settings, tmp_path_factory) -> Settings:
    with local_server(server_settings, tmp_path_factory.mktemp("neo4j")) as settings:
        yield settings


def listening(pid: int) -> list[str]:
    """The local addresses the process listens on, as ss shows them."""
    out = subprocess.run(["ss", "-Hltnp"], capture_output=True, text=True, check=True).stdout
    return [line.split()[3] for line in out.splitlines() if f"pid={pid}," in line]


def other_addresses() -> list[str]:
    """This machine's addresses that are not loopback."""
    out = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout
    return [a for a in out.split() if not a.startswith("127.") and a != "::1"]


def test_neo4j_listens_on_loopback_only(local):
    server = LocalServer(local)
    sockets = listening(server.running_pid())
    assert sockets and all(re.fullmatch(rf"(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):{local.bolt_port}", s)
                           for s in sockets), sockets
    for address in other_addresses():
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(3)
            assert s.connect_ex((address, local.bolt_port)) != 0, f"Bolt answers on {address}"


def test_a_wrong_or_missing_password_is_refused(local):
    server = LocalServer(local)
    for auth in (("neo4j", "not-the-password"), None):
        with GraphDatabase.driver(server.uri, auth=auth) as driver:
            with pytest.raises((AuthError, ClientError)):
                driver.verify_connectivity()
    # A login that succeeds resets Neo4j's count of failed ones (three lock the user).
    SanctionsGraph.connect(local, start=False).close()
    with pytest.raises(GraphUnavailable, match="refused the credentials") as e:
        SanctionsGraph.connect(replace(local, password="not-the-password"), start=False)
    assert "not-the-password" not in str(e.value)
    SanctionsGraph.connect(local, start=False).close()


def test_the_password_file_is_the_owners_alone(local):
    server = LocalServer(local)
    info = server.password_file.stat()
    assert stat.S_IMODE(info.st_mode) == 0o600 and info.st_uid == os.getuid()
    password = server.password()
    assert len(password) >= 24
    cmdline = (f"/proc/{server.running_pid()}/cmdline")
    with open(cmdline, "rb") as f:
        assert password.encode() not in f.read()
    assert password not in (local.home / "neo4j.conf").read_text()
