"""The second step of signing in: a code from an authenticator app, or a recovery code.

After the right password the session holds only a pending sign-in (which account, and when),
for auth.PENDING_SECONDS; the account is signed in when the code is right too. An account that has
not set up two-factor sign-in (a new one, or after `clinician reset-2fa`) does so first: a QR
code drawn on the server as SVG, the key as text, then a code to confirm, then ten recovery
codes shown once. Wrong codes count against the account's throttle as wrong passwords do.
"""

from __future__ import annotations

import time

import segno
from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField
from wtforms.validators import Length

from ...core import totp
from ...core.sealing import InvalidToken, fernet
from ...storage import records, throttle, twofactor
from .. import store
from ..content import content
from ..limits import LOGIN, limiter
from . import audit, bp
from .auth import pending, start_session, wait_message

PURPOSE = "screening totp"
WRONG_CODE = "The code is wrong or was used already. Type the newest code your app shows."
NO_CODE = "Type the 6-digit code from your authenticator app."
EXPIRED = "Signing in took more than 5 minutes. Sign in again."
UNREADABLE = (
    "Two-factor sign-in for your account can no longer be read, because this site has a new secret "
    "key. Ask the service that runs this site to reset it, then set it up again."
)


class CodeForm(FlaskForm):
    code = StringField("Security code", validators=[Length(max=40)])


def _start_again():
    """No pending sign-in, or one more than PENDING_SECONDS old: back to the password (or, when
    already signed in, to the results)."""
    if current_user.is_authenticated:
        return redirect(url_for(".dashboard"))
    flash(EXPIRED if session.pop("pending", None) else "Sign in first.")
    return redirect(url_for(".login"))


def _sealer():
    return fernet(current_app.config["SECRET_KEY"], PURPOSE)


def _opened(sealed: str | None) -> str | None:
    """The TOTP secret, or None if there is none or it no longer opens (the key changed)."""
    try:
        return _sealer().decrypt(sealed.encode()).decode() if sealed else None
    except InvalidToken:
        return None


@bp.route("/code", methods=["GET", "POST"])
@limiter.limit(LOGIN, methods=["POST"])
def code():
    """Ask for the code from the app (or a recovery code) after the password."""
    clinician = pending()
    if clinician is None:
        return _start_again()
    if not clinician.totp_enrolled:
        return redirect(url_for(".enrol"))
    form, error, status = CodeForm(), None, 200
    if form.validate_on_submit():
        error, status = _second_factor(clinician, form.code.data or "")
        if error is None:
            return redirect(url_for(".dashboard"))
    elif form.is_submitted():  # (the form's token is checked before: errors.py)
        error, status = WRONG_CODE, 401
    return render_template("clinician/code.html", error=error), status


def _second_factor(clinician: records.Clinician, typed: str) -> tuple[str | None, int]:
    """Check a typed code (an app's, or a recovery code) and sign in if it is right; else the
    error to show and its status. A wrong one counts against the account's throttle."""
    db = store.db()
    waiting = wait_message(clinician.email)
    if waiting:
        return waiting, 429
    held = twofactor.second_factor(db, clinician.id)
    secret = _opened(held.sealed_secret)
    code, recovery = totp.typed_code(typed), totp.typed_recovery_code(typed)
    if code and secret:
        step = totp.matching_step(secret, code, time.time(), held.last_step)
        if step is not None and twofactor.use_step(db, clinician.id, step):
            start_session(clinician)
            return None, 200
    elif recovery:
        left = twofactor.use_recovery_code(db, clinician.id, recovery)
        if left is not None:
            start_session(clinician)
            audit(clinician.id, "recovery_code")
            flash(_recovery_used(left))
            return None, 200
    throttle.failed(db, clinician.email)
    if secret is None and not recovery:
        return UNREADABLE, 401
    return (WRONG_CODE if typed.strip() else NO_CODE), 401


def _recovery_used(left: int) -> str:
    said = f"You signed in with a recovery code. You have {left} left"
    if left > 2:
        return said + "."
    return (
        said + ". Ask the service that runs this site to reset two-factor sign-in, then set it "
        "up again to get new codes."
    )


@bp.route("/enrol", methods=["GET", "POST"])
@limiter.limit(LOGIN, methods=["POST"])
def enrol():
    """Set up two-factor sign-in: scan or type the key, confirm with a code, save the recovery
    codes (shown on this one page, once)."""
    clinician = pending()
    if clinician is None:
        return _start_again()
    if clinician.totp_enrolled:
        return redirect(url_for(".code"))
    secret = _enrolling_secret(clinician)
    form, error, status = CodeForm(), None, 200
    if form.validate_on_submit():
        db, code = store.db(), totp.typed_code(form.code.data or "")
        error = wait_message(clinician.email)
        step = None if error or not code else totp.matching_step(secret, code, time.time())
        if error:
            status = 429
        elif step is not None:
            codes = totp.new_recovery_codes()
            method = current_app.config["PASSWORD_HASH"]
            if twofactor.enrol(db, clinician.id, step, codes, method):
                audit(clinician.id, "enrol_two_factor")
                start_session(clinician)
                shown = [totp.shown_recovery_code(c) for c in codes]
                return render_template("clinician/recovery_codes.html", codes=shown)
            return redirect(url_for(".code"))  # enrolled from another tab: sign in with a code
        else:
            throttle.failed(db, clinician.email)
            error = WRONG_CODE if code else NO_CODE
            status = 401
    elif form.is_submitted():
        error, status = WRONG_CODE, 401
    page = render_template(
        "clinician/enrol.html",
        error=error,
        key=totp.grouped(secret),
        qr=_qr(totp.setup_uri(secret, clinician.email, _issuer())),
    )
    return page, status


def _enrolling_secret(clinician: records.Clinician) -> str:
    """The secret this enrolment shows: made on the first visit and kept (sealed) until it is
    confirmed, so a reload shows the same QR code. One that no longer opens is replaced."""
    db, sealer = store.db(), _sealer()
    held = twofactor.second_factor(db, clinician.id).sealed_secret
    secret = _opened(held)
    if secret:
        return secret
    sealed = sealer.encrypt(totp.new_secret().encode()).decode()
    return _opened(twofactor.begin(db, clinician.id, sealed, instead_of=held))


def _issuer() -> str:
    return content().site.service.name or "Ketamine self-check"


def _qr(uri: str) -> Markup:
    """The setup address as an inline SVG QR code: no script, no request, CSP-safe."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="qr"
    )
    label = 'role="img" aria-label="QR code to scan with your authenticator app"'
    return Markup(svg.replace("<svg ", f"<svg {label} ", 1))  # segno's own markup
