"""Shares as CSV for a spreadsheet: one row per answer, cells safe from formula injection (pure)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

from ..bank import Bank
from ..report import answered, option_label, question_text, timestamp
from ..scoring import SCORERS
from ..shares import Share

CSV_HEADER = (
    "reference",
    "completed",
    "mode",
    "bank",
    "bank_version",
    "total",
    "band",
    "flags",
    "question_id",
    "question",
    "answer_ids",
    "answers",
    "score",
    "score_band",
    "criteria",
    "domain_scores",
    "plan_readiness",  # the plan, only when the person chose to include it (not scored)
    "plan_options",
    "plan_reasons",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_INTEGER = re.compile(r"^-?[0-9]+$")


def escape_cell(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula; plain integers are left alone."""
    if value.startswith(_FORMULA_START) and not _INTEGER.match(value):
        return "'" + value
    return value


def csv_rows(bank: Bank, shares: Iterable[Share]) -> list[list[str]]:
    """Shares in long format: a header, then one row per answered question per share."""
    return list(each_csv_row(bank, shares))


def each_csv_row(bank: Bank, shares: Iterable[Share]) -> Iterator[list[str]]:
    """The rows of `csv_rows` one at a time, cells neutralised, for a download that streams."""
    yield list(CSV_HEADER)
    for share in shares:
        yield from ([escape_cell(cell) for cell in row] for row in _share_rows(bank, share))


def _share_rows(bank: Bank, share: Share) -> Iterator[list[str]]:
    """One share's rows: one per answered question (one row if none were)."""
    common = [
        share.reference,
        timestamp(share.created),
        share.mode,
        share.bank_id,
        share.bank_version,
        str(share.total),
        share.band,
        "|".join(share.flags),
    ]
    scoring = [
        share.score_band or share.band,
        "" if share.criteria is None else str(share.criteria),
        "|".join(f"{d}={points}" for d, points in share.domains.items()),
        *_plan_cells(share),
    ]
    given = answered(bank, share)
    if not given:  # keep the share visible even with no answers
        yield [*common, "", "", "", "", "", *scoring]
    for question_id, question, ids in given:
        labels = [option_label(bank, question, i, share.mode) for i in ids]
        points = str(SCORERS[question.type](question, frozenset(ids))) if question else ""
        yield [
            *common,
            question_id,
            question_text(bank, share, question_id, question),
            "|".join(ids),
            "; ".join(labels),
            points,
            *scoring,
        ]


def _plan_cells(share: Share) -> list[str]:
    """Readiness, option ids and reason ids of a shared plan; empty cells when none was shared."""
    chosen = share.plan
    if chosen is None:
        return ["", "", ""]
    readiness = "" if chosen.readiness is None else str(chosen.readiness)
    return [readiness, "|".join(chosen.options), "|".join(chosen.reasons)]


def to_csv(rows: Iterable[Iterable[str]]) -> str:
    """Rows as CSV text (CRLF line ends, as RFC 4180); `csv_rows` has neutralised the cells."""
    return "".join(csv_lines(rows))


def csv_lines(rows: Iterable[Iterable[str]]) -> Iterator[str]:
    """Rows as CSV text, a line at a time (for a streamed download)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(row)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
