"""Sign in and out, with rate limits, a fresh session on sign-in, a 30-minute idle timeout and
an absolute lifetime (SESSION_HOURS). The password is the first step; the second factor
(twofactor.py) completes the sign-in."""

from __future__ import annotations

import math
import time

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from ...storage import records, throttle
from .. import store
from ..limits import LOGIN, limiter
from . import Account, audit, bp

IDLE_SECONDS = 30 * 60
PENDING_SECONDS = 5 * 60  # from the right password to the right code
WRONG = "Email or password is wrong."
WAIT = (
    "There have been too many wrong tries for this account. Wait {minutes} minute{s}, then try "
    "again."
)
FAILED_BEFORE = (
    "Since you last signed in, there {tries} for your account. If that was not you, tell the "
    "service that runs this site."
)


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[Length(max=200)])
    new = PasswordField("New password", validators=[Length(max=200)])
    again = PasswordField("New password again", validators=[Length(max=200)])


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[InputRequired(WRONG), Length(max=200)])
    password = PasswordField("Password", validators=[InputRequired(WRONG), Length(max=200)])


@bp.before_request
def idle_timeout():
    """Sign out a clinician idle for 30 minutes, or signed in for SESSION_HOURS, however active."""
    if not current_user.is_authenticated:
        return None
    now = int(time.time())
    if now - session.get("seen", now) > IDLE_SECONDS:
        return _signed_out("You were signed out after 30 minutes without activity.")
    hours = current_app.config["SESSION_HOURS"]
    if now - session.get("signed_in", 0) > hours * 3600:  # a session from before: also out
        return _signed_out(f"You were signed out: a session lasts at most {hours} hours.")
    session["seen"] = now
    return None


def _signed_out(message: str):
    logout_user()
    session.clear()
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
    return WAIT.format(minutes=minutes, s="" if minutes == 1 else "s")


def pend(clinician: records.Clinician):
    """The password was right: hold the sign-in until the second factor is too
    (twofactor.py), for PENDING_SECONDS."""
    session.clear()  # nothing from before carries over
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
    session.clear()  # a fresh session: nothing from before sign-in carries over
    login_user(Account.of(clinician))
    session["seen"] = session["signed_in"] = int(time.time())
    audit(clinician.id, "login")
    if failed_tries:
        many = f"were {failed_tries} wrong sign-in tries"
        flash(FAILED_BEFORE.format(tries="was 1 wrong sign-in try" if failed_tries == 1 else many))


@bp.post("/logout")
@login_required
def logout():
    """End the session here and everywhere else this account is signed in."""
    clinician_id = current_user.id
    records.end_sessions(store.db(), clinician_id)
    audit(clinician_id, "logout")
    logout_user()
    session.clear()
    flash("You have signed out.")
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
            errors.append(("Your current password is wrong.", "current"))
        elif form.new.data != form.again.data:
            errors.append(("The new passwords are not the same. Type it twice.", "again"))
        else:
            try:
                records.set_password(store.db(), email, form.new.data or "", method)
            except records.RecordError as err:
                errors.append((str(err), "new"))
            else:
                audit(current_user.id, "change_password")
                return _signed_out("Your password was changed. Sign in with your new password.")
    elif form.is_submitted():
        errors.append(("The form had expired. Please try again.", "current"))
    status = 400 if errors else 200
    wrong = {field: message for message, field in errors}
    return render_template("clinician/password.html", errors=errors, wrong=wrong), status
