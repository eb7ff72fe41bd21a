"""What storage/twofactor.py keeps: the sealed secret, the last step used, recovery codes."""

from __future__ import annotations

import datetime

import pytest
from clinic import FAST_HASH

from screening.storage import records, twofactor


@pytest.fixture
def clinician(db):
    return records.add_clinician(db, "a@example.org", "Dr A", "a long test password", FAST_HASH)


CODES = [f"{n}bcdefghjk" for n in range(2, 10)] + ["mnpqrstuvw", "xyz2345678"]


def test_enrol_happens_once_and_spends_the_set_up_code(db, clinician):
    setup = twofactor.new_setup_code(db, clinician.id, FAST_HASH)
    assert twofactor.setup_code_ok(db, clinician.id, setup, FAST_HASH)
    assert twofactor.enrol(db, clinician.id, "sealed", 10, CODES, FAST_HASH)
    assert not twofactor.enrol(db, clinician.id, "other", 11, CODES[:1], FAST_HASH)
    held = twofactor.second_factor(db, clinician.id)
    assert (held.sealed_secret, held.last_step) == ("sealed", 10) and held.enrolled
    assert twofactor.recovery_codes_left(db, clinician.id) == 10
    assert not twofactor.setup_code_ok(db, clinician.id, setup, FAST_HASH)


def test_a_set_up_code_is_the_latest_and_lasts_seven_days(db, clinician):
    first = twofactor.new_setup_code(db, clinician.id, FAST_HASH)
    second = twofactor.new_setup_code(db, clinician.id, FAST_HASH)
    assert not twofactor.setup_code_ok(db, clinician.id, first, FAST_HASH)
    assert twofactor.setup_code_ok(db, clinician.id, second, FAST_HASH)
    assert not twofactor.setup_code_ok(db, clinician.id, None, FAST_HASH)
    (until,) = db.execute("SELECT totp_setup_until FROM clinicians").fetchone()
    days = datetime.datetime.fromisoformat(until) - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(days=6, hours=23) < days <= datetime.timedelta(days=7)
    db.execute("UPDATE clinicians SET totp_setup_until = '2000-01-01T00:00:00+00:00'")
    assert not twofactor.setup_code_ok(db, clinician.id, second, FAST_HASH)


def test_each_step_is_spent_once_and_never_an_earlier_one(db, clinician):
    assert not twofactor.use_step(db, clinician.id, 5)  # not enrolled yet
    twofactor.enrol(db, clinician.id, "sealed", 10, CODES, FAST_HASH)
    assert not twofactor.use_step(db, clinician.id, 10)  # the enrolment's own code
    assert twofactor.use_step(db, clinician.id, 12)
    assert not twofactor.use_step(db, clinician.id, 12)
    assert not twofactor.use_step(db, clinician.id, 11)
    assert twofactor.use_step(db, clinician.id, 13)


def test_recovery_codes_are_spent_once_each(db, clinician):
    twofactor.enrol(db, clinician.id, "sealed", 10, CODES, FAST_HASH)
    assert twofactor.use_recovery_code(db, clinician.id, CODES[4], FAST_HASH) == 9
    assert twofactor.use_recovery_code(db, clinician.id, CODES[4], FAST_HASH) is None
    assert twofactor.use_recovery_code(db, clinician.id, "2bcdefghjj", FAST_HASH) is None
    assert twofactor.use_recovery_code(db, clinician.id, "zzzzzzzzzz", FAST_HASH) is None
    assert twofactor.use_recovery_code(db, clinician.id, CODES[0], FAST_HASH) == 8


def test_reset_forgets_everything_and_ends_sessions(db, clinician):
    twofactor.enrol(db, clinician.id, "sealed", 10, CODES, FAST_HASH)
    after, setup = twofactor.reset(db, clinician.email, FAST_HASH)
    assert after.session_token != clinician.session_token
    assert after.totp_enrolled is None
    assert twofactor.second_factor(db, clinician.id) == twofactor.SecondFactor(None, None, None)
    assert twofactor.recovery_codes_left(db, clinician.id) == 0
    assert twofactor.setup_code_ok(db, clinician.id, setup, FAST_HASH)  # a new one to enrol with
