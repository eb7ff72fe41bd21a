"""Statistics for the deployer from the anonymous daily counts (pure).

A count is one day's number of one event (a check started, completed, shared or withdrawn) for
one mode, result band, link and language: never an answer, a flag, a question or a time finer
than a day. Before anyone sees them, counts are added up by period and by one breakdown, and
small numbers are suppressed: a cell under SMALL is shown as "fewer than 5", and a total is given
only when every cell it adds up is shown, so that no suppressed cell can be worked out from a
total and the cells beside it. Every number shown is rounded to the nearest ROUND, so that
neither can one be worked out by setting two views side by side (a month and its weeks, anyone
and the person, every link and one), and periods are whole, so no view differs by one day.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

SMALL = 5  # cells under this are suppressed: few enough to point at a person
ROUND = 5  # numbers shown are rounded to a multiple of this (as NHS England's and the ONS's are)
EVENTS = ("started", "completed", "shared", "withdrawn")
PERIODS = ("day", "week", "month")
ROLLED_UP = ("week", "month")  # periods whose sums are stored as well as each day's
BREAKDOWNS = ("band", "mode", "link", "language", "event")
NOT_GIVEN = None  # a suppressed cell, or a total that would reveal one
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Count:
    """One stored count: how many times `event` happened on `day` for this mode, band, link
    and language ("" where it does not apply: a check started has no band yet)."""

    day: datetime.date
    event: str
    mode: str
    band: str
    link: str
    language: str
    n: int


@dataclass(frozen=True)
class Table:
    """Counts by period (rows) and by one breakdown (columns), small numbers suppressed:
    a cell or total is an int, or None when it is not given."""

    period: str
    by: str
    rows: tuple[datetime.date, ...]  # the first day of each period, oldest first
    columns: tuple[str, ...]
    cells: dict[tuple[datetime.date, str], int | None]
    row_totals: dict[datetime.date, int | None]
    column_totals: dict[str, int | None]
    total: int | None

    @property
    def across(self) -> bool:
        """Whether a row adds up across its columns: not events (a check started and the same
        check completed are one check, not two), so their rows have no total."""
        return self.by != "event"

    def label(self, row: datetime.date) -> str:
        """A period as people read it: "2026-11-30" (a day), "week of 2026-11-30", "2026-11"."""
        if self.period == "month":
            return row.strftime("%Y-%m")
        return f"week of {row.isoformat()}" if self.period == "week" else row.isoformat()


def start_of(day: datetime.date, period: str) -> datetime.date:
    """The first day of the period a day falls in (weeks start on Monday, as ISO 8601's)."""
    if period == "week":
        return day - datetime.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "day":
        return day
    raise ValueError(f"period must be one of {PERIODS}, not {period!r}")


def periods(first: datetime.date, last: datetime.date, period: str) -> list[datetime.date]:
    """Every period from the one holding `first` to the one holding `last`, empty ones too."""
    found, day = [], start_of(first, period)
    while day <= last:
        found.append(day)
        if period == "month":
            day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        else:
            day += datetime.timedelta(days=7 if period == "week" else 1)
    return found


def end_of(day: datetime.date, period: str) -> datetime.date:
    """The last day of the period a day falls in."""
    if period == "month":
        return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - ONE_DAY
    if period == "week":
        return start_of(day, period) + 6 * ONE_DAY
    return start_of(day, period)  # a day, or ValueError


def span(
    start: datetime.date, end: datetime.date, period: str
) -> tuple[datetime.date, datetime.date]:
    """Whole periods from the one holding `start` to the one holding `end` (either order): the
    only spans shown, so that no two views differ by a day or two, and so reveal them."""
    start, end = sorted((start, end))
    return start_of(start, period), end_of(end, period)


def shown(n: int) -> int | None:
    """A number as it may be shown: None ("fewer than 5") when it is small, else rounded to
    the nearest ROUND (7 shows as 5, 8 as 10, halves up)."""
    return (n + ROUND // 2) // ROUND * ROUND if n >= SMALL else NOT_GIVEN


def _total(parts: Iterable[int]) -> int | None:
    """A total, given only when none of its parts is suppressed (else it would reveal them),
    rounded as a cell is: from the true sum, not from the rounded parts."""
    parts = list(parts)
    return shown(sum(parts)) if all(p >= SMALL for p in parts) else NOT_GIVEN


def table(
    counts: Iterable[Count],
    event: str | None = "completed",
    by: str = "band",
    period: str = "week",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    columns: Iterable[str] = (),
    **only: str,
) -> Table:
    """Counts of one event (or, with by="event", of every event) from `start` to `end`
    (inclusive; default: the first and last day counted), in rows by period and columns by a
    breakdown, keeping only counts that match `only` (e.g. mode="self", link="3"). `columns`
    names columns to show even when empty (e.g. every band), before any others found."""
    if by not in BREAKDOWNS:
        raise ValueError(f"breakdown must be one of {BREAKDOWNS}, not {by!r}")
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
    kept = [
        c
        for c in counts
        if (event is None or by == "event" or c.event == event)
        and (start is None or c.day >= start)
        and (end is None or c.day <= end)
        and all(getattr(c, key) == value for key, value in only.items())
    ]
    days = [c.day for c in kept]
    first = start or (min(days) if days else datetime.date.today())
    last = end or (max(days) if days else first)
    rows = tuple(periods(first, last, period))
    names = list(dict.fromkeys(columns))
    names += sorted({getattr(c, by) for c in kept} - set(names))
    raw = {(row, name): 0 for row in rows for name in names}
    for c in kept:
        raw[start_of(c.day, period), getattr(c, by)] += c.n
    return Table(
        period=period,
        by=by,
        rows=rows,
        columns=tuple(names),
        cells={key: shown(n) for key, n in raw.items()},
        row_totals={row: _total(raw[row, name] for name in names) for row in rows},
        column_totals={name: _total(raw[row, name] for row in rows) for name in names},
        total=_total(raw.values()),
    )


def text_rows(
    grid: Table,
    fewer: str = "fewer than 5",
    not_given: str = "not given",
    label: Callable[[datetime.date], str] | None = None,
) -> list[list[str]]:
    """The table as rows of text, for a CSV file and the page alike: a header, one row per
    period (named by `label`, default `Table.label`), then the totals (each row's too, where a
    row adds up); a suppressed cell says `fewer`, a total that would reveal one `not_given`."""

    def cell(value: int | None, small: str) -> str:
        return small if value is None else str(value)

    across = ["total"] if grid.across else []
    header = ["period", *grid.columns, *across]
    body = [
        [
            (label or grid.label)(row),
            *(cell(grid.cells[row, name], fewer) for name in grid.columns),
            *(cell(grid.row_totals[row], not_given) for _ in across),
        ]
        for row in grid.rows
    ]
    totals = [
        "total",
        *(cell(grid.column_totals[name], not_given) for name in grid.columns),
        *(cell(grid.total, not_given) for _ in across),
    ]
    return [header, *body, totals]


@dataclass(frozen=True)
class Segment:
    column: str
    value: int | None  # None: fewer than 5, not drawn
    y: float  # from the top of the plot, in the plot's units
    height: float


@dataclass(frozen=True)
class Bar:
    row: datetime.date
    segments: tuple[Segment, ...]  # bottom first

    @property
    def small(self) -> bool:
        """Whether some part of the bar is fewer than 5, so not drawn."""
        return any(s.value is None for s in self.segments)


@dataclass(frozen=True)
class Chart:
    """A bar chart of a table: one bar per period, its columns stacked; only the numbers the
    table shows are drawn (a suppressed cell is left out, and its bar says so)."""

    bars: tuple[Bar, ...]
    top: int  # the value at the top of the plot (a round number at or above the tallest bar)
    height: float


def chart(grid: Table, columns: Iterable[str] | None = None, height: float = 160) -> Chart:
    """Bars for some of a table's columns (default all), stacked, scaled to `height`."""
    names = tuple(grid.columns if columns is None else columns)
    sums = [sum(grid.cells[row, n] or 0 for n in names) for row in grid.rows]
    tallest = max(sums, default=0)
    step = 10 ** max(len(str(tallest)) - 1, 0)  # round up to a whole step: 37 -> 40, 120 -> 200
    top = max(-(-tallest // step) * step, SMALL)
    bars = []
    for row in grid.rows:
        y, parts = height, []
        for name in names:
            value = grid.cells[row, name]
            tall = (value or 0) / top * height
            y -= tall
            parts.append(Segment(name, value, round(y, 2), round(tall, 2)))
        bars.append(Bar(row, tuple(parts)))
    return Chart(tuple(bars), top, height)


def totals(counts: Iterable[Count], by: str = "link", events: Iterable[str] = EVENTS) -> dict:
    """For each link (or mode, language: `by`), how many times each event happened in all,
    small numbers suppressed: {link: {event: int | None}}."""
    if by not in BREAKDOWNS:
        raise ValueError(f"breakdown must be one of {BREAKDOWNS}, not {by!r}")
    events = tuple(events)
    raw: dict[str, dict[str, int]] = {}
    for c in counts:
        if c.event in events:
            by_event = raw.setdefault(getattr(c, by), dict.fromkeys(events, 0))
            by_event[c.event] += c.n
    return {link: {e: shown(n) for e, n in found.items()} for link, found in raw.items()}
