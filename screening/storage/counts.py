"""Anonymous daily counts: how many checks were started, completed, shared and withdrawn per day,
mode, result band, referral link and language; never an answer, a flag or a time finer than a day.
"""

from __future__ import annotations

import datetime

from sqlite_utils import Database

from ..core.stats import EVENTS, Count
from . import once
from .connection import writing

# What a check may be counted for once (its nonce, spent for that purpose).
ONCE = {"started": once.START, "completed": once.COUNT}


def tally(
    database: Database,
    event: str,
    nonce: str | None = None,
    *,
    mode: str = "",
    band: str = "",
    link: int | None = None,
    language: str = "",
) -> bool:
    """Add one to today's count of an event; with a nonce, once per check (started, completed:
    a share and a withdrawal happen once by their own rules). Return whether it was counted."""
    day = datetime.date.today().isoformat()
    with writing(database):
        if nonce is not None and not once.spend(database, nonce, ONCE[event]):
            return False
        database.execute(
            "INSERT INTO daily_counts (day, event, mode, band, link, language, n) "
            "VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (day, event, mode, band, link, language) "
            "DO UPDATE SET n = n + 1",
            (day, event, mode, band, "" if link is None else str(link), language),
        )
    return True


FIELDS = ("event", "mode", "band", "link", "language")


def each_count(
    database: Database, since: datetime.date | None = None, links: tuple[int, ...] | None = None
) -> list[Count]:
    """The stored counts (from a day on; only those of some links), oldest first."""
    return summed(database, FIELDS, since, links=links)


def summed(
    database: Database,
    keep: tuple[str, ...],
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    links: tuple[int, ...] | None = None,
    daily: bool = True,
    **only: str,
) -> list[Count]:
    """The counts added up in the database by day (or, not `daily`, over the whole span, dated
    its first day) and the fields in `keep` (the others read ""), between two days, for some
    links, matching `only` (e.g. event="completed", mode="self"): a page asks for a few
    thousand sums, not every stored row."""
    if not set(keep) | set(only) <= set(FIELDS):
        raise ValueError(f"fields must be among {FIELDS}")
    where, params = ["1"], []
    if "event" not in only:  # every event, named: the index (event, day, ...) serves each
        where.append(f"event IN ({', '.join('?' * len(EVENTS))})")
        params += EVENTS
    for clause, value in (("day >= ?", since), ("day <= ?", until)):
        if value is not None:
            where.append(clause)
            params.append(value.isoformat())
    if links is not None:
        where.append(f"link IN ({', '.join('?' * len(links))})" if links else "0")
        params += [str(i) for i in links]
    for field, value in only.items():
        where.append(f"{field} = ?")
        params.append(value)
    columns = ", ".join(("day", *keep) if daily else ("min(day)", *keep))
    grouped = ", ".join(("day", *keep) if daily else keep) or "NULL"
    query = (
        f"SELECT {columns}, sum(n) FROM daily_counts WHERE {' AND '.join(where)} "
        f"GROUP BY {grouped} ORDER BY 1"
    )
    fixed = {f: only.get(f, "") for f in FIELDS if f not in keep}
    found = []
    for row in database.execute(query, params):
        named = dict(zip(keep, row[1:-1], strict=True))
        found.append(Count(datetime.date.fromisoformat(row[0]), n=row[-1], **fixed, **named))
    return found


def purge(database: Database, days: int) -> int:
    """Delete counts older than `days` days; return how many rows went."""
    cutoff = (datetime.date.today() - datetime.timedelta(days=days)).isoformat()
    with writing(database):
        return database.execute("DELETE FROM daily_counts WHERE day < ?", [cutoff]).rowcount
