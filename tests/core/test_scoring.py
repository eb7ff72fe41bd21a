"""Scoring tables: total, band and flags for the shipped bank, and the published WHO ASSIST."""

from __future__ import annotations

import pytest
from helpers import ALL_CLEAR, as_sets
from personas import SCENARIOS

from screening.core.bank import FLAG_LEVELS
from screening.core.flow import parse_answers
from screening.core.scoring import score

WEEKLY = SCENARIOS["weekly_mild"].answers

# ALL_CLEAR (conftest): used once or twice in the past 3 months, and no other sign: total 2.

# Every answer at its highest score: 54 (mixing is capped at 3, urinary at 4).
HIGHEST = {
    **ALL_CLEAR,
    "frequency": "daily",
    "gave_up": "many",
    "tolerance": "much",
    "craving": "always",
    "more_than_intended": "always",
    "cut_down": "recent",
    "time_spent": "most",
    "responsibilities": "weekly",
    "relationships": "often",
    "others_concern": "recent",
    "hazardous": "more",
    "coping": "always",
    "alone": "always",
    "k_hole": "more",
    "mixing": ["alcohol", "benzodiazepines", "opioids", "gabapentinoids", "ghb", "stimulants"],
    "urinary": ["urgency", "pain", "pelvic_pain", "leaking", "blood"],
    "abdominal": "severe",
    "memory": "a_lot",
    "despite_harm": "yes",
}

# Weekly use (4) with a few mild signs: 4 + 1 + 1 + 1 + 1 + 1 = 9.

# Daily (6) + k-hole (2) + alone always (3) + coping always (3) + mixing capped (3) + tolerance
# (2) = 19, with one criterion (tolerance): points alone, no lift.
NINETEEN = {
    **ALL_CLEAR,
    "frequency": "daily",
    "time_spent": "little",
    "k_hole": "more",
    "alone": "always",
    "coping": "always",
    "despite_harm": "no",
    "mixing": ["ghb", "stimulants", "alcohol"],
    "tolerance": "much",
}

AS_DIRECTED = {
    "respondent": "self",
    "last_use": "past_3_months",
    "treatment": "as_directed",
    "self_harm": "no",
}
MIXING = ("mixing_depressants", "alone")

SHIPPED = [
    ("never used", {"respondent": "self", "last_use": "never", "self_harm": "no"}, 0,
     "never_used", "fewer_signs", set()),
    ("over a year ago",
     {"respondent": "self", "last_use": "over_year", "urinary": ["none"], "abdominal": "no",
      "self_harm": "no"}, 0, "no_recent_use", "fewer_signs", set()),
    ("as directed", {**AS_DIRECTED, "treatment_signs": ["none"]}, 0, "as_directed",
     "fewer_signs", set()),
    ("as directed, wants more", {**AS_DIRECTED, "treatment_signs": ["want_more"]}, 0,
     "as_directed", "fewer_signs", {"treatment_signs"}),
    ("as directed, urinary pain", {**AS_DIRECTED, "treatment_signs": ["urinary_pain"]}, 0,
     "as_directed", "fewer_signs", {"see_doctor"}),
    ("as directed, passing urine often", {**AS_DIRECTED, "treatment_signs": ["urinary_often"]},
     0, "as_directed", "fewer_signs", {"treatment_signs"}),
    ("once or twice", ALL_CLEAR, 2, "fewer_signs", "fewer_signs", set()),
    ("monthly", {**ALL_CLEAR, "frequency": "monthly"}, 3, "fewer_signs", "fewer_signs", set()),
    ("past year, no frequency question",
     {k: v for k, v in ALL_CLEAR.items() if k != "frequency"} | {"last_use": "past_year"}, 0,
     "fewer_signs", "fewer_signs", set()),
    ("also outside treatment", {**ALL_CLEAR, "treatment": "also_outside"}, 2, "fewer_signs",
     "fewer_signs", {"outside_treatment"}),
    ("more than prescribed", {**ALL_CLEAR, "treatment": "more_than_prescribed"}, 2,
     "fewer_signs", "fewer_signs", {"outside_treatment"}),
    ("weekly", WEEKLY, 9, "some_signs", "some_signs", set()),
    ("weekly on its own", {**ALL_CLEAR, "frequency": "weekly", "time_spent": "little"}, 4,
     "some_signs", "some_signs", set()),
    ("highest", HIGHEST, 54, "many_signs", "many_signs",
     {"see_doctor", "hard_to_control", "mixing_opioids", "mixing_depressants", "mixing_stimulants",
      "alone", "k_hole", "hazardous", "bladder", "k_cramps", "memory", "coping"}),
    ("top of fewer", {**ALL_CLEAR, "k_hole": "once_twice"}, 3, "fewer_signs", "fewer_signs",
     {"k_hole"}),
    ("an ASSIST sign lifts fewer to some", {**ALL_CLEAR, "craving": "sometimes"}, 3,
     "some_signs", "some_signs", set()),
    ("bottom of some", {**ALL_CLEAR, "k_hole": "more"}, 4, "some_signs", "some_signs",
     {"k_hole"}),
    ("top of some", NINETEEN, 19, "some_signs", "some_signs",
     {"mixing_depressants", "mixing_stimulants", "alone", "k_hole", "coping"}),
    ("bottom of many", {**NINETEEN, "hazardous": "once_twice"}, 20, "many_signs", "many_signs",
     {"mixing_depressants", "mixing_stimulants", "alone", "k_hole", "hazardous", "coping"}),
    ("four criteria lift to many",
     {**ALL_CLEAR, "tolerance": "somewhat", "gave_up": "some", "hazardous": "once_twice",
      "relationships": "sometimes"}, 6, "many_signs", "many_signs", {"hazardous"}),
    ("three control signs", {**ALL_CLEAR, "tolerance": "somewhat", "craving": "sometimes",
     "more_than_intended": "sometimes"}, 5, "some_signs", "some_signs", {"hard_to_control"}),
    ("self-harm sometimes", {**ALL_CLEAR, "self_harm": "sometimes"}, 2, "crisis_first",
     "fewer_signs", {"crisis"}),
    ("self-harm often", {**ALL_CLEAR, "self_harm": "often"}, 2, "crisis_first", "fewer_signs",
     {"crisis"}),
    ("self-harm with some signs keeps its band", {**WEEKLY, "self_harm": "often"}, 9,
     "some_signs", "some_signs", {"crisis"}),
    ("rather not say", {**ALL_CLEAR, "self_harm": "rather_not_say"}, 2, "crisis_first",
     "fewer_signs", {"crisis_unsure"}),
    ("blood in urine", {**ALL_CLEAR, "urinary": ["blood"], "despite_harm": "no"}, 4,
     "some_signs", "some_signs", {"see_doctor", "bladder"}),
    ("urinary pain", {**ALL_CLEAR, "urinary": ["pain"], "despite_harm": "no"}, 3, "some_signs",
     "some_signs", {"see_doctor", "bladder"}),
    ("urinary urgency", {**ALL_CLEAR, "urinary": ["urgency"], "despite_harm": "no"}, 3,
     "some_signs", "some_signs", {"bladder"}),
    ("severe cramps", {**ALL_CLEAR, "abdominal": "severe", "despite_harm": "yes"}, 7,
     "some_signs", "some_signs", {"see_doctor", "k_cramps"}),
    ("mixing alcohol", {**ALL_CLEAR, "mixing": ["alcohol"]}, 3, "fewer_signs", "fewer_signs",
     {"mixing_depressants"}),
    ("mixing benzodiazepines", {**ALL_CLEAR, "mixing": ["benzodiazepines"]}, 4, "some_signs",
     "some_signs", {"mixing_depressants"}),
    ("mixing opioids", {**ALL_CLEAR, "mixing": ["opioids"]}, 4, "some_signs", "some_signs",
     {"mixing_opioids"}),
    ("mixing stimulants only", {**ALL_CLEAR, "mixing": ["stimulants"]}, 3, "fewer_signs",
     "fewer_signs", {"mixing_stimulants"}),
    ("alone sometimes", {**ALL_CLEAR, "alone": "sometimes"}, 3, "fewer_signs", "fewer_signs",
     set()),
    ("alone sometimes, with a depressant", {**ALL_CLEAR, "alone": "sometimes",
     "mixing": ["alcohol"]}, 4, "some_signs", "some_signs", set(MIXING)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "total", "band", "score_band", "flags"),
    [c[1:] for c in SHIPPED],
    ids=[c[0] for c in SHIPPED],
)
def test_shipped_scoring(bank, answers, total, band, score_band, flags):
    result = score(bank, as_sets(answers))
    assert result.total == total
    assert result.band.id == band
    assert result.scored_band.id == score_band
    assert {f.id for f in result.flags} == flags


PROXY_UNSURE = SCENARIOS["proxy_friend_in_treatment"].answers


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_named_scenario_scores_its_total_and_band(bank, name):
    """The answers other tests build on (tests/personas.py) still mean what their names say."""
    scenario = SCENARIOS[name]
    result = score(bank, parse_answers(bank, scenario.answers))
    assert (result.total, result.band.id) == (scenario.total, scenario.band)


def test_flags_sort_urgent_then_advice_then_info(bank):
    answers = {**PROXY_UNSURE, "urinary": ["blood"], "despite_harm": "no", "self_harm": "often"}
    result = score(bank, as_sets(answers))
    assert [f.id for f in result.flags] == [
        "crisis",
        "crisis_treatment",
        "see_doctor",
        "bladder",
        "outside_treatment",
        "talk_with_them",
        "emergency_signs",
        "support_for_you",
        "unsure",
    ]
    assert [f.id for f in result.flags_at("urgent")] == ["crisis", "crisis_treatment", "see_doctor"]


def test_flags_sort_by_level_not_by_bank_order(bank):
    # The shipped bank already lists its flags urgent first: reverse them to see the sorting.
    reversed_flags = bank.model_copy(update={"flags": tuple(reversed(bank.flags))})
    answers = {**PROXY_UNSURE, "urinary": ["blood"], "despite_harm": "no", "self_harm": "often"}
    result = score(reversed_flags, as_sets(answers))
    assert [f.id for f in result.flags][:3] == ["see_doctor", "crisis_treatment", "crisis"]
    assert result.flags[-1].id == "unsure"


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
        "gave_up": "many",
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
    assert result.flags == ()
    assert result.band.id == "as_directed"
    assert result.total == 0


def test_time_spent_not_counted_below_weekly_use(bank):
    result = score(bank, as_sets({**ALL_CLEAR, "frequency": "monthly", "time_spent": "most"}))
    assert result.total == 3
    assert "time_spent" not in [c.question.id for c in result.counted]


# --- findings ----------------------------------------------------------------------------------


def test_findings_by_domain(bank):
    result = score(bank, as_sets(WEEKLY))
    findings = {f.domain.id: f for f in result.findings}
    assert {d: f.score for d, f in findings.items()} == {
        "pattern": 4,
        "control": 2,
        "daily_life": 2,
        "risk": 1,
    }
    assert [f.domain.id for f in result.findings] == ["pattern", "control", "daily_life", "risk"]
    assert [c.question.id for c in findings["pattern"].answers] == ["frequency"]
    assert [c.question.id for c in findings["control"].answers] == ["craving", "time_spent"]
    assert findings["pattern"].highest == 6 + 2  # frequency, tolerance
    assert findings["risk"].highest == 2 + 3 + 3 + 2 + 3  # hazardous ... mixing (capped)


def test_counted_lists_every_applicable_answer(bank):
    result = score(bank, as_sets(WEEKLY))
    assert [c.question.id for c in result.counted] == [
        q.id for q in bank.questions if q.id in WEEKLY
    ]
    points = {c.question.id: c.score for c in result.counted}
    assert points["frequency"] == 4 and points["last_use"] == 0
    alone = next(c for c in result.counted if c.question.id == "alone")
    assert [o.id for o in alone.options] == ["sometimes"]
    assert sum(points.values()) == result.total


def test_multiple_question_sums_its_options(bank):
    result = score(bank, as_sets({**ALL_CLEAR, "urinary": ["urgency", "blood"]}))
    urinary = next(c for c in result.counted if c.question.id == "urinary")
    assert urinary.score == 3
    assert result.total == 5


@pytest.mark.parametrize(
    ("mixing", "points"),
    [
        (["stimulants"], 1),
        (["alcohol", "stimulants"], 2),
        (["ghb"], 2),  # GHB, opioids and benzodiazepines weigh more than stimulants
        (["ghb", "opioids"], 3),  # 4, capped at 3
        (["alcohol", "benzodiazepines", "opioids", "gabapentinoids", "ghb", "stimulants"], 3),
    ],
)
def test_mixing_is_weighted_by_risk_and_capped(bank, mixing, points):
    result = score(bank, as_sets({**ALL_CLEAR, "mixing": mixing}))
    assert next(c.score for c in result.counted if c.question.id == "mixing") == points
    assert bank.by_id["mixing"].score_range == (0, 3)


def test_criteria_are_counted_on_the_path_taken(bank):
    result = score(bank, as_sets(WEEKLY))
    assert (result.criteria, result.criteria_asked) == (2, 9)  # craving, time spent; no harm asked
    as_directed = score(bank, as_sets({**AS_DIRECTED, "treatment_signs": ["none"]}))
    assert (as_directed.criteria, as_directed.criteria_asked) == (0, 0)


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
