"""The inbox and the choices page in a browser: axe finds nothing, the header shows the
unread count, nothing is wider than a phone's screen."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_inbox_and_choices(visitor):
    page = visitor.login("programledare")
    visitor.goto("/inkorg/")
    assert page.locator("h1").inner_text() == "Inkorg"
    header_link = page.locator(".user-box").get_by_role("link", name="Inkorg")
    assert "oläst" in header_link.inner_text()
    visitor.check("inbox")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="Markera alla som lästa").click()
    page.wait_for_load_state()
    assert "oläst" not in page.locator(".user-box").get_by_role("link", name="Inkorg").inner_text()

    visitor.goto("/profil/")
    page.get_by_role("link", name="Aviseringar: välj vad du får och hur").click()
    page.get_by_role("group", name="Ett grindbeslut har fattats").get_by_label(
        "Daglig sammanfattning via e-post"
    ).check()
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("group", name="Ett grindbeslut har fattats")
        .get_by_label("Daglig sammanfattning via e-post")
        .is_checked()
    )
    visitor.check("preferences")
