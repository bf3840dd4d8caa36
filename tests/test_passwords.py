"""Local accounts change and reset their password on Django's own pages, under the same
lockout as the login and with audit lines; the reset mail goes through a real SMTP
server (tests/smtp_server.py)."""

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

SECURITY_LOGGER = "samverkan.security"
NEW_PASSWORD = "Grindbeslut-Dalsland-2031"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The reset throttle counts in the cache, which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()


def _lines(caplog, event: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == SECURITY_LOGGER and r.getMessage().startswith(event + " ")
    ]


def _person(username: str, email: str) -> User:
    person = factories.user(username=username)
    person.email = email
    person.save(update_fields=["email"])
    return person


def _link_path(body: str) -> str:
    link = next(line.strip() for line in body.splitlines() if "://" in line)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


# --- who reaches which page ------------------------------------------------------------


def test_change_needs_a_login_and_reset_pages_are_public(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        assert client.get(reverse(name)).status_code == 200, name


def test_login_page_links_the_reset_and_the_profile_links_the_change(client):
    assert f'href="{reverse("password_reset")}"' in client.get(reverse("login")).content.decode()
    client.force_login(factories.user(username="lokal"))
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{reverse("password_change")}"' in profile
    assert "Byt lösenord" in profile


def test_single_sign_on_account_gets_no_change_form(client, caplog):
    person = factories.user(username="sso.person")
    person.set_unusable_password()
    person.last_login = timezone.now()
    person.save()
    client.force_login(person)
    assert f'href="{reverse("password_change")}"' not in (
        client.get(reverse("accounts:profile")).content.decode()
    )
    page = client.get(reverse("password_change")).content.decode()
    assert "kommunens konto" in page and 'type="password"' not in page
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        response = client.post(
            reverse("password_change"),
            {"old_password": "x", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
    assert response.status_code == 200
    person.refresh_from_db()
    assert not person.has_usable_password()
    assert not _lines(caplog, "login.failure")


# --- change ----------------------------------------------------------------------------


def test_change_with_the_old_password_sets_the_new_one_and_is_audit_logged(
    client, caplog, django_capture_on_commit_callbacks
):
    person = factories.user(username="byter")
    client.force_login(person)
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("password_change"),
            {
                "old_password": factories.PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    [line] = _lines(caplog, "password.changed")
    assert "user=byter" in line and "ip=127.0.0.1" in line
    assert NEW_PASSWORD not in caplog.text and factories.PASSWORD not in caplog.text
    # Still signed in on this session; the old password no longer logs in.
    assert client.get(reverse("password_change_done")).status_code == 200
    client.logout()
    assert _login(client, "byter", factories.PASSWORD).status_code == 200
    assert _login(client, "byter", NEW_PASSWORD).status_code == 302


def test_a_weak_new_password_is_refused_in_swedish(client):
    person = factories.user(username="svagt")
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "password1234",
            "new_password2": "password1234",
        },
    )
    assert response.status_code == 200
    assert "Det gick inte att spara" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(factories.PASSWORD)


def test_wrong_old_password_is_refused_and_counts_toward_the_lockout(client, caplog, settings):
    person = factories.user(username="gissare")
    client.force_login(person)
    wrong = {
        "old_password": "fel-losenord-123",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    with caplog.at_level(logging.DEBUG):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            refused = client.post(reverse("password_change"), wrong)
            assert refused.status_code == 200
            assert "Det gick inte att spara" in refused.content.decode()
        locked = client.post(reverse("password_change"), wrong)
    failures = _lines(caplog, "login.failure")
    assert locked.status_code == 429
    assert "Inloggningen är spärrad" in locked.content.decode()
    # The session that guessed is ended, and the right password no longer logs in.
    assert "_auth_user_id" not in client.session
    assert _login(client, "gissare", factories.PASSWORD).status_code == 429
    person.refresh_from_db()
    assert person.check_password(factories.PASSWORD)
    assert len(failures) == settings.AXES_FAILURE_LIMIT
    assert all("username=gissare" in line for line in failures)
    assert any("username=gissare" in line for line in _lines(caplog, "login.lockout"))
    assert "fel-losenord-123" not in caplog.text and NEW_PASSWORD not in caplog.text


def test_failed_logins_and_wrong_old_passwords_share_one_count(client, settings):
    person = factories.user(username="blandat")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "blandat", "fel-losenord-123").status_code == 200
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "fel-losenord-123",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 429


# --- reset by mail ---------------------------------------------------------------------


def test_reset_mail_goes_through_smtp_and_the_link_sets_the_password_once(
    client, caplog, smtp_server, django_capture_on_commit_callbacks
):
    _person("glomsk", "glomsk@amal.example.se")
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": "Glomsk@amal.example.se"})
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
        [message] = smtp_server
        assert message["To"] == "glomsk@amal.example.se"
        assert message["Subject"] == "Välj ett nytt lösenord i Samverkan"
        body = message.get_content()
        assert "Hej Test glomsk!" in body and "glomsk" in body
        assert "{" not in body and "uidb64" not in body and "token" not in body
        path = _link_path(body)

        form = client.get(path, follow=True)
        assert form.status_code == 200 and 'type="password"' in form.content.decode()
        set_url = form.redirect_chain[-1][0]
        with django_capture_on_commit_callbacks(execute=True):
            saved = client.post(
                set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
            )
        assert saved.status_code == 302
        assert saved["Location"] == reverse("password_reset_complete")

    [requested] = _lines(caplog, "password.reset_requested")
    assert "users=glomsk" in requested and "ip=127.0.0.1" in requested
    [done] = _lines(caplog, "password.reset_done")
    assert "user=glomsk" in done and "ip=127.0.0.1" in done
    assert NEW_PASSWORD not in caplog.text
    assert _login(client, "glomsk", NEW_PASSWORD).status_code == 302

    # The link is spent: it shows why and sets nothing.
    client.logout()
    again = client.get(path, follow=True)
    assert "Länken fungerar inte längre" in again.content.decode()
    assert 'type="password"' not in again.content.decode()
    other = "Ett-annat-losenord-2032"
    client.post(path, {"new_password1": other, "new_password2": other})
    assert not User.objects.get(username="glomsk").check_password(other)


def test_unknown_address_gets_the_same_page_and_no_mail(
    client, caplog, smtp_server, django_capture_on_commit_callbacks
):
    _person("finns", "finns@amal.example.se")
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        with django_capture_on_commit_callbacks(execute=True):
            known = client.post(reverse("password_reset"), {"email": "finns@amal.example.se"})
            unknown = client.post(
                reverse("password_reset"), {"email": "finns-inte@amal.example.se"}
            )
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert [m["To"] for m in smtp_server] == ["finns@amal.example.se"]
    lines = _lines(caplog, "password.reset_requested")
    assert any("users=finns " in line + " " for line in lines)
    assert any("users=-" in line for line in lines)
    assert all("finns-inte" not in line for line in lines)


def test_reset_requests_are_limited_per_address_without_saying_so(
    client, caplog, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_MAX_PER_ADDRESS = 2
    _person("spammad", "spammad@amal.example.se")
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        with django_capture_on_commit_callbacks(execute=True):
            responses = [
                client.post(reverse("password_reset"), {"email": "spammad@amal.example.se"})
                for _ in range(4)
            ]
    assert {r["Location"] for r in responses} == {reverse("password_reset_done")}
    assert len(mailoutbox) == 2
    assert len(_lines(caplog, "password.reset_throttled")) == 2


def test_a_new_person_whose_welcome_link_expired_may_ask_again_but_not_sso_accounts(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    new = _person("ny.person", "ny@amal.example.se")
    new.set_unusable_password()
    new.save()
    sso = _person("sso.konto", "sso@amal.example.se")
    sso.set_unusable_password()
    sso.last_login = timezone.now()
    sso.save()
    inactive = _person("slutat", "slutat@amal.example.se")
    inactive.is_active = False
    inactive.save()
    with django_capture_on_commit_callbacks(execute=True):
        for address in ("ny@amal.example.se", "sso@amal.example.se", "slutat@amal.example.se"):
            client.post(reverse("password_reset"), {"email": address})
    assert [m.to for m in mailoutbox] == [["ny@amal.example.se"]]


def test_password_pages_in_english_after_the_switch(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("password_reset")).content.decode()
    assert "Forgot your password" in page and "Glömt lösenordet" not in page
    assert "Forgot your password?" in client.get(reverse("login")).content.decode()
