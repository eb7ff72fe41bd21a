"""A shared result as a clinician reads it: who answered, the bands, flags and every answer,
worded in the mode the result was given in. Used by the clinician pages and the exports."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from .bank import FLAG_LEVELS, Bank, Question
from .scoring import Result
from .shares import Share
from .text import Text

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
    urgent: tuple[str, ...] = ()  # the clinical labels of the urgent flags, shown first

    @property
    def reference(self) -> str:
        return self.share.reference


def timestamp(moment: datetime.datetime) -> str:
    """ISO 8601 with the timezone; a naive time is taken to be UTC, as shares are stored."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def words(bank: Bank, text: Text | None, mode: str, language: str | None = None) -> str:
    """The wording of a text in a mode, or in a mode the text has when it has none for this one
    (a share keeps the mode it was given in; the bank may since have changed), in a language
    (the bank's own by default)."""
    if text is None:
        return ""
    mode = mode if text.has_mode(mode) else next(iter(text.by_mode))
    return text.get(mode, language or bank.language)


def answered(bank: Bank, share: Share) -> list[tuple[str, Question | None, tuple[str, ...]]]:
    """The share's answers in bank order, then any question the bank no longer has."""
    known = [(q.id, q, share.answers[q.id]) for q in bank.questions if share.answers.get(q.id)]
    extra = [(i, None, ids) for i, ids in share.answers.items() if ids and i not in bank.by_id]
    return [*known, *extra]


def question_text(
    bank: Bank,
    share: Share,
    question_id: str,
    question: Question | None,
    language: str | None = None,
) -> str:
    """A question as the person read it; one the bank no longer has is shown by its id."""
    return words(bank, question.text, share.mode, language) if question else question_id


def option_label(
    bank: Bank, question: Question | None, option_id: str, mode: str, language: str | None = None
) -> str:
    """An option as the person read it; one the bank no longer has is shown by its id."""
    option = question.option(option_id) if question else None
    return words(bank, option.label, mode, language) if option else option_id


def band_label(
    bank: Bank, band_id: str, mode: str, clinical: bool = True, language: str | None = None
) -> str:
    """A band's clinical label (or, with clinical=False, the title the person saw); a band the
    bank no longer has is shown by its id."""
    band = bank.band(band_id)
    if band is None:
        return band_id
    return words(bank, (band.clinical if clinical else None) or band.title, mode, language)


def report(
    bank: Bank,
    share: Share,
    result: Result | None = None,
    language: str | None = None,
    who: Mapping[str, str] = MODE_LABELS,
    levels: Mapping[str, str] | None = None,
) -> Report:
    """Present a share; with its rescoring (same bank version), each answer's points too.

    In a language (the bank's own by default), with who answered and the flags' levels as
    `who` and `levels` say (the ids of modes and levels; by default the English of records)."""
    flags = sorted(
        (f for f in bank.flags if f.id in share.flags), key=lambda f: FLAG_LEVELS.index(f.level)
    )
    points = {c.question.id: c.score for c in result.counted} if result else {}
    mode = share.mode
    rows = tuple(
        Row(
            question_text(bank, share, question_id, question, language),
            "; ".join(option_label(bank, question, i, mode, language) for i in option_ids),
            points.get(question_id, ""),
        )
        for question_id, question, option_ids in answered(bank, share)
    )
    labels = [(words(bank, f.clinical or f.title, mode, language), f.level) for f in flags]
    levels = levels or {}
    return Report(
        share=share,
        answered_by=who.get(mode, mode),
        band=band_label(bank, share.band, mode, language=language),
        score_band=(
            band_label(bank, share.score_band, mode, language=language)
            if share.score_band
            else None
        ),
        flags=tuple(f"{label} ({levels.get(level, level)})" for label, level in labels),
        rows=rows,
        urgent=tuple(label for label, level in labels if level == "urgent"),
    )
