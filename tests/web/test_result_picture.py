"""The picture on the result: the scale drawn on the server, and the same in words."""

from __future__ import annotations

import re

import pytest
from helpers import ALL_CLEAR, result_in
from personas import PERSONAS, SCENARIOS

from screening.core.flow import parse_answers
from screening.core.scale import scale_of
from screening.core.scoring import score

result_page = result_in


def figure_of(page: str) -> str | None:
    found = re.search(r'(?s)<figure class="scale".*?</figure>', page)
    return found and found[0]


@pytest.mark.parametrize(
    ("answers", "language"),
    [
        (ALL_CLEAR, "en"),
        (SCENARIOS["weekly_mild"].answers, "es"),
        (PERSONAS["daily_blood_self_harm"].answers, "en"),
        (PERSONAS["parent_unknown_self_harm"].answers | {"self_harm": "no"}, "en"),
    ],
)
def test_the_words_say_what_the_picture_shows(bank, client, answers, language):
    result = score(bank, parse_answers(bank, answers))
    scale = scale_of(bank, result)
    figure = figure_of(result_page(client, answers, language))
    if scale is None:  # "not enough to say": no figure
        assert figure is None and not result.band.is_score_band
        return
    words = " ".join(re.sub(r"<[^>]+>", " ", figure).split())
    assert f" {result.total}, " in words and f" {bank.score_range[1]}." in words
    current = re.findall(
        r'(?s)<li class="scale__label scale__label--current" aria-current="true">(.*?)</li>', figure
    )
    assert len(current) == 1
    label = result.scored_band.label.get(result.mode, language)
    assert label in current[0]
    x = float(re.search(r'<line class="scale__marker" x1="([\d.]+)"', figure)[1])
    assert x == pytest.approx(scale.marker * 300, abs=0.1)
    assert 'aria-hidden="true"' in figure.split(">")[1]  # the picture; the words are read
    assert len(re.findall(r"<li[ >]", figure)) == len(bank.score_bands)


@pytest.mark.parametrize("name", ["esketamine_as_directed", "esketamine_as_directed_crisis"])
def test_no_picture_for_a_treatment_taken_as_directed(client, name):
    assert figure_of(result_page(client, PERSONAS[name].answers)) is None


def test_no_picture_when_too_much_is_unknown(client):
    page = result_page(client, PERSONAS["parent_all_unknown"].answers)
    assert figure_of(page) is None


def test_a_lifted_result_says_why_and_not_a_range_its_total_is_outside(client):
    """A total of 6 in "many signs" (20 and up) because of four criteria: the page says why,
    and never "Totals from 20 upwards are in this group" beside "Your total was 6"."""
    answers = {**ALL_CLEAR, "tolerance": "somewhat", "gave_up": "some", "hazardous": "once_twice"}
    page = " ".join(result_page(client, answers | {"relationships": "sometimes"}).split())
    assert "Your total was 6. Four or more answers were among the main signs" in page
    assert "Totals from 20 upwards are in this group." not in page
    plain = " ".join(result_page(client, SCENARIOS["weekly_mild"].answers).split())
    assert "Your total was 9. Totals from 4 to 19 are in this group." in plain
