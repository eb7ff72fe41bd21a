"""The bank as a FHIR R4 Questionnaire, and the codings a response shares with it (pure); a share
as a QuestionnaireResponse is in fhir_response.py.

Codes: each question's options are a code system `urn:screening:<bank>:<question>` whose codes
are the option ids; bands are `urn:screening:<bank>:band`. The Questionnaire is in the bank's
language, with its other languages in FHIR's translation extension; a response is in the
language the person answered in.
"""

from __future__ import annotations

from typing import Any

from ..bank import Bank, Option, PlanItem, Question
from ..conditions import All, AnyOf, Leaf
from ..report import (
    MODE_LABELS,
    band_label,
    option_label,
    words,
)
from ..text import Text

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ENABLE_WHEN_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)
SOURCES = {
    "self": {"type": "Patient", "display": MODE_LABELS["self"]},
    "other": {"type": "RelatedPerson", "display": MODE_LABELS["other"]},
}
CRITERIA_TEXT = "DSM-5-style criteria with points (not a diagnosis)"
PLAN_TEXT = "The plan the person chose to include (not scored)"
READINESS_TEXT = "Readiness to change, 0 (not ready at all) to 10 (completely ready)"
PLAN_PARTS = (("options", "Options chosen"), ("reasons", "Reasons chosen"))

Json = dict[str, Any]


def system(bank: Bank, question_id: str) -> str:
    """The code system of one question's options."""
    return f"urn:screening:{bank.id}:{question_id}"


def answer_coding(
    bank: Bank,
    question: Question | None,
    question_id: str,
    option_id: str,
    mode: str,
    language: str | None = None,
) -> Json:
    """A Coding for an option; an option the bank no longer has is shown by its id."""
    display = option_label(bank, question, option_id, mode, language)
    return {"system": system(bank, question_id), "code": option_id, "display": display}


def _translations(bank: Bank, text: Text | None, mode: str) -> Json:
    """FHIR's translation extension for a string in the bank's language: the same words in
    each of the bank's other languages (as `_text`, `_display`...)."""
    if text is None:
        return {}
    wording = text.wording_for(mode) or next(iter(text.by_mode.values()))
    found = [
        {
            "url": TRANSLATION,
            "extension": [
                {"url": "lang", "valueCode": code},
                {"url": "content", "valueString": wording[code]},
            ],
        }
        for code in bank.all_languages[1:]
        if code in wording
    ]
    return {"extension": found} if found else {}


def _option_mode(option: Option | PlanItem) -> str:
    """The mode whose wording shows an option in the Questionnaire: self unless not offered."""
    return "self" if option.modes is None or "self" in option.modes else option.modes[0]


def _parts(condition: All | AnyOf) -> tuple[Leaf | All | AnyOf, ...]:
    return condition.all if isinstance(condition, All) else condition.any


def _values(bank: Bank, leaf: Leaf) -> list[str]:
    """A leaf's option ids in the order its question lists them (ids it lacks last)."""
    question = bank.by_id.get(leaf.question)
    order = [o.id for o in question.options] if question else []
    return sorted(leaf.values, key=lambda v: (order.index(v) if v in order else len(order), v))


def _in_leaves(condition: Leaf | All | AnyOf) -> list[Leaf] | None:
    """The leaves of a condition made only of `in` leaves at most one level down, else None."""
    parts = (condition,) if isinstance(condition, Leaf) else _parts(condition)
    leaves = [part for part in parts if isinstance(part, Leaf) and part.op == "in"]
    return leaves if len(leaves) == len(parts) else None


def _enable_when(bank: Bank, condition: Leaf | All | AnyOf) -> Json | None:
    """enableWhen and enableBehavior for a condition FHIR can express, else None."""
    leaves = _in_leaves(condition)
    if leaves is None or (isinstance(condition, All) and any(len(x.values) > 1 for x in leaves)):
        return None
    rules = []
    for leaf in leaves:
        for value in _values(bank, leaf):
            coding = {"system": system(bank, leaf.question), "code": value}
            rules.append({"question": leaf.question, "operator": "=", "answerCoding": coding})
    if len(rules) == 1:
        return {"enableWhen": rules}
    return {"enableWhen": rules, "enableBehavior": "all" if isinstance(condition, All) else "any"}


def _quote(value: str) -> str:
    """A FHIRPath string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fhirpath(bank: Bank, condition: Leaf | All | AnyOf, nested: bool = False) -> str:
    """A FHIRPath expression, true when the condition holds for a QuestionnaireResponse."""
    if isinstance(condition, Leaf):
        answer = f"%resource.repeat(item).where(linkId={_quote(condition.question)}).answer"
        values = " | ".join(_quote(v) for v in _values(bank, condition))
        chosen = f"{answer}.value.where(code in ({values})).exists()"
        if condition.op == "in":
            return chosen
        expression = f"{answer}.exists() and {chosen}.not()"
    else:
        parts = _parts(condition)
        word = " and " if isinstance(condition, All) else " or "
        expression = word.join(fhirpath(bank, part, nested=True) for part in parts)
        if len(parts) == 1:
            return expression
    return f"({expression})" if nested else expression


def _item(bank: Bank, question: Question) -> Json:
    """One Questionnaire item: the self-mode wording, every option and the skip rule."""
    item: Json = {
        "linkId": question.id,
        "text": words(bank, question.text, "self"),
        "type": "choice",
        "required": True,  # the flow asks for an answer to every question that applies
    }
    if translated := _translations(bank, question.text, "self"):
        item["_text"] = translated
    if question.type == "multiple":
        item["repeats"] = True
    if question.show_if is not None:
        rule = _enable_when(bank, question.show_if)
        if rule is None:
            expression = {
                "language": "text/fhirpath",
                "expression": fhirpath(bank, question.show_if),
            }
            item["extension"] = [{"url": ENABLE_WHEN_EXPRESSION, "valueExpression": expression}]
        else:
            item.update(rule)
    item["answerOption"] = [
        {"valueCoding": _option_coding(bank, question, o)} for o in question.options
    ]
    return item


def _option_coding(bank: Bank, question: Question, option: Option) -> Json:
    mode = _option_mode(option)
    coding = answer_coding(bank, question, question.id, option.id, mode)
    if translated := _translations(bank, option.label, mode):
        coding["_display"] = translated
    return coding


def _scoring_items(bank: Bank) -> list[Json]:
    """The read-only items after the questions: criteria count and the score of each domain."""
    domains = [
        {
            "linkId": f"domains.{d.id}",
            "text": words(bank, d.title, "self"),
            "type": "integer",
            "readOnly": True,
        }
        for d in bank.domains
    ]
    criteria = {"linkId": "criteria", "text": CRITERIA_TEXT, "type": "integer", "readOnly": True}
    return [
        criteria,
        {"linkId": "domains", "text": "Domain scores", "type": "group", "item": domains},
    ]


def plan_coding(
    bank: Bank, part: str, item: PlanItem | str, mode: str, language: str | None = None
) -> Json:
    """A Coding for a plan option or reason; an id the bank no longer has is shown by its id."""
    code = item if isinstance(item, str) else item.id
    display = item if isinstance(item, str) else words(bank, item.label, mode, language)
    return {"system": system(bank, f"plan.{part}"), "code": code, "display": display}


def _plan_option_coding(bank: Bank, part: str, item: PlanItem) -> Json:
    mode = _option_mode(item)
    coding = plan_coding(bank, part, item, mode)
    if translated := _translations(bank, item.label, mode):
        coding["_display"] = translated
    return coding


def _plan_items(bank: Bank) -> list[Json]:
    """The read-only plan group at the end, when the bank offers a plan: the readiness ruler,
    then every option and reason a person may choose."""
    if bank.plan is None:
        return []
    parts: list[Json] = [
        {"linkId": "plan.readiness", "text": READINESS_TEXT, "type": "integer", "readOnly": True}
    ]
    for part, text in PLAN_PARTS:
        choices = getattr(bank.plan, part)
        if choices:
            parts.append(
                {
                    "linkId": f"plan.{part}",
                    "text": text,
                    "type": "choice",
                    "repeats": True,
                    "readOnly": True,
                    "answerOption": [
                        {"valueCoding": _plan_option_coding(bank, part, item)} for item in choices
                    ],
                }
            )
    return [{"linkId": "plan", "text": PLAN_TEXT, "type": "group", "readOnly": True, "item": parts}]


def questionnaire(bank: Bank) -> Json:
    """The bank as a FHIR R4 Questionnaire, with read-only scoring items at the end."""
    bands = [{"valueCoding": band_coding(bank, band.id, "self")} for band in bank.bands]
    return {
        "resourceType": "Questionnaire",
        "language": bank.language,
        "url": f"urn:screening:{bank.id}",
        "version": bank.version,
        "name": bank.id,
        "title": words(bank, bank.title, "self"),
        "status": "active",
        "item": [
            *(_item(bank, q) for q in bank.questions),
            {"linkId": "total", "text": "Total score", "type": "integer", "readOnly": True},
            {
                "linkId": "band",
                "text": "Band",
                "type": "choice",
                "readOnly": True,
                "answerOption": bands,
            },
            {
                "linkId": "score_band",
                "text": "Band of the total",
                "type": "choice",
                "readOnly": True,
                "answerOption": [
                    {"valueCoding": band_coding(bank, band.id, "self")} for band in bank.score_bands
                ],
            },
            *_scoring_items(bank),
            *_plan_items(bank),
        ],
    }


def band_coding(bank: Bank, band_id: str, mode: str) -> Json:
    """A Coding for a band; a band the bank no longer has is shown by its id."""
    display = band_label(bank, band_id, mode, clinical=False)  # as the person saw it
    return {"system": system(bank, "band"), "code": band_id, "display": display}
