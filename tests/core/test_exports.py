"""Exports for clinicians: the bank as a FHIR Questionnaire, shares as responses and as CSV."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import itertools
import json
import subprocess
import sys
import time

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from helpers import ALL_CLEAR, ROOT
from personas import SCENARIOS

from screening.core import exports
from screening.core.bank import DONT_KNOW, Bank
from screening.core.conditions import AnyOf
from screening.core.exports import fhir
from screening.core.flow import parse_answers
from screening.core.plan import Chosen
from screening.core.scoring import score
from screening.core.shares import Share, from_result

CREATED = datetime.datetime(2026, 11, 26, 15, 30, tzinfo=datetime.UTC)
EXPRESSION = fhir.ENABLE_WHEN_EXPRESSION

PROXY = SCENARIOS["proxy_partner_mixing"].answers
HEADER = [
    "reference",
    "completed",
    "mode",
    "bank",
    "bank_version",
    "total",
    "band",
    "flags",
    "question_id",
    "question",
    "answer_ids",
    "answers",
    "score",
    "score_band",
    "criteria",
    "domain_scores",
    "plan_readiness",
    "plan_options",
    "plan_reasons",
]
SCORING = ["total", "band", "score_band", "criteria", "domains"]  # items after the questions


def make_share(bank: Bank, raw: dict, code: str = "K7F3QD") -> Share:
    """A share as the app stores it: the scored answers that applied, in bank order."""
    result = score(bank, parse_answers(bank, raw))
    made = from_result(bank, result, clinician_id=1, link_id=None, created=CREATED)
    return made.stored_as(code)


def with_show_if(bank: Bank, question_id: str, show_if: dict) -> Bank:
    """The same bank with one question's skip rule replaced."""
    data = bank.model_dump()
    for question in data["questions"]:
        if question["id"] == question_id:
            question["show_if"] = show_if
    return Bank.model_validate(data)


def items_by_id(resource: dict) -> dict[str, dict]:
    return {item["linkId"]: item for item in resource["item"]}


def expression_of(item: dict) -> str:
    [extension] = item["extension"]
    assert extension["url"] == EXPRESSION
    assert extension["valueExpression"]["language"] == "text/fhirpath"
    return extension["valueExpression"]["expression"]


@pytest.fixture
def self_share(bank):
    return make_share(bank, {**ALL_CLEAR, "frequency": "weekly", "time_spent": "a_lot"})


@pytest.fixture
def proxy_share(bank):
    return make_share(bank, PROXY, code="ABC234")


# The Questionnaire


@pytest.mark.parametrize("name", ["bank", "assist"])
def test_questionnaire_is_valid_fhir(name, request):
    bank = request.getfixturevalue(name)
    resource = exports.questionnaire(bank)
    parsed = Questionnaire.model_validate(resource)
    assert parsed.url == f"urn:screening:{bank.id}"
    assert (parsed.version, parsed.name, parsed.status) == (bank.version, bank.id, "active")
    assert parsed.title == bank.title.get("self")
    json.dumps(resource)  # JSON-ready as it is


@pytest.mark.parametrize("name", ["bank", "assist"])
def test_questionnaire_keeps_the_rules_the_models_do_not_check(name, request):
    resource = exports.questionnaire(request.getfixturevalue(name))
    ids = [item["linkId"] for item in resource["item"]]
    assert len(ids) == len(set(ids))
    for index, item in enumerate(resource["item"]):
        codes = [o["valueCoding"]["code"] for o in item.get("answerOption", [])]
        assert len(codes) == len(set(codes)), item["linkId"]
        rules = item.get("enableWhen", [])
        if len(rules) > 1:  # que-12
            assert item["enableBehavior"] in ("all", "any"), item["linkId"]
        for rule in rules:  # refers to an earlier question, and to one of its options
            assert ids.index(rule["question"]) < index, item["linkId"]
            source = resource["item"][ids.index(rule["question"])]
            assert rule["answerCoding"] in [
                {k: o["valueCoding"][k] for k in ("system", "code")} for o in source["answerOption"]
            ]


def test_every_question_appears_once_with_all_its_options(bank):
    items = exports.questionnaire(bank)["item"]
    assert [i["linkId"] for i in items] == [q.id for q in bank.questions] + SCORING + ["plan"]
    for question, item in zip(bank.questions, items, strict=False):
        assert item["text"] == question.text.get("self")
        assert item["type"] == "choice"
        assert item.get("repeats", False) == (question.type == "multiple")
        codings = [o["valueCoding"] for o in item["answerOption"]]
        assert [c["code"] for c in codings] == [o.id for o in question.options]
        assert {c["system"] for c in codings} == {f"urn:screening:{bank.id}:{question.id}"}

    by_id = items_by_id({"item": items})
    amount = {o["valueCoding"]["code"]: o["valueCoding"] for o in by_id["gave_up"]["answerOption"]}
    assert amount[DONT_KNOW]["display"] == "I don't know"  # offered in proxy mode only
    self_harm = [o["valueCoding"]["code"] for o in by_id["self_harm"]["answerOption"]]
    assert "rather_not_say" in self_harm and DONT_KNOW in self_harm  # one mode each


def test_total_and_band_are_read_only_items_at_the_end(bank):
    total, band, score_band, criteria, domains = exports.questionnaire(bank)["item"][-6:-1]
    assert total == {"linkId": "total", "text": "Total score", "type": "integer", "readOnly": True}
    assert (band["linkId"], band["type"], band["readOnly"]) == ("band", "choice", True)
    assert [o["valueCoding"]["code"] for o in band["answerOption"]] == [b.id for b in bank.bands]
    assert band["answerOption"][0]["valueCoding"]["display"] == bank.bands[0].title.get("self")
    # The band of the total offers only the score bands; rule bands are what a person was shown.
    codes = [o["valueCoding"]["code"] for o in score_band["answerOption"]]
    assert codes == ["fewer_signs", "some_signs", "many_signs"]
    assert (criteria["type"], criteria["readOnly"]) == ("integer", True)
    assert [i["linkId"] for i in domains["item"]] == [f"domains.{d.id}" for d in bank.domains]
    Questionnaire.model_validate(exports.questionnaire(bank))


def test_a_simple_skip_rule_becomes_enable_when(bank, assist):
    items = items_by_id(exports.questionnaire(bank))
    system = f"urn:screening:{bank.id}:last_use"
    assert items["treatment"]["enableWhen"] == [
        {"question": "last_use", "operator": "=", "answerCoding": {"system": system, "code": c}}
        for c in ("past_3_months", "past_year", DONT_KNOW)
    ]
    assert items["treatment"]["enableBehavior"] == "any"
    assert [r["answerCoding"]["code"] for r in items["time_spent"]["enableWhen"]] == [
        "weekly",
        "daily",
    ]
    assert "extension" not in items["treatment"]
    [rule] = items_by_id(exports.questionnaire(assist))["q2"]["enableWhen"]
    assert rule["answerCoding"]["code"] == "yes"
    assert "enableBehavior" not in items_by_id(exports.questionnaire(assist))["q2"]


def test_an_all_of_single_values_becomes_enable_when_all(assist):
    changed = with_show_if(
        assist,
        "q3",
        {"all": [{"question": "q1", "in": ["yes"]}, {"question": "q2", "in": "daily"}]},
    )
    item = items_by_id(exports.questionnaire(changed))["q3"]
    assert item["enableBehavior"] == "all"
    assert [(r["question"], r["answerCoding"]["code"]) for r in item["enableWhen"]] == [
        ("q1", "yes"),
        ("q2", "daily"),
    ]


@pytest.mark.parametrize("name", ["bank", "assist"])
def test_enable_when_means_what_the_skip_rule_means(name, request):
    bank = request.getfixturevalue(name)
    items = items_by_id(exports.questionnaire(bank))
    checked = 0
    for question in bank.questions:
        rules = items[question.id].get("enableWhen")
        if not rules:
            continue
        referenced = sorted({r["question"] for r in rules})
        choices = [
            [frozenset(), *(frozenset([o.id]) for o in bank.by_id[q].options)] for q in referenced
        ]
        for combination in itertools.product(*choices):
            answers = dict(zip(referenced, combination, strict=True))
            met = [r["answerCoding"]["code"] in answers[r["question"]] for r in rules]
            enabled = all(met) if items[question.id].get("enableBehavior") == "all" else any(met)
            assert enabled == question.show_if.evaluate(answers), (question.id, answers)
        checked += 1
    assert checked


def test_not_in_becomes_an_enable_when_expression(assist):
    item = items_by_id(exports.questionnaire(assist))["q3"]
    assert "enableWhen" not in item
    answer = "%resource.repeat(item).where(linkId='q2').answer"
    assert expression_of(item) == (
        f"{answer}.exists() and {answer}.value.where(code in ('never')).exists().not()"
    )


def test_an_all_of_several_values_becomes_an_enable_when_expression(bank):
    item = items_by_id(exports.questionnaire(bank))["frequency"]
    assert "enableWhen" not in item
    assert expression_of(item) == (
        "%resource.repeat(item).where(linkId='last_use').answer.value"
        ".where(code in ('past_3_months' | 'dont_know')).exists()"
        " and %resource.repeat(item).where(linkId='treatment').answer.value"
        ".where(code in ('no' | 'more_than_prescribed' | 'also_outside' | 'dont_know')).exists()"
    )


def test_nested_conditions_are_parenthesised(assist):
    condition = AnyOf.model_validate(
        {
            "any": [
                {"question": "q1", "in": ["no"]},
                {
                    "all": [
                        {"question": "q2", "not_in": ["never"]},
                        {"question": "q6", "in": "recent"},
                    ]
                },
            ]
        }
    )
    q = "%resource.repeat(item).where(linkId={}).answer"
    q1, q2, q6 = (q.format(f"'{i}'") for i in ("q1", "q2", "q6"))
    assert exports.fhirpath(assist, condition) == (
        f"{q1}.value.where(code in ('no')).exists()"
        f" or (({q2}.exists() and {q2}.value.where(code in ('never')).exists().not())"
        f" and {q6}.value.where(code in ('recent')).exists())"
    )
    changed = with_show_if(assist, "q7", condition.model_dump())
    item = items_by_id(exports.questionnaire(changed))["q7"]
    assert expression_of(item) == exports.fhirpath(assist, condition)
    Questionnaire.model_validate(exports.questionnaire(changed))


# The QuestionnaireResponse


def test_response_for_a_self_share(bank, self_share):
    resource = exports.questionnaire_response(bank, self_share)
    parsed = QuestionnaireResponse.model_validate(resource)
    assert parsed.status == "completed"
    assert resource["id"] == "K7F3QD"
    assert resource["identifier"] == {"system": "urn:screening:reference", "value": "K7F-3QD"}
    assert resource["questionnaire"] == f"urn:screening:{bank.id}|{bank.version}"
    assert resource["authored"] == "2026-11-26T15:30:00+00:00"
    assert parsed.authored.utcoffset() == datetime.timedelta(0)
    assert resource["source"] == {"type": "Patient", "display": "The patient (self-report)"}
    ids = [item["linkId"] for item in resource["item"]]
    assert ids == [*self_share.answers, *SCORING]
    assert ids[:-5] == [q.id for q in bank.questions if q.id in self_share.answers]
    items = items_by_id(resource)
    assert items["time_spent"]["answer"] == [
        {
            "valueCoding": {
                "system": f"urn:screening:{bank.id}:time_spent",
                "code": "a_lot",
                "display": "A lot of my time",
            }
        }
    ]
    assert items["last_use"]["text"] == bank.by_id["last_use"].text.get("self")
    assert items["total"]["answer"] == [{"valueInteger": self_share.total}]
    assert self_share.total == 4 + 2  # weekly, and a lot of time
    [band] = items["band"]["answer"]
    assert band["valueCoding"]["code"] == self_share.band == "some_signs"
    assert band["valueCoding"]["display"] == "Your answers suggest some signs of risk"
    assert items["score_band"]["answer"][0]["valueCoding"]["code"] == "some_signs"
    assert items["criteria"]["answer"] == [{"valueInteger": 1}]  # time spent
    domains = {i["linkId"]: i["answer"][0]["valueInteger"] for i in items["domains"]["item"]}
    assert domains == {"domains.pattern": 4, "domains.control": 2}


def test_response_for_a_proxy_share(bank, proxy_share):
    resource = exports.questionnaire_response(bank, proxy_share)
    QuestionnaireResponse.model_validate(resource)
    assert resource["source"]["type"] == "RelatedPerson"
    items = items_by_id(resource)
    assert items["last_use"]["text"].startswith("As far as you know, when did the person")
    assert items["time_spent"]["answer"][0]["valueCoding"]["display"] == "Some of their time"
    [unknown] = items["gave_up"]["answer"]
    assert unknown["valueCoding"]["code"] == DONT_KNOW
    assert unknown["valueCoding"]["display"] == "I don't know"
    assert [a["valueCoding"]["code"] for a in items["mixing"]["answer"]] == ["alcohol", "opioids"]
    assert items["band"]["answer"][0]["valueCoding"]["display"].endswith("reasons for concern")
    assert [i["linkId"] for i in resource["item"]][:2] == ["respondent", "relationship"]
    assert resource["item"][-1]["linkId"] == "domains"


def test_response_for_an_assist_share(assist):
    raw = {"q1": "yes", "q2": "never", "q6": "recent", "q7": "no"}
    resource = exports.questionnaire_response(assist, make_share(assist, raw))
    QuestionnaireResponse.model_validate(resource)
    ids = [i["linkId"] for i in resource["item"]]
    assert ids == ["q1", "q2", "q6", "q7", "total", "band", "score_band", "domains"]
    assert items_by_id(resource)["total"]["answer"] == [{"valueInteger": 6}]  # no criteria list


def test_ids_the_bank_no_longer_has_do_not_break_the_response(bank, self_share):
    answers = {**self_share.answers, "frequency": ("fortnightly",), "removed": ("yes", "no")}
    share = dataclasses.replace(self_share, answers=answers, band="retired_band")
    resource = exports.questionnaire_response(bank, share)
    QuestionnaireResponse.model_validate(resource)
    items = items_by_id(resource)
    assert items["frequency"]["answer"][0]["valueCoding"]["display"] == "fortnightly"
    assert items["removed"]["text"] == "removed"
    assert [a["valueCoding"]["display"] for a in items["removed"]["answer"]] == ["yes", "no"]
    assert [i["linkId"] for i in resource["item"]][-6:] == ["removed", *SCORING]
    assert items["band"]["answer"][0]["valueCoding"]["display"] == "retired_band"


@pytest.fixture
def new_york(monkeypatch):
    """The host's local time is New York, not UTC."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_time_without_a_timezone_is_taken_as_utc(bank, self_share, new_york):
    share = dataclasses.replace(self_share, created=CREATED.replace(tzinfo=None))
    assert exports.questionnaire_response(bank, share)["authored"] == "2026-11-26T15:30:00+00:00"
    eastern = CREATED.astimezone(datetime.timezone(datetime.timedelta(hours=-5)))
    share = dataclasses.replace(self_share, created=eastern)
    assert exports.csv_rows(bank, [share])[1][1] == "2026-11-26T15:30:00+00:00"


def test_response_items_follow_the_bank_not_the_stored_order(bank, self_share):
    share = dataclasses.replace(self_share, answers=dict(reversed(self_share.answers.items())))
    ids = [item["linkId"] for item in exports.questionnaire_response(bank, share)["item"]]
    assert ids == [*self_share.answers, *SCORING]
    assert [r[8] for r in exports.csv_rows(bank, [share])[1:]] == list(self_share.answers)


# The plan, only when the person chose to include it


def test_the_questionnaire_ends_with_the_plan_read_only(bank, assist):
    plan = exports.questionnaire(bank)["item"][-1]
    assert (plan["linkId"], plan["type"], plan["readOnly"]) == ("plan", "group", True)
    readiness, options, reasons = plan["item"]
    assert (readiness["linkId"], readiness["type"], readiness["readOnly"]) == (
        "plan.readiness",
        "integer",
        True,
    )
    for item, part in ((options, "options"), (reasons, "reasons")):
        assert (item["linkId"], item["type"], item["repeats"], item["readOnly"]) == (
            f"plan.{part}",
            "choice",
            True,
            True,
        )
        codings = [o["valueCoding"] for o in item["answerOption"]]
        assert [c["code"] for c in codings] == [i.id for i in getattr(bank.plan, part)]
        assert {c["system"] for c in codings} == {f"urn:screening:{bank.id}:plan.{part}"}
    cut_down = next(
        o["valueCoding"] for o in options["answerOption"] if o["valueCoding"]["code"] == "cut_down"
    )
    by_id = {item.id: item for item in bank.plan.options}
    assert cut_down["display"] == by_id["cut_down"].label.get("self")
    assert cut_down["_display"]["extension"][0]["extension"][0] == {
        "url": "lang",
        "valueCode": "es",
    }
    their_health = next(
        o["valueCoding"]
        for o in reasons["answerOption"]
        if o["valueCoding"]["code"] == "their_health"
    )
    assert their_health["display"] == "Their health and safety"  # offered to family only
    Questionnaire.model_validate(exports.questionnaire(bank))
    assert assist.plan is None
    assert "plan" not in items_by_id(exports.questionnaire(assist))


def test_a_response_carries_the_plan_the_person_included(bank, self_share):
    share = dataclasses.replace(
        self_share, language="es", plan=Chosen(7, ("cut_down", "gone"), ("health",))
    )
    resource = exports.questionnaire_response(bank, share)
    QuestionnaireResponse.model_validate(resource)
    assert [i["linkId"] for i in resource["item"]][-2:] == ["domains", "plan"]
    readiness, options, reasons = items_by_id(resource)["plan"]["item"]
    assert readiness["answer"] == [{"valueInteger": 7}]
    assert options["answer"] == [
        {
            "valueCoding": {
                "system": f"urn:screening:{bank.id}:plan.options",
                "code": "cut_down",
                "display": "Consumir menos ketamina",
            }
        },
        {  # an option the bank no longer has is shown by its id
            "valueCoding": {
                "system": f"urn:screening:{bank.id}:plan.options",
                "code": "gone",
                "display": "gone",
            }
        },
    ]
    assert reasons["answer"][0]["valueCoding"]["display"] == "Mi salud, como la vejiga o la memoria"


def test_a_plan_with_nothing_in_it_adds_no_plan_items(bank, self_share):
    for plan in (None, Chosen()):
        share = dataclasses.replace(self_share, plan=plan)
        assert "plan" not in items_by_id(exports.questionnaire_response(bank, share))
        assert exports.csv_rows(bank, [share])[1][-3:] == ["", "", ""]
    skipped = dataclasses.replace(self_share, plan=Chosen(None, (), ("work",)))
    [reasons] = items_by_id(exports.questionnaire_response(bank, skipped))["plan"]["item"]
    assert reasons["linkId"] == "plan.reasons"  # no readiness: they skipped the ruler


def test_csv_carries_the_plan_on_every_row_of_its_share(bank, self_share, proxy_share):
    share = dataclasses.replace(self_share, plan=Chosen(0, ("not_now",), ("money", "work")))
    rows = exports.csv_rows(bank, [share, proxy_share])
    mine = [dict(zip(HEADER, r, strict=True)) for r in rows[1:] if r[0] == share.reference]
    assert len(mine) == len(share.answers)
    assert {(r["plan_readiness"], r["plan_options"], r["plan_reasons"]) for r in mine} == {
        ("0", "not_now", "money|work")
    }
    theirs = [r for r in rows[1:] if r[0] == proxy_share.reference]
    assert {tuple(r[-3:]) for r in theirs} == {("", "", "")}


# CSV


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_has_one_row_per_answered_question(bank, self_share, proxy_share):
    rows = exports.csv_rows(bank, [self_share, proxy_share])
    assert rows[0] == HEADER
    assert len(rows) == 1 + len(self_share.answers) + len(proxy_share.answers)
    assert all(len(row) == len(HEADER) for row in rows)
    by_reference = {(r[0], r[8]): dict(zip(HEADER, r, strict=True)) for r in rows[1:]}
    mixing = by_reference[("ABC-234", "mixing")]
    assert mixing["answer_ids"] == "alcohol|opioids"
    assert mixing["answers"] == ("Alcohol; Opioids, such as heroin, fentanyl or pain pills")
    assert mixing["mode"] == "other"
    assert mixing["flags"] == "|".join(proxy_share.flags)
    assert {"mixing_opioids", "mixing_depressants", "support_for_you"} <= set(
        mixing["flags"].split("|")
    )
    assert (mixing["score_band"], mixing["criteria"]) == ("some_signs", "1")
    assert mixing["domain_scores"] == "pattern=4|control=1|risk=3"
    assert mixing["question"] == bank.by_id["mixing"].text.get("other")
    frequency = by_reference[("K7F-3QD", "frequency")]
    assert (frequency["answer_ids"], frequency["answers"]) == (
        "weekly",
        "Weekly (1 to 4 times a week)",
    )
    assert (frequency["score"], frequency["total"], frequency["band"]) == ("4", "6", "some_signs")
    assert frequency["completed"] == "2026-11-26T15:30:00+00:00"
    assert (frequency["bank"], frequency["bank_version"]) == (bank.id, bank.version)
    amount = by_reference[("ABC-234", "gave_up")]
    assert (amount["answer_ids"], amount["answers"], amount["score"]) == (
        DONT_KNOW,
        "I don't know",
        "0",
    )


def test_csv_scores_add_up_to_the_total(bank, self_share, proxy_share):
    rows = exports.csv_rows(bank, [self_share, proxy_share])
    for share in (self_share, proxy_share):
        mine = [r for r in rows[1:] if r[0] == share.reference]
        assert sum(int(r[12]) for r in mine) == share.total


def test_a_share_with_no_answers_still_has_a_row(bank, self_share):
    rows = exports.csv_rows(bank, [dataclasses.replace(self_share, answers={})])
    assert len(rows) == 2
    assert rows[1][:6] == [
        "K7F-3QD",
        "2026-11-26T15:30:00+00:00",
        "self",
        bank.id,
        bank.version,
        "6",
    ]
    assert rows[1][8:] == ["", "", "", "", "", "some_signs", "1", "pattern=4|control=2", "", "", ""]


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-", "=cmd"]
)
def test_formula_cells_are_neutralised(cell):
    assert exports.escape_cell(cell) == "'" + cell
    assert exports.escape_cell(exports.escape_cell(cell)) == "'" + cell


@pytest.mark.parametrize("cell", ["-3", "0", "12", "No", "", "'=already", "a=b"])
def test_other_cells_are_kept(cell):
    assert exports.escape_cell(cell) == cell


def test_csv_neutralises_ids_used_as_labels(bank, self_share):
    share = dataclasses.replace(
        self_share, answers={**self_share.answers, "gave_up": ("=cmd",), "@removed": ("+x",)}
    )
    rows = exports.csv_rows(bank, [share])
    amount = next(r for r in rows if r[8] == "gave_up")
    assert (amount[10], amount[11]) == ("'=cmd", "'=cmd")
    removed = next(r for r in rows if r[8] == "'@removed")
    assert (removed[9], removed[10], removed[11], removed[12]) == ("'@removed", "'+x", "'+x", "")
    text = exports.to_csv(rows)
    assert not any(cell.startswith(("=", "+", "@")) for row in parse_csv(text) for cell in row)


def test_csv_keeps_negative_numbers_numeric(bank, self_share):
    rows = exports.csv_rows(bank, [dataclasses.replace(self_share, total=-3)])
    assert {r[5] for r in rows[1:]} == {"-3"}


def test_csv_round_trips_through_the_csv_module(bank, self_share, proxy_share):
    rows = exports.csv_rows(bank, [self_share, proxy_share])
    text = exports.to_csv(rows)
    assert parse_csv(text) == rows
    assert text.startswith(",".join(HEADER) + "\r\n")
    respondent = next(r for r in rows if r[0] == "ABC-234" and r[8] == "respondent")
    assert "," in respondent[11]  # "Someone else's use, such as a partner, ..." stays one cell


def test_exports_imports_no_web_package():
    code = (
        "import sys, screening.core.exports\n"
        "print(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('flask', 'flask_wtf', 'wtforms', 'sqlite_utils')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_the_questionnaire_carries_every_other_language_in_fhirs_translation_extension(bank):
    """The bank's Spanish rides on each question and option (FHIR's translation extension),
    and the models still read it."""
    resource = exports.questionnaire(bank)
    parsed = Questionnaire.model_validate(resource)
    first = next(i for i in resource["item"] if i["linkId"] == "last_use")
    (translation,) = first["_text"]["extension"]
    assert translation["url"] == "http://hl7.org/fhir/StructureDefinition/translation"
    parts = {
        p["url"]: next(v for k, v in p.items() if k.startswith("value"))
        for p in translation["extension"]
    }
    assert parts == {"lang": "es", "content": bank.by_id["last_use"].text.get("self", "es")}
    option = first["answerOption"][0]["valueCoding"]
    assert option["_display"]["extension"][0]["extension"][0] == {"url": "lang", "valueCode": "es"}
    assert parsed.item[1].text__ext.extension[0].url.endswith("/translation")
    english_only = exports.questionnaire(bank.model_copy(update={"languages": ()}))
    assert "_text" not in json.dumps(english_only)


def test_a_response_is_in_the_language_the_person_answered_in(bank):
    answers = {**ALL_CLEAR, "frequency": "weekly", "time_spent": "a_lot"}
    spanish = dataclasses.replace(make_share(bank, answers), language="es")
    resource = exports.questionnaire_response(bank, spanish)
    QuestionnaireResponse.model_validate(resource)
    assert resource["language"] == "es"
    item = next(i for i in resource["item"] if i["linkId"] == "last_use")
    assert item["text"] == bank.by_id["last_use"].text.get("self", "es")
    assert exports.questionnaire_response(bank, make_share(bank, answers))["language"] == "en"
