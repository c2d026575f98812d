"""Serve the app on localhost and drive it with Debian's Chromium through Playwright (no browser download).

Used by tests/test_browser.py and scripts/screenshot_results.py. ``why_unavailable()`` says why a
browser run cannot happen here (no Chromium, no Playwright), or None.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = 60
UI_TIMEOUT_MS = 45_000


def why_unavailable() -> str | None:
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} is not installed (.ci/run installs Debian's chromium package)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install playwright)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(env: dict[str, str] | None = None) -> Iterator[str]:
    """``python3 -m streamlit run app.py`` on a free localhost port; yields its URL; always stops it."""
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "localhost", "--browser.gatherUsageStats", "false"],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
    )
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"the app stopped at start:\n{log.read().decode(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app did not answer on {url} within {START_TIMEOUT_S} s")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@contextlib.contextmanager
def browser_page(width: int = 1400, height: int = 1000) -> Iterator[object]:
    """A Playwright page in a fresh Chromium profile that accepts downloads."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height}, accept_downloads=True, locale="zh-CN")
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(UI_TIMEOUT_MS)
            yield page
        finally:
            context.close()


IDLE_JS = """() => !document.querySelector(
    '[data-testid="stSkeleton"], [data-testid="stStatusWidgetRunningIcon"], '
    + '[data-testid="stStatusWidgetRunningManIcon"], [data-stale="true"]')"""


def wait_until_idle(page, settle_ms: int = 900) -> None:
    """Until the script has finished its run and every element is drawn: nothing running, stale or
    still loading, and so for ``settle_ms`` on end (the running sign shows only after a moment)."""
    page.wait_for_selector("[data-testid='stApp']")
    quiet_since = None
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        if page.evaluate(IDLE_JS):
            quiet_since = quiet_since or time.monotonic()
            if (time.monotonic() - quiet_since) * 1000 >= settle_ms:
                return
        else:
            quiet_since = None
        page.wait_for_timeout(100)
    raise TimeoutError("the app did not settle")


def open_page(page, name: str) -> None:
    """Follow the sidebar link called ``name`` (a link keeps the session; a new address would start another)."""
    page.get_by_test_id("stSidebarNav").get_by_text(name, exact=True).click()
    page.get_by_role("heading", name=name).first.wait_for()
    wait_until_idle(page)


def results_screenshot(url: str, path: Path, height: int = 1500) -> None:
    """The results page of a fresh session, as a PNG at ``path``."""
    with browser_page(height=height) as page:
        page.goto(url)
        page.get_by_text("推荐汇总表（按优先顺序）").wait_for()
        page.get_by_test_id("stVegaLiteChart").first.wait_for()
        wait_until_idle(page)
        page.screenshot(path=str(path))
