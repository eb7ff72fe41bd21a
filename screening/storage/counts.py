"""Anonymous daily counts: how many checks were started, completed, shared and withdrawn per day,
mode, result band, referral link and language; never an answer, a flag or a time finer than a day.
"""

from __future__ import annotations

import dataclasses
import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable

from sqlite_utils import Database

from ..core.stats import EVENTS, PERIODS, ROLLED_UP, Count, start_of
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
    with writing(database):
        if nonce is not None and not once.spend(database, nonce, ONCE[event]):
            return False
        add(database, datetime.date.today(), event, mode=mode, band=band, link=link,
            language=language)  # fmt: skip
    return True


def add(
    database: Database,
    day: datetime.date,
    event: str,
    n: int = 1,
    *,
    mode: str = "",
    band: str = "",
    link: int | str | None = None,
    language: str = "",
) -> None:
    """Add `n` to a day's count of an event, and to its week's and month's sums (inside a
    write transaction: `tally` for each check; a test or a benchmark for made-up counts)."""
    fields = (event, mode, band, "" if link is None else str(link), language)
    database.execute(
        "INSERT INTO daily_counts (day, event, mode, band, link, language, n) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day, event, mode, band, link, language) "
        "DO UPDATE SET n = daily_counts.n + excluded.n",
        (day.isoformat(), *fields, n),
    )
    for period in ROLLED_UP:
        database.execute(
            "INSERT INTO period_counts (period, day, event, mode, band, link, language, n) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
            "(period, event, day, band, mode, link, language) DO UPDATE SET "
            "n = period_counts.n + excluded.n",
            (period, start_of(day, period).isoformat(), *fields, n),
        )


FIELDS = ("event", "mode", "band", "link", "language")
GROUP_ORDER = ("event", "day", "band", "link", "mode", "language")


def each_count(
    database: Database, since: datetime.date | None = None, links: tuple[int, ...] | None = None
) -> list[Count]:
    """The stored counts (from a day on; only those of some links), oldest first."""
    return summed(database, FIELDS, since, links=links)


def _source(period: str) -> tuple[str, list[str], list[str]]:
    """Where a period's sums are read: its table, and the condition that picks them."""
    if period == "day":
        return "daily_counts", [], []
    if period in ROLLED_UP:
        return "period_counts", ["period = ?"], [period]
    raise ValueError(f"period must be one of {PERIODS}, not {period!r}")


class ClosedSums:
    """Sums over closed periods, kept in memory (one per process: the last `size` asked).

    A period closes when the next begins: no check is counted into last week again, so its sums
    never change, and a page of a year reads from the database only the period still open.
    Purging deletes only from the oldest end, so each sum is kept under where the stored counts
    now begin: a purge that reaches into a span makes it a new one."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._found: OrderedDict[tuple, list[Count]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, read: Callable[[], list[Count]]) -> list[Count]:
        with self._lock:
            if key in self._found:
                self._found.move_to_end(key)
                return self._found[key]
        found = read()
        with self._lock:
            self._found[key] = found
            while len(self._found) > self.size:
                self._found.popitem(last=False)
        return found


def summed(
    database: Database,
    keep: tuple[str, ...],
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    links: tuple[int, ...] | None = None,
    period: str = "day",
    whole: bool = False,
    closed: ClosedSums | None = None,
    **only: str,
) -> list[Count]:
    """The counts added up in the database by period (each dated its first day; or, `whole`,
    over the whole span, dated its first period) and the fields in `keep` (the others read
    ""), in the periods from the one holding `since` to the one holding `until`, for some
    links, matching `only` (e.g. event="completed", mode="self"). Weeks and months are read
    from their stored sums: a year's page asks for a few hundred rows, not every day's; with
    `closed`, the periods before this one are read once and kept there."""
    if not set(keep) | set(only) <= set(FIELDS):
        raise ValueError(f"fields must be among {FIELDS}")
    source, where, params = _source(period)  # checks the period
    if closed is None:
        return _read(database, keep, since, until, links, period, whole, only)
    oldest = database.execute(
        f"SELECT min(day) FROM {source} WHERE {' AND '.join(where) or 'TRUE'}", params
    ).fetchone()[0]
    if oldest is None:
        return []
    since = (
        max(start_of(since, period), datetime.date.fromisoformat(oldest))
        if since
        else datetime.date.fromisoformat(oldest)
    )
    opened = start_of(datetime.date.today(), period)  # the period still counted into
    last_closed = opened - datetime.timedelta(days=1)
    found = []
    if since <= last_closed:
        shut = min(until, last_closed) if until else last_closed
        key = (period, keep, since, shut, links, whole, tuple(sorted(only.items())))
        found = closed.get(
            key, lambda: _read(database, keep, since, shut, links, period, whole, only)
        )
    if until is None or until >= opened:
        live = _read(database, keep, max(since, opened), until, links, period, whole, only)
        found = _joined(found, live) if whole else [*found, *live]
    return found


def _joined(first: list[Count], then: list[Count]) -> list[Count]:
    """Two spans' whole sums as one: the same fields' counts added, dated the earlier."""
    by_fields = {dataclasses.replace(c, day=_ANY, n=0): c for c in first}
    for c in then:
        key = dataclasses.replace(c, day=_ANY, n=0)
        earlier = by_fields.get(key)
        by_fields[key] = dataclasses.replace(earlier, n=earlier.n + c.n) if earlier else c
    return sorted(by_fields.values(), key=lambda c: c.day)


_ANY = datetime.date.min


def _read(
    database: Database,
    keep: tuple[str, ...],
    since: datetime.date | None,
    until: datetime.date | None,
    links: tuple[int, ...] | None,
    period: str,
    whole: bool,
    only: dict[str, str],
) -> list[Count]:
    """The sums from the database (`summed`, without keeping any)."""
    source, where, params = _source(period)
    if "event" not in only:  # every event, named: the key (period, event, day, ...) serves each
        where.append(f"event IN ({', '.join('?' * len(EVENTS))})")
        params += EVENTS
    if since is not None:
        where.append("day >= ?")
        params.append(start_of(since, period).isoformat())
    if until is not None:
        where.append("day <= ?")
        params.append(until.isoformat())
    if links is not None:
        where.append(f"link IN ({', '.join('?' * len(links))})" if links else "FALSE")
        params += [str(i) for i in links]
    for field, value in only.items():
        where.append(f"{field} = ?")
        params.append(value)
    columns = ", ".join(("min(day)", *keep) if whole else ("day", *keep))
    # Grouped in the order of the keys (event, day, band ...; event, link, mode, language) so
    # that SQLite adds up as it reads, with no sorting of every row.
    ordered = sorted(keep if whole else ("day", *keep), key=GROUP_ORDER.index)
    grouped = f"GROUP BY {', '.join(ordered)}" if ordered else "HAVING count(*) > 0"
    query = (
        f"SELECT {columns}, sum(n) FROM {source} WHERE {' AND '.join(where) or 'TRUE'} "
        f"{grouped} ORDER BY 1"
    )
    fixed = {f: only.get(f, "") for f in FIELDS if f not in keep}
    found = []
    for row in database.execute(query, params):
        named = dict(zip(keep, row[1:-1], strict=True))
        found.append(Count(datetime.date.fromisoformat(row[0]), n=row[-1], **fixed, **named))
    return found


def purge(database: Database, days: int) -> int:
    """Delete counts older than `days` days, and the week's and month's sums that began
    before then (a period partly past keeping goes whole: kept less long, never longer);
    return how many daily rows went."""
    cutoff = (datetime.date.today() - datetime.timedelta(days=days)).isoformat()
    with writing(database):
        database.execute("DELETE FROM period_counts WHERE day < ?", [cutoff])
        return database.execute("DELETE FROM daily_counts WHERE day < ?", [cutoff]).rowcount
