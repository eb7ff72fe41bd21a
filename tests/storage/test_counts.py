"""The anonymous daily counts: each event once per check, by link and language, kept for a while."""

from __future__ import annotations

import datetime

from screening.core.stats import Count
from screening.storage import counts
from screening.storage.connection import connect, migrations

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


def test_a_check_is_started_and_completed_once_however_often_it_is_posted(tmp_path):
    db = database(tmp_path)
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


def test_counts_of_some_links_and_from_a_day(tmp_path):
    db = database(tmp_path)
    for link in (1, 2, None):
        counts.tally(db, "shared", mode="self", band="some_signs", link=link, language="en")
    assert {c.link for c in counts.each_count(db, links=(1,))} == {"1"}
    assert list(counts.each_count(db, links=())) == []  # a clinician with no links sees nothing
    assert len(list(counts.each_count(db, since=TODAY))) == 3
    assert list(counts.each_count(db, since=TODAY + datetime.timedelta(days=1))) == []


def test_purge_drops_counts_older_than_the_period(tmp_path):
    db = database(tmp_path)
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
