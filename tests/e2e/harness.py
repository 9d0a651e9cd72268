"""Running the app for a real browser: `streamlit run app.py` as its own process bound to
127.0.0.1, and Debian's chromium driven by Playwright. Shared by the e2e tests and
bench/app_pages.py.

Playwright never downloads a browser here (`playwright install` fetches one from the
internet): it drives the chromium that Debian installs (`apt-get install chromium`)."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Locator, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
#: Logs, downloads and screenshots of the e2e tests (git-ignored).
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("SANCT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
#: Seconds the app may take to answer its health check after start.
START_TIMEOUT = 60


class HarnessError(RuntimeError):
    """The browser or the app cannot run; the message says why and what to do."""


def launch_chromium(playwright: Playwright) -> Browser:
    if not Path(CHROMIUM).exists():
        raise HarnessError(f"chromium is not installed at {CHROMIUM}: apt-get install chromium "
                           "(or set SANCT_CHROMIUM to its path). Never `playwright install`.")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_app(env: dict[str, str], log: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port of 127.0.0.1; yields its URL once healthy.

    A secrets file of its own (empty) keeps a developer's .streamlit/secrets.toml from
    pointing the app at another database than `env` says."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="sanctions-app-") as folder, open(log, "wb") as out:
        secrets = Path(folder) / "secrets.toml"
        secrets.write_text("")
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
             "--server.headless", "true", "--server.port", str(port),
             "--browser.gatherUsageStats", "false", "--secrets.files", str(secrets)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_healthy(url, process, log)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise HarnessError(f"streamlit exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise HarnessError(f"streamlit did not answer within {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def wait_for_app(page: Page, timeout: float = 60_000) -> None:
    """Until the app is connected and its script has finished running."""
    app = page.locator("[data-testid='stApp']")
    for state in ("[data-test-connection-state='CONNECTED']", "[data-test-script-state='notRunning']"):
        app.and_(page.locator(state)).wait_for(state="attached", timeout=timeout)


def table_row(page: Page, *cells: str) -> Locator:
    """The rows of the tables (st.dataframe's accessible grid, kept off screen, so found
    by CSS rather than by role) that hold all these cells."""
    rows = page.locator("[data-testid='stDataFrame'] tr[role='row']")
    for text in cells:
        cell = page.locator("td[role='gridcell']", has_text=re.compile(f"^{re.escape(text)}$"))
        rows = rows.filter(has=cell)
    return rows


#: The network component's iframe; cytoscape keeps its instance on the #cy element.
NETWORK = "iframe[title='st_link_analysis.component.component.st_link_analysis']"


def shown_nodes(page: Page) -> int:
    cy = page.frame_locator(NETWORK).first.locator("#cy")
    return cy.evaluate("el => el._cyreg ? el._cyreg.cy.nodes().length : 0")


def nodes_drawn(page: Page, more_than: int, timeout: float = 30) -> int:
    """How many nodes the network shows, once more than `more_than` (it draws after the
    script has run)."""
    deadline = time.monotonic() + timeout
    while (n := shown_nodes(page)) <= more_than:
        if time.monotonic() > deadline:
            raise HarnessError(f"the network still shows {n} nodes after {timeout:g} s")
        time.sleep(0.25)
    return n


def record_outside_requests(page: Page) -> list[str]:
    """The URLs the page asks for beyond 127.0.0.1, filled as it runs: the app is offline."""
    outside: list[str] = []

    def check(url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            outside.append(url)

    page.on("request", lambda request: check(request.url))
    page.on("websocket", lambda websocket: check(websocket.url))
    return outside
