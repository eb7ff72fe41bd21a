"""Anonymous counts of completed checks: day, mode and band, never anything that identifies."""

from __future__ import annotations

import datetime

from sqlite_utils import Database

from . import once
from .connection import writing


def count_completed(database: Database, mode: str, band: str, nonce: str) -> bool:
    """Add one to today's count of completed checks for this mode and band, once per check (its
    nonce); return whether it was counted now."""
    day = datetime.date.today().isoformat()
    with writing(database):
        if not once.spend(database, nonce, once.COUNT):
            return False
        database.execute(
            "INSERT INTO daily_counts (day, mode, band, completed) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (day, mode, band) DO UPDATE SET completed = completed + 1",
            (day, mode, band),
        )
    return True
