"""What axe cannot see about focus: it is never hidden under the sticky "Exit this page" bar
(WCAG 2.4.11), and in forced colours (Windows contrast themes) focusing changes what is drawn
around every focusable element."""

from __future__ import annotations

import pytest
from test_pages import PAGES, SHARING_PAGES, open_page

# The pages with the quick-exit bar: every respondent page (the clinicians' have none).
WITH_BAR = [
    name
    for name in [*PAGES, *SHARING_PAGES]
    if not name.startswith("clinician-") and name != "bad-host"
]
SIZES = {"phone": {"width": 360, "height": 740}, "zoom-400": {"width": 320, "height": 256}}

COVERED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el.closest('.exit-this-page')) return null;
  if (el.closest('dialog[open]')) return null;  // a modal dialog is drawn above everything
  const bar = document.querySelector('.exit-this-page').getBoundingClientRect();
  const box = el.getBoundingClientRect();
  const under = box.top < bar.bottom && box.bottom > bar.top
    && box.left < bar.right && box.right > bar.left;
  const where = `${Math.round(box.top)}-${Math.round(box.bottom)}, bar ${Math.round(bar.bottom)}`;
  return under ? `${el.outerHTML.slice(0, 100)} at ${where}` : null;
}"""
# Everything that can take focus, for both walks below.
CONTROLS = (
    'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])'
)
FOCUSABLE = (
    f"() => [...document.querySelectorAll('{CONTROLS}')]"
    ".filter(el => !el.disabled && el.getClientRects().length).length"
)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", WITH_BAR)
def test_focus_is_never_hidden_under_the_exit_bar(browser, live, name, size):
    """Tab through the page and back with Shift+Tab; no stop may sit under the bar."""
    context, page = open_page(browser, live, name, SIZES[size])
    try:
        assert page.locator(".exit-this-page").count() == 1, "a respondent page has the bar"
        stops = page.evaluate(FOCUSABLE)
        assert stops > 0
        hidden = []
        for key in ["Tab"] * stops + ["Shift+Tab"] * stops:
            page.keyboard.press(key)
            covered = page.evaluate(COVERED)
            if covered:
                hidden.append(f"{key}: {covered}")
        assert hidden == []
    finally:
        context.close()


FORCED_PAGES = [
    "start",
    "question-radios",
    "question-checkboxes-error",
    "check-answers",
    "result-some-signs",
    "shared",
    "withdraw-error",
    "clinician-login",
    "clinician-dashboard",
    "clinician-links",
]
ELEMENTS = (  # the drawn ones (not those in a closed dialog), each numbered
    f"() => [...document.querySelectorAll('{CONTROLS}')]"
    ".filter(el => !el.disabled && el.getClientRects().length)"
    ".map((el, i) => { el.dataset.focusIndex = i; return i; })"
)


@pytest.mark.parametrize("name", FORCED_PAGES)
def test_focus_shows_in_forced_colours(browser, live, name):
    size = {"width": 1280, "height": 900}
    context, page = open_page(browser, live, name, size, forced_colors="active")
    try:
        assert page.evaluate("matchMedia('(forced-colors: active)').matches")
        page.keyboard.press("Shift")  # a keyboard user: programmatic focus shows as :focus-visible
        unchanged = []
        for index in page.evaluate(ELEMENTS):
            element = page.locator(f"[data-focus-index='{index}']")
            element.scroll_into_view_if_needed()
            element.focus()
            box = element.bounding_box()
            if not box or box["width"] == 0:
                continue
            page.evaluate("document.activeElement.blur()")
            clip = {
                "x": max(0, box["x"] - 8),
                "y": max(0, box["y"] - 8),
                "width": box["width"] + 16,
                "height": box["height"] + 16,
            }
            before = page.screenshot(clip=clip)
            element.focus()
            if page.screenshot(clip=clip) == before:
                unchanged.append(element.evaluate("el => el.outerHTML.slice(0, 100)"))
        assert unchanged == []
    finally:
        context.close()


TARGET_COVERED = """href => {
  const el = document.getElementById(href.slice(1));
  const bar = document.querySelector('.exit-this-page').getBoundingClientRect();
  const box = el.getBoundingClientRect();
  return box.top < bar.bottom && box.bottom > bar.top ? el.outerHTML.slice(0, 100) : null;
}"""
ERRORS = [name for name in WITH_BAR if name.endswith("-error")]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ERRORS)
def test_an_error_summary_link_brings_its_field_clear_of_the_bar(browser, live, name, size):
    context, page = open_page(browser, live, name, SIZES[size])
    try:
        links = page.locator(".error-summary a")
        assert links.count() > 0
        for index in range(links.count()):
            href = links.nth(index).get_attribute("href")
            links.nth(index).focus()
            page.keyboard.press("Enter")
            assert page.evaluate(TARGET_COVERED, href) is None, href
    finally:
        context.close()


EDGE = """el => { const s = getComputedStyle(el), box = el.getBoundingClientRect();
  return [s.borderTopWidth, s.borderTopColor, box.width, s.backgroundImage]; }"""


def test_radios_and_checkboxes_are_drawn_with_a_clear_black_edge(browser, live):
    """As GOV.UK's: a 2px black edge (not the browser's faint 1px grey) and a large target."""
    for name, selector in [
        ("question-radios", ".choice__input[type=radio]"),
        ("question-checkboxes-error", ".choice__input[type=checkbox]"),
    ]:
        context, page = open_page(browser, live, name, {"width": 360, "height": 740})
        try:
            for width, colour, size, _ in page.eval_on_selector_all(
                selector, f"els => els.map({EDGE})"
            ):
                assert (width, colour) == ("2px", "rgb(11, 12, 12)") and size >= 28
            if name == "question-checkboxes-error":  # its "Alcohol" and "None" are ticked
                ticked = page.eval_on_selector(f"{selector}:checked", EDGE)
                assert "tick.svg" in ticked[3]
        finally:
            context.close()


# WCAG 1.4.12's text-spacing overrides, as the bookmarklet testers use.
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: .12em !important;
  word-spacing: .16em !important; } p { margin-bottom: 2em !important; }"""
BROKEN = """() => [...document.querySelectorAll('.code, a[href^="tel:"], a[href^="sms:"]')]
  .filter(el => el.getClientRects().length > 1).map(el => el.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize(
    "name", ["shared", "delete-shared", "clinician-links", "result-many-signs-urgent", "start"]
)
def test_text_spacing_at_320px_neither_widens_the_page_nor_breaks_numbers(browser, live, name):
    size = {"width": 320, "height": 640}
    context, page = open_page(browser, live, name, size, bypass_csp=True)  # to add the style
    try:
        page.add_style_tag(content=TEXT_SPACING)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"scrolls sideways by {overflow}px"
        assert page.evaluate(BROKEN) == []
    finally:
        context.close()


SIZE_OF = "sel => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize)"


@pytest.mark.parametrize(
    "name", ["result-many-signs-urgent", "result-esketamine-as-directed-crisis"]
)
def test_the_crisis_heading_is_at_least_as_prominent_as_the_result(browser, live, name):
    context, page = open_page(browser, live, name, {"width": 360, "height": 740})
    try:
        crisis = page.evaluate(SIZE_OF, ".panel--urgent h2")
        assert crisis >= page.evaluate(SIZE_OF, "#band")
        above = page.evaluate(
            "() => document.querySelector('.panel--urgent').getBoundingClientRect().top"
            " < document.querySelector('#band').getBoundingClientRect().top"
        )
        assert above, "crisis help comes first"
    finally:
        context.close()


def test_a_message_after_a_redirect_is_focused_so_it_is_read_first(browser, live):
    context, page = open_page(browser, live, "clinician-dashboard", {"width": 360, "height": 740})
    try:
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/clinician/login")
        focused = page.evaluate("document.activeElement.className")
        assert focused == "notice", focused
        assert "You have signed out." in page.evaluate("document.activeElement.textContent")
    finally:
        context.close()
