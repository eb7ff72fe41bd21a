"""Faults under load: a gunicorn worker killed mid-share loses no acknowledged share, on one
machine with SQLite and on two machines sharing PostgreSQL and Redis."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import backends
import pytest

from screening.storage import connection, records

ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ANSWERS = [("respondent", "self"), ("last_use", "never"), ("self_harm", "no")]


class Browser:
    """Just enough of a browser: cookies, and a fresh connection per request (sync workers);
    from its own address, as a proxy in front would say (X-Forwarded-For), if given one."""

    def __init__(self, port: int, address: str | None = None):
        self.port, self.address = port, address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if self.address:
            headers["X-Forwarded-For"] = self.address
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


def share_once(port: int, token: str, address: str | None = None) -> str | None:
    """Open the link, answer, share; return the reference code if the share was acknowledged."""
    browser = Browser(port, address)
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


def start_machine(port: int, env: dict) -> subprocess.Popen:
    """One app server: gunicorn with two workers, as `make serve` runs it; up when it answers."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--preload", "screening:create_app()"],
        cwd=ROOT,
        env={**os.environ, "SCREENING_SECRET_KEY": KEY, "SCREENING_DEVELOPMENT": "true", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(400):  # wait until it answers, at most ~20 s
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise AssertionError(f"the app server on port {port} did not start")


def shares_while_killing(machines: dict[int, subprocess.Popen], token: str, **kw) -> tuple:
    """Four people share 15 times each, spread over the machines, while three workers are
    killed (each on the next machine in turn): (acknowledged codes, failures)."""
    ports = list(machines)
    acknowledged: list[str] = []
    failed: list[None] = []
    progress = threading.Condition()

    def person(n: int) -> None:
        for i in range(15):
            port = ports[(n + i) % len(ports)]
            address = f"10.{n}.{i}.{secrets.randbelow(250) + 1}" if kw.get("addresses") else None
            try:
                code = share_once(port, token, address)
            except (OSError, http.client.HTTPException, AttributeError):
                code = None  # cut off by a kill: never acknowledged
            with progress:
                (acknowledged if code else failed).append(code)
                progress.notify_all()

    threads = [threading.Thread(target=person, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    killed = []
    for turn, target in enumerate((10, 20, 30)):  # three kills while four people share at once
        with progress:
            assert progress.wait_for(lambda t=target: len(acknowledged) >= t, timeout=60)
        server = machines[ports[turn % len(ports)]]
        victim = next(p for p in children(server.pid) if p not in killed)
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)
    for thread in threads:
        thread.join(timeout=120)
    return acknowledged, failed


def fault_figures(acknowledged, failed, stored) -> None:
    assert len(acknowledged) + len(failed) == 60
    assert len(acknowledged) >= 40  # the other workers kept going, and killed ones came back
    assert set(acknowledged) <= stored  # every share the person was told about is there
    assert len(acknowledged) == len(set(acknowledged))  # each stored once, under its own code
    assert len(stored) <= len(acknowledged) + len(failed)  # and nothing was made up
    print(f"acknowledged {len(acknowledged)}, cut off {len(failed)}, stored {len(stored)}")


def add_link(target: str) -> str:
    db = connection.connect(target)
    try:
        clinician = records.add_clinician(
            db, "dr@example.org", "Dr A", "fault test password one", "pbkdf2:sha256:1000"
        )
        return records.add_link(db, clinician.id, "Load", "Call us", KEY).token
    finally:
        db.close()


def stored_codes(target: str) -> set[str]:
    db = connection.connect(target)
    try:
        return {row[0] for row in db.execute("SELECT code FROM shares")}
    finally:
        db.close()


@pytest.mark.skipif(not Path("/proc").exists(), reason="finds gunicorn's workers through /proc")
def test_killing_a_worker_loses_no_acknowledged_share(tmp_path):
    database = tmp_path / "db.sqlite3"
    connection.migrate(database)
    token = add_link(str(database))
    port = free_port()
    env = {"SCREENING_DATABASE": str(database), "SCREENING_RATELIMIT_ENABLED": "false"}
    server = start_machine(port, env)
    try:
        acknowledged, failed = shares_while_killing({port: server}, token)
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored_db = sqlite3.connect(database)
    assert stored_db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored_db.close()
    fault_figures(acknowledged, failed, stored_codes(str(database)))


@pytest.mark.skipif(not Path("/proc").exists(), reason="finds gunicorn's workers through /proc")
def test_two_machines_on_postgresql_and_redis_lose_nothing_and_share_their_limits(tmp_path):
    """Two app servers (two ports), one PostgreSQL, one Redis, rate limits on: people share
    through both while workers on each are killed, and one address's sign-in tries count
    across both machines (5 a minute in all, not 5 on each)."""
    backends.need(backends.REDIS, "redis")
    with backends.database("postgresql", tmp_path) as url:
        connection.migrate(url)
        token = add_link(url)
        env = {
            "SCREENING_DATABASE": url,
            "SCREENING_SERVERS": "2",
            "SCREENING_RATELIMIT_STORAGE_URI": backends.REDIS,
            "SCREENING_TRUSTED_PROXIES": "1",  # each person's own address, as nginx says
            "SCREENING_LINK_SHARES_PER_HOUR": "1000",
        }
        ports = [free_port(), free_port()]
        machines = {}
        try:
            for port in ports:
                machines[port] = start_machine(port, env)
            acknowledged, failed = shares_while_killing(machines, token, addresses=True)
            address = f"10.250.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
            statuses = []
            for i in range(6):  # another account each time: only the address's limit applies
                browser = Browser(ports[i % 2], address)
                statuses.append(
                    browser.form(
                        "/clinician/login",
                        {"email": f"nobody{i}@example.org", "password": "not the password"},
                    )[0]
                )
        finally:
            for server in machines.values():
                server.terminate()
                server.wait(timeout=30)
        assert statuses == [401] * 5 + [429], statuses
        fault_figures(acknowledged, failed, stored_codes(url))
