"""Faults under load: a gunicorn worker killed mid-share loses no acknowledged share."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from screening.storage import connection, records

ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ANSWERS = [("respondent", "self"), ("last_use", "never"), ("self_harm", "no")]


class Browser:
    """Just enough of a browser: cookies, and a fresh connection per request (sync workers)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), text

    def form(self, path: str, fields: dict) -> tuple[int, str, str]:
        _, _, page = self.request("GET", path)
        return self.request("POST", path, {"csrf_token": TOKEN.search(page).group(1), **fields})


def share_once(port: int, token: str) -> str | None:
    """Open the link, answer, share; return the reference code if the share was acknowledged."""
    browser = Browser(port)
    browser.request("GET", f"/r/{token}")
    _, _, start = browser.request("GET", "/")
    browser.request("POST", "/start", {"csrf_token": TOKEN.search(start).group(1)})
    for question, option in ANSWERS:
        browser.form(f"/questions/{question}", {question: option})
    browser.form("/check-answers", {})
    _, _, result = browser.request("GET", "/result")
    status, location, _ = browser.request(
        "POST", "/share", {"csrf_token": TOKEN.search(result).group(1), "name": ""}
    )
    if status != 302 or not location.endswith("/shared"):
        return None
    _, _, shared = browser.request("GET", "/shared")
    found = re.search(r'class="code">([^<]+)<', shared)
    return found.group(1).replace("-", "") if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


KEY = "fault-test-secret-key-0123456789"


@pytest.mark.skipif(not Path("/proc").exists(), reason="finds gunicorn's workers through /proc")
def test_killing_a_worker_loses_no_acknowledged_share(tmp_path):
    database = tmp_path / "db.sqlite3"
    connection.migrate(database)
    db = connection.connect(database)
    clinician = records.add_clinician(
        db, "dr@example.org", "Dr A", "fault test password one", "pbkdf2:sha256:1000"
    )
    token = records.add_link(db, clinician.id, "Load", "Call us", KEY).token
    db.close()
    port = free_port()
    env = {
        **os.environ,
        "SCREENING_SECRET_KEY": KEY,
        "SCREENING_DATABASE": str(database),
        "SCREENING_DEVELOPMENT": "true",
        "SCREENING_RATELIMIT_ENABLED": "false",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--preload",
            "screening:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):  # wait until it answers, at most ~10 s
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
                break
            except OSError:
                time.sleep(0.05)
        acknowledged: list[str] = []
        failed: list[None] = []
        progress = threading.Condition()

        def worker(count: int) -> None:
            for _ in range(count):
                try:
                    code = share_once(port, token)
                except (OSError, http.client.HTTPException, AttributeError):
                    code = None  # cut off by a kill: never acknowledged
                with progress:
                    (acknowledged if code else failed).append(code)
                    progress.notify_all()

        threads = [threading.Thread(target=worker, args=(15,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        killed = []
        for target in (10, 20, 30):  # three kills while four people are sharing at once
            with progress:
                assert progress.wait_for(lambda t=target: len(acknowledged) >= t, timeout=60)
            victim = next(p for p in children(server.pid) if p not in killed)
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
        for thread in threads:
            thread.join(timeout=120)
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored_db = sqlite3.connect(database)
    stored = {row[0] for row in stored_db.execute("SELECT code FROM shares")}
    assert stored_db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(acknowledged) + len(failed) == 60
    assert len(acknowledged) >= 40  # the other worker kept going, and killed ones came back
    assert set(acknowledged) <= stored  # every share the person was told about is there
    assert len(stored) <= len(acknowledged) + len(failed)  # and nothing was made up
