"""The deployer's statistics page: behind sign-in and the admin role, small numbers suppressed."""

from __future__ import annotations

import csv
import datetime
import io
import re

from clinic import (
    AMIRA,
    BEN,
    add_clinician,
    add_link,
    execute,
    password_step,
    shared_through,
    signed_in,
)

DEPLOYER = ("dee@example.org", "Dee Ployer")
TODAY = datetime.date.today()


def deployer(app):
    add_clinician(app, DEPLOYER)
    execute(app, "UPDATE clinicians SET admin = 1 WHERE email = ?", [DEPLOYER[0]])
    return signed_in(app, DEPLOYER)


def add_counts(app, *rows):
    for day, event, mode, band, link, n in rows:
        execute(
            app,
            "INSERT INTO daily_counts (day, event, mode, band, link, language, n) "
            "VALUES (?, ?, ?, ?, ?, 'en', ?)",
            [day.isoformat(), event, mode, band, link, n],
        )


def cells(page: str) -> list[str]:
    """The table cells' text (without a phone layout's repeated column heading)."""
    page = re.sub(r'(?s)<span class="table__heading"[^>]*>.*?</span>', "", page)
    found = re.findall(r"(?s)<td[^>]*>(.*?)</td>", page)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in found]


def test_only_a_signed_in_admin_sees_the_site_statistics(app, amira):
    assert app.test_client().get("/admin/stats").location.startswith("/clinician/login")
    clinician = signed_in(app)
    assert clinician.get("/admin/stats").status_code == 403
    assert clinician.get("/admin/stats.csv").status_code == 403
    assert "Site statistics" not in clinician.get("/clinician/").text
    admin = deployer(app)
    page = admin.get("/admin/stats")
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    assert 'href="/admin/stats"' in admin.get("/clinician/").text


def test_the_page_shows_counts_and_suppresses_small_numbers(app, amira):
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    add_counts(
        app,
        (monday, "completed", "self", "some_signs", "", 12),
        (monday, "completed", "self", "many_signs", "", 3),
        (monday, "started", "", "", "", 40),
    )
    admin = deployer(app)
    page = admin.get(f"/admin/stats?start={monday.isoformat()}&end={TODAY.isoformat()}").text
    found = cells(page)
    assert "40" in found and "12" in found and "3" not in found
    assert "fewer than 5" in found and "not given" in found
    assert '<figure class="chart"' in page and "<svg" in page
    table = list(csv.reader(io.StringIO(admin.get(f"/admin/stats.csv?start={monday}").text)))
    assert table[0][0] == "period" and "some_signs" in table[0]
    row = dict(zip(table[0], table[1], strict=True))
    assert (row["some_signs"], row["many_signs"], row["total"]) == (
        "12",
        "fewer than 5",
        "not given",
    )


def test_odd_filters_fall_back_to_the_defaults(app, amira):
    admin = deployer(app)
    for query in ("start=yesterday", "period=hour", "mode=robot", "link=99999", "end=2026-02-30"):
        assert admin.get(f"/admin/stats?{query}").status_code == 200, query


def test_each_link_is_counted_and_a_clinician_sees_only_their_own(app, amira):
    ben = add_clinician(app, BEN)
    mine, theirs = add_link(app, amira.id, "Tuesday clinic"), add_link(app, ben.id, "Ben's clinic")
    for _ in range(5):
        shared_through(app, f"/r/{mine.token}")
    shared_through(app, f"/r/{theirs.token}")
    page = deployer(app).get("/admin/stats").text
    assert "Tuesday clinic (Dr Amira Shah)" in page and "Ben&#39;s clinic (Dr Ben Okafor)" in page
    dashboard = signed_in(app, AMIRA).get("/clinician/").text
    assert "How your links are used" in dashboard and "Tuesday clinic" in dashboard
    assert "Ben" not in dashboard
    assert "5" in cells(dashboard)  # five completed and shared through Amira's link


def test_the_password_alone_does_not_open_the_statistics(app):
    """Two-factor sign-in guards the deployer's pages as it does the clinician's."""
    deployer(app)  # an admin account, enrolled
    client = app.test_client()
    assert password_step(client, DEPLOYER[0]).location == "/clinician/code"
    response = client.get("/admin/stats")
    assert response.status_code == 302 and response.location.startswith("/clinician/login")
