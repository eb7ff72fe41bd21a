"""The result's scale: which band is marked, where the marker sits, and when there is none."""

from __future__ import annotations

import pytest
from helpers import ALL_CLEAR
from personas import PERSONAS, SCENARIOS

from screening.core.flow import parse_answers
from screening.core.scale import scale_of
from screening.core.scoring import score


def scale_for(bank, answers):
    result = score(bank, parse_answers(bank, answers))
    return result, scale_of(bank, result)


@pytest.mark.parametrize("answers", [ALL_CLEAR, SCENARIOS["weekly_mild"].answers])
def test_the_marker_sits_in_the_band_of_the_answers_as_far_as_the_total(bank, answers):
    result, scale = scale_for(bank, answers)
    assert [s.band.id for s in scale.segments] == [b.id for b in bank.score_bands]
    (current,) = [i for i, s in enumerate(scale.segments) if s.current]
    assert scale.segments[current].band.id == result.scored_band.id
    n = len(scale.segments)
    assert current / n < scale.marker < (current + 1) / n
    segment = scale.segments[current]
    along = (result.total - segment.low + 0.5) / (segment.high - segment.low + 1)
    assert scale.marker == pytest.approx((current + along) / n)
    assert scale.total == result.total and scale.highest == bank.score_range[1]


def test_the_open_band_ends_at_the_highest_total(bank):
    _, scale = scale_for(bank, ALL_CLEAR)
    assert scale.segments[-1].high == bank.score_range[1] == 54
    assert [(s.low, s.high) for s in scale.segments] == [(0, 3), (4, 19), (20, 54)]


def test_a_band_raised_by_its_rule_holds_the_marker_at_its_start(bank):
    result, scale = scale_for(bank, PERSONAS["daily_blood_self_harm"].answers)
    assert result.lifted and result.total < result.scored_band.min
    (current,) = [i for i, s in enumerate(scale.segments) if s.current]
    assert scale.marker == pytest.approx(current / len(scale.segments))


@pytest.mark.parametrize("name", ["esketamine_as_directed", "parent_all_unknown"])
def test_no_scale_where_a_place_on_it_would_mislead(bank, name):
    answers = PERSONAS[name].answers
    result, scale = scale_for(bank, answers)
    assert not result.band.is_score_band and scale is None
