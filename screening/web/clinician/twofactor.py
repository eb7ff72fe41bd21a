"""The second step of signing in: a code from an authenticator app, or a recovery code.

After the right password the session holds only a pending sign-in (which account, and when),
for auth.PENDING_SECONDS; the account is signed in when the code is right too. An account that
has not set up two-factor sign-in (a new one, or after `clinician reset-2fa`) does so first,
with the one-time set-up code the deployer gave it (so a password alone never signs in): a QR
code drawn on the server as SVG and the key as text, made for this pending sign-in only and
kept sealed in its session; then the set-up code and a code from the app; then ten recovery
codes, shown once. Every try is counted against the account's throttle before it is checked.
"""

from __future__ import annotations

import time

import segno
from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from wtforms import StringField
from wtforms.validators import Length

from ...core import totp
from ...core.sealing import InvalidToken, fernet
from ...storage import records, twofactor
from .. import store
from ..content import content
from ..forms import Form
from ..limits import LOGIN, limiter
from . import N_, audit, bp
from .auth import counted_try, pending, start_session

PURPOSE = "screening totp"
WRONG_CODE = N_("The code is wrong or was used already. Type the newest code your app shows.")
NO_CODE = N_("Type the 6-digit code from your authenticator app.")
WRONG_SETUP = N_(
    "The set-up code is wrong, or more than 7 days old. Check it, or ask the service that runs "
    "this site for a new one."
)
EXPIRED = N_("Signing in took more than 5 minutes. Sign in again.")
UNREADABLE = N_(
    "Two-factor sign-in for your account can no longer be read, because this site has a new "
    "secret key. Ask the service that runs this site to reset it, then set it up again."
)


class CodeForm(Form):
    code = StringField(_l("Security code"), validators=[Length(max=40)])


class EnrolForm(CodeForm):
    setup = StringField(_l("Set-up code"), validators=[Length(max=40)])


def _start_again():
    """No pending sign-in, or one more than PENDING_SECONDS old: back to the password (or, when
    already signed in, to the results)."""
    if current_user.is_authenticated:
        return redirect(url_for(".dashboard"))
    flash(_(EXPIRED) if session.pop("pending", None) else _("Sign in first."))
    return redirect(url_for(".login"))


def _sealer():
    return fernet(current_app.config["SECRET_KEY"], PURPOSE)


def _opened(sealed: str | None) -> str | None:
    """The TOTP secret, or None if there is none or it no longer opens (the key changed)."""
    try:
        return _sealer().decrypt(sealed.encode()).decode() if sealed else None
    except InvalidToken:
        return None


def _method() -> str:
    return current_app.config["PASSWORD_HASH"]


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
        error, status = _(WRONG_CODE), 401
    return render_template("clinician/code.html", error=error), status


def _second_factor(clinician: records.Clinician, typed: str) -> tuple[str | None, int]:
    """Check a typed code (an app's, or a recovery code), counted first, and sign in if it is
    right; else the error to show and its status."""
    waiting = counted_try(clinician.email)
    if waiting:
        return waiting, 429
    db = store.db()
    held = twofactor.second_factor(db, clinician.id)
    secret = _opened(held.sealed_secret)
    code, recovery = totp.typed_code(typed), totp.typed_one_time_code(typed)
    if code and secret:
        step = totp.matching_step(secret, code, time.time(), held.last_step)
        if step is not None and twofactor.use_step(db, clinician.id, step):
            start_session(clinician)
            return None, 200
    elif recovery:
        left = twofactor.use_recovery_code(db, clinician.id, recovery, _method())
        if left is not None:
            start_session(clinician)
            audit(clinician.id, "recovery_code")
            flash(_recovery_used(left))
            return None, 200
    if secret is None and not recovery:
        return _(UNREADABLE), 401
    return _(WRONG_CODE if typed.strip() else NO_CODE), 401


def _recovery_used(left: int) -> str:
    if left > 2:
        return ngettext(
            "You signed in with a recovery code. You have %(num)d left.",
            "You signed in with a recovery code. You have %(num)d left.",
            left,
        )
    if left == 0:
        return _(
            "You signed in with your last recovery code. Ask the service that runs this site to "
            "reset two-factor sign-in, then set it up again to get new codes."
        )
    return ngettext(
        "You signed in with a recovery code. You have %(num)d left. Ask the service that runs "
        "this site to reset two-factor sign-in, then set it up again to get new codes.",
        "You signed in with a recovery code. You have %(num)d left. Ask the service that runs "
        "this site to reset two-factor sign-in, then set it up again to get new codes.",
        left,
    )


@bp.route("/enrol", methods=["GET", "POST"])
@limiter.limit(LOGIN, methods=["POST"])
def enrol():
    """Set up two-factor sign-in: scan or type the key, type the set-up code and a code from
    the app, save the recovery codes (shown on this one page, once)."""
    clinician = pending()
    if clinician is None:
        return _start_again()
    if clinician.totp_enrolled:
        return redirect(url_for(".code"))
    secret = _enrolling_secret()
    form, errors, status = EnrolForm(), [], 200
    if form.validate_on_submit():
        waiting = counted_try(clinician.email)
        if waiting:
            errors, status = [(waiting, "setup")], 429
        else:
            errors, step = _check_enrolment(clinician, secret, form)
            if not errors:
                return _enrolled(clinician, secret, step)
            status = 401
    elif form.is_submitted():
        errors, status = [(_(WRONG_SETUP), "setup")], 401
    wrong = {field: message for message, field in errors}
    page = render_template(
        "clinician/enrol.html",
        form=form,
        errors=errors,
        wrong=wrong,
        key=totp.grouped(secret),
        qr=_qr(totp.setup_uri(secret, clinician.email, _issuer())),
    )
    return page, status


def _check_enrolment(
    clinician: records.Clinician, secret: str, form: EnrolForm
) -> tuple[list[tuple[str, str]], int | None]:
    """What is wrong with an enrolment's two codes (as (message, field) pairs), and the step
    of the app's code when it is right."""
    setup = totp.typed_one_time_code(form.setup.data or "")
    code = totp.typed_code(form.code.data or "")
    errors = []
    if not twofactor.setup_code_ok(store.db(), clinician.id, setup, _method()):
        errors.append((_(WRONG_SETUP), "setup"))
    step = totp.matching_step(secret, code, time.time()) if code else None
    if step is None:
        errors.append((_(WRONG_CODE if code else NO_CODE), "code"))
    return errors, step


def _enrolled(clinician: records.Clinician, secret: str, step: int):
    codes = totp.new_recovery_codes()
    sealed = _sealer().encrypt(secret.encode()).decode()
    if not twofactor.enrol(store.db(), clinician.id, sealed, step, codes, _method()):
        return redirect(url_for(".code"))  # enrolled from another tab: sign in with a code
    audit(clinician.id, "enrol_two_factor")
    start_session(clinician)  # (the session's enrolment secret goes with the rest)
    shown = [totp.shown_code(c) for c in codes]
    return render_template("clinician/recovery_codes.html", codes=shown)


def _enrolling_secret() -> str:
    """The secret this pending sign-in is shown: made on its first visit, and kept sealed in its
    own session (not the database, where another sign-in with the password could read it), so
    a reload shows the same QR code."""
    secret = _opened(session.get("enrolling"))
    if secret is None:
        secret = totp.new_secret()
        session["enrolling"] = _sealer().encrypt(secret.encode()).decode()
    return secret


def _issuer() -> str:
    name = content().site.service.name
    return name.get("self", content().bank.language) if name else "Ketamine self-check"


def _qr(uri: str) -> Markup:
    """The setup address as an inline SVG QR code: no script, no request, CSP-safe."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="qr"
    )
    label = Markup('role="img" aria-label="{}"').format(
        _("QR code to scan with your authenticator app")
    )
    return Markup(svg.replace("<svg ", f"<svg {label} ", 1))  # segno's own markup
