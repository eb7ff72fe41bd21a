"""Results shared with a clinician: the list, each result, exports."""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re

from clinic import (
    AMIRA,
    BEN,
    FLAGGED,
    PROXY,
    add_link,
    bank,
    execute,
    post_form,
    reference,
    respondent_client,
    scored,
    share,
    shared_through,
    shares,
    signed_in,
)
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from helpers import ALL_CLEAR, Respondent, in_bank_order

from screening.core.shares import from_result
from screening.storage import shares as share_records
from screening.web import store

# Results shared with a clinician --------------------------------------------------------------


def test_a_clinician_lists_only_results_shared_with_them(app, two_clinics):
    amira_share, ben_share = two_clinics
    amira_page = signed_in(app, AMIRA).get("/clinician/").text
    ben_page = signed_in(app, BEN).get("/clinician/").text
    assert reference(amira_share) in amira_page
    assert reference(ben_share) not in amira_page
    assert reference(ben_share) in ben_page
    assert reference(amira_share) not in ben_page


def test_another_clinicians_result_is_not_found(app, two_clinics):
    amira_share, _ = two_clinics
    ben = signed_in(app, BEN)
    ref = reference(amira_share)
    assert ben.get(f"/clinician/results/{ref}").status_code == 404
    assert ben.get(f"/clinician/results/{ref}/fhir").status_code == 404
    deleted = post_form(ben, "/clinician/", f"/clinician/results/{ref}/delete")
    assert deleted.status_code == 404
    assert amira_share["code"] in [row["code"] for row in shares(app)]
    assert ref not in ben.get("/clinician/export.csv").text


def test_results_can_be_shown_for_one_link(app, amira):
    first, second = add_link(app, amira.id, "Mondays"), add_link(app, amira.id, "Fridays")
    _, one = shared_through(app, f"/r/{first.token}")
    _, two = shared_through(app, f"/r/{second.token}")
    browser = signed_in(app)
    everything = browser.get("/clinician/").text
    assert reference(one) in everything
    assert reference(two) in everything
    only_first = browser.get(f"/clinician/?link={first.id}").text
    assert reference(one) in only_first
    assert reference(two) not in only_first
    csv_first = browser.get(f"/clinician/export.csv?link={first.id}").text
    assert {row["reference"] for row in csv.DictReader(io.StringIO(csv_first))} == {reference(one)}


def test_a_result_shows_every_answer_the_thresholds_flags_and_bank_version(app, two_clinics):
    amira_share, _ = two_clinics
    page = html.unescape(signed_in(app).get(f"/clinician/results/{reference(amira_share)}").text)
    result = scored(FLAGGED)
    assert json.loads(amira_share["answers"]) == {
        c.question.id: [o.id for o in c.options] for c in result.counted
    }
    for counted in result.counted:
        assert counted.question.text.get("self", "en") in page, counted.question.id
        labels = "; ".join(o.label.get("self", "en") for o in counted.options)
        answer = f'<span class="table__heading" aria-hidden="true">Answer</span>{labels}</td>'
        assert answer in page, counted.question.id
    thresholds = page[page.index("Thresholds") :]
    for band in bank().score_bands:
        assert (
            f"{band.min}\N{EN DASH}{band.max}" if band.max is not None else f"{band.min}"
        ) in thresholds
        assert band.clinical.get("self", "en") in thresholds
    for band in bank().rule_bands:  # the rules that can replace the group, named
        assert band.clinical.get("self", "en") in thresholds
    note = " ".join(bank().clinical_note.get().split())  # the bank's, where the thresholds are from
    assert f"<p>{note}</p>" in thresholds[: thresholds.index("Flags")]
    assert [f.id for f in result.flags] == ["see_doctor", "mixing_depressants", "bladder"]
    for flag in result.flags:
        assert (flag.clinical or flag.title).get("self", "en") in page, flag.id
    assert f"{bank().id} version {bank().version}" in page
    assert f'<dd class="summary__value">{result.total}</dd>' in page


def test_a_result_shows_the_band_of_the_total_criteria_and_domain_scores(app, amira):
    # Low scores and thoughts of self-harm: the person saw no "fewer signs" headline; the
    # clinician sees what they saw, the band of the total, and the scoring behind it.
    link = add_link(app, amira.id)
    answers = in_bank_order({**ALL_CLEAR, "craving": "sometimes", "self_harm": "often"})
    _, row = shared_through(app, f"/r/{link.token}", answers)
    assert (row["band"], row["score_band"], row["criteria"]) == ("some_signs", None, 1)
    _, low = shared_through(app, f"/r/{link.token}", {**ALL_CLEAR, "self_harm": "often"})
    assert (low["band"], low["score_band"], low["criteria"]) == ("crisis_first", "fewer_signs", 0)
    assert json.loads(low["domains"]) == {"pattern": 2}
    page = html.unescape(signed_in(app).get(f"/clinician/results/{reference(low)}").text)
    assert "Fewer signs (0\N{EN DASH}3), shown without reassurance after a self-harm answer" in page
    assert 'Group of the total</dt><dd class="summary__value">Fewer signs (0\N{EN DASH}3)' in page
    assert 'DSM-5-style criteria with points</dt><dd class="summary__value">0 of 10' in page
    # the domain's score out of its highest on this path, in words and as a bar a quarter long
    row = re.search(r"(?s)How often</td>.*?</tr>", page)[0]
    assert '<span class="bar__words">2 of 8</span>' in row
    assert '<rect class="bar__fill" width="25.0"' in row and 'aria-hidden="true"' in row
    # Shared under another version of the bank: the stored domain scores, not a rescoring.
    execute(app, "UPDATE shares SET bank_version = '0.9', domains = ? WHERE id = ?",
            ('{"pattern": 5}', low["id"]))  # fmt: skip
    page = html.unescape(signed_in(app).get(f"/clinician/results/{reference(low)}").text)
    assert "How often: 5</li>" in page


def test_a_clinician_deletes_a_result(app, two_clinics):
    amira_share, ben_share = two_clinics
    browser = signed_in(app)
    ref = reference(amira_share)
    response = post_form(browser, f"/clinician/results/{ref}", f"/clinician/results/{ref}/delete")
    assert response.status_code == 302
    assert response.location == "/clinician/"
    assert [row["code"] for row in shares(app)] == [ben_share["code"]]
    assert f"Result {ref} was deleted." in browser.get("/clinician/").text
    assert browser.get(f"/clinician/results/{ref}").status_code == 404


def test_the_csv_export_has_a_row_per_answer(app, two_clinics):
    amira_share, _ = two_clinics
    response = signed_in(app).get("/clinician/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    result = scored(FLAGGED)
    assert [row["question_id"] for row in rows] == [c.question.id for c in result.counted]
    for row, counted in zip(rows, result.counted, strict=True):
        assert row["reference"] == reference(amira_share)
        assert row["question"] == counted.question.text.get("self", "en")
        assert row["answer_ids"] == "|".join(o.id for o in counted.options)
        assert row["answers"] == "; ".join(o.label.get("self", "en") for o in counted.options)
        assert row["total"] == str(result.total)
        assert row["band"] == result.band.id
        assert row["flags"] == "see_doctor|mixing_depressants|bladder"


def test_the_fhir_export_is_a_valid_questionnaire_response(app, two_clinics):
    amira_share, _ = two_clinics
    response = signed_in(app).get(f"/clinician/results/{reference(amira_share)}/fhir")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    resource = response.get_json(force=True)
    parsed = QuestionnaireResponse.model_validate(resource)
    assert parsed.status == "completed"
    assert parsed.source.type == "Patient"
    linked = [item.linkId for item in parsed.item]
    assert linked == [
        *json.loads(amira_share["answers"]),
        *("total", "band", "score_band", "criteria", "domains"),
    ]


def test_a_proxy_share_has_a_related_person_as_its_source(app, amira):
    link = add_link(app, amira.id)
    _, row = shared_through(app, f"/r/{link.token}", PROXY)
    assert row["mode"] == "other"
    resource = signed_in(app).get(f"/clinician/results/{reference(row)}/fhir").get_json(force=True)
    parsed = QuestionnaireResponse.model_validate(resource)
    assert parsed.source.type == "RelatedPerson"


def test_the_questionnaire_export_is_a_valid_questionnaire(app, amira):
    response = signed_in(app).get("/clinician/questionnaire.json")
    assert response.status_code == 200
    parsed = Questionnaire.model_validate(response.get_json(force=True))
    assert parsed.version == bank().version
    assert [item.linkId for item in parsed.item][: len(bank().questions)] == [
        q.id for q in bank().questions
    ]


# Many results: the list is paged, the CSV streams --------------------------------------------


def _many_shares(app, clinician_id: int, count: int) -> None:
    """`count` shared results straight into the database, a second apart."""
    base = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    with app.app_context():
        for n in range(count):
            result = from_result(
                bank(),
                scored(ALL_CLEAR),
                clinician_id=clinician_id,
                link_id=None,
                created=base + datetime.timedelta(seconds=n),
            )
            share_records.add_share(store.db(), result, f"many-shares-nonce-{n:06d}")


def test_the_list_is_paged_fifty_at_a_time_newest_first(app, amira):
    _many_shares(app, amira.id, 120)
    browser = signed_in(app)
    first = browser.get("/clinician/").text
    assert first.count('href="/clinician/results/') == 50
    assert "Page 1 of 3 (120 results)" in first
    assert 'rel="next" href="/clinician/?page=2"' in first and 'rel="prev"' not in first
    last = browser.get("/clinician/?page=3").text
    assert last.count('href="/clinician/results/') == 20
    assert 'rel="prev" href="/clinician/?page=2"' in last and 'rel="next"' not in last
    every = set()
    for page in (1, 2, 3):
        every |= set(
            re.findall(
                r'href="/clinician/results/([^"]+)"', browser.get(f"/clinician/?page={page}").text
            )
        )
    assert len(every) == 120  # each result on exactly one page
    assert browser.get("/clinician/?page=99").status_code == 200  # past the end: the last page
    assert "Page 3 of 3" in browser.get("/clinician/?page=99").text
    assert "Download all 120 results as CSV" in first


def test_the_csv_streams_every_result(app, amira):
    _many_shares(app, amira.id, 120)
    response = signed_in(app).get("/clinician/export.csv")
    assert response.is_streamed
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    references = {row[0] for row in rows[1:]}
    assert len(references) == 120


def test_urgent_flags_stand_out_on_the_result_and_the_list(app, amira):
    """A result whose answers raise an urgent flag says so first, in a warning panel, and is
    tagged Urgent in the list; one without says nothing of the kind."""
    from personas import SCENARIOS

    link = add_link(app, amira.id)
    _, urgent = shared_through(app, f"/r/{link.token}", SCENARIOS["many_signs_in_crisis"].answers)
    _, calm = shared_through(app, f"/r/{link.token}", SCENARIOS["weekly_mild"].answers)
    browser = signed_in(app)
    page = browser.get(f"/clinician/results/{reference(urgent)}").text
    panel = re.search(r'<section class="panel panel--urgent".*?</section>', page, re.S)
    assert panel and "Thoughts of self-harm or suicide" in panel.group(0)
    assert page.index("panel--urgent") < page.index('<dl class="summary">')  # before the rest
    assert "panel--urgent" not in browser.get(f"/clinician/results/{reference(calm)}").text
    rows = re.findall(r"<tr[ >].*?</tr>", browser.get("/clinician/").text, re.S)
    tagged = [reference(urgent) in row for row in rows if 'class="tag tag--urgent"' in row]
    assert tagged == [True]


def test_a_result_answered_in_spanish_says_so_to_the_clinician(app, amira):
    """The share keeps the language the person answered in; the clinician reads the answers
    in their own language, with that language named, and the FHIR response carries it."""
    link = add_link(app, amira.id)
    client = respondent_client(app)
    client.get(f"/r/{link.token}")
    client.get("/language/es?next=/")  # the person chose Spanish before starting
    person = Respondent(client)
    person.answer_all(ALL_CLEAR)
    assert person.finish().status_code == 200
    assert share(client).location == "/shared"
    (row,) = shares(app)
    assert row["language"] == "es"
    browser = signed_in(app)
    page = html.unescape(browser.get(f"/clinician/results/{reference(row)}").text)
    assert re.search(r"Answered in</dt><dd[^>]*>Spanish</dd>", page)
    assert "Whose ketamine use are you checking?" in page  # the clinician's language
    fhir = browser.get(f"/clinician/results/{reference(row)}/fhir").get_json(force=True)
    assert fhir["language"] == "es"
    assert "¿De quién" in json.dumps(fhir, ensure_ascii=False)  # as the person read it
