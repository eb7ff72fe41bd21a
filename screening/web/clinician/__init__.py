"""Clinicians' pages: sign in, referral links, the results patients shared, and exports."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import Blueprint, Flask, current_app
from flask_login import UserMixin

from ...core.bank import FLAG_LEVELS, Text
from ...core.scoring import Result
from ...core.shares import Share
from ...storage import records
from .. import store
from ..content import content

bp = Blueprint("clinician", __name__, url_prefix="/clinician")


@dataclass(frozen=True)
class Account(records.Clinician, UserMixin):
    """A clinician as Flask-Login sees them: the session id names their token too."""

    @classmethod
    def of(cls, clinician: records.Clinician | None) -> Account | None:
        return None if clinician is None else cls(**asdict(clinician))

    def get_id(self) -> str:
        return self.session_id

    @property
    def is_active(self) -> bool:  # UserMixin's says always; the account's own flag decides
        return bool(self.active)


def load_account(session_id: str) -> Account | None:
    return Account.of(records.clinician_by_session(store.db(), session_id))


def init_app(app: Flask) -> None:
    from flask_login import LoginManager

    manager = LoginManager(app)
    manager.login_view = "clinician.login"
    manager.login_message = "Sign in to see this page."
    manager.user_loader(load_account)
    from . import auth, links, results  # noqa: F401 (the routes register themselves on bp)

    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        band_title=band_title, flag_titles=flag_titles, answer_rows=answer_rows
    )


def _wording(text: Text | None, share: Share) -> str:
    return text.get(share.mode, content().bank.language) if text else ""


def band_title(share: Share, band_id: str | None = None) -> str:
    """A band's clinical label (the band shown to the person unless another id is given)."""
    band_id = band_id or share.band
    band = content().bank.band(band_id)
    return _wording(band.clinical or band.title, share) if band else band_id


def flag_titles(share: Share) -> list[str]:
    """Flag titles, most urgent first, in the wording of the mode the result was given in."""
    flags = [f for f in content().bank.flags if f.id in share.flags]
    flags.sort(key=lambda f: FLAG_LEVELS.index(f.level))
    return [f"{_wording(f.clinical or f.title, share)} ({f.level})" for f in flags]


def answer_rows(share: Share, result: Result | None) -> list[dict]:
    """Each answered question as the respondent saw it, with the answer and its points."""
    bank = content().bank
    points = {c.question.id: c.score for c in result.counted} if result else {}
    rows = []
    for question_id, option_ids in share.answers.items():
        question = bank.by_id.get(question_id)
        labels = [
            _wording(o.label, share) if (o := question and question.option(i)) else i
            for i in option_ids
        ]
        text = _wording(question.text, share) if question else question_id
        rows.append(
            {"question": text, "answer": "; ".join(labels), "points": points.get(question_id, "")}
        )
    return rows


def audit(clinician_id: int, action: str, code: str | None = None) -> None:
    """Record who did what to which result, and when; never the content."""
    records.log_access(store.db(), clinician_id, action, code)
    current_app.logger.info("clinician %s: %s", clinician_id, action)
