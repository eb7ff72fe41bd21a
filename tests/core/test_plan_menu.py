"""The plan after the result: what is offered for the answers and readiness, and what is kept."""

from __future__ import annotations

import pytest
from helpers import ALL_CLEAR
from personas import UNKNOWN_PROXY

from screening.core import plan as plans
from screening.core.flow import parse_answers


def answers(bank, raw):
    return parse_answers(bank, raw)


def test_each_mode_is_offered_its_own_options(bank):
    own = [o.id for o in plans.menu(bank, answers(bank, ALL_CLEAR), None)]
    assert own == ["stop", "cut_down", "safer", "get_help", "tell_someone", "not_now"]
    proxy = [o.id for o in plans.menu(bank, answers(bank, UNKNOWN_PROXY), None)]
    assert proxy == ["support_them", "look_after_me", "not_now"]
    reasons = [r.id for r in plans.offered(bank, bank.plan.reasons, answers(bank, UNKNOWN_PROXY))]
    assert reasons == ["their_health", "our_relationship", "my_wellbeing"]


@pytest.mark.parametrize(
    ("readiness", "first"),
    [(None, "stop"), (0, "safer"), (4, "cut_down"), (7, "stop"), (10, "stop")],
)
def test_the_options_that_fit_the_readiness_come_first(bank, readiness, first):
    menu = plans.menu(bank, answers(bank, ALL_CLEAR), readiness)
    assert menu[0].id == first
    fits = [o.ready_from <= readiness for o in menu[:-1]] if readiness is not None else []
    assert fits == sorted(fits, reverse=True)  # every fitting option before any other
    assert menu[-1].id == "not_now"  # 'Nothing for now' stays last whatever the readiness


def test_a_plan_is_only_what_was_offered_and_the_ruler_is_0_to_10(bank):
    mine = answers(bank, ALL_CLEAR)
    chosen = plans.choose(bank, 6, ["safer", "cut_down"], ["money"], answers=mine)
    assert chosen == plans.Chosen(6, ("cut_down", "safer"), ("money",))  # in the bank's order
    for readiness, options in [(11, []), (-1, []), ("5", []), (True, []), (5, ["support_them"])]:
        with pytest.raises(ValueError):
            plans.choose(bank, readiness, options, [], answers=mine)
    with pytest.raises(ValueError):
        plans.choose(bank, None, ["nonsense"], [])  # kept in a cookie: any of the bank's, only


def test_a_kept_choice_shows_only_while_it_fits_the_answers(bank):
    kept = plans.choose(bank, None, ["cut_down", "support_them"], [])
    shown = plans.shown(bank, bank.plan.options, kept.options, answers(bank, ALL_CLEAR))
    assert [o.id for o in shown] == ["cut_down"]


def test_the_plan_to_share_is_what_still_fits_and_may_be_empty(bank):
    kept = plans.choose(bank, 3, ["cut_down", "support_them"], ["money", "their_health"])
    mine = answers(bank, ALL_CLEAR)
    assert plans.still_fitting(bank, kept, mine) == plans.Chosen(3, ("cut_down",), ("money",))
    theirs = plans.still_fitting(bank, kept, answers(bank, UNKNOWN_PROXY))
    assert theirs == plans.Chosen(3, ("support_them",), ("their_health",))
    assert not theirs.empty and not plans.Chosen(0).empty and not plans.Chosen(None, ("x",)).empty
    nothing_left = plans.choose(bank, None, ["support_them"], [])
    assert plans.still_fitting(bank, nothing_left, mine).empty
    assert plans.Chosen().empty


def test_a_person_in_crisis_is_offered_keeping_safe_first(bank):
    crisis = {**ALL_CLEAR, "frequency": "weekly", "time_spent": "a_lot", "self_harm": "sometimes"}
    for readiness in (None, 0, 8):
        assert plans.menu(bank, answers(bank, crisis), readiness)[0].id == "stay_safe"
    theirs = {**UNKNOWN_PROXY, "self_harm": "often"}
    assert plans.menu(bank, answers(bank, theirs), 3)[0].id == "keep_them_safe"
    assert "stay_safe" not in [o.id for o in plans.menu(bank, answers(bank, ALL_CLEAR), 3)]


@pytest.mark.parametrize(
    ("treatment", "offered", "not_offered"),
    [
        ("as_directed", {"tell_prescriber", "safer"}, {"stop", "cut_down"}),
        ("more_than_prescribed", {"tell_prescriber"}, {"stop", "cut_down"}),
        ("also_outside", {"tell_prescriber", "stop", "cut_down"}, set()),
        ("no", {"stop", "cut_down"}, {"tell_prescriber"}),
    ],
)
def test_prescribed_use_is_changed_with_the_prescriber(bank, treatment, offered, not_offered):
    """Stopping or cutting down a prescribed treatment is the prescriber's call, not a plan's."""
    raw = {**ALL_CLEAR, "treatment": treatment, "frequency": "weekly", "time_spent": "a_lot"}
    ids = {o.id for o in plans.menu(bank, answers(bank, raw), 5)}
    assert offered <= ids and not (not_offered & ids)
