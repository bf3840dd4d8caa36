"""The inbox, the header's unread count, the choices page and the API: each person sees
and changes only their own notifications."""

import factories
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from notifications.models import Kind, Mode, Notification
from notifications.selectors import preferences
from notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    anna = factories.user("1460", Role.DIRECTOR, username="anna")
    bo = factories.user("1492", Role.DIRECTOR, username="bo")
    for n in range(3):
        notify(
            kind=Kind.DECISION,
            recipients=[anna],
            title=f"Annas beslut {n}",
            body="Ett beslut.",
            link="/",
            key=f"a{n}",
        )
    notify(kind=Kind.INVITATION, recipients=[bo], title="Bos inbjudan", body="-", link="/", key="b")
    return anna, bo


def test_the_inbox_shows_only_my_own_unread_first(client, people):
    anna, bo = people
    first = Notification.objects.get(title="Annas beslut 0")
    client.force_login(anna)
    client.post(reverse("notifications:mark-read", args=[first.pk]))
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Bos inbjudan" not in page
    assert (
        page.index("Annas beslut 2") < page.index("Annas beslut 1") < page.index("Annas beslut 0")
    )
    assert "2 olästa" in page  # the header's count


def test_i_cannot_mark_someone_elses_notification(client, people):
    anna, bo = people
    theirs = Notification.objects.get(recipient=bo)
    client.force_login(anna)
    assert client.post(reverse("notifications:mark-read", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    client.post(reverse("notifications:mark-all-read"))
    assert not Notification.objects.filter(recipient=anna, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_open_marks_read_and_goes_to_the_page(client, people):
    anna, _ = people
    mine = Notification.objects.filter(recipient=anna).first()
    client.force_login(anna)
    response = client.post(reverse("notifications:mark-read", args=[mine.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None


def test_the_header_count_costs_the_same_for_many_notifications(client, people):
    anna, _ = people
    client.force_login(anna)
    url = reverse("accounts:profile")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        notify(kind=Kind.DECISION, recipients=[anna], title="x", body="x", link="/", key=f"m{n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "23 olästa" in response.content.decode()
    assert len(few) == len(many)


def test_the_choices_page_stores_a_mode_per_kind(client, people):
    anna, _ = people
    client.force_login(anna)
    data = {kind: Mode.IMMEDIATE for kind in Kind.values}
    data[Kind.DECISION] = Mode.DIGEST
    data[Kind.INVITATION] = Mode.OFF
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    chosen = preferences(anna)
    assert (chosen[Kind.DECISION], chosen[Kind.INVITATION]) == (Mode.DIGEST, Mode.OFF)
    data[Kind.DECISION] = "varje-timme"
    page = client.post(reverse("notifications:preferences"), data).content.decode()
    assert "Välj ett av alternativen." in page
    assert preferences(anna)[Kind.DECISION] == Mode.DIGEST


def test_api_lists_and_marks_only_my_own(client, people):
    anna, bo = people
    client.force_login(bo)
    listed = client.get("/api/v1/notifications/").json()
    assert [row["title"] for row in listed["results"]] == ["Bos inbjudan"]
    annas = Notification.objects.filter(recipient=anna).first()
    assert client.post(f"/api/v1/notifications/{annas.pk}/read/").status_code == 404
    mine = Notification.objects.get(recipient=bo)
    answer = client.post(f"/api/v1/notifications/{mine.pk}/read/").json()
    assert answer["read_at"] is not None
    client.force_login(anna)
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 3}


def test_api_preferences_refuse_bad_input_in_swedish(client, people):
    anna, _ = people
    client.force_login(anna)
    assert client.get("/api/v1/notifications/preferences/").json()[Kind.DECISION] == "direkt"
    bad = client.put(
        "/api/v1/notifications/preferences/", {"beslut": "ibland"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"beslut": ["Välj ett av alternativen."]}
    unknown = client.put(
        "/api/v1/notifications/preferences/", {"okand": "av"}, content_type="application/json"
    )
    assert unknown.status_code == 400 and "okand" in unknown.json()["errors"]
    good = client.put(
        "/api/v1/notifications/preferences/", {"beslut": "av"}, content_type="application/json"
    )
    assert good.status_code == 200 and good.json()["beslut"] == "av"


def test_signed_out_gets_no_inbox(client):
    assert client.get(reverse("notifications:inbox")).status_code == 302
    assert client.get("/api/v1/notifications/").status_code == 401
