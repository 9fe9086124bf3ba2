"""Real-browser tests: pytest-playwright driving Debian's Chromium against live_server.

Playwright's own browser download is not used (no network here): we launch the system Chromium.
"""

from __future__ import annotations

import os
import shutil

import pytest

# live_server runs Django in a thread while Playwright's sync API runs an event loop in this one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--no-sandbox",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # live_server needs committed data: transactional database tests.
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium is not installed (apt-get install chromium); .ci/run installs it.")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def login(page, live_server):
    """Log ``user`` in through the real login form."""

    def _login(email: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()

    return _login


@pytest.fixture(autouse=True)
def csp_violations(page):
    """Every browser test runs under the site's Content-Security-Policy (the middleware is in the
    settings live_server serves) and fails on any violation Chromium reports: an inline script or
    style without the nonce, an eval, a resource from elsewhere."""
    found: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            found.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    yield found
    assert not found, "CSP violations:\n" + "\n".join(found)
