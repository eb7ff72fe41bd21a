"""Two-factor sign-in: time-based one-time codes (TOTP, RFC 6238) and one-time recovery codes.

A code is 6 digits for a 30-second step. One step either side of now is accepted, for a phone
whose clock is a little off. Which step a code matched is returned, so the caller can refuse
that step, and every step before it, from then on: a code works once.

One-time codes (recovery codes, and the set-up code a deployer hands a clinician to enrol
with) are 10 random characters from an alphabet without look-alikes (about 50 bits), shown as
two groups of five; any case, spaces and dashes are ignored when one is typed.
"""

from __future__ import annotations

import hmac
import re
import secrets

import pyotp

DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1  # accept the step before and after now
RECOVERY_CODES = 10
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i
LENGTH = 10
_CODE = re.compile(r"[0-9]{6}")  # ASCII digits only (\d would take any script's)


def new_secret() -> str:
    """A new shared secret: 32 base32 characters (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32()


def grouped(secret: str) -> str:
    """The secret as a person types it into an app: groups of four."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def setup_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address a QR code carries to an authenticator app."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer
    )


def step_at(at: float) -> int:
    return int(at // STEP_SECONDS)


def code_for(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def typed_code(text: str) -> str | None:
    """The 6 digits someone typed (spaces allowed, "123 456"), or None if it is not a code."""
    code = re.sub(r"\s", "", text or "")
    return code if _CODE.fullmatch(code) else None


def matching_step(secret: str, code: str, at: float, after: int | None = None) -> int | None:
    """The step within the drift whose code this is, and later than `after` (the last step
    used); None when it matches none. Every candidate is compared, in constant time."""
    now = step_at(at)
    found = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_for(secret, step), code) and (after is None or step > after):
            found = step if found is None else found
    return found


def new_one_time_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_recovery_codes() -> list[str]:
    return [new_one_time_code() for _ in range(RECOVERY_CODES)]


def shown_code(code: str) -> str:
    """A one-time code as it is shown: two groups of five."""
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def typed_one_time_code(text: str) -> str | None:
    """A one-time code as stored, from what someone typed; None if it cannot be one."""
    code = re.sub(r"[\s-]", "", text or "").lower()
    return code if len(code) == LENGTH and all(c in ALPHABET for c in code) else None
