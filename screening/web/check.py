"""The respondent's pages: start, one question per page, check answers and result (with the
plan after it in plan.py, and the pages around the check in pages.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core import flow
from ..core.bank import Question
from ..core.scale import scale_of
from ..core.scoring import score
from ..core.site import place_help
from . import drafts, sharing, store
from .content import Wording, content
from .forms import EXCLUSIVE, QuestionForm
from .i18n import language
from .limits import SUBMIT, limiter

bp = Blueprint("check", __name__)

# The interface's words are lazy: each is looked up in the page's language when it is used.
RESTART_MESSAGE = _l(
    "Start the check here. To protect your privacy, answers are cleared after %(minutes)s "
    "minutes without activity."
)
UNREADABLE_MESSAGE = _l(
    "We could not continue your check: your answers had expired or could not be read, so they "
    "have been cleared. Please start again."
)
# A question posted once the answers before it were cleared: what happened, and what was kept.
CLEARED = {
    "idle": _l(
        "Your answers were cleared after %(minutes)s minutes without activity, to keep them "
        "private."
    ),
    "unreadable": _l(
        "Your earlier answers had expired or could not be read, so they were cleared."
    ),
}
KEPT_RECORDED = _l("We kept the answer you just gave. Please answer the next questions again.")
KEPT_FILLED = _l(
    "We kept the answer you just gave. It will be filled in when you get back to that question. "
    "Please answer the questions before it again."
)


@bp.get("/")
def start():
    """Show what the check is, how long it takes and what is kept."""
    try:
        draft = drafts.load()
    except drafts.DraftUnreadable:
        draft = None
    return render_template("check/start.html", offer=sharing.referral(draft))


@bp.post("/start")
def begin():
    """Start a fresh check (keeping the referral link it was opened from) and ask question 1."""
    try:
        link = getattr(drafts.load(), "link", None)
    except drafts.DraftUnreadable:
        link = None
    draft = drafts.begin(link)
    drafts.keep(draft)
    store.count("started", draft.nonce, link=link, language=language())
    return redirect(_next_url({}))


def with_draft(finished: bool = False, lost: Callable | None = None) -> Callable:
    """Give a view the check in progress, or send the person to the start with a plain message;
    with `finished`, to the first question still to answer. A post that finds no check goes to
    `lost`, when given, with why ("idle" or "unreadable")."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            try:
                draft = drafts.load()
            except drafts.DraftUnreadable:
                if lost is not None and request.method == "POST":
                    return lost("unreadable", *args, **kwargs)
                flash(str(UNREADABLE_MESSAGE))
                return redirect(url_for(".start"))
            if draft is None:
                if lost is not None and request.method == "POST":
                    return lost("idle", *args, **kwargs)
                flash(RESTART_MESSAGE % {"minutes": current_app.config["DRAFT_MINUTES"]})
                return redirect(url_for(".start"))
            if finished and draft.route.first_unanswered() is not None:
                return redirect(_next_url(draft.answers, route=draft.route))
            return view(draft, *args, **kwargs)

        return wrapper

    return decorate


def known_question(view: Callable) -> Callable:
    """A question the bank does not have is not found, whatever the answers."""

    @functools.wraps(view)
    def wrapper(question_id: str):
        if question_id not in content().bank.by_id:
            abort(404)
        return view(question_id=question_id)

    return wrapper


def answer_after_expiry(why: str, question_id: str):
    """A question posted after the answers were cleared (the page was left open too long):
    begin again, keep the answer just given, and say so. The first question is recorded at once;
    a later one is filled in when the person gets back to it (its meaning rests on the answers
    before it)."""
    bank = content().bank
    draft = drafts.begin()
    forms = [content().forms[mode, question_id]() for mode in bank.modes]
    if all(form.unexpected_input(request.form) for form in forms):
        abort(400)
    form = content().forms[draft.mode, question_id]()
    if draft.route.can_ask(question_id) and form.validate():
        draft = draft.answering(flow.Route.recording(bank, {}, question_id, form.chosen()).answers)
        kept = KEPT_RECORDED
    else:
        posted = frozenset(request.form.getlist(question_id))
        draft = replace(draft, kept=(question_id, posted)) if posted else draft
        kept = KEPT_FILLED if posted else ""
    drafts.keep(draft)
    cleared = CLEARED[why] % {"minutes": current_app.config["DRAFT_MINUTES"]}
    flash(f"{cleared} {kept}".strip())
    return redirect(_next_url(draft.answers, route=draft.route))


@bp.route("/questions/<question_id>", methods=["GET", "POST"])
@limiter.limit(SUBMIT, methods=["POST"])
@known_question
@with_draft(lost=answer_after_expiry)
def question(draft: drafts.Draft, question_id: str):
    """Ask one question; on a valid answer keep it and move on."""
    bank, answers = content().bank, draft.answers
    wording = content().wording(draft.mode, language())
    changing = "change" in request.args
    route = draft.route
    if not route.can_ask(question_id):
        return redirect(_next_url(answers, changing, route))
    q, errors = bank.by_id[question_id], []
    chosen = answers.get(question_id) or draft.kept_for(question_id)
    kept = question_id not in answers and bool(chosen)
    if request.method == "POST":  # a GET needs no form object: the page writes its own fields
        form: QuestionForm = content().forms[draft.mode, question_id]()
        if form.unexpected_input(request.form):
            abort(400)
        if form.validate():
            after = flow.Route.recording(bank, answers, question_id, form.chosen())
            answers = after.answers
            drafts.keep(draft.answering(answers))
            if changing:
                return redirect(_next_url(answers, True, after))
            following = after.next_after(question_id)
            return redirect(_question_url(following) if following else url_for(".check_answers"))
        chosen, errors, kept = form.chosen(), form.answer.errors, False
    previous = route.previous_before(question_id)
    if changing:
        back = url_for(".check_answers")
    else:
        back = _question_url(previous) if previous else url_for(".start")
    position, total = route.progress(question_id)
    return render(
        "check/question.html",
        draft,
        question=q,
        options=q.options_for(draft.mode),
        chosen=chosen,
        error=_error_message(q, errors, chosen, wording),
        hints=bank.hints_for(question_id, answers),
        kept=kept,
        back=back,
        position=position,
        total=total,
    )


@bp.route("/check-answers", methods=["GET", "POST"])
@with_draft(finished=True)
def check_answers(draft: drafts.Draft):
    """List every answer with a way to change it; Continue goes to the result."""
    bank = content().bank
    if request.method == "POST":
        band = score(bank, draft.answers).band.id
        where = {"mode": draft.mode, "band": band, "link": draft.link, "language": language()}
        store.count("completed", draft.nonce, **where)
        return redirect(url_for(".result"))
    steps = [s for s in draft.route.steps if s.relevant]
    return render(
        "check/check_answers.html", draft, steps=steps, back=_question_url(steps[-1].question)
    )


@bp.get("/result")
@with_draft(finished=True)
def result(draft: drafts.Draft):
    """Show what the answers suggest, what to do, and who to contact."""
    result = score(content().bank, draft.answers)
    return render(
        "check/result.html",
        draft,
        result=result,
        scale=scale_of(content().bank, result),
        # in page order: urgent flags, then the info under the band, then the advice
        help=place_help(
            content().region,
            result.flags_at("urgent") + result.flags_at("info") + result.flags_at("advice"),
            result.mode,
        ),
        offer=sharing.referral(draft),
        shared=draft.share,
        draft_plan=draft.plan,
        shared_plan=sharing.shared_plan(content().bank, draft),
        plan_items=sharing.plan_items,
    )


def render(template: str, draft: drafts.Draft, **context) -> str:
    """Render a page of the check in the wording of the draft's mode: own use or another's."""
    wording = content().wording(draft.mode, language())
    idle = drafts.seconds_left()  # for the warning before the answers are cleared (idle.js)
    return render_template(
        template, t=wording, paragraphs=wording.paragraphs, idle_seconds=idle, **context
    )


def _question_url(question: Question, changing: bool = False) -> str:
    if changing:
        return url_for(".question", question_id=question.id, change=1)
    return url_for(".question", question_id=question.id)


def _next_url(
    answers: dict[str, frozenset[str]], changing: bool = False, route: flow.Route | None = None
) -> str:
    """Go to the first question still to answer, or to the check-answers page."""
    following = (route or flow.Route.of(content().bank, answers)).first_unanswered()
    return _question_url(following, changing) if following else url_for(".check_answers")


def _error_message(
    question: Question, errors: list[str], chosen: frozenset[str], wording: Wording
) -> str | None:
    if not errors:
        return None
    if EXCLUSIVE in errors:
        alone = next(o for o in question.options if o.exclusive and o.id in chosen)
        return _(
            "Select '%(answer)s' on its own, or select the answers that apply",
            answer=wording(alone.label),
        )
    return wording(question.error) or _("Select an answer")
