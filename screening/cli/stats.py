"""`flask --app screening stats`: the anonymous counts as a table, small numbers suppressed."""

from __future__ import annotations

import csv
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..core import stats
from ..storage import counts
from ..storage.connection import connect

FEWER = "fewer than 5"
NOT_GIVEN = "not given"


@click.command("stats")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD).")
@click.option("--by", "period", type=click.Choice(stats.PERIODS), default="week", show_default=True)
@click.option(
    "--breakdown", type=click.Choice(stats.BREAKDOWNS), default="band", show_default=True,
    help="The columns: result band, mode, referral link, language, or every event.",
)  # fmt: skip
@click.option("--event", type=click.Choice(stats.EVENTS), default="completed", show_default=True)
@click.option("--mode", type=click.Choice(["self", "other"]), help="Only one mode.")
@click.option("--link", type=int, help="Only checks opened from this referral link (its id).")
@click.option("--csv", "as_csv", is_flag=True, help="Write CSV instead of a table.")
@with_appcontext
def stats_command(start, end, period, breakdown, event, mode, link, as_csv) -> None:
    """Counts of checks by week (or day, month) and result band (or another breakdown); any
    number under 5 shows as "fewer than 5". Example: flask --app screening stats --by month"""
    only = {
        k: v for k, v in {"mode": mode, "link": None if link is None else str(link)}.items() if v
    }
    start, end = start and start.date(), end and end.date()
    if start and end:
        start, end = stats.span(start, end, period)  # whole periods, as on the page
    else:
        start = start and stats.start_of(start, period)
        end = end and stats.end_of(end, period)
    if breakdown != "event":
        only["event"] = event
    database = connect(current_app.config["DATABASE"])
    try:
        found = counts.summed(database, (breakdown,), start, end, period=period, **only)
    finally:
        database.close()
    grid = stats.table(
        found,
        event=event,
        by=breakdown,
        period=period,
        start=start,
        end=end,
        columns=_columns(breakdown),
    )
    rows = stats.text_rows(grid, FEWER, NOT_GIVEN)
    if as_csv:
        csv.writer(sys.stdout, lineterminator="\r\n").writerows(rows)
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _columns(breakdown: str) -> list[str]:
    """Columns shown even when empty: every result band, both modes, every event."""
    bank = current_app.extensions["screening"].bank
    return {
        "band": [band.id for band in bank.bands],
        "mode": list(bank.modes),
        "event": list(stats.EVENTS),
        "language": list(bank.all_languages),
    }.get(breakdown, [])
