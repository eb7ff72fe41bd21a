"""Referral links: create, pause, resume and delete; each opens the check in a clinician's name."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ...storage import records
from .. import store
from ..forms import Form, plain_text
from ..limits import LINK, limiter
from . import audit, bp


class LinkForm(Form):
    label = StringField(
        _l("Label (only you see it)"),
        filters=[plain_text],
        validators=[
            DataRequired(_l("Enter a label for the link")),
            Length(max=100, message=_l("The label can be at most %(max)d characters")),
        ],
    )
    contact = StringField(
        _l("Contact line your patients see on their result"),
        filters=[plain_text],
        validators=[
            DataRequired(_l("Enter how patients can contact you")),
            Length(max=200, message=_l("The contact line can be at most %(max)d characters")),
        ],
    )


@bp.route("/links", methods=["GET", "POST"])
@login_required
@limiter.limit(LINK, methods=["POST"])
def links():
    """List this clinician's links and make new ones."""
    form = LinkForm()
    if form.validate_on_submit():
        key = current_app.config["SECRET_KEY"]
        records.add_link(store.db(), current_user.id, form.label.data, form.contact.data, key)
        audit(current_user.id, "create_link")
        flash(_("Your new link is ready to copy."))
        return redirect(url_for(".links"))
    found = records.links_of(store.db(), current_user.id, current_app.config["SECRET_KEY"])
    errors = [(messages[0], name) for name, messages in form.errors.items()]
    page = render_template("clinician/links.html", form=form, links=found, errors=errors)
    return page, 400 if errors else 200


@bp.get("/links/<int(max=9223372036854775807):link_id>/delete")
@login_required
def confirm_delete_link(link_id: int):
    """Ask before deleting a link, naming it; the answer posts to change_link."""
    link = records.link_of(store.db(), current_user.id, link_id) or abort(404)
    return render_template("clinician/delete_link.html", link=link)


@bp.post("/links/<int(max=9223372036854775807):link_id>/<any(pause, resume, delete):action>")
@login_required
def change_link(link_id: int, action: str):
    """Pause, resume or delete one of this clinician's links."""
    link = records.link_of(store.db(), current_user.id, link_id) or abort(404)
    if action == "delete":
        records.delete_link(store.db(), link)
        flash(
            _(
                "The link '%(label)s' was deleted. Results shared through it are kept.",
                label=link.label,
            )
        )
    elif action == "resume":
        records.set_link_active(store.db(), link, True)
        flash(_("The link '%(label)s' is active.", label=link.label))
    else:
        records.set_link_active(store.db(), link, False)
        flash(_("The link '%(label)s' is paused.", label=link.label))
    audit(current_user.id, f"{action}_link")
    return redirect(url_for(".links"))
