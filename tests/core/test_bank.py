"""Loading and validating banks: the shipped bank, YAML 1.2 rules, every class of error, Text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from screening.core.loading import load_bank
from screening.core.source import SourceError
from screening.core.text import Text

# A small valid bank, one key per line so that each problem has a line of its own.
# Totals run from 0 to 4: 'first' scores 0..1, 'second' (multiple) 0..3.
MINI = """\
id: mini
version: "1"
title: Mini
about: About.
result_note: Note.
domains:
  - id: main
    title: Main
    about: Main domain.
questions:
  - id: first
    domain: main
    text: First?
    options:
      - id: "no"
        label: "No"
        score: 0
      - id: "yes"
        label: "Yes"
        score: 1
    source: Test.
  - id: second
    type: multiple
    domain: main
    text: Second?
    show_if:
      question: first
      in: ["yes"]
    options:
      - id: a
        label: A
        score: 1
      - id: b
        label: B
        score: 2
      - id: none
        label: None
        score: 0
        exclusive: true
    source: Test.
bands:
  - id: low
    min: 0
    max: 1
    title: Low
    body: Low.
  - id: high
    min: 2
    title: High
    body: High.
flags:
  - id: flag_a
    level: advice
    when:
      question: second
      in: [a]
    title: A
    body: A.
"""

# A published figure (normative feedback), added after the flags in the cases that need one.
SOURCE = "    source: {authors: A et al., title: T, journal: J, year: 2021}\n"
SAMPLE = "    sample: {who: People who answered., where: UK, when: '2020', size: 1020}\n"
NORM = (
    "norms:\n  - id: n\n    when: { question: second, in: [a] }\n"
    "    text: In one survey of 1,020 people, half said so.\n    figure: 50% of 1,020\n"
    + SAMPLE
    + SOURCE
)


def norm_with(*changes: tuple[str, str]) -> tuple[str, str]:
    """The change to MINI that adds NORM, itself changed."""
    norm = NORM
    for old, new in changes:
        assert norm.count(old) == 1, old
        norm = norm.replace(old, new)
    return ("    body: A.\n", "    body: A.\n" + norm)


ASSIST = Path(__file__).resolve().parents[1] / "banks" / "assist.yaml"
MARK = "# <-"  # ends the line a problem is expected on


def edited(*changes: tuple[str, str]) -> str:
    text = MINI
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def marked_line(text: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.endswith(MARK))


def load_error(tmp_path, text: str) -> tuple[str, SourceError]:
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_bank(path)
    return str(path), caught.value


# --- the shipped bank --------------------------------------------------------------------------


def test_shipped_bank_loads(bank):
    assert bank.id == "ketamine_self_check"
    assert 15 <= len(bank.questions) <= 28


def test_shipped_bank_ids_are_unique(bank):
    for section in (bank.domains, bank.questions, bank.bands, bank.flags):
        ids = [item.id for item in section]
        assert len(ids) == len(set(ids))
    for question in bank.questions:
        ids = [o.id for o in question.options]
        assert len(ids) == len(set(ids)), question.id


def test_shipped_bank_every_question_has_a_source(bank):
    assert all(q.source.strip() for q in bank.questions)


def test_shipped_bank_uses_every_domain(bank):
    assert {q.domain for q in bank.questions} == {d.id for d in bank.domains}


def test_shipped_bank_bands_cover_every_total_once(bank):
    low, high = bank.score_range
    assert (low, high) == (0, 54)
    for total in range(low, high + 1):
        holding = [
            b for b in bank.score_bands if b.min <= total and (b.max is None or total <= b.max)
        ]
        assert len(holding) == 1, total
        assert bank.band_for(total) is holding[0]


def test_assist_bank_loads(assist):
    assert [q.id for q in assist.questions] == ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]
    assert assist.score_range == (0, 39)


# --- YAML 1.2 ----------------------------------------------------------------------------------


def test_unquoted_yes_no_on_stay_strings(tmp_path):
    text = edited(
        ('      - id: "no"\n        label: "No"', "      - id: no\n        label: No"),
        ('        label: "Yes"', "        label: yes"),
        ("        label: A\n", "        label: on\n"),
    )
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_bank(path)
    first, second = loaded.questions
    assert [(o.id, o.label.get()) for o in first.options] == [("no", "No"), ("yes", "yes")]
    assert second.options[0].label.get() == "on"
    assert second.options[2].label.get() == "None"  # not null either


# --- errors ------------------------------------------------------------------------------------

SHOW_IF = '    show_if:\n      question: first\n      in: ["yes"]\n'
WHEN = "    when:\n      question: second\n      in: [a]\n"
HIGH = "  - id: high\n    min: 2\n"
DOMAIN = "    domain: main\n    text: Second?"
OPTION_B = "      - id: b\n        label: B\n        score: 2\n"
OPTION_YES = '      - id: "yes"\n        label: "Yes"\n        score: 1\n'
ODD = "  - id: odd  # <-\n"
RULE = '    when:\n      question: first\n      in: ["yes"]\n'

ERRORS = [
    ("duplicate question", [("  - id: second\n", "  - id: first  # <-\n")],
     "question 'first', id", "duplicate id 'first'"),
    ("duplicate option", [("      - id: b\n", "      - id: a  # <-\n")],
     "question 'second', option 'a', id", "duplicate id 'a'"),
    ("unknown domain", [(DOMAIN, DOMAIN.replace(": main", f": mian  {MARK}"))],
     "question 'second', domain", "unknown domain 'mian'"),
    ("skip rule unknown question",
     [(SHOW_IF, SHOW_IF.replace("show_if:", f"show_if:  {MARK}").replace("first", "zeroth"))],
     "question 'second', show_if", "refers to unknown question 'zeroth'"),
    ("skip rule unknown option",
     [(SHOW_IF, SHOW_IF.replace("show_if:", f"show_if:  {MARK}").replace('"yes"', '"maybe"'))],
     "question 'second', show_if", "question 'first' has no option 'maybe'"),
    ("skip rule later question",
     [("    text: First?\n", "    text: First?\n    show_if:  # <-\n      question: second\n"
       "      in: [a]\n")],
     "question 'first', show_if", "later question 'second' (a cycle)"),
    ("skip rule itself",
     [(SHOW_IF, SHOW_IF.replace("show_if:", f"show_if:  {MARK}").replace("first", "second"))],
     "question 'second', show_if", "its own question (a cycle)"),
    ("option without score",
     [(OPTION_B, OPTION_B.replace("b\n", f"b  {MARK}\n").replace("        score: 2\n", ""))],
     "question 'second', option 'b'", "'score' is missing"),
    ("bands with a gap", [(HIGH, "  - id: high  # <-\n    min: 3\n")],
     "band 'high'", "totals 2 to 2 fall in no band (a gap)"),
    ("bands overlapping", [(HIGH, "  - id: high  # <-\n    min: 1\n")],
     "band 'high'", "min 1 overlaps the band before"),
    ("bands short of the top", [(HIGH, "  - id: high  # <-\n    min: 2\n    max: 3\n")],
     "band 'high'", "totals 4 to 4 fall in no band (the highest possible total is 4)"),
    ("flag unknown question",
     [(WHEN, WHEN.replace("when:", f"when:  {MARK}").replace("second", "third"))],
     "flag 'flag_a', when", "refers to unknown question 'third'"),
    ("flag unknown option", [(WHEN, WHEN.replace("when:", f"when:  {MARK}").replace("[a]", "[c]"))],
     "flag 'flag_a', when", "question 'second' has no option 'c'"),
    ("flag unknown operator",
     [(WHEN, WHEN.replace("when:", f"when:  {MARK}").replace("in:", "is:"))],
     "flag 'flag_a', when", "unknown key 'is'"),
    ("empty text", [("    text: Second?", '    text: "  "  # <-')],
     "question 'second', text", "text is empty"),
    ("missing text",
     [("  - id: second\n    type: multiple\n    domain: main\n    text: Second?\n",
       "  - id: second  # <-\n    type: multiple\n    domain: main\n")],
     "question 'second'", "'text' is missing"),
    ("unknown key", [("    text: Second?", "    txt: Second?  # <-")],
     "question 'second', txt", "'txt' is not a known field"),
    ("exclusive on single",
     [(OPTION_YES, OPTION_YES.replace('"yes"', f'"yes"  {MARK}') + "        exclusive: true\n")],
     "question 'first', option 'yes'", "only a 'multiple' question has exclusive options"),
    ("text lacks a declared mode",
     [("result_note: Note.\n", "result_note: Note.\nmodes: [self, other]\n"),
      ("    text: Second?", "    text: {self: Second}  # <-")],
     "question 'second', text", "no wording for mode 'other'"),
    ("text lacks a declared language",
     [("result_note: Note.\n", "result_note: Note.\nlanguages: [en, es]\n"),
      ("    text: Second?", "    text: {en: 'Second?'}  # <-")],
     "question 'second', text", "no wording in 'es'"),
    ("one mode lacks a declared language",
     [("result_note: Note.\n", "result_note: Note.\nmodes: [self, other]\nlanguages: [en, es]\n"),
      ("    text: Second?",
       "    text: {self: {en: A, es: B}, other: {en: C}}  # <-")],
     "question 'second', text", "no wording in 'es' for mode 'other'"),
    ("default language not listed",
     [("result_note: Note.\n", "result_note: Note.\nlanguages: [es, fr]  # <-\n")],
     "languages", "the default language 'en' is not listed"),
    ("cap on a single question", [("    text: First?\n", "    text: First?\n    cap: 1  # <-\n")],
     "question 'first', cap", "only a 'multiple' question has a cap"),
    ("skip rule counting points",
     [(SHOW_IF, "    show_if:  # <-\n      scored: [first]\n      at_least: 1\n")],
     "question 'second', show_if", "a skip rule cannot count points"),
    ("count of an unknown question",
     [(WHEN, "    when:  # <-\n      scored: [second, third]\n      at_least: 1\n")],
     "flag 'flag_a', when", "refers to unknown question 'third'"),
    ("count above its list",
     [(WHEN, "    when:  # <-\n      scored: [second]\n      at_least: 2\n")],
     "flag 'flag_a', when", "at_least 2 is more than the questions listed"),
    ("rule band without a rule", [("flags:\n", f"{ODD}    title: Odd\n    body: Odd.\nflags:\n")],
     "band 'odd'", "a band needs min (a score band), or one of when and unknown: true"),
    ("rule band with two rules",
     [("flags:\n", f"{ODD}    unknown: true\n{RULE}    title: Odd\n    body: Odd.\nflags:\n")],
     "band 'odd'", "a band needs min (a score band), or one of when and unknown: true"),
    ("rule band instead of a rule band",
     [("flags:\n", f"  - id: odd\n{RULE}    instead_of: [odd]  # <-\n    title: O\n    body: O.\n"
       "flags:\n")],
     "band 'odd', instead_of", "'odd' is not a score band"),
    ("unknown band in a one-mode bank",
     [("flags:\n", "  - id: odd\n    unknown: true  # <-\n    title: O\n    body: O.\nflags:\n")],
     "band 'odd', unknown", "'I don't know' is offered only in the other mode"),
    ("lift to a rule band",
     [("flags:\n", f"  - id: odd\n{RULE}    lift_if:  # <-\n      scored: [first]\n"
       "      at_least: 1\n    title: O\n    body: O.\nflags:\n")],
     "band 'odd', lift_if", "only a score band (with min) can be lifted to"),
    ("score band with a rule",
     [(HIGH, f"  - id: high  # <-\n    min: 2\n{RULE}")],
     "band 'high'", "a score band (with min) takes no when, unknown or instead_of"),
    ("step with an unknown band",
     [("flags:\n", "steps:\n  - id: go\n    bands: [nope]  # <-\n    text: Go.\nflags:\n")],
     "step 'go', bands", "unknown band 'nope'"),
    ("hint for an unknown question",
     [("flags:\n", "hints:\n  - when:\n      question: first\n      in: [\"yes\"]\n"
       "    questions: [zeroth]  # <-\n    text: Hint.\nflags:\n")],
     "hint 1, questions", "unknown question 'zeroth'"),
    ("criteria of an unknown question", [("result_note: Note.\n",
     "result_note: Note.\ncriteria: [first, zeroth]  # <-\n")],
     "criteria", "unknown question 'zeroth'"),
    ("a placeholder no region fills", [("    text: Second?", "    text: Call {nobody}  # <-")],
     "question 'second', text", "{nobody} is not a term of region"),
    ("a service of one region only", [("    text: Second?", "    text: Ask your GP?  # <-")],
     "question 'second', text", "names 'GP', which is only in region 'uk'"),
    ("a US service named in Spanish in a bank shown in the UK",
     [("result_note: Note.\n", "result_note: Note.\nlanguages: [en, es]\n"),
      ("    text: Second?", "    text: {en: 'Second?', es: Vaya a la sala de emergencias.}  # <-")],
     "question 'second', text", "names 'sala de emergencias', which is only in region 'us'"),
    ("a US number in a bank shown in the UK",
     [("    text: Second?", "    text: Call 911?  # <-")],
     "question 'second', text", "names '911', which is only in region 'us'"),
    ("an unknown region", [("result_note: Note.\n", "result_note: Note.\nregions: [mars]  # <-\n")],
     "regions", "unknown region 'mars'"),
    ("invalid YAML", [("    text: Second?", "    text: Second: oops  # <-")],
     None, "not valid YAML"),
    # normative feedback: a figure names its source, its sample and its year, honestly
    ("a norm without a source", [norm_with((SOURCE, ""), ("id: n\n", "id: n  # <-\n"))],
     "norm 'n'", "'source' is missing"),
    ("a norm without a sample", [norm_with((SAMPLE, ""), ("id: n\n", "id: n  # <-\n"))],
     "norm 'n'", "'sample' is missing"),
    ("a norm's source without a year", [norm_with((", year: 2021}", "}  # <-"))],
     "norm 'n', source", "'year' is missing"),
    ("a norm whose words don't say how many were asked",
     [norm_with(("of 1,020 people, half", "half"), ("said so.", "said so.  # <-"))],
     "norm 'n', text", "does not say how many people were asked (1020)"),
    ("a norm that says its sample is like the reader",
     [norm_with(("half said so.", "half of people like you said so.  # <-"))],
     "norm 'n', text", "says the sample is like the reader"),
    ("a norm shown in an unknown band",
     [norm_with(("    when: { question: second, in: [a] }\n", "    bands: [nope]  # <-\n"))],
     "norm 'n', bands", "unknown band 'nope'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "at", "message"), [case[1:] for case in ERRORS], ids=[case[0] for case in ERRORS]
)
def test_bank_error_names_file_line_and_item(tmp_path, changes, at, message):
    text = edited(*changes)
    path, error = load_error(tmp_path, text)
    matching = [line for line in error.lines if message in line]
    assert len(matching) == 1, str(error)
    assert matching[0].startswith(f"{path}:{marked_line(text)}: "), str(error)
    if at is not None:
        assert f": {at}: " in matching[0]
    assert str(error).startswith(f"{path}: ")
    assert matching[0] in str(error)


def test_a_bank_for_one_region_may_name_its_services(tmp_path):
    text = edited(
        ("result_note: Note.\n", "result_note: Note.\nregions: [uk]\n"),
        ("    text: Second?", "    text: Ask your GP, or call {emergency}?"),
    )
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_bank(path).regions == ("uk",)


def test_a_rule_band_and_a_lift_load(tmp_path):
    text = edited(
        (HIGH, f"{HIGH}    lift_if:\n      scored: [first]\n      at_least: 1\n"),
        (
            "flags:\n",
            f"  - id: odd\n{RULE}    instead_of: [low]\n    title: O\n    body: O.\nflags:\n",
        ),
    )
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    bank = load_bank(path)
    assert [b.id for b in bank.score_bands] == ["low", "high"]
    assert [b.id for b in bank.rule_bands] == ["odd"]


def test_bank_that_does_not_exist(tmp_path):
    path = tmp_path / "missing.yaml"
    with pytest.raises(SourceError, match="cannot be read") as caught:
        load_bank(path)
    assert str(path) in str(caught.value)


def test_bank_that_is_a_list(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text("- id: mini\n- version: 1\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_bank(path)
    assert caught.value.lines == [
        f"{path}:1: top level: the bank must be a mapping of keys to values"
    ]


def test_cross_reference_problems_are_reported_together(tmp_path):
    text = edited(
        ("    domain: main\n    text: Second?", "    domain: mian\n    text: Second?"),
        ("      - id: b\n", "      - id: a\n"),
        ("      in: [a]\n", "      in: [c]\n"),
    )
    path, error = load_error(tmp_path, text)
    assert str(error).startswith(f"{path}: 3 problems found")
    assert len(error.lines) == 3
    for message in ("unknown domain 'mian'", "duplicate id 'a'", "has no option 'c'"):
        assert any(message in line for line in error.lines), message


def test_validation_problems_are_reported_together(tmp_path):
    text = edited(
        ("        label: B\n        score: 2\n", "        label: B\n"),
        ("result_note: Note.\n", "result_note: Note.\nminutes: 0\n"),
        ("    min: 0\n", "    min: low\n"),
    )
    path, error = load_error(tmp_path, text)
    assert str(error).startswith(f"{path}: 3 problems found")
    assert error.lines == [
        f"{path}:6: minutes: Input should be greater than or equal to 1",
        f"{path}:34: question 'second', option 'b': 'score' is missing",
        f"{path}:43: band 'low', min: Input should be a valid integer, unable to parse string as an"
        " integer",
    ]


def test_every_question_invalid_reports_only_their_problems(tmp_path):
    # The list of questions is not empty: only the two wordings are wrong.
    text = edited(("    text: First?", "    text: ''"), ("    text: Second?", "    text: ''"))
    path, error = load_error(tmp_path, text)
    assert error.lines == [
        f"{path}:13: question 'first', text: text is empty",
        f"{path}:25: question 'second', text: text is empty",
    ]


def test_empty_section_is_named(tmp_path):
    text = MINI[: MINI.index("questions:")] + "questions: []\n" + MINI[MINI.index("bands:") :]
    path, error = load_error(tmp_path, text)
    assert len(error.lines) == 1
    assert error.lines[0].startswith(f"{path}:10: questions: ")


def test_assist_with_one_change_is_rejected(tmp_path):
    text = ASSIST.read_text(encoding="utf-8")
    old = "    show_if: { question: q2, not_in: [never] }\n"
    text = text.replace(old, old.replace("q2", "q9"), 1)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "q9" in row)
    path, error = load_error(tmp_path, text)
    assert error.lines == [
        f"{path}:{line}: question 'q3', show_if: refers to unknown question 'q9'"
    ]


# --- Text --------------------------------------------------------------------------------------


PLAIN = "  Hello \n"
LANGUAGES = {"en": "Hello", "es": "Hola"}
MODES = {"self": "Do you use it?", "other": "Do they use it?"}
BOTH = {"self": {"en": "You", "es": "Tú"}, "other": {"en": "They"}}

TEXTS = [
    (PLAIN, "self", "", "Hello"),  # surrounding space is stripped
    (PLAIN, "other", "fr", "Hello"),  # one wording for every mode and language
    (LANGUAGES, "self", "es", "Hola"),
    (LANGUAGES, "self", "en", "Hello"),
    (LANGUAGES, "self", "fr", "Hello"),  # no wording in the language: the first one
    (LANGUAGES, "other", "es", "Hola"),  # not split by mode: every mode
    (MODES, "self", "", "Do you use it?"),
    (MODES, "other", "", "Do they use it?"),
    (MODES, "other", "es", "Do they use it?"),
    (BOTH, "self", "es", "Tú"),
    (BOTH, "self", "en", "You"),
    (BOTH, "self", "fr", "You"),
    (BOTH, "other", "es", "They"),  # falls back to the mode's only language
]


@pytest.mark.parametrize(("raw", "mode", "language", "expected"), TEXTS)
def test_text_get(raw, mode, language, expected):
    assert Text.model_validate(raw).get(mode, language) == expected


def test_text_has_mode():
    assert Text.model_validate(PLAIN).has_mode("other")
    assert Text.model_validate(MODES).has_mode("other")
    only_self = Text.model_validate({"self": "Do you use it?"})
    assert only_self.has_mode("self") and not only_self.has_mode("other")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "text is empty"),
        ({"en": "  "}, "text is empty"),
        ({"english": "Hello"}, "'english' is not a mode"),
        ({}, "must be text, or a mapping"),
        (3, "must be text, or a mapping"),
    ],
)
def test_text_rejects(raw, message):
    with pytest.raises(ValidationError, match=message):
        Text.model_validate(raw)


def test_a_half_translated_bank_names_every_text_left_to_translate(tmp_path):
    """`languages: [en, es]` asks every text in both: a plain string is in neither."""
    text = edited(
        ("result_note: Note.\n", "result_note: Note.\nlanguages: [en, es]\n"),
        ("    text: Second?", "    text: {en: 'Second?', es: '¿Segunda?'}"),
    )
    path, error = load_error(tmp_path, text)
    plain = [
        line for line in error.lines if "one text for 2 languages: write {en: …, es: …}" in line
    ]
    assert f"{path}:3: title: one text for 2 languages" in plain[0]  # file, line, where
    assert any(": question 'first', text: " in line for line in plain)
    assert not any("question 'second', text" in line for line in error.lines)  # translated
    assert len(plain) == len(error.lines)  # nothing else is wrong with it


def test_the_crisis_step_is_help_now_not_a_choice_between_helps(bank):
    """The first step for thoughts of self-harm sends the person to the crisis line and says when
    to call the emergency number, in every mode and language; a friend is not offered instead."""
    step = next(s for s in bank.steps if s.id == "crisis_now")
    for mode in bank.modes:
        for language in bank.all_languages:
            words = step.text.get(mode, language)
            assert "{emergency}" in words, (mode, language)
            assert "someone you trust" not in words and "alguien de confianza" not in words
    assert "{crisis_contact}" in step.text.get("self", "en")


def test_a_norm_with_its_source_and_sample_loads(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(MINI + NORM, encoding="utf-8")
    (norm,) = load_bank(path).norms
    assert (norm.sample.size, norm.source.year, norm.figure.get()) == (1020, 2021, "50% of 1,020")


def test_every_shipped_norm_cites_a_paper_and_says_who_was_asked(bank):
    assert len(bank.norms) >= 5
    for norm in bank.norms:
        assert norm.source.doi and norm.source.details, norm.id
        assert norm.sample.when and norm.sample.where, norm.id
        for language in bank.all_languages:
            assert norm.sample.who.get("self", language), (norm.id, language)
