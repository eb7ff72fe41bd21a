"""What one check may do once: be counted, be shared.

Each check in progress carries a random nonce in its encrypted cookie. Counting or sharing it
records the nonce's SHA-256 (a 128-bit random value needs no key to hide it) for that purpose,
with the day; a replayed cookie finds it spent. Nothing here says who, what or when beyond the day.
Marks are dropped after SPENT_DAYS, when no cookie that carries the nonce can still be read.
"""

from __future__ import annotations

import datetime
import hashlib

from sqlite_utils import Database

COUNT = "count"  # counted as completed
START = "start"  # counted as started
SHARE = "share"
SPENT_DAYS = 2  # a draft lives at most a day (drafts.MAX_AGE_HOURS); a day more for safety


def digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def is_spent(db: Database, nonce: str, purpose: str) -> bool:
    rows = db.execute(
        "SELECT 1 FROM spent WHERE digest = ? AND purpose = ?", [digest(nonce), purpose]
    )
    return rows.fetchone() is not None


def spend(db: Database, nonce: str, purpose: str) -> bool:
    """Mark the nonce spent for this purpose; False if it already was. Call inside `writing`."""
    today = datetime.date.today()
    cursor = db.execute(
        "INSERT INTO spent (digest, purpose, day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [digest(nonce), purpose, today.isoformat()],
    )
    before = (today - datetime.timedelta(days=SPENT_DAYS)).isoformat()
    db.execute("DELETE FROM spent WHERE day < ?", [before])
    return cursor.rowcount == 1
