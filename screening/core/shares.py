"""A result a respondent chose to share with a clinician, and its reference code (pure)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from .plan import Chosen

if TYPE_CHECKING:
    from .bank import Bank
    from .scoring import Result

# No 0/O, 1/I/L, U/V or 5/S: a code must survive being read aloud over the phone.
ALPHABET = "2346789ABCDEFGHJKMNPQRTWXYZ"
CODE_LENGTH = 6  # 27**6 ≈ 387 million codes; uniqueness is enforced by the database
SECRET_GROUPS = 4  # withdrawal secret: 4 groups of 4, 27**16 ≈ 8e22


@dataclass(frozen=True, kw_only=True)
class SharedResult:
    """What is kept when a respondent shares: answers and their scoring, nothing identifying."""

    clinician_id: int
    link_id: int | None
    created: datetime.datetime  # when the respondent shared it (UTC)
    bank_id: str
    bank_version: str
    mode: str  # "self", or "other" for a family member or friend
    total: int
    band: str  # band id
    flags: tuple[str, ...]  # flag ids
    answers: dict[str, tuple[str, ...]]  # question id -> option ids, only questions that applied
    name: str | None = None  # optional name or initials the respondent typed
    score_band: str | None = None  # the band of the total (after lifts), when it differs from band
    criteria: int | None = None  # DSM-5-style criteria questions that gave points
    domains: dict[str, int] = field(default_factory=dict)  # domain id -> points (scored ones)
    language: str = "en"  # the language the respondent answered in (a code of the bank's)
    plan: Chosen | None = None  # their plan, only when they chose to include it

    def stored_as(self, code: str) -> Share:
        """This result as stored under a reference code."""
        return Share(code=code, **{f.name: getattr(self, f.name) for f in fields(self)})


@dataclass(frozen=True, kw_only=True)
class Share(SharedResult):
    """A shared result as stored, under the reference code the respondent and clinician see."""

    code: str  # e.g. "K7F3QD", shown as "K7F-3QD"

    @property
    def reference(self) -> str:
        return format_code(self.code)


def from_result(
    bank: Bank,
    result: Result,
    *,
    clinician_id: int,
    link_id: int | None,
    created: datetime.datetime,
    name: str | None = None,
    language: str | None = None,
    plan: Chosen | None = None,
) -> SharedResult:
    """What sharing this result keeps: the answers that applied, their scoring, mode and date."""
    return SharedResult(
        clinician_id=clinician_id,
        link_id=link_id,
        created=created,
        bank_id=bank.id,
        bank_version=bank.version,
        mode=result.mode,
        total=result.total,
        band=result.band.id,
        flags=tuple(f.id for f in result.flags),
        answers={c.question.id: tuple(o.id for o in c.options) for c in result.counted},
        name=name,
        language=language or bank.language,
        score_band=result.scored_band.id if result.scored_band is not result.band else None,
        criteria=result.criteria if bank.criteria else None,
        domains={f.domain.id: f.score for f in result.findings},
        plan=plan,
    )


def link_token(secret_key: str, nonce: str) -> str:
    """A referral link's secret token, made from the app's secret key and the link's stored nonce:
    a copy of the database alone cannot open a link (it holds the nonce and the token's SHA-256),
    and the clinician can still be shown the link."""
    mac = hmac.new(secret_key.encode(), b"screening link token\0" + nonce.encode(), "sha256")
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode()  # 192 bits, 32 characters


def token_digest(token: str) -> str:
    """How a link is found by its token without the token being stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return f"{code[:3]}-{code[3:]}"


def parse_code(text: str) -> str | None:
    """Read a code as a person types it (any case, spaces or dashes); None if it cannot be one."""
    code = "".join(ch for ch in text.upper() if ch.isalnum())
    return code if len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) else None


def new_secret() -> str:
    return "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(SECRET_GROUPS)
    )


def secret_digest(secret: str) -> str:
    """Store only a digest of the withdrawal secret; compare with `secret_matches`."""
    normal = "".join(ch for ch in secret.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def secret_matches(secret: str, digest: str) -> bool:
    return hmac.compare_digest(secret_digest(secret), digest)
