"""The results patients shared: list, detail, print, delete, and CSV and FHIR exports."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import closing

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core import exports, stats
from ...core.flow import AnswerError, parse_answers
from ...core.scoring import score
from ...core.shares import Share, parse_code
from ...storage import connection, counts, records
from ...storage import shares as share_records
from .. import store
from ..content import content
from ..i18n import language
from ..sharing import plan_items
from . import audit, bp

LINK_EVENTS = ("completed", "shared")  # what a clinician sees of their links' use
PAGE_SIZE = 50  # shared results per page of the list; the CSV streams them all


def _link_filter() -> int | None:
    """The ?link= filter, if it can name a link at all (SQLite integers are 64-bit)."""
    link_id = request.args.get("link", type=int)
    return link_id if link_id is not None and 0 < link_id < 2**63 else None


def _share_or_404(reference: str) -> Share:
    code = parse_code(reference)
    found = code and share_records.share_of(store.db(), current_user.id, code)
    return found or abort(404)


@bp.get("/")
@login_required
def dashboard():
    """List the results shared with this clinician, optionally through one link."""
    link_id = _link_filter()
    total = share_records.count_shares(store.db(), current_user.id, link_id)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    offset = (page - 1) * PAGE_SIZE
    shares = list(share_records.shares_of(store.db(), current_user.id, link_id, PAGE_SIZE, offset))
    links = {link.id: link for link in records.links_of(store.db(), current_user.id)}
    use = stats.totals(  # since counts began: the months' sums, the fewest rows
        counts.summed(
            store.db(),
            ("event", "link"),
            links=tuple(links),
            period="month",
            whole=True,
            closed=store.closed_sums(),
        )
    )
    audit(current_user.id, "list_results")
    return render_template(
        "clinician/dashboard.html",
        shares=shares,
        links=links,
        link_id=link_id,
        page=page,
        pages=pages,
        total=total,
        link_use={link_id: use.get(str(link_id), dict.fromkeys(LINK_EVENTS)) for link_id in links},
    )


@bp.get("/results/<reference>")
@login_required
def result(reference: str):
    """Show one shared result in full: answers, findings, flags and thresholds."""
    share = _share_or_404(reference)
    bank = content().bank
    rescored = None
    if share.bank_id == bank.id and share.bank_version == bank.version:
        try:
            rescored = score(bank, parse_answers(bank, share.answers))
        except AnswerError:
            rescored = None
    audit(current_user.id, "view_result", share.code)
    # the bank's words as the respondent saw them, in the clinician's language
    wording = content().wording(share.mode, language())
    return render_template(
        "clinician/result.html",
        share=share,
        result=rescored,
        t=wording,
        paragraphs=wording.paragraphs,
        plan_items=plan_items,
    )


@bp.get("/results/<reference>/delete")
@login_required
def confirm_delete(reference: str):
    """Ask before deleting a shared result, naming it."""
    return render_template("clinician/delete_result.html", share=_share_or_404(reference))


@bp.post("/results/<reference>/delete")
@login_required
def delete(reference: str):
    share = _share_or_404(reference)
    audit(current_user.id, "delete_result", share.code)  # before: the log names the share's id
    share_records.delete_share(store.db(), share.code)
    flash(_("Result %(reference)s was deleted.", reference=share.reference))
    return redirect(url_for(".dashboard"))


@bp.get("/results/<reference>/fhir")
@login_required
def fhir(reference: str):
    """One result as a FHIR R4 QuestionnaireResponse."""
    share = _share_or_404(reference)
    audit(current_user.id, "export_fhir", share.code)
    body = json.dumps(exports.questionnaire_response(content().bank, share), indent=2)
    return _download(body, "application/fhir+json", f"{share.reference}.json")


@bp.get("/export.csv")
@login_required
def export_csv():
    """Every shared result (or one link's) as CSV, a row per answer."""
    link_id, clinician_id, bank = _link_filter(), current_user.id, content().bank
    audit(clinician_id, "export_csv")

    def lines() -> Iterator[str]:  # its own connection: it outlives the request's
        with closing(connection.connect(current_app.config["DATABASE"])) as db:
            shares = share_records.shares_of(db, clinician_id, link_id)
            yield from exports.csv_lines(exports.each_csv_row(bank, shares))

    return _download(stream_with_context(lines()), "text/csv; charset=utf-8", "shared-results.csv")


@bp.get("/questionnaire.json")
@login_required
def questionnaire():
    """The question bank as a FHIR R4 Questionnaire."""
    body = json.dumps(exports.questionnaire(content().bank), indent=2)
    return _download(body, "application/fhir+json", f"{content().bank.id}.json")


def _download(body: str | Iterable[str], mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
