"""In-process cost of a question page against a bare Flask page, and where the time goes.

Both apps are driven by Flask's test client (no sockets, no server), in production settings with
Secure cookies over https://localhost. Prints the median time per request of each, their ratio,
and the top entries of a cProfile run over the question page. Run with `make bench`.
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


def question_client(folder: Path):
    """A client that has begun a check and answered the first question: it is on question 2."""
    from screening import create_app

    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE": str(Path(folder) / "bench.sqlite3"),
            "RATELIMIT_ENABLED": False,
        }
    )
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # Secure cookies, as in production
    token = CSRF.search(client.get("/").get_data(as_text=True)).group(1)
    first = client.post("/start", data={"csrf_token": token}).headers["Location"]
    page = client.get(first).get_data(as_text=True)
    name, value = re.search(r'name="(\w+)"\s+type="radio" value="([^"]+)"', page).groups()
    second = client.post(first, data={"csrf_token": token, name: value}).headers["Location"]
    assert client.get(second).status_code == 200, second
    return client, second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300, help="requests per timing run (300)")
    parser.add_argument("--top", type=int, default=15, help="profile entries to print (15)")
    args = parser.parse_args()
    import hello

    bare = hello.app.test_client()
    with tempfile.TemporaryDirectory(prefix="screening-bench-") as folder:
        client, url = question_client(Path(folder))
        for _ in range(50):  # warm both: templates compiled, caches filled
            client.get(url), bare.get("/")
        best = timed({"ours": lambda: client.get(url), "bare": lambda: bare.get("/")}, args.rounds)
        ours, base = best["ours"], best["bare"]
        profile = cProfile.Profile()
        profile.runcall(lambda: [client.get(url) for _ in range(args.rounds)])
    print(
        f"\nIn-process (Flask test client): question page {ours:.2f} ms, bare Flask page "
        f"{base:.3f} ms (best of 9 runs of {args.rounds}); question page / bare page = "
        f"{ours / base:.1f}x"
    )
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(args.top + 25)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    print(f"Top of the profile over {args.rounds} question pages (cumulative):")
    print("\n".join(lines[start : start + args.top + 25]))


if __name__ == "__main__":
    main()
