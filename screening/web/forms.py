"""Form classes built once from the bank, one per question, by a registry of field builders."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from flask_babel import get_locale
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from werkzeug.datastructures import MultiDict
from wtforms import Field, RadioField, SelectMultipleField
from wtforms.meta import DefaultMeta
from wtforms.validators import InputRequired, ValidationError

from ..core.bank import Bank, Question
from ..core.flow import NOT_ALONE, SLIPS, answer_problem

csrf = CSRFProtect()

# Error codes put on a field; the page turns them into words for the question and mode.
REQUIRED = "required"
EXCLUSIVE = "exclusive"


class Form(FlaskForm):
    """Every form of the app. WTForms' own messages ("Not a valid date value.") are in the page's
    language, from a catalog read once per language: Flask-WTF would read it again on every
    request that makes a form."""

    class Meta:
        @property
        def locales(self) -> list[str]:
            return [str(get_locale())]

        def get_translations(self, form: Form):
            return DefaultMeta.get_translations(self, form)  # kept by locale (cache_translations)


class QuestionForm(Form):
    """One question's form: a field named `answer` whose HTML name is the question id."""

    answer: Field
    question: Question
    mode: str

    class Meta:
        csrf = False  # CSRFProtect checks the token of every POST before any view runs

    def unexpected_input(self, formdata: MultiDict) -> bool:
        """Say whether the post holds fields or values that no honest page could send."""
        if any(name not in {self.answer.name, "csrf_token"} for name in formdata):
            return True
        problem = answer_problem(self.question, formdata.getlist(self.answer.name), self.mode)
        return problem not in (None, *SLIPS)

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


def _exclusive_alone(question: Question, mode: str) -> Callable[[FlaskForm, Field], None]:
    def check(form: FlaskForm, field: Field) -> None:
        if answer_problem(question, field.data or (), mode) == NOT_ALONE:
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
        validators=[InputRequired(REQUIRED), _exclusive_alone(question, mode)],
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
