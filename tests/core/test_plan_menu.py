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
    fits = [o.ready_from <= readiness for o in menu] if readiness is not None else []
    assert fits == sorted(fits, reverse=True)  # every fitting option before any other


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
