"""Time-based codes (RFC 6238) and recovery codes, in the pure core."""

from __future__ import annotations

import pytest

from screening.core import totp
from screening.core.sealing import InvalidToken, fernet

RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # "12345678901234567890", RFC 6238's key


@pytest.mark.parametrize(
    ("at", "code"),
    [(59, "287082"), (1111111109, "081804"), (1234567890, "005924"), (2000000000, "279037")],
)
def test_codes_match_rfc_6238s_test_vectors(at, code):
    """RFC 6238, appendix B (SHA-1), last 6 of its 8 digits."""
    assert totp.code_for(RFC_SECRET, totp.step_at(at)) == code


def test_the_step_of_a_code_within_one_step_either_side():
    now = 1111111109
    step = totp.step_at(now)
    for offset in (-1, 0, 1):
        code = totp.code_for(RFC_SECRET, step + offset)
        assert totp.matching_step(RFC_SECRET, code, now) == step + offset
    for offset in (-2, 2):
        assert totp.matching_step(RFC_SECRET, totp.code_for(RFC_SECRET, step + offset), now) is None


def test_a_step_at_or_before_the_last_used_is_no_match():
    now = 1111111109
    step = totp.step_at(now)
    code = totp.code_for(RFC_SECRET, step)
    assert totp.matching_step(RFC_SECRET, code, now, after=step - 1) == step
    assert totp.matching_step(RFC_SECRET, code, now, after=step) is None
    assert totp.matching_step(RFC_SECRET, code, now, after=step + 1) is None


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("123456", "123456"),
        (" 123 456 ", "123456"),
        ("12345", None),
        ("12345a", None),
        ("", None),
        ("١٢٣٤٥٦", None),  # Arabic-Indic digits: \d would take them, and compare_digest fail
        ("\uff11\uff12\uff13\uff14\uff15\uff16", None),  # fullwidth digits
    ],
)
def test_typed_codes(typed, code):
    assert totp.typed_code(typed) == code


def test_new_secrets_are_160_bits_of_base32_and_differ():
    secrets = {totp.new_secret() for _ in range(20)}
    assert len(secrets) == 20
    assert all(len(s) == 32 and set(s) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for s in secrets)
    assert totp.grouped("ABCDEFGHIJKL") == "ABCD EFGH IJKL"


def test_the_setup_address_names_the_account_and_issuer():
    uri = totp.setup_uri(RFC_SECRET, "amira@example.org", "Riverside Clinic")
    assert uri.startswith("otpauth://totp/Riverside%20Clinic:amira%40example.org?")
    assert f"secret={RFC_SECRET}" in uri and "issuer=Riverside%20Clinic" in uri


def test_recovery_codes_are_ten_distinct_and_read_back_however_typed():
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == totp.RECOVERY_CODES == 10
    for code in codes:
        assert len(code) == 10 and set(code) <= set(totp.ALPHABET)
        shown = totp.shown_code(code)
        assert shown == f"{code[:5]}-{code[5:]}"
        assert totp.typed_one_time_code(shown) == code
        assert totp.typed_one_time_code(f" {shown.upper()} ") == code
    assert totp.typed_one_time_code("abcde-fghi0") is None  # 0 is not in the alphabet
    assert totp.typed_one_time_code("abcde") is None


def test_sealing_keys_differ_by_purpose_and_secret_key():
    sealed = fernet("k" * 40, "screening totp").encrypt(b"secret")
    assert fernet("k" * 40, "screening totp").decrypt(sealed) == b"secret"
    for key, purpose in [("k" * 40, "screening drafts"), ("j" * 40, "screening totp")]:
        with pytest.raises(InvalidToken):
            fernet(key, purpose).decrypt(sealed)
