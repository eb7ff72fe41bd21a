"""Statistics from the anonymous counts: by period and breakdown, small numbers suppressed."""

from __future__ import annotations

import datetime

import pytest

from screening.core import stats
from screening.core.stats import Count

MONDAY = datetime.date(2026, 11, 30)


def count(
    n: int, day=MONDAY, event="completed", mode="self", band="some_signs", link="", lang="en"
):
    return Count(day, event, mode, band, link, lang, n)


def test_counts_add_up_by_week_and_band_with_empty_weeks_kept():
    counts = [
        count(6, band="fewer_signs"),
        count(4, MONDAY + datetime.timedelta(days=6), band="fewer_signs"),  # the same week
        count(7, MONDAY + datetime.timedelta(days=14), band="many_signs"),
    ]
    grid = stats.table(counts, by="band", period="week", columns=["fewer_signs", "some_signs"])
    assert grid.rows == (
        MONDAY,
        MONDAY + datetime.timedelta(days=7),
        MONDAY + datetime.timedelta(days=14),
    )
    assert grid.columns == (
        "fewer_signs",
        "some_signs",
        "many_signs",
    )  # asked for first, then found
    assert grid.cells[MONDAY, "fewer_signs"] == 10
    assert grid.label(MONDAY) == "week of 2026-11-30"


@pytest.mark.parametrize("n", [0, 1, 4])
def test_a_cell_under_5_is_never_shown(n):
    grid = stats.table([count(n), count(9, band="many_signs")], by="band")
    assert grid.cells[MONDAY, "some_signs"] is None
    rows = stats.text_rows(grid)
    assert rows[1] == ["week of 2026-11-30", "10", "fewer than 5", "not given"]  # 9 is rounded
    assert all(str(n) != cell for row in rows for cell in row)


def test_no_total_reveals_a_suppressed_cell():
    """Every total that adds up a suppressed cell is withheld: a row, a column and the whole."""
    week2 = MONDAY + datetime.timedelta(days=7)
    counts = [
        count(3),
        count(8, band="many_signs"),
        count(6, week2),
        count(9, week2, band="many_signs"),
    ]
    grid = stats.table(counts, by="band")
    assert grid.row_totals == {MONDAY: None, week2: 15}
    assert grid.column_totals == {"many_signs": 15, "some_signs": None}  # 17, rounded
    assert grid.total is None


def test_with_nothing_small_every_total_is_given_rounded_from_the_true_sum():
    grid = stats.table([count(5), count(7, band="many_signs")], by="band")
    assert (grid.row_totals[MONDAY], grid.total) == (10, 10)  # 12, not 5 + 5
    assert stats.text_rows(grid)[-1] == ["total", "5", "5", "10"]


def test_every_number_shown_is_rounded_to_the_nearest_5():
    assert [stats.shown(n) for n in range(4, 14)] == [None, 5, 5, 5, 10, 10, 10, 10, 10, 15]
    assert stats.shown(1003) == 1005


def test_a_week_beside_its_days_does_not_give_away_the_small_day():
    """Without rounding, the week (63) less the six days shown (60) is the hidden Sunday (3)."""
    week = [count(10, MONDAY + datetime.timedelta(days=d)) for d in range(6)]
    week.append(count(3, MONDAY + datetime.timedelta(days=6)))
    by_day = stats.table(week, period="day")
    by_week = stats.table(week, period="week")
    shown_days = [by_day.cells[row, "some_signs"] for row in by_day.rows]
    assert shown_days[-1] is None
    assert by_week.cells[MONDAY, "some_signs"] - sum(shown_days[:-1]) != 3
    every = [*by_day.cells.values(), *by_week.cells.values(), by_week.total]
    assert all(n is None or n % 5 == 0 for n in every)


def test_spans_are_whole_periods():
    wednesday, thursday = MONDAY + datetime.timedelta(days=2), MONDAY + datetime.timedelta(days=10)
    assert stats.span(thursday, wednesday, "week") == (MONDAY, MONDAY + datetime.timedelta(13))
    assert stats.span(datetime.date(2028, 1, 15), datetime.date(2028, 2, 3), "month") == (
        datetime.date(2028, 1, 1),
        datetime.date(2028, 2, 29),  # a leap year
    )
    assert stats.end_of(datetime.date(2026, 12, 9), "month") == datetime.date(2026, 12, 31)
    assert stats.span(wednesday, wednesday, "day") == (wednesday, wednesday)
    with pytest.raises(ValueError):
        stats.end_of(MONDAY, "hour")


def test_filters_periods_and_breakdowns():
    counts = [
        count(5, mode="self", link="3"),
        count(6, mode="other", link="3"),
        count(8, mode="self", link="", event="started"),
        count(5, MONDAY.replace(day=1), mode="self", link="4"),
    ]
    by_link = stats.table(counts, by="link", period="month", mode="self")
    assert by_link.rows == (MONDAY.replace(day=1),) and by_link.label(by_link.rows[0]) == "2026-11"
    assert by_link.cells == {(MONDAY.replace(day=1), "3"): 5, (MONDAY.replace(day=1), "4"): 5}
    events = stats.table(counts, by="event", period="day", start=MONDAY, end=MONDAY)
    assert events.rows == (MONDAY,) and not events.across  # started + completed is no total
    assert stats.text_rows(events)[0] == ["period", "completed", "started"]
    assert stats.text_rows(events)[-1] == ["total", "10", "10"]
    assert events.cells == {(MONDAY, "completed"): 10, (MONDAY, "started"): 10}  # 11 and 8
    with pytest.raises(ValueError):
        stats.table(counts, by="question")
    with pytest.raises(ValueError):
        stats.table(counts, period="hour")


def test_months_run_across_a_year_end():
    counts = [count(5, datetime.date(2026, 12, 31)), count(5, datetime.date(2027, 2, 1))]
    grid = stats.table(counts, period="month")
    assert [r.isoformat() for r in grid.rows] == ["2026-12-01", "2027-01-01", "2027-02-01"]
    assert grid.cells[datetime.date(2027, 1, 1), "some_signs"] is None  # an empty month is small


def test_the_chart_draws_only_what_the_table_shows():
    week2 = MONDAY + datetime.timedelta(days=7)
    counts = [
        count(30),
        count(7, band="many_signs"),
        count(3, week2),
        count(12, week2, band="many_signs"),
    ]
    grid = stats.table(counts, by="band", columns=["some_signs", "many_signs"])
    drawn = stats.chart(grid, height=100)
    assert drawn.top == 40  # 30 + 5 (7 as shown) rounded up
    first, second = drawn.bars
    assert [(s.column, s.value, s.height) for s in first.segments] == [
        ("some_signs", 30, 75.0),
        ("many_signs", 5, 12.5),
    ]
    assert first.segments[1].y == pytest.approx(100 - 75 - 12.5)
    assert not first.small and second.small
    assert second.segments[0] == stats.Segment("some_signs", None, 100.0, 0.0)  # 3: not drawn


def test_totals_are_suppressed_too():
    counts = [count(6, link="3"), count(2, link="3", event="shared"), count(9, link="4")]
    totals = stats.totals(counts, events=("completed", "shared"))
    assert totals == {"3": {"completed": 5, "shared": None}, "4": {"completed": 10, "shared": None}}
    by_language = stats.totals([count(6, lang="en"), count(8, lang="es")], by="language")
    assert {k: v["completed"] for k, v in by_language.items()} == {"en": 5, "es": 10}
    with pytest.raises(ValueError):
        stats.totals([], by="answers")
