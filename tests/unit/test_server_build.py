"""The local server's build (graph/server.py): processes that start servers side by side
(the tests' workers, `make run`'s app and load) build it once, one at a time; none starts
from a target/ that Maven is still filling."""

from __future__ import annotations

import os
import shutil
import threading

from graph import bundled, settings
from graph.server import MAIN_CLASS, LocalServer

#: Maven as build() runs it, slowly: the launcher's class first, the jars a second later.
SLOW_MAVEN = f"""#!/bin/sh
echo run >> "$MAVEN_RUNS"
mkdir -p "$TARGET/classes" "$TARGET/lib"
touch "$TARGET/classes/{MAIN_CLASS}.class"
sleep 1
touch "$TARGET/lib/neo4j.jar"
"""


def test_servers_started_side_by_side_build_it_once(tmp_path, monkeypatch):
    project = tmp_path / "neo4j"
    java = project / "src" / "main" / "java"
    java.mkdir(parents=True)
    shutil.copy(bundled.NEO4J / "pom.xml", project)
    shutil.copy(bundled.NEO4J / "src" / "main" / "java" / f"{MAIN_CLASS}.java", java)
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "mvn").write_text(SLOW_MAVEN)
    (tools / "mvn").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("MAVEN_RUNS", str(tmp_path / "runs"))
    monkeypatch.setenv("TARGET", str(project / "target"))
    monkeypatch.setattr(bundled, "NEO4J", project)  # a checkout's neo4j/, built in place

    jars: list[list[str]] = []
    errors: list[Exception] = []

    def start() -> None:
        server = LocalServer(settings.load())
        try:
            server.build()
            jars.append(sorted(p.name for p in (server.target / "lib").iterdir()))
        except Exception as e:  # reported below: a thread would only print it
            errors.append(e)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert (tmp_path / "runs").read_text().splitlines() == ["run"]
    assert jars == [["neo4j.jar"]] * 3, "a server would have started from a half-built target/"
