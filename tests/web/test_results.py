"""The result's safety rules as tables: each persona, through the engine and through the pages,
in both regions; words a region must not see; one mention of each resource; plain words."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from personas import PERSONAS, Persona

from screening import create_app
from screening.core import readability
from screening.core.flow import parse_answers
from screening.core.scoring import score
from screening.core.site import all_regions, load_region
from screening.web import drafts

REGIONS = ("us", "uk")
CRISIS_WORDS = {"us": "988", "uk": "116 123"}


# --- through the engine ------------------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
def test_persona_result(bank, name):
    persona: Persona = PERSONAS[name]
    result = score(bank, parse_answers(bank, persona.answers))
    flags = [f.id for f in result.flags]
    assert result.band.id == persona.band
    if persona.first is None:
        assert not result.flags_at("urgent"), flags
    else:
        assert flags[0] == persona.first
    assert persona.flags <= set(flags), flags
    assert not persona.absent & set(flags), flags
    assert tuple(s.id for s in result.steps)[: len(persona.steps)] == persona.steps
    assert 1 <= len(result.steps) <= bank.max_steps or not persona.steps
    assert len(result.unknown) == persona.unknown


@pytest.mark.parametrize("name", PERSONAS)
def test_no_reassuring_headline_under_a_crisis(bank, name):
    result = score(bank, parse_answers(bank, PERSONAS[name].answers))
    crisis = {"crisis", "crisis_unsure"} & {f.id for f in result.flags}
    if crisis or len(result.unknown) >= bank.unknown_limit * max(result.could_be_unknown, 1):
        assert result.band.id != "fewer_signs"


def test_self_harm_answers_other_than_no_all_lead_with_crisis_help(bank):
    for mode, answers in (("self", PERSONAS["monthly_only"].answers),
                          ("other", PERSONAS["proxy_weekly"].answers)):  # fmt: skip
        offered = [o.id for o in bank.by_id["self_harm"].options_for(mode)]
        for option in offered:
            result = score(bank, parse_answers(bank, {**answers, "self_harm": option}))
            urgent = [f.id for f in result.flags_at("urgent")]
            if option == "no":
                assert not urgent, mode
            else:
                assert urgent[0] in ("crisis", "crisis_unsure"), (mode, option)
                assert result.flags[0].help == ("crisis", "emergency")


# --- through the pages -------------------------------------------------------------------------


class Page(HTMLParser):
    """The parts of a result page the rules are about: headings in order, and all text."""

    def __init__(self, html: str):
        super().__init__()
        self.headings: list[str] = []
        self.contacts: list[str] = []
        self.answers: list[str] = []  # answers shown back under "What your answers show"
        self.blocks: list[str] = []  # each <p> and <li>, as read
        self.legend: list[str] = []  # the scale's band names (check/scale.html)
        self.order: list[str] = []  # every heading, block and contact name, in page order
        self._open: list[str] = []
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag in ("h1", "h2", "h3", "h4", "p", "li", "summary"):
            # An answer echoed back is a list of the person's own choices, not a sentence.
            echo = "finding__answer" in classes
            kind = "contact" if "contact__name" in classes else "echo" if echo else tag
            # The scale's legend names every band, the answers' own marked: not the page's words.
            self._open.append("legend" if "scale__label" in classes else kind)
            self._text = []

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "h4", "p", "li", "summary") and self._open:
            kind = self._open.pop()
            text = " ".join("".join(self._text).split())
            self.order.append(text)
            if kind == "contact":
                self.contacts.append(text)
            elif kind == "echo":
                self.answers.append(text)
            elif kind == "legend":
                self.legend.append(text)
            elif kind.startswith("h"):
                self.headings.append(text)
            else:
                self.blocks.append(text)
            self._text = []


@pytest.fixture(scope="module", params=REGIONS)
def region_app(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    site = folder / "site.yaml"
    site.write_text(f"region: {request.param}\n", encoding="utf-8")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "results-test-secret-key-long-enough",
            "DATABASE": str(folder / "test.sqlite3"),
            "SITE": str(site),
        }
    )
    return request.param, app


def result_page(app, answers) -> Page:
    bank = app.extensions["screening"].bank
    client = app.test_client()
    with app.test_request_context():
        draft = drafts.begin().answering(parse_answers(bank, answers))
        client.set_cookie(drafts.COOKIE, drafts.encode(draft))
    response = client.get("/result")
    assert response.status_code == 200
    return Page(response.text)


@pytest.mark.parametrize("name", PERSONAS)
def test_persona_page(region_app, name):
    region_id, app = region_app
    persona = PERSONAS[name]
    bank = app.extensions["screening"].bank
    result = score(bank, parse_answers(bank, persona.answers))
    page = result_page(app, persona.answers)
    headings = page.headings

    def wording(text):
        return app.extensions["screening"].region.fill(text.get(result.mode))

    band = headings.index(wording(result.band.title))
    if persona.first:
        assert headings[1] == wording(
            bank.flags[[f.id for f in bank.flags].index(persona.first)].title
        )
    if result.steps:  # what to do now comes before the band, after any urgent help
        steps = headings.index("What to do now")
        assert steps < band
        assert all(headings.index(wording(f.title)) < steps for f in result.flags_at("urgent"))
    if persona.first in ("crisis", "crisis_unsure"):  # the crisis line before the band, not
        crisis_at = next(i for i, t in enumerate(page.order) if CRISIS_WORDS[region_id] in t)
        assert crisis_at < page.order.index(wording(result.band.title))  # only in the footer
    if result.unknown:
        assert headings.index("Answers you didn't know") < band
    else:
        assert "Answers you didn't know" not in headings
    text = " ".join(page.headings + page.blocks)
    assert "fewer signs" not in text.lower() or persona.band == "fewer_signs"
    if result.band.is_score_band:  # the legend marks the answers' band, and only that one
        assert len(page.legend) == len(bank.score_bands)
        marked = [t for t in page.legend if "Your answers" in t]
        assert marked == [t for t in page.legend if wording(result.scored_band.label) in t]
    else:
        assert page.legend == []


@pytest.mark.parametrize("name", PERSONAS)
def test_each_resource_appears_once_and_family_help_only_for_family(region_app, name):
    region_id, app = region_app
    persona = PERSONAS[name]
    bank = app.extensions["screening"].bank
    result = score(bank, parse_answers(bank, persona.answers))
    page = result_page(app, persona.answers)
    region = load_region(region_id)
    names = [c for c in page.contacts if c in {r.name.get() for r in region.resources}]
    assert len(names) == len(set(names)), names
    family_only = {r.name.get() for r in region.resources if set(r.tags) == {"family"}}
    about_someone_else = persona.answers["respondent"] == "other"
    assert bool(family_only & set(names)) == about_someone_else
    # Every listed resource for this mode is there; the others only where a flag asks for them.
    mode = "other" if about_someone_else else "self"
    asked = {r.name.get() for f in result.flags for r in region.tagged(*f.help)}
    expected = {r.name.get() for r in region.resources if region.for_mode(r, mode)}
    assert set(names) == {n for n in expected if n in asked or region_listed(region, n)}


def region_listed(region, name: str) -> bool:
    return next(r for r in region.resources if r.name.get() == name).listed


@pytest.mark.parametrize("name", PERSONAS)
def test_no_words_of_another_region(region_app, name):
    region_id, app = region_app
    page = result_page(app, PERSONAS[name].answers)
    text = " ".join(page.headings + page.blocks + page.contacts + page.answers)
    for other in all_regions():
        if other.id != region_id:
            for word in other.names:
                assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text), (word, name)


def test_path_hint_on_the_outside_treatment_path(bank, respondent, client):
    respondent.start()
    for question_id, option in (("respondent", "self"), ("last_use", "past_3_months")):
        respondent.answer(question_id, option)
    hint = "Count only the ketamine you take outside your treatment"
    respondent.answer("treatment", "also_outside")
    assert hint in client.get("/questions/frequency").text
    respondent.answer("treatment", "no")
    assert hint not in client.get("/questions/frequency").text
    # Symptoms count whatever their cause: the hint is not on the bladder question.
    outside = parse_answers(bank, {"respondent": "self", "treatment": "more_than_prescribed"})
    assert bank.hints_for("frequency", outside) and not bank.hints_for("urinary", outside)


# --- plain words -------------------------------------------------------------------------------


@pytest.mark.parametrize("region_id", REGIONS)
def test_bank_words_are_plain(bank, region_id):
    found = readability.readings(bank, load_region(region_id))
    assert len(found) > 200
    assert readability.median(found) <= readability.MEDIAN_GRADE
    worst = readability.hardest(found, 1)[0]
    assert worst.grade <= readability.MOST_GRADE, worst


@pytest.mark.parametrize("region_id", REGIONS)
def test_the_spanish_words_are_fairly_easy_or_easier(bank, region_id):
    """Fernández-Huerta: the middle Spanish text at least "bastante fácil" (70), none "muy
    difícil" (under 30), measured as the region shows it, Spanish terms filled in."""
    found = readability.readings(bank, load_region(region_id), "es")
    assert len(found) > 200
    assert all("{" not in r.words for r in found)  # every placeholder has Spanish words
    assert readability.median(found) >= readability.SPANISH_EASE
    worst = readability.hardest(found, 1, "es")[0]
    assert worst.grade >= 30, worst


def test_the_spanish_scale_would_catch_hard_words():
    spanish = readability.SCALES["es"].measure
    hard = (
        "No obstante la considerable heterogeneidad interindividual, la uropatía asociada a la "
        "ketamina requiere una investigación urológica exhaustiva y multidisciplinaria."
    )
    assert spanish(hard) < readability.SPANISH_EASE
    assert spanish("Llame si necesita ayuda. Estamos aquí para usted.") >= readability.SPANISH_EASE


def test_readability_would_catch_hard_words():
    hard = (
        "Notwithstanding considerable interindividual heterogeneity, ketamine-associated "
        "uropathy necessitates comprehensive urological investigation."
    )
    assert readability.grade(hard) > readability.MOST_GRADE
    assert readability.grade("Call us if you need help. We are here for you.") <= 6


@pytest.mark.parametrize("name", ["most_concerning", "parent_unknown_self_harm", "rather_not_say"])
def test_result_page_words_are_plain(region_app, name):
    _, app = region_app
    page = result_page(app, PERSONAS[name].answers)
    long_enough = [b for b in page.blocks if len(b.split()) >= readability.MIN_WORDS]
    grades = sorted(readability.grade(b) for b in long_enough)
    assert grades[len(grades) // 2] <= readability.MEDIAN_GRADE
    assert grades[-1] <= readability.MOST_GRADE, max(long_enough, key=readability.grade)
