"""What `make run` keeps running: the app, and the load of the bundled data behind it.

The app opens at once; the bundled data loads in a process of its own, which writes its
progress to a small JSON file that every page reads ("4 of 12 sources loaded"). Each
process is known by a pid file checked against /proc, so a pid file left by a reboot or
a kill is recognised as stale, and a second `make run` finds the first instead of
starting another app.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from graph import bundled
from graph.server import alive
from graph.settings import Settings


@dataclass
class Paths:
    """Where the run's pid, progress and log files live (SANCT_RUN_DIR, else .local/)."""

    root: Path

    @property
    def app_pid(self) -> Path:
        return self.root / "app.pid"

    @property
    def progress(self) -> Path:
        return self.root / "demo-load.json"

    @property
    def log(self) -> Path:
        return self.root / "demo-load.log"


def paths(settings: Settings) -> Paths:
    return Paths(settings.run_dir)


# -- progress of the background load -------------------------------------------------------


#: The first step of the background load when it starts the local server itself.
STARTING = "starting Neo4j"


@dataclass
class Progress:
    """The bundled data's load, as its process last wrote it."""

    pid: int
    started_at: str
    total: int
    done: int = 0
    #: The source being loaded now and its stage ("ca-sema-xml sema-lmes_2025-09-22.xml: writing 1,369 records").
    current: str | None = None
    reports: list[str] = field(default_factory=list)
    finished_at: str | None = None
    error: str | None = None

    @property
    def running(self) -> bool:
        """Still loading: not finished, and its process is alive (a killed load is not)."""
        return self.finished_at is None and _is_process(self.pid, b"--demo")

    @property
    def stopped(self) -> bool:
        """Ended without finishing (stopped, killed, or the machine went down)."""
        return self.finished_at is None and not self.running

    def describe(self) -> str:
        if self.error:
            return f"The bundled data did not load: {self.error}"
        if self.finished_at is not None:
            return f"The bundled data is loaded ({self.total} sources, finished {self.finished_at[:19]} UTC)."
        if self.running:
            now = f" Now: {self.current}." if self.current else ""
            return (
                f"Loading the bundled data in the background: {self.done} of {self.total} "
                f"sources loaded.{now} Pages show what is loaded so far."
            )
        return (
            f"The load of the bundled data stopped after {self.done} of {self.total} "
            "sources; the graph holds those. `make run` loads the rest."
        )


class ProgressFile:
    """Written by the loading process after each step; read by the app."""

    def __init__(self, path: Path, total: int):
        self.path = path
        self.state = Progress(pid=os.getpid(), started_at=_now(), total=total)
        self._write()

    def step(self, current: str) -> None:
        self.state.current = current
        self._write()

    def loaded(self, summary: str) -> None:
        self.state.done += 1
        self.state.reports.append(summary)
        self.state.current = None
        self._write()

    def finish(self, error: str | None = None) -> None:
        self.state.error = error
        self.state.finished_at = _now()
        self._write()

    def _write(self) -> None:
        # Written whole and renamed: a page never reads half a file.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(self.state.__dict__, ensure_ascii=False), encoding="utf-8")
        partial.replace(self.path)


def progress(settings: Settings) -> Progress | None:
    """The last background load's progress, or None if there was none."""
    try:
        return Progress(**json.loads(paths(settings).progress.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def start_demo_load(settings: Settings) -> int | None:
    """Load the bundled data in a process of its own; its pid, or None if one runs
    already. Sources loaded before are skipped, so this is cheap on a loaded graph."""
    current = progress(settings)
    if current and current.running:
        return None
    files = paths(settings)
    files.root.mkdir(parents=True, exist_ok=True)
    with open(files.log, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "graph", "load", "--demo", "--progress-file", str(files.progress)],
            cwd=bundled.CHECKOUT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return process.pid


# -- the app -----------------------------------------------------------------------------


def running_app(settings: Settings) -> tuple[int, int] | None:
    """The pid and port of the app `run_app` started, if it still runs."""
    try:
        pid, port = map(int, paths(settings).app_pid.read_text().split())
    except (OSError, ValueError):
        return None
    return (pid, port) if _is_process(pid, b"streamlit") else None


def run_app(settings: Settings, port: int) -> None:
    """Replace this process with the Streamlit app on 127.0.0.1:`port` (Ctrl-C stops it)."""
    files = paths(settings)
    files.root.mkdir(parents=True, exist_ok=True)
    # The pid survives exec: the pid file names the app.
    files.app_pid.write_text(f"{os.getpid()} {port}\n")
    os.execv(
        sys.executable,
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(bundled.BASE / "app.py"),
            *_streamlit_config(),
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
    )


def _streamlit_config() -> list[str]:
    """The app's .streamlit/config.toml (no file watcher, no usage statistics) as options
    of `streamlit run`: Streamlit reads that file only in the directory it is started
    in, and the app may be started in any."""
    config = tomllib.loads((bundled.BASE / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return [
        f"--{section}.{key}={str(value).lower() if isinstance(value, bool) else value}"
        for section, options in config.items()
        for key, value in options.items()
    ]


def stop(settings: Settings) -> list[str]:
    """Stop the background load and the app; what was stopped. A load stopped half-way
    leaves the graph as its last finished source left it (each source is all or nothing)."""
    stopped = []
    load = progress(settings)
    if load and load.running:
        _terminate(load.pid)
        stopped.append(f"the load of the bundled data (pid {load.pid})")
    app = running_app(settings)
    if app:
        _terminate(app[0])
        stopped.append(f"the app (pid {app[0]})")
    paths(settings).app_pid.unlink(missing_ok=True)
    return stopped


def _terminate(pid: int, timeout: float = 30) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)


def _is_process(pid: int, marker: bytes) -> bool:
    """True if `pid` runs and its command line holds `marker`: after a reboot the pid
    may belong to another program."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return marker in cmdline and alive(pid)


def _now() -> str:
    return datetime.now(UTC).isoformat()
