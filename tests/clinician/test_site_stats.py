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
    add_counts,
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
    assert "40" in found and "10" in found and "3" not in found  # 12 shows rounded
    assert "12" not in found and "15" in found  # completed, 12 + 3, rounded from the sum
    assert "fewer than 5" in found and "not given" in found
    assert '<figure class="chart"' in page and "<svg" in page
    table = list(csv.reader(io.StringIO(admin.get(f"/admin/stats.csv?start={monday}").text)))
    assert table[0][0] == "period" and "some_signs" in table[0]
    row = dict(zip(table[0], table[1], strict=True))
    assert (row["some_signs"], row["many_signs"], row["total"]) == (
        "10",
        "fewer than 5",
        "not given",
    )


def test_dates_are_whole_weeks_or_months(app, amira):
    """A view that began on a Wednesday would differ from one that began on the Tuesday by a
    day: the page widens any dates to whole periods, and says so in the form."""
    monday = datetime.date(2026, 11, 2)
    admin = deployer(app)
    page = admin.get("/admin/stats?start=2026-11-04&end=2026-11-18").text
    assert f'value="{monday.isoformat()}"' in page and 'value="2026-11-22"' in page
    page = admin.get("/admin/stats?start=2026-11-04&end=2026-10-18&period=month").text
    assert 'value="2026-10-01"' in page and 'value="2026-11-30"' in page  # in either order


def test_a_page_shows_a_readable_number_of_periods(app, amira):
    admin = deployer(app)
    page = admin.get("/admin/stats?start=2026-01-01&end=2026-12-31&period=day").text
    assert 'value="2026-10-01"' in page  # the latest 92 days
    assert "This shows the latest part of the dates you chose, from Oct 1, 2026" in page
    events = page.split("<tbody>")[1].split("</tbody>")[0]  # checks started and completed
    assert len(re.findall(r'<th scope="row">', events)) == 92
    page = admin.get("/admin/stats?start=2026-01-01&end=2026-12-31&period=month").text
    assert 'value="2026-01-01"' in page and "latest part" not in page


def test_who_answered_and_in_which_language(app, amira):
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    add_counts(
        app,
        (monday, "completed", "self", "some_signs", "", 8, "en"),
        (monday, "completed", "other", "some_signs", "", 6, "es"),
        (monday, "started", "", "", "", 20, "es"),
    )
    page = deployer(app).get("/admin/stats").text
    languages = page[page.index("Each language in this period") :]
    assert re.search(r"English</th><td>fewer than 5</td><td>10</td>", languages)
    assert re.search(r"Spanish</th><td>20</td><td>5</td>", languages)
    modes = page[page.index("Who answered in this period") : page.index("Each language")]
    assert re.search(r"The person</th><td>10</td>", modes)
    assert "Checks started" not in modes  # a check has no mode until it is chosen


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


def test_each_result_band_has_its_own_fill_in_the_stacked_chart(app, amira):
    """Eight bands, eight fills (four greys, four patterns) that print and read in forced
    colours: no two parts of a bar look the same."""
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    bands = [band.id for band in app.extensions["screening"].bank.bands]
    add_counts(app, *((monday, "completed", "self", band, "", 10) for band in bands))
    page = deployer(app).get("/admin/stats").text
    chart = page[page.index('id="bands-title"') :]
    chart = chart[: chart.index("</figure>")]
    key = re.findall(r'<li><svg class="chart__swatch"[^>]*><rect ([^>]*)>', chart)
    assert len(key) == len(bands) == len(set(key)) == 8
    for n in range(4, 8):
        assert f'<pattern id="bands-fill-{n}"' in chart
