"""A check opened from a clinician's link, and sharing its result only when the person chooses.

Nothing is stored until the person presses Share; then only the answers, their scoring, the mode
and the date are kept, with an optional name or initials: no IP address, browser or cookie.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import Length

from ..core import flow
from ..core import plan as plans
from ..core.scoring import score
from ..core.shares import from_result, parse_code
from ..storage import records
from ..storage import shares as share_records
from ..storage.records import Clinician, Link
from . import drafts, store
from .content import content
from .forms import Form, plain_text
from .i18n import language
from .limits import SHARE, WITHDRAW, limiter

bp = Blueprint("sharing", __name__)


class ShareForm(Form):
    name = StringField(
        _l("Your name or initials (optional)"),
        filters=[plain_text],
        validators=[Length(max=40, message=_l("Use 40 characters or fewer"))],
    )
    include_plan = BooleanField(_l("Include my plan"))  # off unless the person ticks it


class WithdrawForm(Form):
    reference = StringField(_l("Reference code"), validators=[Length(max=20)])
    secret = StringField(_l("Withdrawal code"), validators=[Length(max=40)])
    this_browser = HiddenField()  # set by the button on the page shown right after sharing


def referral(draft: drafts.Draft | None) -> tuple[Link, Clinician] | None:
    """The clinician this check was opened for, while their link is still active."""
    link_id = draft.link if draft else None
    return records.clinician_of_link(store.db(), link_id) if link_id else None


@bp.route("/r/<token>", methods=["GET", "POST"])
def open_link(token: str):
    """Start a check on behalf of a clinician, then leave the token out of the address. A check
    already under way is replaced only when the person says so."""
    link = records.link_by_token(store.db(), token)
    found = records.clinician_of_link(store.db(), link.id) if link else None
    if found is None:
        return render_template("sharing/link_inactive.html"), 404
    draft = _draft()
    if request.method == "POST" or draft is None or not draft.answers:
        drafts.keep(drafts.begin(link.id))  # asked and agreed, or nothing to lose
    elif draft.link != link.id:  # another check under way: ask first
        return render_template("sharing/replace_check.html", clinician=found[1])
    return redirect(url_for("check.start"))  # this link's own check: carry on


@bp.post("/share")
@limiter.limit(SHARE)
def share():
    """Store the finished result for the clinician who sent the link, with consent given here."""
    draft, bank = _draft(), content().bank
    found = referral(draft) if draft and draft.answers else None
    if found is None or flow.first_unanswered(bank, draft.answers) is not None:
        abort(400)
    if draft.share:  # already shared from here (a second press, a resubmission)
        return redirect(url_for(".shared"))
    form = ShareForm()
    if not form.validate():
        flash(_("Your name or initials can be at most 40 characters. Nothing was shared."))
        return redirect(url_for("check.result"))
    link, clinician = found
    if _link_is_busy(link):
        return render_template("sharing/link_busy.html"), 429
    result = from_result(
        bank,
        score(bank, draft.answers),
        clinician_id=clinician.id,
        link_id=link.id,
        created=datetime.datetime.now(datetime.UTC).replace(microsecond=0),
        name=(form.name.data or "").strip() or None,
        language=language(),  # the language the person answered in, for the clinician
        plan=shared_plan(bank, draft) if form.include_plan.data else None,
    )
    try:
        stored, secret = share_records.add_share(store.db(), result, draft.nonce)
    except share_records.AlreadyShared:  # an older copy of this check's cookie, sent again
        return render_template("sharing/already_shared.html"), 409
    drafts.keep(replace(draft, share=stored.code, secret=secret))
    where = {"mode": result.mode, "band": result.band, "language": result.language}
    store.count("shared", link=link.id, **where)  # once: the nonce shares once
    return redirect(url_for(".shared"))


@bp.get("/shared")
def shared():
    """Show the reference code, and the withdrawal code once."""
    draft = _draft()
    if not draft or not draft.answers or not draft.share:
        return redirect(url_for("check.start"))
    drafts.keep(replace(draft, secret=None))  # shown once
    found = referral(draft)
    return render_template(
        "sharing/shared.html",
        reference=draft.share,
        secret=draft.secret,
        clinician=found[1] if found else None,
        link=found[0] if found else None,
    )


NO_MATCH = _l("The codes do not match a shared result. Check both codes and try again.")


@bp.get("/shared/delete")
def confirm_delete():
    """Ask before deleting the result this browser shared; the answer posts to withdraw."""
    draft = _draft()
    if not draft or not draft.share:
        return redirect(url_for(".withdraw"))
    found = referral(draft)
    return render_template(
        "sharing/delete_shared.html",
        reference=draft.share,
        clinician=found[1] if found else None,
    )


@bp.route("/withdraw", methods=["GET", "POST"])
@limiter.limit(WITHDRAW, methods=["POST"])
def withdraw():
    """Delete a shared result: from the browser that shared it, or anywhere with both codes."""
    form = WithdrawForm()
    if form.validate_on_submit():
        draft = _draft()
        own = draft.share if draft else None
        if form.this_browser.data and own:
            deleted = share_records.delete_share(store.db(), own)
        else:
            code = parse_code(form.reference.data or "")
            deleted = (
                share_records.withdraw(store.db(), code, form.secret.data or "") if code else None
            )
            own = own if own == code else None
        if deleted:
            where = {k: deleted[k] for k in ("mode", "band", "language")}
            store.count("withdrawn", link=deleted["link_id"], **where)
            if own:
                drafts.keep(replace(draft, share=None))
            flash(_("Your shared result has been deleted. Your clinician can no longer see it."))
            return redirect(url_for("check.start"))
        return render_template("sharing/withdraw.html", form=form, error=str(NO_MATCH)), 400
    return render_template("sharing/withdraw.html", form=form)


def shared_plan(bank, draft: drafts.Draft) -> plans.Chosen | None:
    """The plan as the person sees it on "My plan" (what still fits their answers), to share
    when they tick the box; None when there is no plan, or nothing in it, to share."""
    if bank.plan is None or draft.plan is None:
        return None
    kept = plans.still_fitting(bank, draft.plan, draft.answers)
    return None if kept.empty else kept


def plan_items(chosen: plans.Chosen) -> list:
    """A shared plan's options, then its reasons, as the bank has them (ids it no longer has
    are left out)."""
    plan = content().bank.plan
    if plan is None:
        return []
    picked = {*chosen.options, *chosen.reasons}
    return [item for item in (*plan.options, *plan.reasons) if item.id in picked]


def _link_is_busy(link: Link) -> bool:
    """Whether a link has had its hour's share of results (from any address), so that one link
    cannot flood its clinician; off, like the other limits, when rate limits are."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    hour_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    limit = current_app.config["LINK_SHARES_PER_HOUR"]
    return share_records.shares_since(store.db(), link.id, hour_ago) >= limit


def _draft() -> drafts.Draft | None:
    try:
        return drafts.load()
    except drafts.DraftUnreadable:
        return None
