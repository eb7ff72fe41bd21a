"""The deployer's statistics page with a year and more of counts, against a question page.

Fills the database with counts for 100,000 completed checks over 400 days (every mode, band,
language and ten links, as a busy service would have), signs an admin in, and prints the median
time of /admin/stats (six months by week, a year by month, 92 days by day), of its CSV, of a
clinician's dashboard and of a question page, in process with Flask's test client: each as the
first view after start-up (nothing kept of the closed periods' sums) and again.
Run with `make bench`.
"""

from __future__ import annotations

import datetime
import random
import re
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
CHECKS = 100_000


def median_ms(call, rounds: int = 15) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


def main() -> None:
    from screening import create_app
    from screening.storage import connection, counts, records

    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE": str(folder / "bench.sqlite3"),
            "RATELIMIT_ENABLED": False,
        }
    )
    client = app.test_client()
    client.get("/")  # makes the database
    bands = [b.id for b in app.extensions["screening"].bank.bands]
    db = connection.connect(app.config["DATABASE"])
    admin = records.add_clinician(
        db, "bench@example.org", "Bench", secrets.token_urlsafe(24), "pbkdf2:sha256:1000", True
    )
    links = [
        records.add_link(db, admin.id, f"Link {i}", "", app.config["SECRET_KEY"]) for i in range(10)
    ]
    rng = random.Random(1)
    today = datetime.date.today()
    tally: dict[tuple, int] = {}
    for _ in range(CHECKS):
        day = today - datetime.timedelta(days=rng.randrange(400))
        link = str(rng.choice(links).id) if rng.random() < 0.3 else ""
        key = (
            day,
            "completed",
            rng.choice(["self", "other"]),
            rng.choice(bands),
            link,
            rng.choice(["en", "es"]),
        )
        tally[key] = tally.get(key, 0) + 1
    with connection.writing(db):  # as counting each check would: the days, weeks and months
        for (day, event, mode, band, link, language), n in tally.items():
            counts.add(db, day, event, n, mode=mode, band=band, link=link, language=language)
    rows = db.execute("SELECT count(*) FROM daily_counts").fetchone()[0]
    sums = db.execute("SELECT count(*) FROM period_counts").fetchone()[0]
    db.close()
    with client.session_transaction() as session:  # signed in, as after both steps
        session["_user_id"] = admin.session_id
        session["_fresh"] = True
        session["seen"] = session["signed_in"] = int(time.time())
    assert client.get("/admin/stats").status_code == 200
    start = (today - datetime.timedelta(days=365)).isoformat()
    token = CSRF.search(client.get("/").get_data(as_text=True)).group(1)
    question = client.post("/start", data={"csrf_token": token}).headers["Location"]
    pages = {
        "stats, 26 weeks": "/admin/stats",
        "stats, 12 months": f"/admin/stats?period=month&start={start}",
        "stats CSV, 12 months": f"/admin/stats.csv?period=month&start={start}",
        "stats, 92 days by day": f"/admin/stats?period=day&start={today - datetime.timedelta(91)}",
        "clinician dashboard": "/clinician/",
    }

    def first_view(url: str):
        """As the first view after start-up: nothing kept of the closed periods' sums."""
        app.extensions["screening_sums"] = counts.ClosedSums()
        return client.get(url)

    figures = {
        name: (median_ms(lambda u=url: first_view(u)), median_ms(lambda u=url: client.get(u)))
        for name, url in pages.items()
    }
    figures["question page"] = (median_ms(lambda: client.get(question)),) * 2
    print(
        f"Statistics page: {CHECKS:,} completed checks over 400 days "
        f"({rows:,} days' rows, {sums:,} weeks' and months'); median of 15, ms"
    )
    print(f"  {'page':<22} {'first view':>10} {'again':>8}")
    for name, (first, again) in figures.items():
        print(f"  {name:<22} {first:10.2f} {again:8.2f}")


if __name__ == "__main__":
    main()
