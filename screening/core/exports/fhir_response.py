"""A share as a completed FHIR R4 QuestionnaireResponse (pure), in the language the person answered
in, coded as the bank's Questionnaire (fhir.py) codes its options and bands."""

from __future__ import annotations

from ..bank import Bank
from ..report import answered, question_text, timestamp, words
from ..shares import Share
from .fhir import (
    CRITERIA_TEXT,
    PLAN_PARTS,
    PLAN_TEXT,
    READINESS_TEXT,
    SOURCES,
    Json,
    answer_coding,
    band_coding,
    plan_coding,
)


def questionnaire_response(bank: Bank, share: Share) -> Json:
    """A share as a completed FHIR R4 QuestionnaireResponse, worded in the share's mode."""
    items = [
        {
            "linkId": question_id,
            "text": question_text(bank, share, question_id, question, share.language),
            "answer": [
                {
                    "valueCoding": answer_coding(
                        bank, question, question_id, i, share.mode, share.language
                    )
                }
                for i in ids
            ],
        }
        for question_id, question, ids in answered(bank, share)
    ]
    return {
        "resourceType": "QuestionnaireResponse",
        "id": share.code,
        "language": share.language,  # the questions and answers as the person read them
        "identifier": {"system": "urn:screening:reference", "value": share.reference},
        "questionnaire": f"urn:screening:{bank.id}|{share.bank_version}",
        "status": "completed",
        "authored": timestamp(share.created),
        **({"source": dict(SOURCES[share.mode])} if share.mode in SOURCES else {}),
        "item": [
            *items,
            {"linkId": "total", "text": "Total score", "answer": [{"valueInteger": share.total}]},
            {
                "linkId": "band",
                "text": "Band",
                "answer": [{"valueCoding": band_coding(bank, share.band, share.mode)}],
            },
            {
                "linkId": "score_band",
                "text": "Band of the total",
                "answer": [
                    {"valueCoding": band_coding(bank, share.score_band or share.band, share.mode)}
                ],
            },
            *_share_scoring(bank, share),
            *_share_plan(bank, share),
        ],
    }


def _share_scoring(bank: Bank, share: Share) -> list[Json]:
    """The criteria count and domain scores of a share, where it has them."""
    items: list[Json] = []
    if share.criteria is not None:
        items.append(
            {
                "linkId": "criteria",
                "text": CRITERIA_TEXT,
                "answer": [{"valueInteger": share.criteria}],
            }
        )
    titles = {d.id: words(bank, d.title, share.mode) for d in bank.domains}
    domains = [
        {"linkId": f"domains.{d}", "text": titles.get(d, d), "answer": [{"valueInteger": points}]}
        for d, points in share.domains.items()
    ]
    if domains:
        items.append({"linkId": "domains", "text": "Domain scores", "item": domains})
    return items


def _share_plan(bank: Bank, share: Share) -> list[Json]:
    """The plan group, when the person chose to include a plan with something in it."""
    chosen = share.plan
    if chosen is None:
        return []
    parts: list[Json] = []
    if chosen.readiness is not None:
        parts.append(
            {
                "linkId": "plan.readiness",
                "text": READINESS_TEXT,
                "answer": [{"valueInteger": chosen.readiness}],
            }
        )
    for part, text in PLAN_PARTS:
        known = {item.id: item for item in getattr(bank.plan, part, ())} if bank.plan else {}
        answers = [
            {"valueCoding": plan_coding(bank, part, known.get(i, i), share.mode, share.language)}
            for i in getattr(chosen, part)
        ]
        if answers:
            parts.append({"linkId": f"plan.{part}", "text": text, "answer": answers})
    return [{"linkId": "plan", "text": PLAN_TEXT, "item": parts}] if parts else []
