"""The deployer's statistics page and its CSV: the anonymous counts for the whole site, small
numbers suppressed (core/stats.py), with charts drawn on the server and the same in tables."""

from __future__ import annotations

import datetime
import functools

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ...core import stats
from ...core.exports import csv_lines
from ...core.report import band_label
from ...storage import counts, records
from .. import store
from ..content import content
from ..forms import Form
from ..i18n import language_name
from . import audit, charts, signed_in

bp = Blueprint("admin", __name__, url_prefix="/admin")  # the deployer's pages
bp.context_processor(signed_in)
bp.add_app_template_global(charts.bars_svg, "bars_svg")
bp.add_app_template_global(charts.fill, "chart_fill")

DEFAULT_DAYS = 182  # with no dates given: about six months, by week
MOST_ROWS = {"day": 92, "week": 106, "month": 25}  # about 3 months, 2 years, 2 years
EVENT_LABELS = {
    "started": _l("Checks started"),
    "completed": _l("Checks completed"),
    "shared": _l("Results shared"),
    "withdrawn": _l("Shared results withdrawn"),
}
MODE_EVENTS = stats.EVENTS[1:]  # a check started has no mode yet: it is chosen after


class StatsFilter(Form):
    """The page's filters, sent in the address (GET): dates, period, mode and link."""

    class Meta:
        csrf = False  # a search form: it changes nothing

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    period = SelectField(
        _l("Count by"),
        choices=[
            SelectChoice(v, label)
            for v, label in (("week", _l("Week")), ("month", _l("Month")), ("day", _l("Day")))
        ],
        default="week",
    )
    mode = SelectField(
        _l("Answered by"),
        choices=[
            SelectChoice(v, label)
            for v, label in (
                ("", _l("Anyone")),
                ("self", _l("The person")),
                ("other", _l("Someone else")),
            )
        ],
        default="",
    )
    link = SelectField(_l("Link"), default="", choices=[])


def _admin_only() -> None:
    if not current_user.admin:
        abort(403)


def _link_names() -> dict[str, str]:
    """Every link, by id as the counts hold it: "Tuesday clinic (Dr Amira Shah)"."""
    return {str(link.id): f"{link.label} ({name})" for link, name in records.all_links(store.db())}


def _filtered(names: dict[str, str]) -> tuple[StatsFilter, dict]:
    """The filters as sent, and what they ask for; anything odd falls back to the defaults."""
    form = StatsFilter(request.args)
    form.link.choices = [SelectChoice("", _("Every link, and none"))] + [
        SelectChoice(link_id, name) for link_id, name in names.items()
    ]
    if not form.validate():
        for field in form:
            if field.errors:
                field.data = field.default
    end = form.end.data or datetime.date.today()
    start = form.start.data or end - datetime.timedelta(days=DEFAULT_DAYS)
    start, end = stats.span(start, end, form.period.data)  # whole periods only
    rows = stats.periods(start, end, form.period.data)
    most = MOST_ROWS[form.period.data]
    if len(rows) > most:  # a table a person can read: the latest periods of what was asked
        start = rows[-most]
    only = {k: v for k, v in (("mode", form.mode.data), ("link", form.link.data)) if v}
    asked = {"start": start, "end": end, "period": form.period.data, "most": most, **only}
    return form, asked | {"cut": len(rows) > most}


def _tables(asked: dict) -> tuple[stats.Table, stats.Table]:
    """Every event, and completed checks by result band, for what was asked (one read)."""
    db, bands = store.db(), [band.id for band in content().bank.bands]
    span = {"since": asked["start"], "until": asked["end"], "period": asked["period"]}
    span["closed"] = store.closed_sums()
    only = {k: asked[k] for k in ("mode", "link") if k in asked}
    shape = {"period": asked["period"], "start": asked["start"], "end": asked["end"]}
    found = counts.summed(db, ("event", "band"), **span, **only)
    events = stats.table(found, event=None, by="event", columns=stats.EVENTS, **shape)
    by_band = stats.table(found, event="completed", by="band", columns=bands, **shape)
    return events, by_band


def _totals(asked: dict) -> dict[str, dict[str, dict[str, int | None]]]:
    """Each event over the whole span for each link, mode and language with any (one read):
    each breakdown keeps the other filters, not its own (every link's use, for this mode)."""
    found = counts.summed(
        store.db(), ("event", "link", "mode", "language"), asked["start"], asked["end"],
        period=asked["period"], whole=True, closed=store.closed_sums(),
    )  # fmt: skip
    by = {}
    for breakdown in ("link", "mode", "language"):
        only = {k: asked[k] for k in ("mode", "link") if k in asked and k != breakdown}
        kept = [
            c
            for c in found
            if getattr(c, breakdown) and all(getattr(c, k) == v for k, v in only.items())
        ]
        by[breakdown] = stats.totals(
            kept, breakdown, MODE_EVENTS if breakdown == "mode" else stats.EVENTS
        )
    return by


def _words() -> dict[str, str]:
    """How a suppressed cell and a withheld total read, on the page and in the CSV."""
    return {"fewer": _("fewer than 5"), "not_given": _("not given")}


def _period_label(period: str):
    """How the page names a period: "30 Nov 2026" (a day, the first of a week), "November 2026"."""
    return functools.cache(  # each period named once, for both tables
        lambda day: format_date(day, "MMMM y" if period == "month" else "medium")
    )


@bp.get("/stats")
@login_required
def site_stats():
    """The whole site's counts: checks per period, results by band, and each link's use."""
    _admin_only()
    links = _link_names()
    form, asked = _filtered(links)
    events, by_band = _tables(asked)
    bank = content().bank
    labels = {b.id: band_label(bank, b.id, "self") for b in bank.bands}
    text = _words()
    label = _period_label(asked["period"])
    totals = _totals(asked)
    audit(current_user.id, "site_stats")
    return render_template(
        "clinician/stats.html",
        form=form,
        asked=asked,
        events=events,
        event_rows=stats.text_rows(events, **text, label=label),
        by_band=by_band,
        band_rows=stats.text_rows(by_band, **text, label=label),
        checks_chart=stats.chart(events, ["completed"]),
        bands_chart=stats.chart(by_band),
        band_labels=labels,
        event_labels=EVENT_LABELS,
        per_link=totals["link"],
        link_names=links,
        fewer=text["fewer"],
        per_mode=totals["mode"] if "mode" not in asked else {},
        mode_events=MODE_EVENTS,
        mode_names={c.value: c.label for c in form.mode.choices if c.value},
        per_language=totals["language"],
        language_names={code: language_name(code) for code in bank.all_languages},
    )  # fmt: skip


@bp.get("/stats.csv")
@login_required
def site_stats_csv():
    """Completed checks by period and result band, as on the page, for a spreadsheet."""
    _admin_only()
    asked = _filtered(_link_names())[1]
    by_band = _tables(asked)[1]
    rows = stats.text_rows(by_band, **_words())
    audit(current_user.id, "site_stats_csv")
    return Response(
        "".join(csv_lines(rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="checks-by-band.csv"'},
    )
