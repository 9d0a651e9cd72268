"""Running `python -m graph …` the way a user does, against a given server."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT
from graph.settings import Settings


def environment(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment for `python -m graph` to use this server (as conftest's cli_env,
    for any server, the tests' own ones too)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **extra}
    if settings.uri:
        env["NEO4J_URI"] = settings.uri
    else:
        env.update(NEO4J_BOLT_PORT=str(settings.bolt_port), SANCT_NEO4J_HOME=str(settings.home))
        env.pop("NEO4J_URI", None)
        env.pop("NEO4J_PASSWORD", None)
    return env


def command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)


def one_line_error(stderr: str) -> str:
    """The one error line a failed command prints (progress lines aside), no traceback."""
    lines = [line for line in stderr.splitlines() if not line.startswith("  ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def use_environment(monkeypatch, env: dict[str, str]) -> None:
    """Make this process's environment `env` (for the test's length), so that the
    command line's main() run in this process sees what a `python -m graph` would."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_BOLT_PORT", "SANCT_NEO4J_HOME"):
        if name not in env:
            monkeypatch.delenv(name, raising=False)
