"""Sign in and out, with rate limits, a fresh session on sign-in, a 30-minute idle timeout and
an absolute lifetime (SESSION_HOURS). The password is the first step; the second factor
(twofactor.py) completes the sign-in."""

from __future__ import annotations

import math
import time

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from ...core.passwords import PASSWORD_MIN, password_weakness
from ...storage import records, throttle
from .. import store
from ..forms import Form
from ..i18n import SESSION_KEY
from ..limits import LOGIN, limiter
from . import N_, Account, audit, bp

IDLE_SECONDS = 30 * 60
PENDING_SECONDS = 5 * 60  # from the right password to the right code
WRONG = _l("Email or password is wrong.")


class PasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[Length(max=200)])
    new = PasswordField(_l("New password"), validators=[Length(max=200)])
    again = PasswordField(_l("New password again"), validators=[Length(max=200)])


class LoginForm(Form):
    email = EmailField(_l("Email address"), validators=[InputRequired(WRONG), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[InputRequired(WRONG), Length(max=200)])


def fresh_session() -> None:
    """Empty the session, as signing in and out does, keeping only the page language chosen
    for the visit (it says nothing about who is signed in)."""
    chosen = session.get(SESSION_KEY)
    session.clear()
    if chosen is not None:
        session[SESSION_KEY] = chosen


@bp.before_request
def idle_timeout():
    """Sign out a clinician idle for 30 minutes, or signed in for SESSION_HOURS, however active."""
    if not current_user.is_authenticated:
        return None
    now = int(time.time())
    if now - session.get("seen", now) > IDLE_SECONDS:
        minutes = IDLE_SECONDS // 60
        return _signed_out(
            _("You were signed out after %(minutes)d minutes without activity.", minutes=minutes)
        )
    hours = current_app.config["SESSION_HOURS"]
    if now - session.get("signed_in", 0) > hours * 3600:  # a session from before: also out
        return _signed_out(
            ngettext(
                "You were signed out: a session lasts at most %(num)d hour.",
                "You were signed out: a session lasts at most %(num)d hours.",
                hours,
            )
        )
    session["seen"] = now
    return None


def _signed_out(message: str):
    logout_user()
    fresh_session()
    flash(message)
    return redirect(url_for(".login"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN, methods=["POST"])
def login():
    """Sign a clinician in; the same words whatever was wrong."""
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        email, db = form.email.data, store.db()
        error = counted_try(email)
        if error:  # this account's tries are throttled, from whatever address
            status = 429
        else:
            method = current_app.config["PASSWORD_HASH"]
            clinician = records.check_login(db, email, form.password.data, method)
            if clinician is not None:
                throttle.forgive(db, email)  # the count is cleared after the second factor
                return pend(clinician)
            error, status = WRONG, 401
    elif form.is_submitted():
        error, status = WRONG, 401
    return render_template("clinician/login.html", form=form, error=error), status


def counted_try(email: str) -> str | None:
    """Count a try for this account before it is checked; or, when the account's tries must
    wait, what to say (the try is then not to be checked)."""
    left = throttle.attempt(store.db(), email)
    if left is None:
        return None
    minutes = max(1, math.ceil(left.total_seconds() / 60))
    return ngettext(
        "There have been too many wrong tries for this account. Wait %(num)d minute, then try "
        "again.",
        "There have been too many wrong tries for this account. Wait %(num)d minutes, then try "
        "again.",
        minutes,
    )


def pend(clinician: records.Clinician):
    """The password was right: hold the sign-in until the second factor is too
    (twofactor.py), for PENDING_SECONDS."""
    fresh_session()  # nothing from before carries over (but the language chosen)
    session["pending"] = {"session": clinician.session_id, "at": int(time.time())}
    return redirect(url_for(".code" if clinician.totp_enrolled else ".enrol"))


def pending() -> records.Clinician | None:
    """The account whose password was just given, if that was recent and it is still theirs."""
    held = session.get("pending")
    if not isinstance(held, dict) or not isinstance(held.get("session"), str):
        return None
    if not isinstance(held.get("at"), int) or time.time() - held["at"] > PENDING_SECONDS:
        return None
    return records.clinician_by_session(store.db(), held["session"])


def start_session(clinician: records.Clinician) -> None:
    """Both factors were right: a fresh session, and word of wrong tries since the last one."""
    failed_tries = throttle.succeeded(store.db(), clinician.email)
    fresh_session()  # nothing from before sign-in carries over (but the language chosen)
    login_user(Account.of(clinician))
    session["seen"] = session["signed_in"] = int(time.time())
    audit(clinician.id, "login")
    if failed_tries:
        flash(
            ngettext(
                "Since you last signed in, there was %(num)d wrong sign-in try for your account. "
                "If that was not you, tell the service that runs this site.",
                "Since you last signed in, there were %(num)d wrong sign-in tries for your "
                "account. If that was not you, tell the service that runs this site.",
                failed_tries,
            )
        )


@bp.post("/logout")
@login_required
def logout():
    """End the session here and everywhere else this account is signed in."""
    clinician_id = current_user.id
    records.end_sessions(store.db(), clinician_id)
    audit(clinician_id, "logout")
    logout_user()
    fresh_session()
    flash(_("You have signed out."))
    return redirect(url_for(".login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(LOGIN, methods=["POST"])
def change_password():
    """Change one's own password: the current one, then the new one twice. Every session of the
    account ends, this one too, so the clinician signs in again with the new password."""
    form, errors = PasswordForm(), []
    if form.validate_on_submit():
        method = current_app.config["PASSWORD_HASH"]
        email = current_user.email
        if records.check_login(store.db(), email, form.current.data or "", method) is None:
            errors.append((_("Your current password is wrong."), "current"))
        elif form.new.data != form.again.data:
            errors.append((_("The new passwords are not the same. Type it twice."), "again"))
        elif problem := new_password_problem(form.new.data or "", email, current_user.name):
            errors.append((problem, "new"))
        else:
            try:
                records.set_password(store.db(), email, form.new.data or "", method)
            except records.RecordError as err:
                errors.append((str(err), "new"))
            else:
                audit(current_user.id, "change_password")
                return _signed_out(_("Your password was changed. Sign in with your new password."))
    elif form.is_submitted():
        errors.append((_("The form had expired. Please try again."), "current"))
    status = 400 if errors else 200
    wrong = {field: message for message, field in errors}
    page = render_template(
        "clinician/password.html", errors=errors, wrong=wrong, password_min=PASSWORD_MIN
    )
    return page, status


# zxcvbn's warnings (it speaks English only), to be said in the page's language; a warning not
# here (another zxcvbn release) is left out rather than shown in English.
GUESSABLE_BECAUSE = frozenset(
    {
        N_("Straight rows of keys are easy to guess."),
        N_("Short keyboard patterns are easy to guess."),
        N_('Repeats like "aaa" are easy to guess.'),
        N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
        N_('Sequences like "abc" or "6543" are easy to guess.'),
        N_("Recent years are easy to guess."),
        N_("Dates are often easy to guess."),
        N_("This is a top-10 common password."),
        N_("This is a top-100 common password."),
        N_("This is a very common password."),
        N_("This is similar to a commonly used password."),
        N_("A word by itself is easy to guess."),
        N_("Names and surnames by themselves are easy to guess."),
        N_("Common names and surnames are easy to guess."),
    }
)


def new_password_problem(password: str, *about: str) -> str | None:
    """Why a new password will not do (the rule of core.passwords), in the page's language; None
    when it will."""
    weakness = password_weakness(password, *about)
    if weakness is None:
        return None
    if weakness.too_short:
        return _("The password must be at least %(num)d characters long.", num=PASSWORD_MIN)
    if weakness.warning in GUESSABLE_BECAUSE:
        return _(
            "This password would be too easy to guess. %(warning)s Use a longer phrase of "
            "unrelated words, not your name or email.",
            warning=_(weakness.warning),
        )
    return _(
        "This password would be too easy to guess. Use a longer phrase of unrelated words, not "
        "your name or email."
    )
