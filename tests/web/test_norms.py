"""Normative feedback: published figures beside the result, only when they bear on the answers,
each saying who was asked and citing its source, in the page's language."""

from __future__ import annotations

import re

from helpers import ALL_CLEAR, result_in
from personas import PERSONAS, SCENARIOS

from screening.core.flow import parse_answers
from screening.core.scoring import score

BLADDER = {**ALL_CLEAR, "urinary": ["urgency"], "despite_harm": "no"}


def norms_for(bank, answers) -> list[str]:
    return [n.id for n in score(bank, parse_answers(bank, answers)).norms]


def test_a_norm_is_shown_only_when_its_condition_holds(bank):
    assert "bladder_common" in norms_for(bank, BLADDER)
    assert "bladder_after_stopping" in norms_for(bank, BLADDER)
    assert not {"bladder_common", "bladder_after_stopping"} & set(norms_for(bank, ALL_CLEAR))
    assert "cravings_common" in norms_for(bank, {**ALL_CLEAR, "craving": "often"})
    assert "cravings_common" not in norms_for(bank, {**ALL_CLEAR, "craving": "sometimes"})


def test_a_norm_for_some_bands_is_shown_only_in_them(bank):
    many = PERSONAS["daily_blood_self_harm"].answers  # many signs
    assert "help_not_sought" in norms_for(bank, many)
    assert "help_not_sought" not in norms_for(bank, SCENARIOS["weekly_mild"].answers)
    assert "dependence_share" not in norms_for(bank, ALL_CLEAR)  # fewer signs


def test_no_figure_beside_a_treatment_taken_as_directed(bank):
    assert norms_for(bank, PERSONAS["esketamine_as_directed"].answers) == []
    assert norms_for(bank, PERSONAS["esketamine_as_directed_crisis"].answers) == []


result_page = result_in


def test_each_figure_on_the_page_cites_its_source(app, client, bank):
    page = result_page(client, PERSONAS["daily_blood_self_harm"].answers)
    shown = norms_for(bank, PERSONAS["daily_blood_self_harm"].answers)
    assert shown
    for norm in (n for n in bank.norms if n.id in shown):
        block = re.search(rf'(?s)<p class="norm" id="norm-{norm.id}">(.*?)</p>', page)
        assert block, norm.id
        words = " ".join(block[1].split())
        assert norm.text.get("self", "en").split()[0] in words
        source = norm.source
        assert f'({source.authors}, <i lang="en">{source.journal}</i>, {source.year})' in words
    assert 'id="norm-k_cramps_common"' not in page  # no belly pain was answered


def test_figures_come_after_the_crisis_help_and_the_result(client):
    page = result_page(client, PERSONAS["daily_blood_self_harm"].answers)
    assert page.index('id="flag-crisis"') < page.index('id="band"') < page.index('id="norms"')


def test_the_figures_are_in_the_page_s_language(client, bank):
    page = result_page(client, BLADDER, "es")
    norm = next(n for n in bank.norms if n.id == "bladder_common")
    assert " ".join(norm.text.get("self", "es").split()) in " ".join(page.split())
    assert "Lo que encontraron los estudios" in page
    assert norm.text.get("self", "en").split(",")[0] not in page


def test_a_result_with_no_figure_has_no_empty_section(client):
    assert 'id="norms"' not in result_page(client, PERSONAS["esketamine_as_directed"].answers)


def test_each_study_is_listed_once_with_each_sample_and_its_figures(bank):
    result = score(bank, parse_answers(bank, SCENARIOS["many_signs_in_crisis"].answers))
    assert len(result.norms) == 6
    studies = {s.source.authors: s.samples for s in result.sources}
    assert list(studies) == ["Winstock et al.", "Harding et al.", "Barrios et al."]
    assert [sample.size for sample, _ in studies["Winstock et al."]] == [1285, 251]
    [(sample, figures)] = studies["Harding et al."]
    assert sample.size == 274
    assert [f.get("self", "en") for f in figures] == [
        "56% of 274 had had K-cramps",
        "71% of 274 had cravings when without it",
        "56% of 274 had not sought treatment",
    ]


def test_the_sources_list_each_study_once_and_numbers_as_the_region_writes_them(client, bank):
    for language, how_many, plural in (
        ("en", "How many: 4,477.", "The figures as published:"),
        ("es", "Cuántas personas: 4,477.", "Las cifras publicadas:"),
    ):
        page = result_in(client, SCENARIOS["many_signs_in_crisis"].answers, language)
        for doi in {n.source.doi for n in bank.norms}:
            assert page.count(f"doi:{doi}") == 1, doi
        assert how_many in page and plural in page
        assert "..</" not in page and ".. " not in page
