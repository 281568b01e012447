"""End to end: ``loglake dashboard`` on a demo lake, opened in headless Chromium.

The test drives Debian's Chromium (``/usr/bin/chromium``) with Playwright and never lets
Playwright download a browser. Screenshots go to ``test-artifacts/dashboard/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from loglake.analytics.lake import open_lake
from loglake.analytics.sql import run_select

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "dashboard"
DEMO_DATE = "2026-11-02"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 60
PAGE_TIMEOUT_MS = 30_000

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed; .ci/run installs it",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"loglake dashboard exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the dashboard did not answer on {url} within {START_TIMEOUT_S} s")


@pytest.fixture(scope="module")
def demo_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lake = tmp_path_factory.mktemp("browser") / "lake"
    loglake = Path(sys.executable).with_name("loglake")
    subprocess.run(
        [str(loglake), "demo", "--lake", str(lake), "--date", DEMO_DATE, "--invocations", "120"],
        check=True,
        capture_output=True,
    )
    return lake


@pytest.fixture
def dashboard_url(demo_lake: Path, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    loglake = Path(sys.executable).with_name("loglake")
    environment = {**os.environ, "HOME": str(tmp_path)}
    process = subprocess.Popen(
        [str(loglake), "dashboard", "--lake", str(demo_lake), "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_overview_and_request_lookup(demo_lake: Path, dashboard_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import ConsoleMessage, sync_playwright

    known = run_select(
        open_lake(str(demo_lake)),
        "SELECT request_id FROM invocations WHERE function_name = 'orders-api' "
        "ORDER BY timestamp LIMIT 1",
    )
    request_id = str(known.rows[0][0])
    range_query = f"range=custom&start={DEMO_DATE}T00:00&end=2026-11-03T00:00"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    with sync_playwright() as playwright:
        # A persistent context on a new, empty folder is Chromium's --user-data-dir.
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            page = browser.new_page()
            page.on("console", record)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on(
                "requestfailed",
                lambda request: problems.append(f"request failed: {request.url} {request.failure}"),
            )
            page.on(
                "response",
                lambda response: (
                    problems.append(f"HTTP {response.status}: {response.url}")
                    if response.status >= 400
                    else None
                ),
            )

            # The overview is the default page, at the root: Streamlit looks for its own files
            # under a deeper path first and logs those 404s.
            page.goto(f"{dashboard_url}?{range_query}")
            # Tables draw on a canvas; their accessible cells are attached but hidden.
            page.locator("[role=gridcell]", has_text="orders-api").first.wait_for(
                state="attached", timeout=PAGE_TIMEOUT_MS
            )
            page.get_by_role("heading", name="Functions").wait_for(timeout=PAGE_TIMEOUT_MS)
            page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

            page.get_by_role("link", name="Request lookup").click()
            field = page.get_by_role("textbox", name="Request ID, trace ID or field value")
            field.fill(request_id)
            field.press("Enter")
            page.get_by_text(f"Request {request_id}").wait_for(timeout=PAGE_TIMEOUT_MS)
            page.get_by_text("Log lines").wait_for(timeout=PAGE_TIMEOUT_MS)
            page.screenshot(path=str(ARTIFACTS / "request-lookup.png"), full_page=True)
        finally:
            browser.close()

    assert problems == []
    assert (ARTIFACTS / "overview.png").stat().st_size > 0
    assert (ARTIFACTS / "request-lookup.png").stat().st_size > 0
