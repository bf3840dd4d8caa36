"""The samordnare manages people in the browser, by keyboard, at desktop and phone width:
axe finds nothing, privileged roles are never offered, and a new person is saved."""

import pytest

from accounts.models import Role, User
from tests.browser.conftest import tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_samordnare_adds_a_person_with_the_keyboard(visitor):
    page = visitor.login("samordnare")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Personer").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Personer och roller"
    visitor.check("people", full_page=True)
    # Directors are shown but not offered for change.
    director = User.objects.get(username="kd.bengtsfors")
    assert page.locator(f'a[href$="/personer/{director.pk}/andra/"]').count() == 0

    tab_to(page, 'a[href$="/personer/ny/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    visitor.check("person-add")
    assert page.locator(f'input[value="{Role.DIRECTOR}"]').count() == 0
    assert page.locator('input[type="password"]').count() == 0
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    visitor.check("person-add-errors")

    page.fill("#id_username", "ny.lasare")
    page.fill("#id_first_name", "Lo")
    page.fill("#id_last_name", "Berg")
    page.fill("#id_email", "lo.berg@example.se")
    page.select_option("#id_municipality", label="Åmål")
    page.get_by_label("Läsare").check()
    page.fill("#id_reason", "Revisor enligt beslut 2026-11-30")
    tab_to(page, 'main form.form button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Lo Berg är tillagd" in page.content()
    person = User.objects.get(username="ny.lasare")
    assert person.roles == {Role.READER} and person.municipality.name == "Åmål"

    page.set_viewport_size({"width": 390, "height": 800})
    visitor.goto("/personer/")
    visitor.check("people-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
