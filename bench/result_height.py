"""How long each persona's result page is on a phone: its height in CSS pixels at 360 px wide.

Runs the app on a loopback port, puts each persona's answers in the encrypted cookie as the app
would, and measures the result page in Debian's Chromium. Run with `make bench` (it runs after the
load test) or `.venv/bin/python bench/result_height.py`.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from personas import PERSONAS  # noqa: E402  (tests/personas.py: the named answer sets)

from screening import create_app  # noqa: E402
from screening.core.flow import parse_answers  # noqa: E402
from screening.web import drafts  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def cookie_for(app, answers: dict) -> str:
    """The answers cookie the app would write for a check with these answers."""
    with app.test_request_context():
        bank = app.extensions["screening"].bank
        return drafts.encode(drafts.begin().answering(parse_answers(bank, answers)))


def main() -> None:
    import logging

    from playwright.sync_api import sync_playwright

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request lines among the figures

    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "DEVELOPMENT": True,
            "SECRET_KEY": "result-height-benchmark-secret-0123456789",
            "DATABASE": str(folder / "bench.sqlite3"),
            "SITE": str(ROOT / "site.example.yaml"),
            "RATELIMIT_ENABLED": False,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    bank = app.extensions["screening"].bank
    print(f"Result page height at 360 px ({bank.id} {bank.version}):")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, persona in PERSONAS.items():
            value = cookie_for(app, persona.answers)
            context = browser.new_context(viewport={"width": 360, "height": 740})
            context.add_cookies([{"name": drafts.COOKIE, "value": value, "url": url}])
            page = context.new_page()
            page.goto(f"{url}/result")
            height = page.evaluate("document.documentElement.scrollHeight")
            print(f"  {name:<28}{height:>7} px")
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
