"""The clinician's pages in the clinician's language: every page, message and error in Spanish
for a clinician whose browser asks for it (no English word left), a result answered in one
language read in the other, and the language kept across signing in and out."""

from __future__ import annotations

import datetime
import html
import json
import re

import pyotp
import pytest
from clinic import (
    AMIRA,
    BEN,
    FLAGGED,
    PASSWORD,
    PROXY,
    RECOVERY_CODES,
    REFERENCE,
    add_clinician,
    bank,
    code_step,
    create_link,
    password_step,
    post_form,
    reference,
    respondent_client,
    scored,
    setup_code,
    share,
    shared_through,
    shares,
    sign_in,
    signed_in,
)
from helpers import ALL_CLEAR, Respondent
from web.test_language import _visible, _vocabularies, _words, lang

from screening.core import report
from screening.core.shares import from_result
from screening.storage import shares as share_records
from screening.web import store

SPANISH = {"Accept-Language": "es-US,es;q=0.9,en;q=0.5"}
LABEL = "Consulta del martes"  # a clinician's own words, in their language
CONTACT = "Llame a la clínica al 555-0100"
KEY = re.compile(r'<p class="code code--small secret-key">([A-Z2-7 ]+)</p>')
RECOVERY = re.compile(r'<li class="code code--small">([a-z2-9]{5}-[a-z2-9]{5})</li>')


def spanish(client):
    """A browser that asks for Spanish, as a Spanish-speaking clinician's does."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = SPANISH["Accept-Language"]
    return client


def _labels(page: str) -> str:
    """The words a screen reader says that are not on the page: labels and descriptions."""
    found = re.findall(r'(?:aria-label|<meta name="description" content)="([^"]*)"', page)
    return " ".join(html.unescape(value) for value in found)


def english_left(app, page: str) -> list[str]:
    """The English words on a page (its text, title and labels), leaving out what stays as it
    is in every language: codes (references, keys, recovery codes) and the bank's id."""
    english, spanish_words = _vocabularies(app)
    text = f"{_visible(page)} {_labels(page)}"
    text = REFERENCE.sub(" ", text)
    text = re.sub(r"\b[A-Z2-7]{4}(?: [A-Z2-7]{4}){7}\b", " ", text)  # the key to type
    text = re.sub(r"\b[a-z2-9]{5}-[a-z2-9]{5}\b", " ", text)  # recovery and set-up codes
    text = text.replace(bank().id, " ")
    return sorted(_words(text) & (english - spanish_words))


def _many_shares(app, clinician_id: int, count: int) -> None:
    base = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    with app.app_context():
        for n in range(count):
            made = from_result(
                bank(),
                scored(ALL_CLEAR),
                clinician_id=clinician_id,
                link_id=None,
                created=base + datetime.timedelta(seconds=n),
            )
            share_records.add_share(store.db(), made, f"spanish-nonce-{n:06d}")


def _signing_in_pages(app, amira) -> dict:
    """Every page of signing in, in Spanish, with its errors: the password, the code, setting
    up two-factor sign-in and the recovery codes."""
    pages = {}
    client = spanish(app.test_client())
    pages["sign in"] = client.get("/clinician/login")
    pages["sign in, wrong"] = password_step(client, AMIRA[0], "not the password")
    pages["sign in first"] = client.get(client.get("/clinician/code").location)  # flashed
    password_step(client)
    pages["code"] = client.get("/clinician/code")
    pages["code, wrong"] = code_step(client, "000000")
    pages["code, none"] = code_step(client, "")
    pages["recovery code used"] = client.get(code_step(client, RECOVERY_CODES[0]).location)
    add_clinician(app, BEN, enrolled=False)
    setup = setup_code(app, BEN[0])
    newcomer = spanish(app.test_client())
    assert password_step(newcomer, BEN[0]).location == "/clinician/enrol"
    pages["enrol"] = newcomer.get("/clinician/enrol")
    pages["enrol, wrong"] = post_form(
        newcomer, "/clinician/enrol", "/clinician/enrol", setup="k7m2p-x9q4r", code=""
    )
    secret = KEY.search(pages["enrol"].text).group(1).replace(" ", "")
    pages["recovery codes"] = post_form(
        newcomer, "/clinician/enrol", "/clinician/enrol", setup=setup, code=pyotp.TOTP(secret).now()
    )
    assert len(RECOVERY.findall(pages["recovery codes"].text)) == 10
    return pages


def _signed_in_pages(app, amira) -> dict:
    """Every page a signed-in clinician sees, in Spanish, with its messages and errors."""
    pages = {}
    browser = spanish(signed_in(app))
    pages["results, none"] = browser.get("/clinician/")
    made = post_form(browser, "/clinician/links", "/clinician/links", label=LABEL, contact=CONTACT)
    pages["links, new"] = browser.get(made.location)
    url = re.search(r'readonly value="(http://localhost/r/[^"]+)"', pages["links, new"].text)[1]
    _, flagged = shared_through(app, url, FLAGGED)
    _, proxy = shared_through(app, url, PROXY, name="J. R.")
    pages["results"] = browser.get("/clinician/")
    pages["result"] = browser.get(f"/clinician/results/{reference(flagged)}")
    pages["result, proxy"] = browser.get(f"/clinician/results/{reference(proxy)}")
    pages["delete result"] = browser.get(f"/clinician/results/{reference(proxy)}/delete")
    deleted = post_form(
        browser,
        f"/clinician/results/{reference(proxy)}/delete",
        f"/clinician/results/{reference(proxy)}/delete",
    )
    pages["result deleted"] = browser.get(deleted.location)
    pages["links"] = browser.get("/clinician/links")
    link_id = re.search(r'action="/clinician/links/(\d+)/pause"', pages["links"].text).group(1)
    paused = post_form(browser, "/clinician/links", f"/clinician/links/{link_id}/pause")
    pages["link paused"] = browser.get(paused.location)
    pages["results of a link, none"] = browser.get(f"/clinician/?link={int(link_id) + 1}")
    resumed = post_form(browser, "/clinician/links", f"/clinician/links/{link_id}/resume")
    pages["link resumed"] = browser.get(resumed.location)
    pages["links, errors"] = post_form(
        browser, "/clinician/links", "/clinician/links", label="", contact="x" * 201
    )
    pages["delete link"] = browser.get(f"/clinician/links/{link_id}/delete")
    removed = post_form(
        browser, f"/clinician/links/{link_id}/delete", f"/clinician/links/{link_id}/delete"
    )
    pages["link deleted"] = browser.get(removed.location)
    _many_shares(app, amira.id, 51)
    pages["results, paged"] = browser.get("/clinician/?page=2")
    pages["password"] = browser.get("/clinician/password")
    pages["password, wrong"] = post_form(
        browser, "/clinician/password", "/clinician/password", current="nope", new="a", again="a"
    )
    pages["password, too short"] = post_form(
        browser,
        "/clinician/password",
        "/clinician/password",
        current=PASSWORD,
        new="short",
        again="short",
    )
    pages["password, common"] = post_form(
        browser,
        "/clinician/password",
        "/clinician/password",
        current=PASSWORD,
        new="password1234",
        again="password1234",
    )
    pages["password, not the same"] = post_form(
        browser,
        "/clinician/password",
        "/clinician/password",
        current=PASSWORD,
        new="kettle orbit lantern meadow",
        again="kettle orbit lantern meadows",
    )
    signed_out = post_form(browser, "/clinician/", "/clinician/logout")
    pages["signed out"] = browser.get(signed_out.location)
    return pages


@pytest.mark.parametrize("journey", [_signing_in_pages, _signed_in_pages], ids=["sign in", "in"])
def test_every_clinician_page_in_spanish_shows_no_english_word(app, amira, journey):
    """Every clinician page, message and error in Spanish, `<html lang="es">`, with no English
    word in its text, title or labels (checked against every catalog and bank text)."""
    pages = journey(app, amira)
    assert {name for name, page in pages.items() if lang(page) != "es"} == set()
    found = {name: left for name, page in pages.items() if (left := english_left(app, page.text))}
    assert found == {}


def test_the_spanish_pages_say_what_happened_in_spanish(app, amira):
    """Spot checks of the words, so that a page left out of the catalog cannot pass for one in
    Spanish: the flashed messages, errors, plurals and the password's reasons."""
    pages = {**_signing_in_pages(app, amira), **_signed_in_pages(app, amira)}

    def said(name: str) -> str:
        return " ".join(_visible(pages[name].text).split())

    assert "Iniciar sesión como profesional de la salud" in said("sign in")
    assert "El correo electrónico o la contraseña no son correctos." in said("sign in, wrong")
    assert "Primero inicie sesión." in said("sign in first")
    assert "Escriba su código de verificación" in said("code")
    assert "El código no es correcto o ya se usó." in said("code, wrong")
    assert "Le quedan 9 códigos." in said("recovery code used")
    assert "Configure la verificación en dos pasos" in said("enrol")
    assert 'aria-label="Código QR para escanear' in pages["enrol"].text
    assert "Guarde sus códigos de recuperación" in said("recovery codes")
    assert "Su enlace nuevo está listo para copiar." in said("links, new")
    assert "Se eliminó el resultado" in said("result deleted")
    assert f"El enlace '{LABEL}' está en pausa." in said("link paused")
    assert f"El enlace '{LABEL}' está activo." in said("link resumed")
    assert "Escriba un nombre para el enlace" in said("links, errors")
    assert "Los datos de contacto pueden tener 200 caracteres como máximo" in said("links, errors")
    assert f"¿Eliminar el enlace “{LABEL}”?" in said("delete link")
    assert "Página 2 de 2 (52 resultados)" in said("results, paged")
    assert "Descargar los 52 resultados en CSV" in said("results, paged")
    assert "Su contraseña actual no es correcta." in said("password, wrong")
    assert "La contraseña debe tener al menos 12 caracteres." in said("password, too short")
    common = said("password, common")
    assert "Esta contraseña sería demasiado fácil de adivinar. Es una" in common
    assert "Las contraseñas nuevas no coinciden." in said("password, not the same")
    assert "Cerró la sesión." in said("signed out")
    assert "se eliminan automáticamente 30 días después de compartirse." in said("results")
    assert "Compartido el " in said("delete result") and " a las " in said("delete result")


def _answered_in(page: str) -> str:
    """The row of a result's summary that names the language it was answered in."""
    found = re.search(
        r'<dt class="summary__key">([^<]+)</dt><dd class="summary__value">'
        r"(Inglés|English|Spanish|Español)</dd>",
        page,
    )
    assert found, "no language named"
    return f"{found.group(1)}: {found.group(2)}"


def test_a_spanish_clinician_reads_a_result_answered_in_english_in_spanish(app, amira):
    """The questions, answers, result group and flags in the clinician's language, and the
    language the person answered in named in it."""
    url = create_link(signed_in(app), LABEL, CONTACT)
    _, row = shared_through(app, url, FLAGGED)
    assert row["language"] == "en"
    ref = reference(row)
    page = html.unescape(spanish(signed_in(app)).get(f"/clinician/results/{ref}").text)
    assert '<html lang="es">' in page and _answered_in(page) == "Respondido en: Inglés"
    frequency = bank().by_id["frequency"]
    assert frequency.text.get("self", "es") in page
    assert frequency.option("weekly").label.get("self", "es") in page
    assert frequency.text.get("self", "en") not in page
    assert bank().band(row["band"]).clinical.get("self", "es") in page
    assert "Paciente (autoinforme)" in page
    flags = [flag for flag in bank().flags if flag.id in json.loads(row["flags"])]
    assert flags
    for flag in flags:
        assert (flag.clinical or flag.title).get("self", "es") in page
    assert "Respondido por" in page and "Alertas" in page and "Umbrales" in page
    # and the same result for a clinician whose browser asks for English
    english = html.unescape(signed_in(app).get(f"/clinician/results/{ref}").text)
    assert _answered_in(english) == "Answered in: English"
    assert frequency.text.get("self", "en") in english
    assert frequency.text.get("self", "es") not in english
    assert "The patient (self-report)" in english and '<html lang="en">' in english


def test_an_english_clinician_reads_a_result_answered_in_spanish_in_english(app, amira):
    url = create_link(signed_in(app), LABEL, CONTACT)
    client = respondent_client(app)
    client.get(url.removeprefix("http://localhost"))
    client.get("/language/es?next=/")
    person = Respondent(client)
    person.answer_all(PROXY)
    assert person.finish().status_code == 200 and share(client).location == "/shared"
    (row,) = shares(app)
    assert row["language"] == "es"
    ref = reference(row)
    english = html.unescape(signed_in(app).get(f"/clinician/results/{ref}").text)
    assert _answered_in(english) == "Answered in: Spanish"
    assert "A family member or friend (proxy report)" in english
    assert "'I don't know' answers: 1 of" in english
    relationship = bank().by_id["relationship"]
    assert relationship.text.get("other", "en") in english
    assert relationship.text.get("other", "es") not in english
    in_spanish = html.unescape(spanish(signed_in(app)).get(f"/clinician/results/{ref}").text)
    assert _answered_in(in_spanish) == "Respondido en: Español"
    assert "Un familiar o una amistad (informe de un tercero)" in in_spanish
    assert "Respuestas 'No lo sé': 1 de" in in_spanish
    assert relationship.text.get("other", "es") in in_spanish


def test_the_language_chosen_on_the_site_lasts_through_signing_in_and_out(app, amira):
    """Signing in starts a fresh session, but keeps the language the clinician chose with the
    switch (it says nothing about who they are): the pages stay in it, whatever the browser
    asks for."""
    client = app.test_client()
    client.get("/language/es?next=/clinician/login")
    assert lang(client.get("/clinician/login")) == "es"
    assert sign_in(client).location == "/clinician/"
    assert lang(client.get("/clinician/")) == "es"
    out = post_form(client, "/clinician/", "/clinician/logout")
    page = client.get(out.location)
    assert lang(page) == "es" and "Cerró la sesión." in page.text


def test_the_english_pages_are_as_they_were(app, amira):
    """Without Spanish asked for, the clinician's pages stay in English (the bank's default)."""
    browser = signed_in(app)
    url = create_link(browser, "Tuesday clinic", "Call the clinic")
    _, row = shared_through(app, url, FLAGGED)
    response = browser.get("/clinician/")
    page = response.text
    assert lang(response) == "en" and "Results shared with you" in page
    assert "Shared results are deleted automatically 30 days after they were shared." in page
    result = html.unescape(browser.get(f"/clinician/results/{reference(row)}").text)
    assert "(urgent)" in result and "(advice)" in result and "Answered by" in result
    confirm = browser.get(f"/clinician/results/{reference(row)}/delete").text
    assert "Yes, delete this result" in confirm and " UTC." in confirm


def test_the_report_reads_in_a_language_and_by_default_in_the_bank_s(bank):
    made = from_result(
        bank,
        scored({**ALL_CLEAR, "mixing": ["alcohol"]}),
        clinician_id=1,
        link_id=None,
        created=datetime.datetime(2026, 11, 26, tzinfo=datetime.UTC),
    ).stored_as("K7F3QD")
    english, spanish_report = report.report(bank, made), report.report(bank, made, language="es")
    mixing = bank.by_id["mixing"]
    assert mixing.text.get("self", "en") in [row.question for row in english.rows]
    assert mixing.text.get("self", "es") in [row.question for row in spanish_report.rows]
    assert english.band == bank.band(made.band).clinical.get("self", "en")
    assert spanish_report.band == bank.band(made.band).clinical.get("self", "es")
    assert english.answered_by == "The patient (self-report)"  # the records' own words
    levels = report.report(bank, made, language="es", levels={"advice": "consejo"}).flags
    assert all(not flag.endswith("(advice)") for flag in levels)
