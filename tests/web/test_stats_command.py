"""`flask stats`: the anonymous counts as a table or CSV, small numbers suppressed."""

from __future__ import annotations

import csv
import datetime
import io

import clinic

TODAY = datetime.date.today()
MONDAY = TODAY - datetime.timedelta(days=TODAY.weekday())


def add_counts(app, *rows):
    clinic.add_counts(app, *((day, event, mode, band, "", n) for day, event, mode, band, n in rows))


def test_stats_suppress_small_numbers_and_the_totals_that_would_show_them(app, runner):
    app.test_client().get("/")  # the database is made on the first request
    last_week = MONDAY - datetime.timedelta(days=7)
    add_counts(
        app,
        (last_week, "completed", "self", "some_signs", 6),
        (last_week, "completed", "other", "many_signs", 2),
        (MONDAY, "completed", "self", "some_signs", 9),
        (MONDAY, "completed", "self", "many_signs", 7),
        (MONDAY, "started", "self", "", 40),
    )
    result = runner.invoke(args=["stats", "--csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    header = rows[0]
    assert header[0] == "period" and header[-1] == "total"
    assert {"fewer_signs", "some_signs", "many_signs", "not_enough"} <= set(header)  # every band
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    week = table[f"week of {last_week.isoformat()}"]
    assert (week["some_signs"], week["many_signs"], week["total"]) == (
        "5",  # 6, rounded
        "fewer than 5",
        "not given",
    )
    assert table[f"week of {MONDAY.isoformat()}"]["total"] == "not given"  # empty bands are small
    assert table["total"]["some_signs"] == "15" and table["total"]["many_signs"] == "not given"
    assert "2" not in [cell for row in rows for cell in row]


def test_stats_by_event_and_mode_as_a_table(app, runner):
    app.test_client().get("/")
    add_counts(
        app, (MONDAY, "completed", "self", "some_signs", 9), (MONDAY, "started", "self", "", 12)
    )
    result = runner.invoke(
        args=["stats", "--breakdown", "event", "--mode", "self", "--by", "month"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["period", "started", "completed", "shared", "withdrawn"]  # no sum
    assert lines[1].split()[:3] == [MONDAY.strftime("%Y-%m"), "10", "10"]  # 12 and 9, rounded
    assert "fewer than 5" in lines[1]  # nothing shared or withdrawn: under 5


def test_stats_refuse_an_odd_date(runner):
    result = runner.invoke(args=["stats", "--from", "yesterday"])
    assert result.exit_code == 2 and "%Y-%m-%d" in result.output
