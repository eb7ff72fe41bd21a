"""Answering for someone else, and people in treatment: wording, 'I don't know', results."""

from __future__ import annotations

import re

import pytest
from helpers import ALL_CLEAR, as_sets
from personas import SCENARIOS

from screening.core.bank import DONT_KNOW
from screening.core.flow import AnswerError, parse_answers, paths, record
from screening.core.scoring import score

ABOUT_THE_RESPONDENT = {"respondent", "relationship", "contact", "confidence"}
THIRD_PERSON = re.compile(r"\b(the person|they|their|them)\b", re.IGNORECASE)

# A family member answering about a friend, every answer known: the same total as ALL_CLEAR.
PROXY = SCENARIOS["proxy_friend_all_clear"].answers


def questions_per_mode(bank) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"self": set(), "other": set()}
    for path in paths(bank):
        mode = "other" if {"relationship", "contact"} & set(path) else "self"
        found[mode] |= set(path)
    return found


def test_modes_reach_every_question(bank):
    found = questions_per_mode(bank)
    assert found["self"] | found["other"] == set(bank.by_id)
    assert found["other"] - found["self"] == ABOUT_THE_RESPONDENT - {"respondent"}


def test_every_question_has_its_own_wording_in_each_mode(bank):
    shared = questions_per_mode(bank)["self"] - {"respondent"}
    for question_id in shared:
        text = bank.by_id[question_id].text
        assert text.get("self") != text.get("other"), question_id
        assert THIRD_PERSON.search(text.get("other")), question_id
        assert re.search(r"\b(you|your)\b", text.get("self")), question_id


def test_dont_know_is_offered_in_proxy_mode_only(bank):
    for question in bank.questions:
        other = [o.id for o in question.options_for("other")]
        assert DONT_KNOW not in [o.id for o in question.options_for("self")]
        if question.id in ABOUT_THE_RESPONDENT:
            assert DONT_KNOW not in other, question.id
        else:
            assert other[-1] == DONT_KNOW, question.id
            assert question.option(DONT_KNOW).score == 0
    assert "rather_not_say" not in [o.id for o in bank.by_id["self_harm"].options_for("other")]


def test_a_bank_without_proxy_mode_gets_no_dont_know(assist):
    assert all(q.option(DONT_KNOW) is None for q in assist.questions)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**ALL_CLEAR, "gave_up": DONT_KNOW}, "not offered to 'self'"),
        ({**PROXY, "self_harm": "rather_not_say"}, "not offered to 'other'"),
        ({**PROXY, "mixing": ["none", DONT_KNOW]}, "exclusive option stands alone"),
    ],
)
def test_answers_must_fit_the_mode(bank, answers, message):
    with pytest.raises(AnswerError, match=message):
        parse_answers(bank, answers)


def test_changing_whose_use_starts_afresh(bank):
    answers = as_sets(ALL_CLEAR)
    assert record(bank, answers, "respondent", frozenset({"self"})) == answers
    assert record(bank, answers, "respondent", frozenset({"other"})) == {
        "respondent": frozenset({"other"})
    }


EVERYTHING_UNKNOWN = {
    "respondent": "other",
    "relationship": "parent",
    "contact": "rarely",
    "confidence": "not_sure",
    **{
        q: [DONT_KNOW] if q in ("mixing", "urinary") else DONT_KNOW
        for q in ALL_CLEAR
        if q != "respondent"
    },
}


@pytest.mark.parametrize(
    ("answers", "total", "band", "unknown", "flags"),
    [
        (PROXY, 2, "fewer_signs", 0, {"talk_with_them", "emergency_signs", "support_for_you"}),
        (
            EVERYTHING_UNKNOWN,
            0,
            "not_enough",
            20,
            {"crisis_unsure", "talk_with_them", "emergency_signs", "support_for_you", "unsure"},
        ),
        (  # 2 unknown of 16 scored questions: under a third, so the band stands
            {**PROXY, "frequency": "weekly", "time_spent": DONT_KNOW, "gave_up": DONT_KNOW},
            4,
            "some_signs",
            2,
            {"talk_with_them", "emergency_signs", "support_for_you"},
        ),
        (
            {
                **PROXY,
                "relationship": "child",
                "self_harm": "often",
                "urinary": ["blood"],
                "despite_harm": DONT_KNOW,
            },
            4,
            "some_signs",
            1,
            {"crisis", "see_doctor", "bladder", "talk_with_them", "emergency_signs"}
            | {"support_for_you", "young_person"},
        ),
    ],
)
def test_proxy_scoring(bank, answers, total, band, unknown, flags):
    result = score(bank, parse_answers(bank, answers))
    assert (result.mode, result.total, result.band.id) == ("other", total, band)
    assert len(result.unknown) == unknown
    assert result.could_be_unknown == len(
        [q for q in answers if q not in ABOUT_THE_RESPONDENT and q in bank.by_id]
    )
    assert {f.id for f in result.flags} == flags
    assert [f.level for f in result.flags] == sorted(
        (f.level for f in result.flags), key=["urgent", "advice", "info"].index
    )


@pytest.mark.parametrize("mode", ["self", "other"])
@pytest.mark.parametrize(
    ("treatment", "asked", "flags"),
    [
        ("no", "frequency", set()),
        ("also_outside", "frequency", {"outside_treatment"}),
        ("more_than_prescribed", "frequency", {"outside_treatment"}),
        ("as_directed", "treatment_signs", set()),
    ],
)
def test_treatment_contexts(bank, mode, treatment, asked, flags):
    base = PROXY if mode == "other" else ALL_CLEAR
    answers = {**base, "treatment": treatment}
    if treatment == "as_directed":  # only the gate, the treatment signs and the safety question
        keep = ABOUT_THE_RESPONDENT | {"last_use", "self_harm"}
        answers = {q: a for q, a in answers.items() if q in keep or q == "treatment"}
        answers["treatment_signs"] = ["want_more"]
        flags = flags | {"treatment_signs"}
    result = score(bank, parse_answers(bank, answers))
    asked_questions = {c.question.id for c in result.counted}
    assert asked in asked_questions
    found = {f.id for f in result.flags}
    assert flags <= found
    assert not ({"outside_treatment", "treatment_signs"} - flags) & found
    if treatment == "as_directed":  # use as directed is not scored: no misuse questions asked
        assert result.total == 0 and "frequency" not in asked_questions
        assert result.band.id == "as_directed"
    else:
        assert result.band.id == result.scored_band.id


def test_unknown_treatment_is_screened_like_any_use(bank):
    answers = {**PROXY, "treatment": DONT_KNOW, "last_use": DONT_KNOW, "frequency": "daily"}
    answers["time_spent"] = "most"
    result = score(bank, parse_answers(bank, answers))
    assert result.total == 9  # daily (6) + most of their time (3)
