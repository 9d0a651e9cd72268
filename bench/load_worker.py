"""One load in a process of its own, so its peak memory is the loader's alone.

    .venv/bin/python bench/load_worker.py [--force] KIND PATH [PATH…]

Connects as bench/run.py says through the environment (NEO4J_BOLT_PORT,
SANCT_NEO4J_HOME: the benchmark server), loads with graph.loading.load, the code under
test, and prints one JSON line: seconds, records, the load report's counts, and the
process's peak resident memory before and after the load.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import SanctionsGraph  # noqa: E402


def peak_rss_mib() -> float:
    """This process's own peak: the high-water mark of its memory since it started
    (VmHWM). Not ru_maxrss: Linux keeps in it the resident memory of the process it was
    forked from, so every worker's peak was at least what bench/run.py held when it
    started the worker (392-440 MiB in stop 47's full run, whatever the load)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    force = "--force" in sys.argv
    kind, *paths = [arg for arg in sys.argv[1:] if arg != "--force"]
    graph = SanctionsGraph.connect(start=False)
    before = peak_rss_mib()
    started = time.monotonic()
    report = graph.load(kind, *paths, force=force)
    seconds = time.monotonic() - started
    graph.close()
    print(json.dumps({
        "kind": kind, "files": paths, "seconds": seconds, "write_seconds": report.written.seconds,
        "records": report.counts.get("records", 0),
        "counts": report.counts, "designations": report.written.designations,
        "links": report.written.links, "merges": report.written.merges,
        "compared": report.written.compared, "records_read": report.written.records_read,
        "rss_before_mib": before, "peak_rss_mib": peak_rss_mib(),
    }))


if __name__ == "__main__":
    main()
