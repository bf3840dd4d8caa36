"""A person who forgot their password gets a new one by mail and changes it again on the
profile, in the browser: every password page passes axe, errors are announced."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHOSEN = "Lasaren-valde-sjalv-2026"
CHANGED = "Lasaren-bytte-igen-2027"


def test_forgotten_password_by_mail_then_changed_on_the_profile(visitor):
    page = visitor.goto("/login/")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    page.wait_for_load_state()
    visitor.check("password-reset")
    page.get_by_label("E-postadress").fill("lasare@example.se")
    page.get_by_role("button", name="Skicka länken").click()
    page.wait_for_load_state()
    visitor.check("password-reset-done")

    [message] = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto(visitor.url("/" + link.split("://", 1)[1].split("/", 1)[1]))
    visitor.check("password-reset-confirm")
    page.locator("#id_new_password1").fill(CHOSEN)
    page.locator("#id_new_password2").fill("inte-samma-losenord-1")
    page.get_by_role("button", name="Spara lösenordet").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    visitor.check("password-reset-confirm-errors")
    page.locator("#id_new_password1").fill(CHOSEN)
    page.locator("#id_new_password2").fill(CHOSEN)
    page.get_by_role("button", name="Spara lösenordet").click()
    page.wait_for_load_state()
    visitor.check("password-reset-complete")

    page.goto(visitor.url("/login/"))
    page.fill("#id_username", "lasare")
    page.fill("#id_password", CHOSEN)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert "/login/" not in page.url

    visitor.goto("/profil/")
    page.get_by_role("link", name="Byt lösenord").click()
    page.wait_for_load_state()
    visitor.check("password-change")
    page.locator("#id_old_password").fill(PASSWORD)  # the old demo password, now wrong
    page.locator("#id_new_password1").fill(CHANGED)
    page.locator("#id_new_password2").fill(CHANGED)
    page.get_by_role("button", name="Byt lösenord").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    visitor.check("password-change-errors")
    page.locator("#id_old_password").fill(CHOSEN)
    page.locator("#id_new_password1").fill(CHANGED)
    page.locator("#id_new_password2").fill(CHANGED)
    page.get_by_role("button", name="Byt lösenord").click()
    page.wait_for_load_state()
    visitor.check("password-change-done")
    assert "Lösenordet är bytt" in page.content()
