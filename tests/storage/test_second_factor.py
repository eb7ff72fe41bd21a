"""What storage/twofactor.py keeps: the sealed secret, the last step used, recovery codes."""

from __future__ import annotations

import pytest
from clinic import FAST_HASH

from screening.storage import connection, records, twofactor


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "db.sqlite3"
    connection.migrate(path)
    database = connection.connect(path)
    yield database
    database.close()


@pytest.fixture
def clinician(db):
    return records.add_clinician(db, "a@example.org", "Dr A", "a long test password", FAST_HASH)


CODES = [f"{n}bcdefghjk" for n in range(2, 10)] + ["mnpqrstuvw", "xyz2345678"]


def test_begin_keeps_the_first_secret_unless_told_which_to_replace(db, clinician):
    assert twofactor.begin(db, clinician.id, "sealed-1", instead_of=None) == "sealed-1"
    assert twofactor.begin(db, clinician.id, "sealed-2", instead_of=None) == "sealed-1"
    assert twofactor.begin(db, clinician.id, "sealed-3", instead_of="sealed-1") == "sealed-3"


def test_enrol_needs_a_secret_and_happens_once(db, clinician):
    assert not twofactor.enrol(db, clinician.id, 10, CODES, FAST_HASH)  # nothing begun
    twofactor.begin(db, clinician.id, "sealed", instead_of=None)
    assert twofactor.enrol(db, clinician.id, 10, CODES, FAST_HASH)
    assert not twofactor.enrol(db, clinician.id, 11, CODES[:1], FAST_HASH)
    held = twofactor.second_factor(db, clinician.id)
    assert (held.sealed_secret, held.last_step) == ("sealed", 10) and held.enrolled
    assert twofactor.recovery_codes_left(db, clinician.id) == 10
    assert twofactor.begin(db, clinician.id, "other", instead_of="sealed") == "sealed"  # enrolled


def test_each_step_is_spent_once_and_never_an_earlier_one(db, clinician):
    twofactor.begin(db, clinician.id, "sealed", instead_of=None)
    assert not twofactor.use_step(db, clinician.id, 5)  # not enrolled yet
    twofactor.enrol(db, clinician.id, 10, CODES, FAST_HASH)
    assert not twofactor.use_step(db, clinician.id, 10)  # the enrolment's own code
    assert twofactor.use_step(db, clinician.id, 12)
    assert not twofactor.use_step(db, clinician.id, 12)
    assert not twofactor.use_step(db, clinician.id, 11)
    assert twofactor.use_step(db, clinician.id, 13)


def test_recovery_codes_are_spent_once_each(db, clinician):
    twofactor.begin(db, clinician.id, "sealed", instead_of=None)
    twofactor.enrol(db, clinician.id, 10, CODES, FAST_HASH)
    assert twofactor.use_recovery_code(db, clinician.id, CODES[4]) == 9
    assert twofactor.use_recovery_code(db, clinician.id, CODES[4]) is None
    assert twofactor.use_recovery_code(db, clinician.id, "2bcdefghjj") is None  # same hint
    assert twofactor.use_recovery_code(db, clinician.id, CODES[0]) == 8


def test_reset_forgets_everything_and_ends_sessions(db, clinician):
    twofactor.begin(db, clinician.id, "sealed", instead_of=None)
    twofactor.enrol(db, clinician.id, 10, CODES, FAST_HASH)
    after = twofactor.reset(db, clinician.email)
    assert after.session_token != clinician.session_token
    assert after.totp_enrolled is None
    assert twofactor.second_factor(db, clinician.id) == twofactor.SecondFactor(None, None, None)
    assert twofactor.recovery_codes_left(db, clinician.id) == 0
