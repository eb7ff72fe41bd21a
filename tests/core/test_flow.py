"""Conditions and the path through a bank: which questions apply, in what order, and progress."""

from __future__ import annotations

import re

import pytest
from helpers import ALL_CLEAR, as_sets, in_bank_order
from pydantic import TypeAdapter

from screening.core import flow
from screening.core.conditions import Condition
from screening.core.flow import (
    AnswerError,
    can_ask,
    first_unanswered,
    next_question,
    parse_answers,
    paths,
    previous_question,
    progress,
    prune,
    walk,
)

CONDITION = TypeAdapter(Condition)


# The answer that starts every journey about one's own use.
SELF = {"respondent": "self"}

# Every question a past-3-months user who is not in treatment is asked, in bank order.
USER = in_bank_order(
    {
        **ALL_CLEAR,
        "frequency": "weekly",
        "tolerance": "somewhat",
        "craving": "sometimes",
        "time_spent": "some",
        "mixing": ["alcohol", "stimulants"],
    }
)

# --- conditions --------------------------------------------------------------------------------

A_IN = {"question": "a", "in": ["x", "y"]}
A_NOT_IN = {"question": "a", "not_in": ["x"]}
B_IN = {"question": "b", "in": "z"}  # one value may be given without a list

EVALUATIONS = [
    # a leaf: not reached -> unknown; skipped (no options) -> false, for both operators
    (A_IN, {}, None),
    (A_IN, {"a": {"x"}}, True),
    (A_IN, {"a": {"w", "y"}}, True),
    (A_IN, {"a": {"w"}}, False),
    (A_IN, {"a": set()}, False),
    (A_NOT_IN, {}, None),
    (A_NOT_IN, {"a": {"w"}}, True),
    (A_NOT_IN, {"a": {"x"}}, False),
    (A_NOT_IN, {"a": {"x", "w"}}, False),
    (A_NOT_IN, {"a": set()}, False),
    (B_IN, {"b": {"z"}}, True),
    (B_IN, {"a": {"x"}}, None),  # another question answered: still unknown
    # all: any false wins, then any unknown
    ({"all": [A_IN, B_IN]}, {"a": {"x"}, "b": {"z"}}, True),
    ({"all": [A_IN, B_IN]}, {"a": {"x"}}, None),
    ({"all": [A_IN, B_IN]}, {"a": {"w"}}, False),
    ({"all": [A_IN, B_IN]}, {"a": set(), "b": {"z"}}, False),
    # any: any true wins, then any unknown
    ({"any": [A_IN, B_IN]}, {"a": {"x"}}, True),
    ({"any": [A_IN, B_IN]}, {"a": {"w"}}, None),
    ({"any": [A_IN, B_IN]}, {"a": {"w"}, "b": set()}, False),
    ({"any": [A_IN, B_IN]}, {}, None),
    # nested
    ({"any": [{"all": [A_IN, B_IN]}, A_NOT_IN]}, {"a": {"w"}}, True),
    ({"any": [{"all": [A_IN, B_IN]}, A_NOT_IN]}, {"a": {"x"}, "b": set()}, False),
    ({"all": [{"any": [A_IN, B_IN]}, A_NOT_IN]}, {"a": {"x"}}, False),
]


# `scored`: how many of the questions gave points; unreached questions might still.
TWO_OF_THREE = {"scored": ["a", "b", "c"], "at_least": 2}
COUNTS = [
    (TWO_OF_THREE, {}, {}, None),
    (TWO_OF_THREE, {"a": {"x"}, "b": {"z"}}, {"a": 1, "b": 2}, True),
    (TWO_OF_THREE, {"a": {"x"}, "b": {"z"}}, {"a": 1}, None),  # c may still score
    (TWO_OF_THREE, {"a": {"x"}, "b": {"z"}, "c": {"w"}}, {"a": 1}, False),
    (TWO_OF_THREE, {"a": set(), "b": set()}, {}, False),  # skipped questions score nothing
    (TWO_OF_THREE, {"a": {"x"}, "b": {"z"}, "c": {"w"}}, {"a": 1, "b": 0, "c": 3}, True),
    ({"all": [TWO_OF_THREE, A_IN]}, {"a": {"x"}, "b": {"z"}}, {"a": 1, "b": 1}, True),
]


@pytest.mark.parametrize(("raw", "answers", "points", "expected"), COUNTS)
def test_scored_count_evaluation(raw, answers, points, expected):
    condition = CONDITION.validate_python(raw)
    frozen = {q: frozenset(v) for q, v in answers.items()}
    assert condition.evaluate(frozen, points) is expected


@pytest.mark.parametrize(("raw", "answers", "expected"), EVALUATIONS)
def test_condition_evaluation(raw, answers, expected):
    condition = CONDITION.validate_python(raw)
    frozen = {q: frozenset(v) for q, v in answers.items()}
    assert condition.evaluate(frozen) is expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"question": "a"}, "give exactly one of in, not_in"),
        ({"question": "a", "in": ["x"], "not_in": ["y"]}, "give exactly one of in, not_in"),
        ({"question": "a", "is": ["x"]}, "unknown key 'is'"),
        ({"all": []}, "at least 1 item"),
        ({"scored": [], "at_least": 1}, "at least 1 item"),
        ({"scored": ["a"], "at_least": 0}, "greater than or equal to 1"),
    ],
)
def test_condition_rejects(raw, message):
    with pytest.raises(ValueError, match=message):
        CONDITION.validate_python(raw)


# --- walking the shipped bank ------------------------------------------------------------------


def test_walk_before_any_answer(bank):
    steps = walk(bank, {})
    assert [s.question.id for s in steps] == [q.id for q in bank.questions]
    relevant = {s.question.id: s.relevant for s in steps}
    assert relevant["respondent"] is True
    assert relevant["last_use"] is True and relevant["self_harm"] is True
    assert relevant["relationship"] is None and relevant["confidence"] is None
    assert relevant["treatment"] is None and relevant["time_spent"] is None
    assert all(s.answer is None for s in steps)


def test_walk_after_gate_answers(bank):
    steps = walk(bank, as_sets({**SELF, "last_use": "past_year", "treatment": "no"}))
    relevant = {s.question.id: s.relevant for s in steps}
    assert relevant["relationship"] is False and relevant["confidence"] is False
    assert relevant["treatment_signs"] is False
    assert relevant["frequency"] is False  # only for use in the past 3 months
    assert relevant["time_spent"] is False  # depends on frequency, which was skipped
    assert relevant["tolerance"] is True


def test_walk_ignores_answers_to_skipped_questions(bank):
    answers = as_sets({**SELF, "last_use": "never", "frequency": "daily"})
    steps = {s.question.id: s for s in walk(bank, answers)}
    assert steps["frequency"].relevant is False
    assert steps["frequency"].answer is None


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, "respondent"),
        (SELF, "last_use"),
        ({**SELF, "last_use": "never"}, "self_harm"),
        ({**SELF, "last_use": "never", "self_harm": "no"}, None),
        ({**SELF, "last_use": "past_3_months"}, "treatment"),
        ({**SELF, "last_use": "past_year", "treatment": "no"}, "tolerance"),
        ({**SELF, "last_use": "past_year", "treatment": "as_directed"}, "treatment_signs"),
        ({**USER, "time_spent": None}, "time_spent"),
        ({**USER, "frequency": "monthly", "time_spent": None, "self_harm": None}, "self_harm"),
        (USER, None),
    ],
)
def test_first_unanswered(bank, answers, expected):
    given = as_sets({q: v for q, v in answers.items() if v is not None})
    found = first_unanswered(bank, given)
    assert (found and found.id) == expected


@pytest.mark.parametrize(
    ("answers", "after", "expected"),
    [
        (SELF, "respondent", "last_use"),
        ({**SELF, "last_use": "never"}, "last_use", "self_harm"),
        (
            {**SELF, "last_use": "past_3_months", "treatment": "as_directed"},
            "treatment",
            "treatment_signs",
        ),
        (
            {**SELF, "last_use": "past_3_months", "treatment": "as_directed"},
            "treatment_signs",
            "self_harm",
        ),
        ({**SELF, "last_use": "past_year", "treatment": "no"}, "treatment", "tolerance"),
        ({**USER, "frequency": "monthly"}, "cut_down", "responsibilities"),
        (USER, "cut_down", "time_spent"),
        (USER, "self_harm", None),
    ],
)
def test_next_question(bank, answers, after, expected):
    found = next_question(bank, as_sets(answers), after)
    assert (found and found.id) == expected


@pytest.mark.parametrize(
    ("answers", "before", "expected"),
    [
        ({**SELF, "last_use": "never"}, "self_harm", "last_use"),
        (
            {**SELF, "last_use": "past_3_months", "treatment": "as_directed"},
            "self_harm",
            "treatment_signs",
        ),
        ({**SELF, "last_use": "past_year", "treatment": "no"}, "tolerance", "treatment"),
        ({**USER, "frequency": "monthly"}, "responsibilities", "cut_down"),
        (USER, "responsibilities", "time_spent"),
        (USER, "self_harm", "memory"),
        (USER, "last_use", "respondent"),  # relationship and contact are only for 'other'
        (USER, "respondent", None),
    ],
)
def test_previous_question(bank, answers, before, expected):
    found = previous_question(bank, as_sets(answers), before)
    assert (found and found.id) == expected


@pytest.mark.parametrize(
    ("answers", "question", "expected"),
    [
        ({}, "respondent", True),
        ({}, "last_use", False),  # respondent comes first and is not answered
        (SELF, "last_use", True),
        (SELF, "relationship", False),  # only asked about someone else
        (SELF, "self_harm", False),  # last_use comes first and is not answered
        ({**SELF, "last_use": "never"}, "self_harm", True),
        ({**SELF, "last_use": "never"}, "treatment", False),  # does not apply
        ({**SELF, "last_use": "never"}, "frequency", False),
        ({**SELF, "last_use": "past_3_months"}, "treatment", True),
        ({**SELF, "last_use": "past_3_months"}, "frequency", False),  # treatment not answered yet
        ({**SELF, "last_use": "past_3_months", "treatment": "no"}, "frequency", True),
        ({**SELF, "last_use": "past_3_months", "treatment": "no"}, "tolerance", False),
        (USER, "self_harm", True),
        (USER, "treatment_signs", False),
        ({}, "no_such_question", False),
    ],
)
def test_can_ask(bank, answers, question, expected):
    assert can_ask(bank, as_sets(answers), question) is expected


@pytest.mark.parametrize(
    ("answers", "question", "expected"),
    [
        ({}, "respondent", (1, 27)),  # every question may still apply
        (SELF, "last_use", (2, 24)),  # every question but the three about someone else
        ({**SELF, "last_use": "never"}, "self_harm", (3, 3)),
        ({**SELF, "last_use": "past_3_months"}, "treatment", (3, 24)),
        ({**SELF, "last_use": "past_3_months", "treatment": "no"}, "frequency", (4, 23)),
        ({**SELF, "last_use": "past_3_months", "treatment": "no", "frequency": "once_twice"},
         "tolerance", (5, 22)),
        ({**SELF, "last_use": "past_3_months", "treatment": "no", "frequency": "daily"},
         "tolerance", (5, 23)),
        ({**SELF, "last_use": "past_year", "treatment": "as_directed"}, "treatment_signs",
         (4, 5)),
        (USER, "self_harm", (22, 22)),
    ],
)  # fmt: skip
def test_progress(bank, answers, question, expected):
    assert progress(bank, as_sets(answers), question) == expected


# --- pruning answers after a change ------------------------------------------------------------


def test_prune_keeps_answers_that_apply(bank):
    assert prune(bank, as_sets(USER)) == as_sets(USER)


def test_prune_after_changing_to_never_used(bank):
    changed = as_sets({**USER, "last_use": "never"})
    assert prune(bank, changed) == as_sets({**SELF, "last_use": "never", "self_harm": "no"})


def test_prune_after_changing_to_treatment_as_directed(bank):
    changed = as_sets({**USER, "treatment": "as_directed"})
    assert prune(bank, changed) == as_sets(
        {**SELF, "last_use": "past_3_months", "treatment": "as_directed", "self_harm": "no"}
    )


def test_prune_after_changing_to_past_year(bank):
    changed = as_sets({**USER, "last_use": "past_year"})
    expected = {q: v for q, v in USER.items() if q not in ("frequency", "time_spent")}
    assert prune(bank, changed) == as_sets({**expected, "last_use": "past_year"})


def test_prune_after_frequency_drops_below_weekly(bank):
    changed = as_sets({**USER, "frequency": "monthly"})
    assert "time_spent" not in prune(bank, changed)
    assert prune(bank, changed)["frequency"] == {"monthly"}


# --- parsing answers ---------------------------------------------------------------------------


def test_parse_answers_accepts_strings_and_lists(bank):
    raw = {**SELF, "last_use": "past_3_months", "mixing": ["alcohol", "ghb"]}
    parsed = parse_answers(bank, raw)
    assert parsed == {
        "respondent": frozenset({"self"}),
        "last_use": frozenset({"past_3_months"}),
        "mixing": frozenset({"alcohol", "ghb"}),
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"favourite_colour": "blue"}, "unknown question 'favourite_colour'"),
        ({"last_use": "yesterday"}, "question 'last_use' has no option 'yesterday'"),
        ({"mixing": ["alcohol", "tea"]}, "question 'mixing' has no option 'tea'"),
        ({"last_use": ["never", "past_year"]}, "question 'last_use' needs exactly one option"),
        ({"mixing": ["none", "alcohol"]}, "question 'mixing': an exclusive option stands alone"),
        ({"urinary": ["blood", "none"]}, "question 'urinary': an exclusive option stands alone"),
        ({"last_use": []}, "question 'last_use' needs exactly one option"),
        ({"mixing": []}, "question 'mixing'"),
    ],
)
def test_parse_answers_errors(bank, raw, message):
    with pytest.raises(AnswerError, match=re.escape(message)):
        parse_answers(bank, raw)


@pytest.mark.parametrize(
    ("raw", "question"),
    [
        ({"last_use": 3}, "last_use"),
        ({"last_use": None}, "last_use"),
        ({"mixing": [["ghb"]]}, "mixing"),
    ],
)
def test_parse_answers_rejects_values_that_are_not_option_ids(bank, raw, question):
    with pytest.raises(AnswerError, match=f"question '{question}'"):
        parse_answers(bank, raw)


# --- every path --------------------------------------------------------------------------------


def test_paths_through_shipped_bank(bank):
    found = paths(bank)
    assert sorted(len(p) for p in found) == [
        3,
        5,
        5,
        6,
        8,
        8,
        20,
        21,
        21,
        22,
        22,
        23,
        23,
        24,
        24,
        25,
        25,
        26,
    ]
    assert max(len(p) for p in found if "relationship" not in p) == 23  # near 20 for oneself
    assert min(found, key=len) == ("respondent", "last_use", "self_harm")
    longest = max(found, key=len)
    assert longest == tuple(q.id for q in bank.questions if q.id != "treatment_signs")
    assert ("respondent", "last_use", "treatment", "treatment_signs", "self_harm") in found
    # The same journeys about someone else: three more questions, and nothing else changes.
    proxy = ("relationship", "contact", "confidence")
    about_self = {p for p in found if not set(proxy) & set(p)}
    about_other = {tuple(q for q in p if q not in proxy) for p in found if set(proxy) <= set(p)}
    assert len(about_self) == 9 and about_other == about_self
    assert tuple(USER) in found


def test_paths_through_assist(assist):
    assert paths(assist) == {
        ("q1",),
        ("q1", "q2", "q6", "q7"),
        ("q1", "q2", "q3", "q4", "q5", "q6", "q7"),
    }


# --- the one answer rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "chosen", "mode", "problem"),
    [
        ("last_use", ["never"], "self", None),
        ("last_use", [], "self", flow.EMPTY),
        ("last_use", ["never", "past_year"], "self", flow.TOO_MANY),
        ("mixing", ["alcohol", "alcohol"], "self", flow.TOO_MANY),
        ("last_use", ["yesterday"], "self", flow.UNKNOWN),
        ("last_use", ["dont_know"], "self", flow.NOT_OFFERED),  # "I don't know" is for others
        ("last_use", ["dont_know"], "other", None),
        ("self_harm", ["rather_not_say"], "other", flow.NOT_OFFERED),
        ("mixing", ["none", "alcohol"], "self", flow.NOT_ALONE),
        ("mixing", ["dont_know", "alcohol"], "other", flow.NOT_ALONE),
        ("mixing", ["ghb", "alcohol"], "self", None),
    ],
)
def test_answer_problem(bank, question, chosen, mode, problem):
    assert flow.answer_problem(bank.by_id[question], chosen, mode) == problem
    assert (problem in flow.SLIPS) == (problem in (flow.EMPTY, flow.NOT_ALONE))
