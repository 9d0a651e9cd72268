"""The large load the fault and concurrency tests share, done once per test run.

The synthetic list (synthetic.py) is loaded (v1); then its next version (v2) loads in
a process of its own (counted_load.py) while eight readers run saved queries and
searches and read the per-source invariant. The snapshots before and after are the
reference a killed load must leave and a reload must reach (test_faults.py); the
readers' observations are what test_concurrency.py checks; the number of statements
of the v2 load's transaction is where test_faults.py chooses its kills. Once per
process: the two modules are one xdist group (GROUP), on one worker.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from conftest import ROOT, wipe
from graph import SanctionsGraph
from reliability.graph_state import snapshot
from reliability.processes import environment
from reliability.synthetic import DATASET, LARGE, Versions, write_versions

GROUP = pytest.mark.xdist_group("large_load")

#: Small batches: a load's transaction runs many statements, to be killed at or read beside.
BATCH = 100
#: What "a large load" must at least run, in statements of its transaction.
MANY_STATEMENTS = 100
READERS = 8
COUNTED_LOAD = Path(__file__).with_name("counted_load.py")
INVARIANT = """
OPTIONAL MATCH (s:Source {dataset: $dataset, current: true})
WITH collect(s) AS current
CALL () {
    // Those the current version holds: no RECORDED_IN to an older one (graph/model.yaml).
    MATCH (d:Designation {dataset: $dataset}) WHERE NOT (d)-[:RECORDED_IN]->()
    RETURN count(d) AS recorded
}
CALL () {
    MATCH (d:Designation {dataset: $dataset, status: 'active'})
    RETURN count(d) AS active
}
RETURN size(current) AS versions, [s IN current | s.designations] AS stated, recorded, active
"""
#: What the readers run besides the invariant, in turn: what an analyst clicks through.
READS = [
    lambda g: g.search("Ivan Petrov"),
    lambda g: g.search("Aeroaero 12 LLC"),
    lambda g: g.run_saved("designation_gaps", base="US", others=["GB", "CA"]),
    lambda g: g.run_saved("program_members", program="GB-RUS"),
    lambda g: g.gap_matrix(jurisdictions=["US", "GB", "EU"]),
    lambda g: g.run_saved("entity_profile", id=f"{DATASET}:NK-syn0000001"),
]
#: Seconds a reader waits between two reads, as a person does.
PAUSE = 0.2


@dataclass
class Run:
    """A load in a process of its own, as counted_load.py printed it."""

    returncode: int
    #: The statement the process was at when it was killed ("37 UNWIND $rows …"), or
    #: the number of the last statement.
    killed_at: str
    stderr: str
    statements: int = 0
    #: time.monotonic() of the first statement (as this process read it), of the end
    #: of the transaction's statements and of the end of the commit.
    first_statement: float | None = None
    committing: float | None = None
    committed: float | None = None


def load_until(env: dict, path: Path, kill_at: int | Callable[[int, str], bool] | None = None,
               kill: Callable[[subprocess.Popen], None] | None = None) -> Run:
    """Load `path` (FtM) in a process of its own; when its transaction reaches statement
    `kill_at` (a number, or a test of the statement's number and text), call
    kill(process) before the statement runs: the process then waits for a line on its
    standard input at each statement (counted_load.py). Returns when it has ended."""
    if isinstance(kill_at, int):
        kill_at = (lambda number, _, at=kill_at: number == at)
    if kill_at:  # a load with readers beside it is not held back (test_concurrency)
        env = {**env, "COUNTED_LOAD_WAITS": "1"}
    process = subprocess.Popen([sys.executable, str(COUNTED_LOAD), "load", "ftm", str(path)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env, cwd=ROOT)
    run = Run(0, "", "")
    for line in process.stdout:
        if line.startswith("statement "):
            run.statements = int(line.split()[1])
            if run.first_statement is None:
                run.first_statement = time.monotonic()
            if kill_at and not run.killed_at and kill_at(run.statements, line.split(" ", 2)[2]):
                kill(process)
                run.killed_at = line[len("statement "):].strip()
            if kill_at:  # it waits for this line (counted_load.py)
                with contextlib.suppress(BrokenPipeError):  # gone if it was the one killed
                    process.stdin.write("\n")
                    process.stdin.flush()
        elif line.startswith("committing "):
            run.committing = float(line.split()[1])
        elif line.startswith("committed "):
            run.committed = float(line.split()[1])
    _, run.stderr = process.communicate(timeout=300)
    run.returncode = process.returncode
    run.killed_at = run.killed_at or str(run.statements)
    return run


def observe(g: SanctionsGraph) -> tuple:
    """The invariant's numbers: (versions, designations stated, recorded, active)."""
    row = g.read(INVARIANT, dataset=DATASET)[0]
    return row["versions"], tuple(row["stated"]), row["recorded"], row["active"]


def holds(state: tuple) -> bool:
    versions, stated, recorded, active = state
    return versions == 1 and stated[0] == recorded == active


@dataclass
class Reading:
    """One reading of the invariant: when it ran and what it saw."""

    started: float
    ended: float
    state: tuple


@dataclass
class Readers:
    """READERS threads that read the invariant and then one of READS, over and over."""

    g: SanctionsGraph
    readings: list[Reading] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reads: Counter = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)

    def __post_init__(self):
        self.running = threading.Event()
        self.threads = [threading.Thread(target=self._read, args=(n,)) for n in range(READERS)]

    def start(self) -> None:
        self.running.set()
        for t in self.threads:
            t.start()

    def stop(self) -> None:
        self.running.clear()
        for t in self.threads:
            t.join()

    def wait_for_readings_after(self, moment: float, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and sum(1 for r in list(self.readings) if r.started > moment) < READERS:
            time.sleep(0.5)

    def _read(self, number: int) -> None:
        i = number
        while self.running.is_set():
            started = time.monotonic()
            try:
                state = observe(self.g)
                self.readings.append(Reading(started, time.monotonic(), state))
                READS[i % len(READS)](self.g)
                self.reads[number] += 1
            except Exception as e:  # any error at all is a failure: keep it to report
                self.errors.append(f"reader {number}, read {i % len(READS)}: {type(e).__name__}: {e}")
            self.seconds.append(time.monotonic() - started)
            i += 1
            time.sleep(PAUSE)


@dataclass
class LargeLoad:
    lists: Versions
    #: snapshot() after a clean load of v1, and after v2 on top of it.
    v1: dict
    v2: dict | None
    #: The v2 load: its statements and the times of its commit.
    run: Run
    #: The invariant before and after the v2 load, and what the readers saw during it.
    old: tuple
    new: tuple
    readers: Readers


_DONE: list[LargeLoad] = []


def large_load(graph: SanctionsGraph, server_settings, tmp_path_factory) -> LargeLoad:
    """The large load, done on the first call of the test run (on the shared test
    server, which it wipes) and remembered."""
    if _DONE:
        return _DONE[0]
    lists = write_versions(tmp_path_factory.mktemp("synthetic"), LARGE)
    wipe(graph)
    graph.state = "dirty"
    graph.load("ftm", lists.v1)
    v1, old = snapshot(graph), observe(graph)
    # Eight readers and a load share two cores (with whatever else runs there): a saved
    # query may take several times its usual second. The limit of typed queries is not
    # what this is about (tests/security is); a slow answer is not a wrong one.
    readers = Readers(SanctionsGraph(graph.driver, replace(graph.settings, query_timeout=120)))
    readers.start()
    try:
        time.sleep(2)  # the readers see the old version first
        run = load_until(environment(server_settings, SANCT_BATCH_SIZE=str(BATCH)), lists.v2)
        if run.returncode == 0:
            readers.wait_for_readings_after(run.committed)  # and the new one after
    finally:
        readers.stop()
    done = LargeLoad(lists, v1, snapshot(graph) if run.returncode == 0 else None, run, old, observe(graph), readers)
    _DONE.append(done)
    return done
