"""Real-browser fixtures: the app on a loopback port, Debian's Chromium driven by Playwright.

Without Chromium the browser tests are skipped with the reason, except in CI, where they fail.
Screenshots go to build/screenshots (or SCREENSHOT_DIR); the run's summary prints the folder.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import (
    AXE_RULES_RUN,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    NPM_TOOLS,
    PHONE,
    SCREENSHOTS,
    LiveApp,
)
from flask import render_template
from werkzeug.serving import make_server

from screening import create_app


def pytest_collection_modifyitems(config, items):
    # The tools from npm (make test installs them), by the word in the names of their tests.
    for word, tool in NPM_TOOLS.items():
        if tool.exists():
            continue
        if os.environ.get("CI"):
            raise pytest.UsageError(f"CI needs {tool}: make test runs npm ci")
        skip = pytest.mark.skip(reason=f"no {tool.name} (npm ci in tests/browser)")
        for item in items:
            if word in item.name:
                item.add_marker(skip)
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs Chromium at {CHROMIUM}: .ci/run installs it")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if AXE_RULES_RUN:
        terminalreporter.write_line(f"axe-core: {len(AXE_RULES_RUN)} WCAG 2.2 A/AA rules run")
    if SCREENSHOTS.exists() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"Browser screenshots: {SCREENSHOTS}")


@pytest.fixture(scope="session")
def live(tmp_path_factory) -> Iterator[LiveApp]:
    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "DEVELOPMENT": True,
            "SECRET_KEY": "browser-test-secret-key-0123456789abcdef",
            "DATABASE": str(folder / "live.sqlite3"),
            "SITE": str(Path(__file__).parents[2] / "site.example.yaml"),  # a deployer's service
            "PASSWORD_HASH": "pbkdf2:sha256:1000",
            "RATELIMIT_ENABLED": False,  # the page tests sign in many times a minute
            "QUICK_EXIT_URL": "/test-only/neutral",  # no test may reach another site
        }
    )

    @app.get("/test-only/neutral")
    def neutral():  # stands in for the neutral site the quick exit goes to
        return "<!doctype html><title>Weather</title><p>Sunny"

    live_app = LiveApp(app, "")
    live_app.prepare_clinic()
    LiveApp.running = live_app

    @app.get("/test-only/fail")
    def fail():  # a page that breaks, to show the 500 page
        raise RuntimeError("deliberate failure")

    @app.get("/test-only/bad-host")
    def bad_host():  # the page the app sends for a malformed Host (a browser cannot send one)
        sent = app.test_client().get("/", headers={"Host": "bad host!"})
        assert sent.status_code == 400
        return sent.get_data(), 400, {"Content-Type": sent.content_type}

    @app.get("/test-only/link-busy")
    def link_busy():  # the page when a link is at its hourly limit (limits are off here)
        return render_template("sharing/link_busy.html"), 429

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live_app.url = f"http://127.0.0.1:{server.server_port}"
    yield live_app
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=["phone", "desktop"])
def viewport(request) -> tuple[str, dict]:
    return request.param, PHONE if request.param == "phone" else DESKTOP


@pytest.fixture
def page(browser, live):
    """A fresh phone-sized page with JavaScript on, in its own context (own cookies)."""
    context = browser.new_context(viewport=PHONE, base_url=live.url)
    yield context.new_page()
    context.close()
