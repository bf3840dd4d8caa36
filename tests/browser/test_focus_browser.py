"""Keyboard users see where they are and are taken to what went wrong (WCAG 2.1 AA:
1.4.11 non-text contrast of the focus indicator, 3.3.1 errors identified, 2.4.3 focus
order): the focus ring stands out at least 3:1 against the page, and a refused form
moves the focus to its error summary."""

import re

import pytest

from tests.browser.conftest import PASSWORD, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _luminance(rgb: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])

    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def _contrast(one: str, other: str) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_stands_out_on_the_page_and_in_the_header(visitor):
    page = visitor.login("programledare")
    link = tab_to(page, "main a")
    ring = link.evaluate("e => getComputedStyle(e).outlineColor")
    page_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert _contrast(ring, page_background) >= 3, (ring, page_background)
    page.goto(visitor.url("/"))
    header_link = tab_to(page, ".site-header nav a")
    ring = header_link.evaluate("e => getComputedStyle(e).outlineColor")
    header = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert _contrast(ring, header) >= 3, (ring, header)


def test_a_refused_form_takes_the_focus_to_what_went_wrong(visitor):
    page = visitor.page
    page.goto(visitor.url("/login/"))
    page.fill("#id_username", "programledare")
    page.fill("#id_password", PASSWORD + "fel")
    page.get_by_role("button", name="Logga in").click()
    # The browser moves focus to an autofocus element at its next rendering, after load.
    page.wait_for_function("document.activeElement.classList.contains('form-errors')")

    visitor.login("samordnare")
    page.goto(visitor.url("/personer/ny/"))
    page.get_by_role("button", name="Spara").click()
    page.wait_for_function("document.activeElement.id === 'form-errors'")
    visitor.check("person-add-errors-focused")
