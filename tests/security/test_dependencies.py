"""Issue 8, dependencies: no pinned package (requirements.txt, requirements-dev.txt) has
a known vulnerability, by pip-audit (pinned in requirements-dev.txt) against PyPI's
vulnerability data.

pip-audit asks PyPI about each pinned release (/pypi/NAME/VERSION/json). Where that
answer is missing (some mirrors and proxies serve only /pypi/NAME/json), pip-audit skips
the package and still reports success; here the project's answer is used instead, which
lists the vulnerabilities of its latest release: valid for a pin at the latest release.
A pin that can be audited neither way is named in a warning, and if none can be audited
the test fails: an audit that saw nothing has not passed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
import warnings

from conftest import ROOT

REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;#]+)")


def pins() -> dict[str, str]:
    found = {}
    for path in REQUIREMENTS:
        for line in path.read_text().splitlines():
            if match := PIN.match(line.strip()):
                found[canonical(match[1])] = match[2]
    return found


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def latest_release_vulnerabilities(name: str, version: str) -> list[dict] | None:
    """PyPI's vulnerabilities of the project's latest release, if that is `version`."""
    with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=60) as response:
        project = json.load(response)
    return project["vulnerabilities"] if project["info"]["version"] == version else None


def test_no_pinned_package_has_a_known_vulnerability():
    done = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off",
         "--no-deps", "--disable-pip", *(arg for path in REQUIREMENTS for arg in ("-r", str(path)))],
        capture_output=True, text=True, timeout=600)
    assert done.stdout.strip(), f"pip-audit did not run: {done.stderr[-2000:]}"
    audited = {canonical(d["name"]): d for d in json.loads(done.stdout)["dependencies"]}
    vulnerable: dict[str, list[str]] = {}
    unaudited = []
    for name, version in pins().items():
        found = audited.get(name)
        if found and "skip_reason" not in found:
            vulns = found["vulns"]
        else:
            vulns = latest_release_vulnerabilities(name, version)
        if vulns is None:
            unaudited.append(f"{name} {version}")
        elif vulns:
            vulnerable[f"{name} {version}"] = [
                f"{v['id']} (fixed in {', '.join(v.get('fix_versions') or v.get('fixed_in') or []) or 'no release yet'})"
                for v in vulns]
    assert vulnerable == {}, f"known vulnerabilities, upgrade these pins: {vulnerable}"
    assert len(unaudited) < len(pins()), "no pinned package could be audited"
    if unaudited:
        warnings.warn("not audited (no vulnerability data for these releases from here): "
                      + ", ".join(unaudited), stacklevel=1)
