"""The respondent's plan after the result: readiness, a menu that fits, and "My plan".

Optional and never scored. Every page is a plain form that works without JavaScript; what is
chosen is kept with the answers in the encrypted cookie and cleared with them, never written
to the server or its logs.
"""

from __future__ import annotations

from dataclasses import replace

from flask import abort, redirect, request, url_for

from ..core import plan as plans
from ..core.scoring import score
from ..core.site import place_help
from . import drafts
from .check import bp, render, with_draft
from .content import content


def _plan_or_404(draft: drafts.Draft):
    """The bank's plan, when it is offered after this result; else not found."""
    bank = content().bank
    if bank.plan is None or not offers_plan(score(bank, draft.answers).band.id):
        abort(404)
    return bank.plan


def offers_plan(band_id: str) -> bool:
    """Whether the result with this band offers the plan (the bank says after which)."""
    plan = content().bank.plan
    return plan is not None and (not plan.bands or band_id in plan.bands)


def _chosen(draft: drafts.Draft) -> plans.Chosen:
    return draft.plan or plans.Chosen()


@bp.route("/plan", methods=["GET", "POST"])
@with_draft(finished=True)
def readiness(draft: drafts.Draft):
    """How ready the person feels, 0 to 10: optional (skip it, or choose nothing)."""
    plan = _plan_or_404(draft)
    chosen = _chosen(draft)
    if request.method == "POST":
        if set(request.form) - {"csrf_token", "readiness"}:
            abort(400)
        raw = request.form.get("readiness")
        if raw is not None and raw not in {str(n) for n in plans.READINESS}:
            abort(400)
        kept = replace(chosen, readiness=None if raw is None else int(raw))
        drafts.keep(replace(draft, plan=kept))
        return redirect(url_for(".plan_choices"))
    return render("plan/readiness.html", draft, plan=plan, ruler=plans.READINESS, chosen=chosen)


@bp.route("/plan/choices", methods=["GET", "POST"])
@with_draft(finished=True)
def plan_choices(draft: drafts.Draft):
    """The menu of options that fit the answers (the readiness's first), and the reasons."""
    plan = _plan_or_404(draft)
    bank = content().bank
    chosen = _chosen(draft)
    if request.method == "POST":
        if set(request.form) - {"csrf_token", "option", "reason"}:
            abort(400)
        try:
            kept = plans.choose(
                bank,
                chosen.readiness,
                request.form.getlist("option"),
                request.form.getlist("reason"),
                answers=draft.answers,
            )
        except ValueError:
            abort(400)
        drafts.keep(replace(draft, plan=kept))
        return redirect(url_for(".my_plan"))
    return render(
        "plan/choices.html",
        draft,
        plan=plan,
        chosen=chosen,
        options=plans.menu(bank, draft.answers, chosen.readiness),
        reasons=plans.offered(bank, plan.reasons, draft.answers),
    )


@bp.get("/my-plan")
@with_draft(finished=True)
def my_plan(draft: drafts.Draft):
    """The plan to print or keep: what they chose, why, and who can help (crisis line too)."""
    plan = _plan_or_404(draft)
    if draft.plan is None:
        return redirect(url_for(".readiness"))
    bank = content().bank
    return render(
        "plan/my_plan.html",
        draft,
        plan=plan,
        chosen=draft.plan,
        options=plans.shown(bank, plan.options, draft.plan.options, draft.answers),
        reasons=plans.shown(bank, plan.reasons, draft.plan.reasons, draft.answers),
        help=place_help(content().region, (), draft.mode),
        crisis=content().region.tagged("crisis"),
    )
