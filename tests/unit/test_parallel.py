"""The parallel run's groups (tests/conftest.py): in a run on two pytest-xdist workers,
a module's tests run on one worker, and each reports the group it ran in. pytest-xdist
3.8 drops the groups silently under pytest 9.2 (pytest-dev/pytest-xdist#1386): tests
then run spread over the workers, module fixtures are made twice, and the demo graph is
loaded on both."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict

from conftest import ROOT

#: Two quick modules of tests that need no database (and whose ids hold no spaces).
MODULES = ["tests/unit/test_settings.py", "tests/unit/test_detect.py"]
#: How `-v` reports a test run on a worker (the start of the next may share its line).
PASSED = re.compile(r"\[(gw\d+)\] \[ *\d+%\] PASSED ([^\s:]+)::\S*@(\S+)")


def test_a_modules_tests_run_on_one_worker_as_its_group():
    done = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v",
                           "-p", "no:cacheprovider", *MODULES],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    reports = list(PASSED.finditer(done.stdout))
    assert len(reports) == int(re.search(r"(\d+) passed", done.stdout)[1]) > 10, done.stdout[-3000:]
    workers, groups = defaultdict(set), defaultdict(set)
    for worker, module, group in (m.groups() for m in reports):
        workers[module].add(worker)
        groups[module].add(group)
    assert sorted(workers) == sorted(MODULES)
    assert all(len(w) == 1 for w in workers.values()), dict(workers)
    assert groups == {module: {module} for module in MODULES}
