"""Per-account throttling: each try counted before it is checked, whatever arrives at once."""

from __future__ import annotations

import threading

from screening.storage import connection, throttle

EMAIL = "a@example.org"


def test_tries_sent_at_once_get_only_the_free_ones_checked(target):
    """Sixty tries at once, each from its own connection (as from many workers): five may be
    checked, the rest wait."""
    count, start = 60, threading.Barrier(60)
    checked = []

    def one_try():
        db = connection.connect(target)
        start.wait()
        checked.append(throttle.attempt(db, EMAIL) is None)
        db.close()

    threads = [threading.Thread(target=one_try) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert checked.count(True) == throttle.FREE_TRIES


def test_the_wait_stops_doubling_at_15_minutes_however_many_tries(target, monkeypatch):
    db = connection.connect(target)
    for _ in range(100):  # past any count where doubling would overflow a timedelta
        db.execute("UPDATE sign_in_failures SET wait_until = NULL")
        assert throttle.attempt(db, EMAIL) is None
    left = throttle.attempt(db, EMAIL)
    assert throttle.MAX_WAIT - left < throttle.FIRST_WAIT
    db.close()


def test_a_right_password_is_forgiven_its_try_and_its_wait(target):
    db = connection.connect(target)
    for _ in range(4):
        throttle.attempt(db, EMAIL)
    assert throttle.attempt(db, EMAIL) is None  # the fifth try: counted, and a wait begins
    throttle.forgive(db, EMAIL)  # it was the right password: the code may be typed now
    assert throttle.attempt(db, EMAIL) is None  # (the code's own try: the fifth again)
    assert throttle.succeeded(db, EMAIL) == 4  # four wrong tries; the count is cleared
    assert throttle.succeeded(db, EMAIL) == 0
    db.close()
