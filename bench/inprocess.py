"""In-process cost of a question page against a bare Flask page, and where the time goes.

Both apps are driven by Flask's test client (no sockets, no server), in production settings with
Secure cookies over https://localhost. Prints the time per request of a question page early in
the check (question 2) and late in it (question 19, with 18 answers in the cookie), of an answer
posted, and of the bare page, with their ratios, and the top entries of a cProfile run over the
early question page. An empty page through the app (the same cookies, every extension's hooks)
shows what a request costs before a page does anything. Run with `make bench`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import pstats
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
OPTION = re.compile(r'name="(\w+)"\s+type="(radio|checkbox)" value="([^"]+)"')
ALONE = {"none", "dont_know"}  # "None of these" and "I don't know" are chosen on their own
LATE = 19  # a question late in the check: its page carries 18 answers in the cookie


def timed(calls: dict[str, Callable[[], object]], rounds: int, repeat: int = 9) -> dict:
    """The best over `repeat` runs of the mean ms per call, each run timing every call in turn
    (so both apps see the same spells of load on a shared machine; the best is the least
    disturbed, as timeit advises)."""
    best = dict.fromkeys(calls, math.inf)
    for _ in range(repeat):
        for name, call in calls.items():
            started = time.perf_counter()
            for _ in range(rounds):
                call()
            best[name] = min(best[name], (time.perf_counter() - started) / rounds * 1000)
    return best


def question_client(folder: Path, empty_page: bool = False):
    """A client that has begun a check and answered the first question: it is on question 2.
    With `empty_page`, the app also has `/bench-empty`, a view that returns nothing: what every
    request costs before a page does anything (the framework and the app's extensions)."""
    from screening import create_app

    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE": str(Path(folder) / "bench.sqlite3"),
            "RATELIMIT_ENABLED": False,
        }
    )
    if empty_page:
        app.add_url_rule("/bench-empty", "bench_empty", lambda: "")
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # Secure cookies, as in production
    token = CSRF.search(client.get("/").get_data(as_text=True)).group(1)
    first = client.post("/start", data={"csrf_token": token}).headers["Location"]
    page = client.get(first).get_data(as_text=True)
    name, value = re.search(r'name="(\w+)"\s+type="radio" value="([^"]+)"', page).groups()
    second = client.post(first, data={"csrf_token": token, name: value}).headers["Location"]
    assert client.get(second).status_code == 200, second
    return client, second


def answered_to(client, url: str, depth: int) -> tuple[str, str, dict]:
    """Answer on from `url` (each question's first option that is not "None" or "I don't
    know": the longest path) until `depth` more are answered; return the question reached, and
    the post that answers it."""
    for _ in range(depth + 1):
        page = client.get(url).get_data(as_text=True)
        token = CSRF.search(page).group(1)
        name, _kind, value = next(o for o in OPTION.findall(page) if o[2] not in ALONE)
        form = {"csrf_token": token, name: value}
        if depth == 0:
            return url, form
        url, depth = client.post(url, data=form).headers["Location"], depth - 1
        assert url.startswith("/questions/"), url
    raise AssertionError("unreachable")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300, help="requests per timing run (300)")
    parser.add_argument("--top", type=int, default=15, help="profile entries to print (15)")
    args = parser.parse_args()
    import hello

    bare = hello.app.test_client()
    with tempfile.TemporaryDirectory(prefix="screening-bench-") as folder:
        client, url = question_client(Path(folder), empty_page=True)
        late_client, _ = question_client(Path(folder))
        late, answer = answered_to(late_client, url, LATE - 2)
        calls = {
            "question 2": lambda: client.get(url),
            f"question {LATE}": lambda: late_client.get(late),
            f"answer to question {LATE}": lambda: late_client.post(late, data=answer),
            "empty page, same cookies": lambda: client.get("/bench-empty"),
            "bare": lambda: bare.get("/"),
        }
        for _ in range(50):  # warm both: templates compiled, caches filled
            for call in calls.values():
                call()
        best = timed(calls, args.rounds)
        profile = cProfile.Profile()
        profile.runcall(lambda: [client.get(url) for _ in range(args.rounds)])
    base = best.pop("bare")
    print(
        f"\nIn-process (Flask test client), best of 9 runs of {args.rounds}: bare Flask page "
        f"{base:.3f} ms"
    )
    for name, ms in best.items():
        print(f"  {name:<24}{ms:6.2f} ms  {ms / base:5.1f}x the bare page")
    ours = best["question 2"]
    print(f"question page / bare page = {ours / base:.1f}x")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(args.top + 25)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    print(f"Top of the profile over {args.rounds} question pages (cumulative):")
    print("\n".join(lines[start : start + args.top + 25]))


if __name__ == "__main__":
    main()
