"""Load test: simulated respondents through the whole check under gunicorn, then as many requests
to a bare Flask app (bench/hello.py) under the same settings. Standard library only, loopback only,
temporary files only, bounded in time. Run with `make bench`; options: bench/load.py --help.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
HASH = "pbkdf2:sha256:1000"  # the clinician's password hash: a fast one keeps the setup quick
REFERRAL_EVERY = 5  # every 5th check starts from the clinician's link and shares its result
PAGES = "link start begin question-GET question-POST check-GET check-POST result share shared"
WEIGHTS = ("start", "question-GET", "check-GET", "result", "shared")  # pages to show the size of
HEADER = f"  {'page':<14}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
OPTION = re.compile(r'name="(\w+)"\s+type="(radio|checkbox)" value="([^"]+)"')
STATIC = re.compile(r'(?:href|src)="(/static/[^"?]+)')
ALONE = {"none", "dont_know"}  # "None of these" and "I don't know" are chosen on their own


class Unexpected(Exception):
    """A response a browser following the flow would not get; args: (page type, message)."""


class Phase:
    """One load run against one server: its port and deadline, and what was measured."""

    def __init__(self, port: int, deadline: float) -> None:
        self.port, self.deadline, self.lock = port, deadline, threading.Lock()
        self.latency, self.size = defaultdict(list), defaultdict(list)  # ms, bytes by page type
        self.errors, self.messages = Counter(), []  # by page type; the first few, to print
        self.checks, self.statics = [], set()  # (mode, questions, from a link); /static/ paths
        self.answered, self.timed_out, self.seconds, self.cpu = 0, False, math.nan, math.nan

    def run(self, job, arguments: list[tuple], concurrency: int) -> Phase:
        """Call job(self, *args) for each tuple, `concurrency` at a time, and time it all."""
        started, cpu = time.perf_counter(), time.process_time()  # cpu: this client's, all threads
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(lambda args: self.attempt(job, *args), arguments))
        self.seconds, self.cpu = time.perf_counter() - started, time.process_time() - cpu
        return self

    def attempt(self, job, *args) -> None:
        """Run one job; count an unexpected response as an error; stop quietly at the deadline."""
        try:
            job(self, *args)
        except Unexpected as err:
            with self.lock:
                self.errors[err.args[0]] += 1
                self.messages += err.args[1:] if len(self.messages) < 5 else ()
        except TimeoutError:  # raised by Client.request once the deadline has passed
            self.timed_out = True


class Client:
    """One simulated browser: its own cookie jar, and a new connection per request."""

    def __init__(self, phase: Phase) -> None:
        self.phase, self.cookies = phase, {}

    def request(self, kind, method, path, form=None, status=200, goes_to=None) -> str:
        """Send one request; return the page (200) or the Location (redirect); raise if wrong."""
        if time.monotonic() > self.phase.deadline:
            raise TimeoutError
        body = None if form is None else urlencode(form, doseq=True)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.phase.port, timeout=30)
        try:
            started = time.perf_counter()
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            page = response.read()
            elapsed = time.perf_counter() - started
        except OSError as err:
            raise Unexpected(kind, f"{method} {path}: {err}") from None
        finally:
            conn.close()
        with self.phase.lock:
            self.phase.answered += 1
            self.phase.latency[kind].append(elapsed * 1000)
            self.phase.size[kind].append(len(page))
            self.phase.statics.update(STATIC.findall(page.decode(errors="replace")))
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.partition(";")[0].strip().partition("=")
            self.cookies[name] = value  # even if Secure, unlike a browser on plain http
            if "max-age=0" in header.lower().replace(" ", ""):  # a deleted cookie
                del self.cookies[name]
        location = response.getheader("Location", "")
        if response.status != status or (goes_to and not re.fullmatch(goes_to, location)):
            raise Unexpected(kind, f"{method} {path}: {response.status} {location}".strip())
        return page.decode() if status == 200 else location

    def form(self, kind: str, path: str) -> tuple[str, dict]:
        """GET a page with a form; return it and the form's CSRF token, to send back."""
        page = self.request(kind, "GET", path)
        if match := CSRF.search(page):
            return page, {"csrf_token": match.group(1)}
        raise Unexpected(kind, f"GET {path}: no CSRF token on the page")


def choose(rng: random.Random, question_id: str, page: str) -> list[str]:
    """Pick an answer the page offers: mostly the commonest, sometimes any, or "I don't know"."""
    found = [m.group(2, 3) for m in OPTION.finditer(page) if m.group(1) == question_id]
    ids, multiple = [option for _, option in found], any(t == "checkbox" for t, _ in found)
    plain = [option for option in ids if option not in ALONE]
    if not plain:
        raise Unexpected("question-GET", f"no options on /questions/{question_id}")
    if "dont_know" in ids and rng.random() < 0.15:
        return ["dont_know"]
    if rng.random() < 0.6:  # the commonest: own use, recent use, the lowest score, or none
        return ["none" if multiple and "none" in ids else plain[0]]
    return rng.sample(plain, rng.randint(1, min(2, len(plain))) if multiple else 1)


def run_check(phase: Phase, seed: int | str, link: str | None) -> None:
    """One respondent: start (from the link or not), every question, check answers, result."""
    rng, client, asked, mode = random.Random(seed), Client(phase), 0, "self"
    if link:
        client.request("link", "GET", f"/r/{link}", status=302, goes_to="/")
    _, form = client.form("start", "/")
    location = client.request("begin", "POST", "/start", form, 302, r"/questions/\w+")
    while location.startswith("/questions/") and asked < 100:
        question_id, asked = location.rsplit("/", 1)[1], asked + 1
        page, form = client.form("question-GET", location)
        form[question_id] = choose(rng, question_id, page)
        mode = form[question_id][0] if question_id == "respondent" else mode
        location = client.request("question-POST", "POST", location, form, 302)
    if location != "/check-answers":
        raise Unexpected("question-POST", f"after {asked} questions, redirected to {location}")
    _, form = client.form("check-GET", location)
    client.request("check-POST", "POST", location, form, 302, "/result")
    _, form = client.form("result", "/result")
    if link:
        client.request("share", "POST", "/share", {**form, "name": "AB"}, 302, "/shared")
        client.request("shared", "GET", "/shared")
    with phase.lock:
        phase.checks.append((mode, asked, bool(link)))


def get_hello(phase: Phase) -> None:
    """One request to the bare Flask app."""
    Client(phase).request("hello", "GET", "/")


@contextmanager
def serve(app: str, workers: int, env: dict, folder: str, deadline: float, *extra: str):
    """Run gunicorn on a free loopback port until the block ends; yield the port."""
    log = Path(folder) / f"gunicorn-{app.partition(':')[0]}.log"
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    bind = ["--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--preload", *extra]
    with log.open("w") as out:
        server = subprocess.Popen([GUNICORN, *bind, app], cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        ready = False
        for _ in range(300):  # up to ~30 s to load the app and fork the workers
            if server.poll() is not None:
                break
            with suppress(Unexpected, TimeoutError):
                ready = bool(Client(Phase(port, deadline)).request("ready", "GET", "/"))
                break
            time.sleep(0.1)
        if not ready:
            raise SystemExit(f"gunicorn did not start ({app}):\n{log.read_text()[-2000:]}")
        yield port
    finally:
        server.terminate()
        with suppress(subprocess.TimeoutExpired):
            server.wait(10)
        server.kill()  # does nothing if it has stopped
        server.wait()


def prepare(folder: Path, database: str | None = None) -> tuple[dict, str]:
    """Create the database (or bring a PostgreSQL one up to date), one clinician and one link;
    return the server's env and link token."""
    from screening.storage import connection, records  # after the start, so that --help is quick

    database = database or str(folder / "screening.sqlite3")
    connection.migrate(database)
    with closing(connection.connect(database)) as db:
        password = secrets.token_urlsafe(16)  # never used: nobody signs in during the load
        email = f"bench-{secrets.token_hex(4)}@example.org"  # a database used before has others
        clinician = records.add_clinician(db, email, "Dr Bench", password, HASH)
        key = secrets.token_hex(32)
        link = records.add_link(db, clinician.id, "Load test", "Call the clinic on 555-0100", key)
    # Production settings (Secure cookies), except rate limits: sharing allows 10 an hour.
    settings = {"SECRET_KEY": key, "DATABASE": database}
    settings |= {"DEVELOPMENT": "false", "RATELIMIT_ENABLED": "false"}
    env = {**os.environ, **{f"SCREENING_{k}": v for k, v in settings.items()}}
    return env | {"PYTHONDONTWRITEBYTECODE": "1"}, link.token  # no bench/__pycache__


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile of the values."""
    return sorted(values)[max(0, math.ceil(p / 100 * len(values)) - 1)] if values else math.nan


def row(phase: Phase, kind: str) -> str:
    """One table row: count, p50, p95 and p99 in ms, and errors."""
    figures = "".join(f"{percentile(phase.latency[kind], p):9.1f}" for p in (50, 95, 99))
    return f"  {kind:<14}{len(phase.latency[kind]):>7}{figures}{phase.errors[kind]:>8}"


def report(app: Phase, statics: dict[str, int], hello: Phase | None) -> None:
    """Print throughput, latency per page type, page weights, and the comparison with hello."""
    done, rate = len(app.checks), app.answered / app.seconds
    lengths = sorted(asked for _, asked, _ in app.checks) or [0]
    modes = Counter(mode for mode, _, _ in app.checks)
    rows = [row(app, kind) for kind in PAGES.split() if app.latency[kind] or app.errors[kind]]
    print(
        f"\nCompleted {done} checks in {app.seconds:.1f} s: {done / app.seconds:.1f} checks/s, "
        f"{app.answered} requests, {rate:.0f} requests/s, {app.errors.total()} errors; "
        f"the load client used {app.cpu / app.seconds:.0%} of a CPU\n"
        f"  paths: {modes['self']} own use, {modes['other']} someone else's, "
        f"{sum(c[2] for c in app.checks)} from the referral link and shared; "
        f"{lengths[0]} to {lengths[-1]} questions (median {percentile(lengths, 50):.0f})"
    )
    if hello:
        hello_rate = hello.answered / hello.seconds
        print(
            f"Bare Flask hello (bench/hello.py, {percentile(hello.size['hello'], 50):,.0f} bytes, "
            f"same gunicorn settings): {hello.answered} requests in {hello.seconds:.1f} s, "
            f"{hello_rate:.0f} requests/s, {hello.errors.total()} errors; "
            f"the load client used {hello.cpu / hello.seconds:.0%} of a CPU"
        )
    print("\n".join(["", HEADER, *rows, *([row(hello, "hello")] if hello else [])]))
    for message in app.messages + (hello.messages if hello else []):
        print(f"  error: {message}")
    sizes = (f"{kind} {percentile(app.size[kind], 50):,.0f}" for kind in WEIGHTS)
    print("\nPage weights, bytes of HTML (median, uncompressed): " + ", ".join(sizes))
    print("Static files, bytes: " + ", ".join(f"{p} {size:,}" for p, size in statics.items()))
    if hello:
        ratio = percentile(app.latency["question-GET"], 50) / percentile(hello.latency["hello"], 50)
        print(f"\nquestion-GET p50 / hello p50 = {ratio:.1f}x")
        print(f"our requests/s / hello requests/s = {rate / hello_rate:.2f}")


def main() -> None:
    """Parse the options, run both phases, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=200, help="checks to complete (200)")
    parser.add_argument("--concurrency", type=int, default=16, help="simultaneous clients (16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--timeout", type=float, default=600, help="overall limit in s (600)")
    parser.add_argument(
        "--database",
        help="a postgresql:// URL to run against (its tables are made if missing; default: a "
        "new SQLite file)",
    )
    args = parser.parse_args()
    deadline, n, hello = time.monotonic() + args.timeout, args.concurrency, None
    with tempfile.TemporaryDirectory(prefix="screening-bench-") as folder:
        env, token = prepare(Path(folder), args.database)
        where = "PostgreSQL" if args.database else "SQLite"
        print(
            f"Database: {where}. gunicorn, {args.workers} sync workers, --preload, 127.0.0.1; "
            f"{os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f} before the run (other work skews the figures)\n"
            "Rate limits are OFF (SCREENING_RATELIMIT_ENABLED=false): the load is not throttled.\n"
            f"{args.checks} checks, {n} at a time, 1 in {REFERRAL_EVERY} from the referral link "
            "and shared at the end; the same answers every run (seeded)."
        )
        with serve("screening:create_app()", args.workers, env, folder, deadline) as port:
            # Warm up outside the figures: every worker compiles each template once.
            warm = Phase(port, deadline).run(run_check, [(f"warm/{i}", token) for i in range(8)], n)
            links = [None if i % REFERRAL_EVERY else token for i in range(args.checks)]
            checks = list(enumerate(links))  # (seed, link)
            app = Phase(port, deadline).run(run_check, checks, n)
            get = Client(Phase(port, math.inf)).request  # the 30 s socket timeout still applies
            statics = {p: len(get("static", "GET", p)) for p in sorted(warm.statics | app.statics)}
        if not app.timed_out:
            extra = ("--pythonpath", str(ROOT / "bench"))
            with serve("hello:app", args.workers, env, folder, deadline, *extra) as port:
                for count in (50, max(1, app.answered)):  # a warm-up, then as many as the app
                    hello = Phase(port, deadline).run(get_hello, [()] * count, n)
    report(app, statics, hello)
    stopped = app.timed_out or bool(hello and hello.timed_out)
    if stopped:
        print(f"\nStopped early: the {args.timeout:.0f} s time limit was reached.")
    print("".join(f"warm-up error: {message}\n" for message in warm.messages), end="")
    if stopped or app.errors or warm.errors or (hello and hello.errors):
        sys.exit(1)


if __name__ == "__main__":
    main()
