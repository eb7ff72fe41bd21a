"""The deployer's statistics page with a year and more of counts, against a question page.

Fills the database with counts for 100,000 completed checks over 400 days (every mode, band,
language and ten links, as a busy service would have), signs an admin in, and prints the median
time of /admin/stats (six months by week, and a year by month) and of a question page, in
process with Flask's test client. Run with `make bench`.
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
    figures = {
        "stats, 26 weeks": median_ms(lambda: client.get("/admin/stats")),
        "stats, 12 months": median_ms(
            lambda: client.get(f"/admin/stats?period=month&start={start}")
        ),
        "stats CSV, 12 months": median_ms(
            lambda: client.get(f"/admin/stats.csv?period=month&start={start}")
        ),
        "stats, 92 days by day": median_ms(
            lambda: client.get(f"/admin/stats?period=day&start={today - datetime.timedelta(91)}")
        ),
        "clinician dashboard": median_ms(lambda: client.get("/clinician/")),
        "question page": median_ms(lambda: client.get(question)),
    }
    print(
        f"Statistics page: {CHECKS:,} completed checks over 400 days "
        f"({rows:,} days' rows, {sums:,} weeks' and months')"
    )
    for name, ms in figures.items():
        print(f"  {name:<22} {ms:7.2f} ms (median of 15)")


if __name__ == "__main__":
    main()
