"""The one rule for a new clinician password: long enough, and not common or guessable.

Guessability is zxcvbn's estimate (Dropbox's), with the account's email and name counted as
words an attacker would try first; a score of 3 of 4 ("safely unguessable" against online
attack, about 10^8 guesses or more) is needed, as NIST SP 800-63B asks for a check against
common and context-specific passwords.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from zxcvbn import zxcvbn

PASSWORD_MIN = 12
MIN_SCORE = 3
MAX_CHECKED = 100  # zxcvbn's cost grows with length; a longer password is judged on its start


class Weakness(NamedTuple):
    """Why a password will not do: too short, or too easy to guess (with zxcvbn's warning, in
    English, or "")."""

    too_short: bool
    warning: str = ""


def password_weakness(password: str, *about: str) -> Weakness | None:
    """What is wrong with this password, or None when it will do. `about`: the account's email,
    name and the like."""
    if len(password) < PASSWORD_MIN:
        return Weakness(too_short=True)
    words = [w for text in about for w in [text, *re.split(r"[^A-Za-z0-9]+", text)] if len(w) > 2]
    verdict = zxcvbn(password[:MAX_CHECKED], user_inputs=words)
    if verdict["score"] >= MIN_SCORE:
        return None
    return Weakness(too_short=False, warning=verdict["feedback"]["warning"] or "")


def password_problem(password: str, *about: str) -> str | None:
    """Why this password will not do, in words for the person choosing it; None when it will.
    `about`: the account's email, name and the like."""
    weakness = password_weakness(password, *about)
    if weakness is None:
        return None
    if weakness.too_short:
        return f"The password must be at least {PASSWORD_MIN} characters long."
    reason = f" {weakness.warning.rstrip('.')}." if weakness.warning else ""
    return (
        f"This password would be too easy to guess.{reason} Use a longer phrase of unrelated "
        "words, not your name or email."
    )
