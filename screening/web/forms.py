"""Form classes built once from the bank, one per question, by a registry of field builders."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from werkzeug.datastructures import MultiDict
from wtforms import Field, RadioField, SelectMultipleField
from wtforms.validators import InputRequired, ValidationError

from ..core.bank import Bank, Question

csrf = CSRFProtect()

# Error codes put on a field; the page turns them into words for the question and mode.
REQUIRED = "required"
EXCLUSIVE = "exclusive"


class QuestionForm(FlaskForm):
    """One question's form: a field named `answer` whose HTML name is the question id."""

    answer: Field
    question: Question
    mode: str

    def unexpected_input(self, formdata: MultiDict) -> bool:
        """Say whether the post holds fields or values that no honest page could send."""
        allowed = {self.answer.name, "csrf_token"}
        values = formdata.getlist(self.answer.name)
        options = {o.id for o in self.question.options_for(self.mode)}
        return (
            any(name not in allowed for name in formdata)
            or any(v not in options for v in values)
            or (self.question.type == "single" and len(values) > 1)
            or len(values) != len(set(values))
        )

    def chosen(self) -> frozenset[str]:
        data = self.answer.data
        if not data:
            return frozenset()
        return frozenset([data] if isinstance(data, str) else data)


def plain_text(value: object) -> object:
    """Strip a typed value, and drop control characters (they have no place in a name or label)."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if unicodedata.category(ch)[0] != "C" or ch == " ").strip()


def _exclusive_alone(question: Question) -> Callable[[FlaskForm, Field], None]:
    exclusive = {o.id for o in question.options if o.exclusive}

    def check(form: FlaskForm, field: Field) -> None:
        if set(field.data or ()) & exclusive and len(field.data) > 1:
            raise ValidationError(EXCLUSIVE)

    return check


def _single(question: Question, mode: str) -> Field:
    return RadioField(
        name=question.id,
        choices=[o.id for o in question.options_for(mode)],
        validators=[InputRequired(REQUIRED)],
    )


def _multiple(question: Question, mode: str) -> Field:
    return SelectMultipleField(
        name=question.id,
        choices=[o.id for o in question.options_for(mode)],
        validators=[InputRequired(REQUIRED), _exclusive_alone(question)],
    )


# How each question type the bank accepts becomes a form field, with the options of a mode.
FIELD_BUILDERS: dict[str, Callable[[Question, str], Field]] = {
    "single": _single,
    "multiple": _multiple,
}


def build_forms(bank: Bank) -> dict[tuple[str, str], type[QuestionForm]]:
    """Build a form class per mode and question, once at start-up."""
    return {
        (mode, q.id): type(
            f"Form_{mode}_{q.id}",
            (QuestionForm,),
            {"answer": FIELD_BUILDERS[q.type](q, mode), "question": q, "mode": mode},
        )
        for mode in bank.modes
        for q in bank.questions
    }
