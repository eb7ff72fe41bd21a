"""Whole checks the way people do them: keyboard only, JavaScript off, printed, and in private."""

from __future__ import annotations

import re

import pytest
from browsing import MANY_SIGNS_IN_CRISIS, PERSONAS, PHONE, SCREENSHOTS
from playwright.sync_api import expect

from screening.core.site import load_region

FOCUSED_IS_VISIBLE = """() => {
  const style = getComputedStyle(document.activeElement);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  return outline || style.boxShadow !== 'none';
}"""


def tab_to(page, selector: str, limit: int = 30) -> None:
    """Press Tab until `selector` has focus, checking every stop shows where focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED_IS_VISIBLE), page.evaluate("document.activeElement.outerHTML")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


# The words the journeys look for, in each language the check is offered in.
WORDS = {
    "en": {
        "start": "Start now", "continue": "Continue", "see result": "See your result",
        "result": "Your result", "self": "My own use", "other": "Someone else's use",
        "print": "Print option", "clear": "Clear my answers and start again",
        "cleared": "Your answers have been cleared.", "error": "Error: ",
        "band self": "fewer signs of risk", "band other": "fewer reasons for concern",
    },
    "es": {
        "start": "Empezar ahora", "continue": "Continuar", "see result": "Ver su resultado",
        "result": "Su resultado", "self": "Mi propio consumo",
        "other": "El consumo de otra persona",
        "print": "opción Imprimir", "clear": "Borrar mis respuestas y empezar de nuevo",
        "cleared": "Sus respuestas se borraron.", "error": "Error: ",
        "band self": "pocas señales de riesgo", "band other": "pocos motivos de preocupación",
    },
}  # fmt: skip


@pytest.mark.parametrize("language", WORDS)
@pytest.mark.parametrize(("mode", "questions"), [("self", 22), ("other", 25)])
def test_keyboard_only_check(browser, live, mode, questions, language):
    words = WORDS[language]
    context = browser.new_context(viewport=PHONE, base_url=live.url, locale=language)
    page = context.new_page()
    page.goto("/")
    tab_to(page, "button.button--start")
    page.keyboard.press("Enter")
    page.wait_for_url("**/questions/respondent")

    tab_to(page, "button[type=submit]")  # Continue with nothing chosen
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")

    asked = []
    while "/questions/" in page.url:
        question = page.url.rsplit("/", 1)[-1]
        asked.append(question)
        tab_to(page, f"input[name={question}]")  # the first option
        page.keyboard.press("Space")
        if question == "respondent" and mode == "other":
            page.keyboard.press("ArrowDown")  # arrows move through a radio group and select
        assert page.locator(f"input[name={question}]:checked").count() == 1
        tab_to(page, "button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url, q=question: not url.endswith(f"/{q}"))
    # First options: once or twice, no treatment, alcohol and urgency (so `despite_harm` is
    # asked); `time_spent` is not (only after weekly or daily use).
    assert len(asked) == questions, asked
    assert {"gave_up", "hazardous", "despite_harm"} <= set(asked)
    assert "time_spent" not in asked
    assert page.get_by_text(words[mode]).count()
    tab_to(page, "form button[type=submit]", limit=questions + 10)  # past a Change link each
    page.keyboard.press("Enter")
    page.wait_for_url("**/result")
    assert page.locator("h1").inner_text() == words["result"]
    assert page.locator("html").get_attribute("lang") == language
    context.close()


@pytest.mark.parametrize("language", WORDS)
@pytest.mark.parametrize("mode", ["self", "other"])
def test_check_without_javascript(browser, live, mode, language):
    words = WORDS[language]
    context = browser.new_context(
        viewport=PHONE, base_url=live.url, java_script_enabled=False, locale=language
    )
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name=words["start"]).click()
    page.get_by_role("button", name=words["continue"]).click()
    expect(page).to_have_title(re.compile(rf"^{words['error']}"))
    choices = {"respondent": mode, "last_use": "past_year", "treatment": "no"}
    choices |= {"mixing": "none", "urinary": "none"}
    while "/questions/" in page.url:
        question = page.url.rsplit("/", 1)[-1]
        option = choices.get(question)
        label = page.locator(f"label[for={question}-{option}]" if option else "label").first
        label.click()
        page.get_by_role("button", name=words["continue"]).click()
    page.get_by_role("button", name=words["see result"]).click()
    assert page.url.endswith("/result")
    assert words[f"band {mode}"] in page.locator("#band").inner_text()
    assert page.locator("[data-print]").is_hidden()  # the Print button needs JavaScript
    expect(page.locator("body")).to_contain_text(words["print"])  # so it says how to print
    page.get_by_role("button", name=words["clear"]).click()
    expect(page.locator("body")).to_contain_text(words["cleared"])
    context.close()


def test_switching_to_spanish_mid_check_keeps_the_answers_without_javascript(browser, live):
    context = browser.new_context(viewport=PHONE, base_url=live.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    page.locator("label[for=respondent-self]").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/questions/last_use")
    page.get_by_role("link", name="Español").click()
    page.wait_for_url("**/questions/last_use")  # the same question
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("link", name="Volver").click()
    expect(page.locator("#respondent-self")).to_be_checked()  # the answer is kept
    context.close()


def test_result_prints_cleanly(browser, live):
    context = browser.new_context(viewport=PHONE, base_url=live.url)
    context.add_cookies([live.draft_cookie(MANY_SIGNS_IN_CRISIS)])
    page = context.new_page()
    page.goto("/result")
    assert page.locator("#band").count() == 1  # the result, not a question still to answer
    page.emulate_media(media="print")
    for hidden in ["header", "footer", ".back-link", "button", "form"]:
        items = page.locator(hidden)
        assert all(items.nth(i).is_hidden() for i in range(items.count())), hidden
    headings = page.locator("main :is(h1, h2, h3):not(.no-print *)")
    assert headings.count() > 10
    assert all(headings.nth(i).is_visible() for i in range(headings.count()))
    text = page.locator("main").inner_text()
    for phone in (r.phone for r in load_region("us").resources if r.phone):
        assert phone in text
    names = page.locator(".contact__name").all_inner_texts()
    assert len(names) == len(set(names)), names  # each help resource appears once
    assert page.locator(".finding").count() >= 4
    # The print stylesheet shows what closed <details> hold, before any script opens them.
    assert page.evaluate("[...document.querySelectorAll('details')].every(d => !d.open)")
    answers = page.locator(".finding__answer")
    assert answers.count() >= 10
    assert all(answers.nth(i).is_visible() for i in range(answers.count()))
    advice = page.locator(".advice p")
    assert advice.count() > 0
    assert all(advice.nth(i).is_visible() for i in range(advice.count()))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "result-print.pdf"))
    # Printing fires beforeprint, and result.js opens every <details> for the printout.
    assert page.evaluate("[...document.querySelectorAll('details')].every(d => d.open)")
    context.close()


def test_answers_in_a_domain_open_with_the_keyboard(browser, live):
    context = browser.new_context(viewport=PHONE, base_url=live.url)
    context.add_cookies([live.draft_cookie(PERSONAS["most_concerning"].answers)])
    page = context.new_page()
    page.goto("/result")
    findings = page.locator("details.finding")
    assert findings.count() == 5  # how often, control, daily life, risky situations, body
    pattern = findings.first
    expect(pattern.locator("summary")).to_have_text("How often: 2 answers to look at")
    answers = pattern.locator(".finding__answer")
    assert answers.count() == 2
    assert not any(answers.nth(i).is_visible() for i in range(2))  # closed until opened

    tab_to(page, "details.finding summary", limit=60)  # past the urgent flags' contacts
    page.keyboard.press("Enter")
    expect(pattern).to_have_attribute("open", "")
    expect(answers).to_have_text(
        [
            "How often in the past 3 months: Daily or almost daily (5 to 7 days a week)",
            "Needing more for the same effect: Yes, much more (twice as much or more)",
        ]
    )
    assert all(answers.nth(i).is_visible() for i in range(2))
    assert page.evaluate("document.querySelectorAll('details.finding[open]').length") == 1
    page.keyboard.press("Enter")  # and Enter closes it again
    expect(pattern).not_to_have_attribute("open", "")
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_journey_stays_on_this_site_and_keeps_no_readable_answers(browser, live, javascript):
    context = browser.new_context(viewport=PHONE, base_url=live.url, java_script_enabled=javascript)
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    chosen = []
    while "/questions/" in page.url:
        option = page.locator("input[type=radio], input[type=checkbox]").first
        chosen.append(option.get_attribute("value"))
        option.check()
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="See your result").click()
    assert page.url.endswith("/result")

    assert requests and all(url.startswith(live.url + "/") for url in requests), requests
    # Answers short enough to occur by chance in random ciphertext ("no") prove nothing.
    telling = {answer for answer in chosen if len(answer) >= 5}
    assert {"past_3_months", "once_twice", "alcohol", "urgency"} <= telling
    assert not any(re.search(rf"\b{re.escape(a)}\b", url) for url in requests for a in telling)
    stored = " ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    assert not any(answer in stored for answer in telling)
    assert not any(question in stored for question in ("last_use", "self_harm", "mixing"))
    if javascript:
        assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    context.close()


def test_referral_share_and_withdraw_without_javascript(browser, live):
    context = browser.new_context(viewport=PHONE, base_url=live.url, java_script_enabled=False)
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(f"/r/{live.link.token}")
    assert page.url == f"{live.url}/"  # the token is gone from the address
    expect(page.locator("body")).to_contain_text("Dr Amira Shah sent you this check")
    page.get_by_role("button", name="Start now").click()
    choices = {"respondent": "self", "last_use": "never"}
    while "/questions/" in page.url:
        question = page.url.rsplit("/", 1)[-1]
        option = choices.get(question)
        page.locator(f"label[for={question}-{option}]" if option else "label").first.click()
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="See your result").click()
    page.locator("summary").click()  # <details> opens without JavaScript
    assert page.get_by_text("Nothing else is sent").is_visible()
    page.fill("#name", "JB")
    page.get_by_role("button", name="Share with Dr Amira Shah").click()
    reference = page.locator(".code").first.inner_text()
    assert re.fullmatch(r"[2-9A-Z]{3}-[2-9A-Z]{3}", reference)
    page.get_by_role("link", name="Delete my shared result now").click()
    expect(page.locator("h1")).to_have_text("Delete your shared result?")  # it asks first
    page.get_by_role("button", name="Yes, delete my shared result").click()
    expect(page.locator("body")).to_contain_text("Your shared result has been deleted")
    assert all(live.link.token not in url for url in requests[1:])
    context.close()


def test_clinician_signs_in_with_the_keyboard_and_no_javascript(browser, live):
    context = browser.new_context(viewport=PHONE, base_url=live.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/clinician/login")
    tab_to(page, "#email")
    page.keyboard.type(live.EMAIL)
    tab_to(page, "#password")
    page.keyboard.type(live.PASSWORD)
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/clinician/code")
    tab_to(page, "#code")
    page.keyboard.type(live.code())
    page.keyboard.press("Enter")  # a text field's Enter submits its form
    page.wait_for_url("**/clinician/")
    tab_to(page, f"a[href$='{live.share.reference}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/results/{live.share.reference}")
    tab_to(page, "a[href$='/fhir']")  # and on, past the answers, to the download
    context.close()


@pytest.mark.parametrize("how", ["shift-three-times", "button", "button-without-javascript"])
def test_quick_exit_leaves_and_clears_the_answers(browser, live, how):
    context = browser.new_context(
        viewport=PHONE, base_url=live.url, java_script_enabled=how != "button-without-javascript"
    )
    context.add_cookies([live.draft_cookie(MANY_SIGNS_IN_CRISIS)])
    page = context.new_page()
    page.goto("/check-answers")
    assert page.url.endswith("/check-answers")  # every answer given: not sent to a question
    history_before = page.evaluate("history.length")
    if how == "shift-three-times":
        for _ in range(3):
            page.keyboard.press("Shift")
    else:
        page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url("**/test-only/neutral")
    assert not [c for c in context.cookies() if c["name"] in ("answers", "session")]
    if how != "button-without-javascript":  # replaced, so Back does not return to the answers
        assert page.evaluate("history.length") == history_before
    page.goto(f"{live.url}/check-answers")
    assert page.url == f"{live.url}/"
    context.close()


def test_a_new_clinician_sets_up_two_factor_sign_in_without_javascript(browser, live):
    """The key as text (as a person would type it into their app), the set-up code and the
    app's code by keyboard, then the recovery codes, shown once, and the dashboard."""
    import pyotp

    context = browser.new_context(viewport=PHONE, base_url=live.url, java_script_enabled=False)
    page = context.new_page()
    setup = live.start_enrolling(page)
    assert page.locator(".qr-code svg[role=img]").is_visible()
    key = page.locator(".secret-key").inner_text()
    tab_to(page, "#setup")
    page.keyboard.type(setup)
    tab_to(page, "#code")
    page.keyboard.type(pyotp.TOTP(key.replace(" ", "")).now())
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Save your recovery codes")
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(set(codes)) == 10
    tab_to(page, "a.button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/clinician/")
    expect(page.locator("h1")).to_have_text("Results shared with you")
    context.close()


def test_the_idle_warning_comes_two_minutes_before_and_lets_the_person_keep_going(browser, live):
    """WCAG 2.2.1: answers are cleared after 30 idle minutes; at 28 a dialog asks, Keep going
    (or Escape) keeps them for another 30, and at 30 without an answer the page leaves."""
    context = browser.new_context(viewport=PHONE, base_url=live.url)
    context.add_cookies([live.draft_cookie({"respondent": "self"})])
    page = context.new_page()
    page.clock.install()
    page.goto("/questions/last_use")
    dialog = page.locator("#idle-warning")
    page.clock.run_for("27:50")
    expect(dialog).to_be_hidden()
    page.clock.run_for("00:20")  # 28:10
    expect(dialog).to_be_visible()
    expect(page.locator("[data-idle-keep]")).to_be_focused()  # the modal took focus
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    page.clock.run_for("27:50")  # the clock started again when the answers were kept
    expect(dialog).to_be_hidden()
    page.clock.run_for("00:20")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")  # closing it keeps the answers too
    expect(dialog).to_be_hidden()
    page.clock.run_for("28:10")
    expect(dialog).to_be_visible()
    assert page.get_by_role("link", name="Clear my answers and leave").is_visible()  # a way out
    page.clock.run_for("02:00")  # nobody answered: the page leaves
    page.wait_for_url(f"{live.url}/")
    context.close()


@pytest.mark.parametrize("mode", ["self", "other"])
def test_a_plan_by_keyboard_without_javascript(browser, live, mode):
    """From the result to "My plan" with the keyboard alone and no script: the ruler's radios
    by arrow keys, the options by Space, and the plan kept on the way back."""
    context = browser.new_context(viewport=PHONE, base_url=live.url, java_script_enabled=False)
    answers = PERSONAS["weekly_only" if mode == "self" else "parent_unknown_self_harm"].answers
    context.add_cookies([live.draft_cookie(answers)])
    page = context.new_page()
    page.goto("/result")
    tab_to(page, "a[href='/plan']", limit=80)
    page.keyboard.press("Enter")
    page.wait_for_url("**/plan")
    tab_to(page, "#readiness-0")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#readiness-5")).to_be_checked()
    page.keyboard.press("Enter")  # a radio's Enter submits its form
    page.wait_for_url("**/plan/choices")
    first = "#option-cut_down" if mode == "self" else "#option-support_them"
    tab_to(page, first)
    assert page.evaluate(FOCUSED_IS_VISIBLE)
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-plan")
    text = page.locator("main").inner_text()
    assert ("Use less ketamine" if mode == "self" else "How I will support them") in text
    assert "How ready I feel: 5 out of 10." in text
    assert "988" in page.locator("main .panel--urgent").inner_text()  # the crisis line first
    page.goto("/plan/choices")
    expect(page.locator(first)).to_be_checked()  # kept
    context.close()


def test_my_plan_prints_cleanly(browser, live):
    """The plan on paper: its choices, steps and the crisis line first, no menus or links."""
    context = browser.new_context(viewport=PHONE, base_url=live.url)
    context.add_cookies([live.draft_cookie(MANY_SIGNS_IN_CRISIS)])
    page = context.new_page()
    page.goto("/plan")
    page.locator("label[for=readiness-6]").click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/plan/choices")
    for choice in ("option-stay_safe", "option-get_help", "reason-health"):
        page.locator(f"label[for={choice}]").click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/my-plan")
    page.emulate_media(media="print")
    for hidden in ["header", "footer", ".back-link", ".no-print"]:
        items = page.locator(hidden)
        assert all(items.nth(i).is_hidden() for i in range(items.count())), hidden
    options = page.locator(".plan__option h3").all_inner_texts()
    assert options == ["Keep myself safe right now", "Talk to a doctor or drug service"]
    assert "988" in page.locator("main .panel--urgent").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "my-plan-print.png"), full_page=True)
    page.pdf(path=str(SCREENSHOTS / "my-plan-print.pdf"))
    context.close()
