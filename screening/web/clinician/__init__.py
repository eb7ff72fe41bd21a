"""Clinicians' pages: sign in, referral links, the results patients shared, and exports."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import Blueprint, Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin, current_user

from ...core import report
from ...core.scoring import Result
from ...core.shares import Share
from ...storage import records
from ...storage import shares as share_records
from .. import store
from ..content import content
from ..i18n import language

bp = Blueprint("clinician", __name__, url_prefix="/clinician")


def N_(message: str) -> str:
    """Mark words for the catalog (`make translations` finds them), to be said in the page's
    language where they are used: `gettext(WORDS)`. They stay plain English strings here."""
    return message


# Who answered, and how urgent a flag is, in the page's language (the records' and exports'
# own words stay in English: core.report.MODE_LABELS).
ANSWERED_BY = {
    "self": _l("The patient (self-report)"),
    "other": _l("A family member or friend (proxy report)"),
}
LEVELS = {"urgent": _l("urgent"), "advice": _l("advice"), "info": _l("info")}


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


@bp.context_processor
def signed_in() -> dict:
    """current_user for the clinician pages only: the respondent's pages never look a clinician
    up (Flask-Login's own context processor would, on every page of the check)."""
    return {"current_user": current_user}


def load_account(session_id: str) -> Account | None:
    return Account.of(records.clinician_by_session(store.db(), session_id))


def init_app(app: Flask) -> None:
    from flask_login import LoginManager

    manager = LoginManager(app, add_context_processor=False)  # see signed_in below
    manager.login_view = "clinician.login"
    manager.login_message = _l("Sign in to see this page.")
    manager.localize_callback = str  # flashed in the page's language (the session holds a str)
    manager.user_loader(load_account)
    from . import auth, links, results, stats, twofactor  # noqa: F401 (routes register on bp)

    app.register_blueprint(bp)
    app.register_blueprint(stats.bp)
    app.jinja_env.globals.update(present=present)


def present(share: Share, result: Result | None = None) -> report.Report:
    """A share as the clinician pages show it (the core's presenter, with this app's bank), in
    the page's language whatever the language it was answered in."""
    who = {mode: str(label) for mode, label in ANSWERED_BY.items()}
    levels = {level: str(name) for level, name in LEVELS.items()}
    return report.report(content().bank, share, result, language(), who, levels)


def audit(clinician_id: int, action: str, code: str | None = None) -> None:
    """Record who did what to which result, and when; never the content."""
    share_records.log_access(store.db(), clinician_id, action, code)
    current_app.logger.info("clinician %s: %s", clinician_id, action)
