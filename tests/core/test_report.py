"""The presenter of a shared result: one wording of bands, flags, answers and who answered."""

from __future__ import annotations

import dataclasses
import datetime

from helpers import ALL_CLEAR

from screening.core import exports, report
from screening.core.flow import parse_answers
from screening.core.scoring import score
from screening.core.shares import from_result

CREATED = datetime.datetime(2026, 11, 26, 15, 30, tzinfo=datetime.UTC)


def shared(bank, answers):
    result = score(bank, parse_answers(bank, answers))
    made = from_result(bank, result, clinician_id=1, link_id=None, created=CREATED)
    return made.stored_as("K7F3QD"), result


def test_a_proxy_share_in_crisis_with_low_scores(bank):
    answers = {**ALL_CLEAR, "respondent": "other", "relationship": "friend", "contact": "weekly"}
    answers |= {"confidence": "very_sure", "self_harm": "often", "mixing": ["alcohol"]}
    share, result = shared(bank, answers)
    shown = report.report(bank, share, result)
    assert shown.reference == "K7F-3QD"
    assert shown.answered_by == "A family member or friend (proxy report)"
    assert shown.answered_by == exports.SOURCES["other"]["display"]  # one wording for both
    assert shown.band.startswith("Fewer signs (0\N{EN DASH}3), shown without reassurance")
    assert shown.score_band == "Fewer signs (0\N{EN DASH}3)"
    assert shown.flags[0] == "Thoughts of self-harm or suicide (urgent)"
    assert shown.urgent == ("Thoughts of self-harm or suicide",)  # shown first, and apart
    levels = [f.rsplit("(", 1)[1] for f in shown.flags]
    assert levels == sorted(levels, key=["urgent)", "advice)", "info)"].index)
    rows = {r.question: r for r in shown.rows}
    mixing = rows[bank.by_id["mixing"].text.get("other")]
    assert (mixing.answer, mixing.points) == ("Alcohol", 1)


def test_without_a_rescoring_there_are_no_points_and_old_ids_show_as_they_are(bank):
    share, _ = shared(bank, ALL_CLEAR)
    share = dataclasses.replace(share, band="retired", answers={**share.answers, "gone": ("x",)})
    shown = report.report(bank, share)
    assert shown.band == "retired" and shown.score_band is None
    assert all(row.points == "" for row in shown.rows)
    assert shown.rows[-1] == report.Row("gone", "x", "")
