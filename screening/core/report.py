"""A shared result as a clinician reads it: who answered, the bands, flags and every answer,
worded in the mode the result was given in. Used by the clinician pages and the exports."""

from __future__ import annotations

from dataclasses import dataclass

from .bank import FLAG_LEVELS, Bank, Text
from .scoring import Result
from .shares import Share

# Who answered, as a clinician's record says it.
MODE_LABELS = {
    "self": "The patient (self-report)",
    "other": "A family member or friend (proxy report)",
}


@dataclass(frozen=True)
class Row:
    question: str
    answer: str
    points: int | str  # "" when the share was scored under another bank version


@dataclass(frozen=True)
class Report:
    share: Share
    answered_by: str
    band: str  # the band the person was shown, as its clinical label
    score_band: str | None  # the band of the total, when a rule band was shown instead
    flags: tuple[str, ...]  # clinical labels with their level, most urgent first
    rows: tuple[Row, ...]

    @property
    def reference(self) -> str:
        return self.share.reference


def _words(bank: Bank, text: Text | None, share: Share) -> str:
    return text.get(share.mode, bank.language) if text else ""


def band_label(bank: Bank, share: Share, band_id: str) -> str:
    """A band's clinical label; a band the bank no longer has is shown by its id."""
    band = bank.band(band_id)
    return _words(bank, band.clinical or band.title, share) if band else band_id


def report(bank: Bank, share: Share, result: Result | None = None) -> Report:
    """Present a share; with its rescoring (same bank version), each answer's points too."""
    flags = sorted(
        (f for f in bank.flags if f.id in share.flags), key=lambda f: FLAG_LEVELS.index(f.level)
    )
    points = {c.question.id: c.score for c in result.counted} if result else {}
    rows = []
    for question_id, option_ids in share.answers.items():
        question = bank.by_id.get(question_id)
        labels = [
            _words(bank, o.label, share) if (o := question and question.option(i)) else i
            for i in option_ids
        ]
        text = _words(bank, question.text, share) if question else question_id
        rows.append(Row(text, "; ".join(labels), points.get(question_id, "")))
    return Report(
        share=share,
        answered_by=MODE_LABELS.get(share.mode, share.mode),
        band=band_label(bank, share, share.band),
        score_band=band_label(bank, share, share.score_band) if share.score_band else None,
        flags=tuple(f"{_words(bank, f.clinical or f.title, share)} ({f.level})" for f in flags),
        rows=tuple(rows),
    )
