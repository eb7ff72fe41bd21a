"""Scoring tables: total, band and flags for the shipped bank, and the published WHO ASSIST."""

from __future__ import annotations

import pytest
from helpers import ALL_CLEAR, WEEKLY, as_sets

from screening.bank import FLAG_LEVELS
from screening.scoring import score

# ALL_CLEAR (conftest): used once or twice in the past 3 months, and no other sign: total 2.

# Every answer at its highest score: 56.
HIGHEST = {
    **ALL_CLEAR,
    "frequency": "daily",
    "amount": "very_large",
    "tolerance": "much",
    "craving": "always",
    "more_than_intended": "always",
    "cut_down": "recent",
    "time_spent": "most",
    "responsibilities": "weekly",
    "relationships": "often",
    "others_concern": "recent",
    "coping": "always",
    "alone": "always",
    "k_hole": "more",
    "mixing": ["alcohol", "benzodiazepines", "opioids", "gabapentinoids", "ghb", "stimulants"],
    "urinary": ["urgency", "pain", "pelvic_pain", "leaking", "blood"],
    "abdominal": "severe",
    "memory": "a_lot",
}

# Weekly use (4) with a few mild signs: 4 + 1 + 1 + 1 + 1 + 1 = 9.

# Daily (6) + very_large (3) + much (2) + always (3) + recent (3) + often (2) = 19.
NINETEEN = {
    **ALL_CLEAR,
    "frequency": "daily",
    "time_spent": "little",
    "amount": "very_large",
    "tolerance": "much",
    "craving": "always",
    "cut_down": "recent",
    "more_than_intended": "often",
}

AS_DIRECTED = {
    "respondent": "self",
    "last_use": "past_3_months",
    "treatment": "as_directed",
    "self_harm": "no",
}

SHIPPED = [
    ("never used", {"respondent": "self", "last_use": "never", "self_harm": "no"}, 0,
     "fewer_signs", {"no_recent_use"}),
    ("over a year ago", {"respondent": "self", "last_use": "over_year", "self_harm": "no"}, 0,
     "fewer_signs", {"no_recent_use"}),
    ("as directed", {**AS_DIRECTED, "treatment_signs": ["none"]}, 0, "fewer_signs",
     {"as_directed"}),
    ("as directed, wants more", {**AS_DIRECTED, "treatment_signs": ["want_more"]}, 0,
     "fewer_signs", {"as_directed", "treatment_signs"}),
    ("as directed, urinary", {**AS_DIRECTED, "treatment_signs": ["urinary"]}, 0, "fewer_signs",
     {"as_directed", "see_doctor"}),
    ("once or twice", ALL_CLEAR, 2, "fewer_signs", set()),
    ("past year, no frequency question",
     {k: v for k, v in ALL_CLEAR.items() if k != "frequency"} | {"last_use": "past_year"}, 0,
     "fewer_signs", set()),
    ("also outside treatment", {**ALL_CLEAR, "treatment": "also_outside"}, 2, "fewer_signs",
     {"outside_treatment"}),
    ("weekly", WEEKLY, 9, "some_signs", set()),
    ("highest", HIGHEST, 56, "many_signs",
     {"see_doctor", "mixing", "alone", "k_hole", "bladder", "memory", "coping"}),
    ("top of fewer", {**ALL_CLEAR, "amount": "large"}, 4, "fewer_signs", set()),
    ("bottom of some", {**ALL_CLEAR, "amount": "large", "tolerance": "somewhat"}, 5, "some_signs",
     set()),
    ("top of some", NINETEEN, 19, "some_signs", set()),
    ("bottom of many", {**NINETEEN, "memory": "a_little"}, 20, "many_signs", {"memory"}),
    ("self-harm sometimes", {**ALL_CLEAR, "self_harm": "sometimes"}, 2, "fewer_signs", {"crisis"}),
    ("self-harm often", {**ALL_CLEAR, "self_harm": "often"}, 2, "fewer_signs", {"crisis"}),
    ("rather not say", {**ALL_CLEAR, "self_harm": "rather_not_say"}, 2, "fewer_signs",
     {"rather_not_say"}),
    ("blood in urine", {**ALL_CLEAR, "urinary": ["blood"]}, 4, "fewer_signs", {"see_doctor"}),
    ("urinary pain", {**ALL_CLEAR, "urinary": ["pain"]}, 3, "fewer_signs", {"bladder"}),
    ("severe cramps", {**ALL_CLEAR, "abdominal": "severe"}, 5, "some_signs", {"see_doctor"}),
    ("mixing alcohol", {**ALL_CLEAR, "mixing": ["alcohol"]}, 3, "fewer_signs", {"mixing"}),
    ("mixing stimulants only", {**ALL_CLEAR, "mixing": ["stimulants"]}, 3, "fewer_signs", set()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "total", "band", "flags"), [c[1:] for c in SHIPPED], ids=[c[0] for c in SHIPPED]
)
def test_shipped_scoring(bank, answers, total, band, flags):
    result = score(bank, as_sets(answers))
    assert result.total == total
    assert result.band.id == band
    assert {f.id for f in result.flags} == flags


def test_flags_sort_urgent_then_advice_then_info(bank):
    answers = {**AS_DIRECTED, "treatment_signs": ["want_more", "urinary"], "self_harm": "often"}
    result = score(bank, as_sets(answers))
    assert [f.id for f in result.flags] == [
        "crisis",
        "see_doctor",
        "treatment_signs",
        "as_directed",
    ]
    assert [f.id for f in result.flags_at("urgent")] == ["crisis", "see_doctor"]


def test_flags_sort_by_level_not_by_bank_order(bank):
    # The shipped bank already lists its flags urgent first: reverse them to see the sorting.
    reversed_flags = bank.model_copy(update={"flags": tuple(reversed(bank.flags))})
    answers = {**AS_DIRECTED, "treatment_signs": ["want_more", "urinary"], "self_harm": "often"}
    result = score(reversed_flags, as_sets(answers))
    expected = ["see_doctor", "crisis", "treatment_signs", "as_directed"]
    assert [f.id for f in result.flags] == expected


def test_crisis_comes_first_for_a_heavy_user(bank):
    result = score(bank, as_sets({**HIGHEST, "self_harm": "sometimes"}))
    assert result.flags[0].id == "crisis"
    levels = [FLAG_LEVELS.index(f.level) for f in result.flags]
    assert levels == sorted(levels)


# --- answers that no longer apply ---------------------------------------------------------------


def test_stale_answers_are_not_counted(bank):
    stale = {
        "respondent": "self",
        "last_use": "never",
        "self_harm": "no",
        "frequency": "daily",
        "amount": "very_large",
    }
    result = score(bank, as_sets(stale))
    assert result.total == 0
    assert [c.question.id for c in result.counted] == ["respondent", "last_use", "self_harm"]
    assert result.findings == ()


def test_stale_answers_raise_no_flags(bank):
    stale = {
        **AS_DIRECTED,
        "treatment_signs": ["none"],
        "mixing": ["alcohol"],
        "urinary": ["blood"],
    }
    result = score(bank, as_sets(stale))
    assert [f.id for f in result.flags] == ["as_directed"]
    assert result.total == 0


def test_time_spent_not_counted_below_weekly_use(bank):
    result = score(bank, as_sets({**ALL_CLEAR, "frequency": "monthly", "time_spent": "most"}))
    assert result.total == 3
    assert "time_spent" not in [c.question.id for c in result.counted]


# --- findings ----------------------------------------------------------------------------------


def test_findings_by_domain(bank):
    result = score(bank, as_sets(WEEKLY))
    findings = {f.domain.id: f for f in result.findings}
    assert {d: f.score for d, f in findings.items()} == {"pattern": 6, "control": 2, "risk": 1}
    assert [f.domain.id for f in result.findings] == ["pattern", "control", "risk"]
    assert [c.question.id for c in findings["pattern"].answers] == [
        "frequency",
        "amount",
        "tolerance",
    ]
    assert [c.question.id for c in findings["control"].answers] == ["craving", "time_spent"]
    assert findings["pattern"].highest == 6 + 3 + 2
    assert findings["risk"].highest == 3 + 3 + 2 + 6


def test_counted_lists_every_applicable_answer(bank):
    result = score(bank, as_sets(WEEKLY))
    assert [c.question.id for c in result.counted] == [
        q.id for q in bank.questions if q.id in WEEKLY
    ]
    points = {c.question.id: c.score for c in result.counted}
    assert points["frequency"] == 4 and points["last_use"] == 0
    mixing = next(c for c in result.counted if c.question.id == "mixing")
    assert [o.id for o in mixing.options] == ["stimulants"]
    assert sum(points.values()) == result.total


def test_multiple_question_sums_its_options(bank):
    result = score(bank, as_sets({**ALL_CLEAR, "urinary": ["urgency", "blood"]}))
    urinary = next(c for c in result.counted if c.question.id == "urinary")
    assert urinary.score == 3
    assert result.total == 5


# --- WHO ASSIST v3.1, hallucinogens ------------------------------------------------------------

NONE_SINCE_Q2 = {"q3": "never", "q4": "never", "q5": "never", "q6": "no", "q7": "no"}

ASSIST = [
    ("never used", {"q1": "no"}, 0, "lower", ["q1"]),
    ("once or twice, nothing else", {"q1": "yes", "q2": "once_twice", **NONE_SINCE_Q2}, 2, "lower",
     ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]),
    ("not in 3 months, concern earlier",
     {"q1": "yes", "q2": "never", "q6": "earlier", "q7": "no"}, 3, "lower",
     ["q1", "q2", "q6", "q7"]),
    ("weekly, nothing else", {"q1": "yes", "q2": "weekly", **NONE_SINCE_Q2}, 4, "moderate",
     ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]),
    ("manual example: 4+5+5+0+6+3",
     {"q1": "yes", "q2": "weekly", "q3": "weekly", "q4": "monthly", "q5": "never",
      "q6": "recent", "q7": "earlier"}, 23, "moderate",
     ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]),
    ("top of moderate",
     {"q1": "yes", "q2": "daily", "q3": "daily", "q4": "weekly", "q5": "daily", "q6": "no",
      "q7": "no"}, 26, "moderate", ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]),
    ("bottom of high",
     {"q1": "yes", "q2": "daily", "q3": "daily", "q4": "daily", "q5": "daily", "q6": "no",
      "q7": "no"}, 27, "high", ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]),
    ("all maximum",
     {"q1": "yes", "q2": "daily", "q3": "daily", "q4": "daily", "q5": "daily", "q6": "recent",
      "q7": "recent"}, 39, "high", ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]),
    ("q2 never skips q3 to q5",
     {"q1": "yes", "q2": "never", "q3": "daily", "q4": "daily", "q5": "daily", "q6": "no",
      "q7": "no"}, 0, "lower", ["q1", "q2", "q6", "q7"]),
    ("q1 no skips the rest",
     {"q1": "no", "q2": "daily", "q6": "recent", "q7": "recent"}, 0, "lower", ["q1"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "total", "band", "counted"), [c[1:] for c in ASSIST], ids=[c[0] for c in ASSIST]
)
def test_assist_scoring(assist, answers, total, band, counted):
    result = score(assist, as_sets(answers))
    assert result.total == total
    assert result.band.id == band
    assert [c.question.id for c in result.counted] == counted
    assert result.flags == ()
