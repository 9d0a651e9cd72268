"""Replaying a list's history: the 308 versions of OFAC's sdn.csv (data/ofac/history/).

    .venv/bin/python bench/history.py [--repeats 3]

Times graph.history.versions() + replay() (clone the bundle, read every version, diff,
parse the final state of each entry with the real loader) against a baseline measured
in the same run: reading the same 308 versions' bytes out of git and splitting them into
lines, the least any replay must do. No Neo4j: the write of the replayed load is timed by
`python -m graph history` itself (its summary says how long the load took).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.history import replay, versions  # noqa: E402

BUNDLE = ROOT / "data" / "ofac" / "history" / "sdn-history.bundle"


def baseline(found) -> int:
    """Every version's bytes out of git in one `git cat-file --batch`, split into lines:
    the reading any replay needs."""
    names = "".join(f"{v.commit}:{v.where[0]}\n" for v in found).encode()
    out = subprocess.run(["git", f"--git-dir={found[0].git_dir}", "cat-file", "--batch"],
                         input=names, capture_output=True, check=True).stdout
    return len(out.split(b"\r\n"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    base, whole = [], []
    for _ in range(args.repeats):
        started = time.monotonic()
        found = versions(BUNDLE)
        lines = baseline(found)
        base.append(time.monotonic() - started)
        started = time.monotonic()
        result = replay("ofac-sdn-csv", versions(BUNDLE))
        whole.append(time.monotonic() - started)
    b, w = statistics.median(base), statistics.median(whole)
    print(f"load average {os.getloadavg()[0]:.1f}; {len(found)} versions, {lines:,} lines read")
    print(f"baseline (read every version from git): {b:.1f} s")
    print(f"replay ({len(result.records):,} entries now, {len(result.removed):,} removed): "
          f"{w:.1f} s = {w / b:.2f}× the baseline (median of {args.repeats})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
