"""The anonymous daily counts: each event once per check, by link and language, kept for a while."""

from __future__ import annotations

import datetime

import pytest

from screening.core import stats
from screening.core.stats import Count
from screening.storage import counts
from screening.storage.connection import connect, migrations, writing

TODAY = datetime.date.today()


def database(tmp_path, stop_before=None):
    db = connect(tmp_path / "counts.sqlite3")
    migrations.apply(db, stop_before=stop_before)
    return db


def test_counts_made_before_the_upgrade_are_kept_as_completed_checks(tmp_path):
    db = database(tmp_path, stop_before="count_every_event")
    db.execute("INSERT INTO daily_counts VALUES ('2026-11-02', 'self', 'some_signs', 7)")
    migrations.apply(db)
    assert list(counts.each_count(db)) == [
        Count(datetime.date(2026, 11, 2), "completed", "self", "some_signs", "", "", 7)
    ]


def test_a_check_is_started_and_completed_once_however_often_it_is_posted(db):
    for _ in range(3):
        counts.tally(db, "started", "nonce-1", link=4, language="es")
        counts.tally(
            db, "completed", "nonce-1", mode="other", band="many_signs", link=4, language="es"
        )
    counts.tally(db, "started", "nonce-2", language="en")  # another check: counted
    assert sorted(
        (c.event, c.mode, c.band, c.link, c.language, c.n) for c in counts.each_count(db)
    ) == [
        ("completed", "other", "many_signs", "4", "es", 1),
        ("started", "", "", "", "en", 1),
        ("started", "", "", "4", "es", 1),
    ]


def test_counts_of_some_links_and_from_a_day(db):
    for link in (1, 2, None):
        counts.tally(db, "shared", mode="self", band="some_signs", link=link, language="en")
    assert {c.link for c in counts.each_count(db, links=(1,))} == {"1"}
    assert list(counts.each_count(db, links=())) == []  # a clinician with no links sees nothing
    assert len(list(counts.each_count(db, since=TODAY))) == 3
    assert list(counts.each_count(db, since=TODAY + datetime.timedelta(days=1))) == []


def test_purge_drops_counts_older_than_the_period(db):
    counts.tally(db, "started", "n1")
    old = (TODAY - datetime.timedelta(days=731)).isoformat()
    kept = (TODAY - datetime.timedelta(days=730)).isoformat()
    for day in (old, kept):
        db["daily_counts"].insert(
            {"day": day, "event": "completed", "mode": "", "band": "", "link": "", "language": ""}
            | {"n": 1}
        )
    assert counts.purge(db, 730) == 1
    assert sorted(c.day.isoformat() for c in counts.each_count(db)) == [kept, TODAY.isoformat()]


def test_each_count_is_added_to_its_week_and_month_too(db):
    """The weeks' and months' stored sums are the days' sums: a page reads either the same."""
    for n in range(7):
        counts.tally(db, "completed", f"n{n}", mode="self", band="some_signs", language="en")
    counts.tally(db, "shared", mode="other", band="many_signs", link=2, language="es")
    by_day = counts.summed(db, ("event", "band"))
    for period in ("week", "month"):
        rolled = counts.summed(db, ("event", "band"), period=period)
        start = stats.start_of(TODAY, period)
        assert [(c.day, c.event, c.band, c.n) for c in rolled] == [
            (start, c.event, c.band, c.n) for c in by_day
        ]
        assert counts.summed(db, ("link",), TODAY, TODAY, period=period, event="shared") == [
            Count(start, "shared", "", "", "2", "", 1)  # the period holding the day asked for
        ]


def test_the_upgrade_adds_up_the_weeks_and_months_of_counts_made_before(tmp_path):
    db = database(tmp_path, stop_before="roll_up_counts")
    for day, n in (("2026-11-29", 3), ("2026-11-30", 4), ("2026-12-01", 5)):  # Sun, Mon, Tue
        db["daily_counts"].insert(
            {"day": day, "event": "completed", "mode": "self", "band": "some_signs"}
            | {"link": "", "language": "en", "n": n}
        )
    migrations.apply(db)
    weeks = counts.summed(db, ("band",), period="week", event="completed")
    months = counts.summed(db, ("band",), period="month", event="completed")
    assert [(c.day.isoformat(), c.n) for c in weeks] == [("2026-11-23", 3), ("2026-11-30", 9)]
    assert [(c.day.isoformat(), c.n) for c in months] == [("2026-11-01", 7), ("2026-12-01", 5)]


def test_purge_drops_the_weeks_and_months_that_began_before_the_period(db):
    cutoff = TODAY - datetime.timedelta(days=730)
    for period in ("week", "month"):
        for day in (stats.start_of(cutoff, period), cutoff - datetime.timedelta(days=40)):
            db["period_counts"].insert(
                {"period": period, "event": "completed", "day": day.isoformat(), "band": ""}
                | {"mode": "", "link": "", "language": "", "n": 1}
            )
    counts.tally(db, "started", "n1")
    counts.purge(db, 730)
    kept = {(r["period"], r["day"]) for r in db["period_counts"].rows}
    for period in ("week", "month"):
        began = stats.start_of(cutoff, period)
        assert ((period, began.isoformat()) in kept) == (began >= cutoff)
        assert (period, stats.start_of(TODAY, period).isoformat()) in kept
        assert (period, (cutoff - datetime.timedelta(days=40)).isoformat()) not in kept


def past(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def add_past(db, day, n, **fields):
    with writing(db):
        counts.add(db, day, "completed", n, **({"mode": "self", "band": "some_signs"} | fields))


@pytest.mark.parametrize("period", ["day", "week", "month"])
def test_kept_sums_are_the_sums(db, period):
    """Over any span, by period or whole, the kept sums of closed periods and the open period
    read live add up to what the database holds."""
    closed = counts.ClosedSums()
    for days, n, link in ((0, 3, 1), (1, 4, None), (9, 5, 1), (40, 6, 2), (400, 7, None)):
        add_past(db, past(days), n, link=link)
    for since, until in ((None, None), (past(45), None), (past(45), past(2)), (TODAY, TODAY)):
        for whole in (False, True):
            for keep in (("band",), ("event", "link")):
                ask = {"period": period, "whole": whole, "since": since, "until": until}
                assert counts.summed(db, keep, **ask, closed=closed) == counts.summed(
                    db, keep, **ask
                ), (since, until, whole, keep)


def test_closed_periods_are_read_once_and_the_open_one_each_time(db):
    closed = counts.ClosedSums()
    add_past(db, past(60), 8)
    add_past(db, TODAY, 5)
    first = counts.summed(db, ("band",), whole=True, closed=closed, period="month")
    assert [c.n for c in first] == [13]
    db.execute("UPDATE period_counts SET n = 100 WHERE day < ?", [past(50).isoformat()])
    add_past(db, TODAY, 1)  # counted now: in the open month, read again
    again = counts.summed(db, ("band",), whole=True, closed=closed, period="month")
    assert [c.n for c in again] == [14]  # 8 kept (not the 100 written behind its back) + 6


def test_a_purge_into_a_kept_span_is_seen(db):
    closed = counts.ClosedSums(size=2)
    add_past(db, past(100), 8)
    add_past(db, past(20), 5)
    assert sum(c.n for c in counts.summed(db, ("band",), closed=closed)) == 13
    counts.purge(db, 50)  # the oldest count goes: the span now begins later
    assert sum(c.n for c in counts.summed(db, ("band",), closed=closed)) == 5
    for n in range(3):  # only the last `size` are kept
        counts.summed(db, ("band",), past(30 + n), closed=closed)
    assert len(closed._found) == 2
