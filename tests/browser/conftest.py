"""Playwright against Debian's chromium, with axe-core and screenshots.

Screenshots go to var/screenshots/ (ignored by git). `scripts/screenshots` runs the browser
tests with COHORTKIT_SCREENSHOTS=docs to refresh docs/screenshots/ when a page changes on
purpose, so ordinary runs leave the repository untouched.

Never `playwright install`: the browser is /usr/bin/chromium (./test installs it).
"""

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import ConsoleMessage, Page, expect

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("COHORTKIT_SCREENSHOTS") == "docs"
    else ROOT / "var" / "screenshots"
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time.

    On SQLite the test database lives in memory and every server thread shares its single
    connection, so two overlapping requests (an htmx autosave still in flight when a form is
    submitted) could interleave their queries and transactions and one of them would read
    what the other had half done. Connections stay threaded (keep-alive works); only the
    application call, body and close included, is serialised. A real deployment has a
    connection per thread and needs none of this.
    """

    def set_app(self, application: Callable[..., Iterable[bytes]]) -> None:
        lock = threading.Lock()

        def serialised(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
            with lock:
                result = application(environ, start_response)
                try:
                    return list(result)
                finally:
                    close = getattr(result, "close", None)
                    if close is not None:
                        close()

        super().set_app(serialised)


LiveServerThread.server_class = OneRequestAtATimeServer

# CI shares two cores between two test workers, each with a browser and a server: give a
# page longer than Playwright's 5 s default before an assertion counts as failed.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    """Console messages about refused scripts or styles: a test asserts the list stays empty."""
    seen: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            seen.append(message.text)

    page.on("console", listen)
    return seen


def axe_violations(page: Page, *, impacts: tuple[str, ...] = ("critical", "serious")) -> list[Any]:
    """Run axe-core in the page (evaluate is not subject to the page's CSP)."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
