"""The agreements register: the parties' people read it (STARK for Arboga's director),
the samordnare of the constellation registers and changes agreements, with history."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from municipalities.models import Agreement, Constellation, Municipality, ReferenceChange

pytestmark = pytest.mark.django_db


def _page(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _api(username):
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


def test_arboga_finds_stark_with_its_last_day_for_notice(demo):
    stark = Agreement.objects.get(registration_number="KS 2025/412")
    listing = _page("kd.arboga").get(reverse("portfolio:agreement-list"))
    html = listing.content.decode()
    assert listing.status_code == 200 and "STARK" in html and "2028-03-30" in html
    assert "69\u00a0000\u00a0kr" in html or "69 000 kr" in html
    detail = _page("kd.arboga").get(reverse("portfolio:agreement-detail", args=[stark.pk]))
    assert detail.status_code == 200 and "KS 2025/412" in detail.content.decode()
    # Not a party and not in the constellation: the agreement does not exist for them.
    assert (
        _page("kd.skara").get(reverse("portfolio:agreement-detail", args=[stark.pk])).status_code
        == 404
    )
    assert (
        "STARK" not in _page("kd.skara").get(reverse("portfolio:agreement-list")).content.decode()
    )
    # Only the constellation's samordnare is offered to change it; Arboga's director is not.
    assert reverse("portfolio:agreement-edit", args=[stark.pk]) not in detail.content.decode()


def test_the_samordnare_registers_an_agreement_in_the_pages(demo):
    dalsland = Constellation.objects.get(short_name="Dalsland")
    url = reverse("portfolio:agreement-new") + f"?konstellation={dalsland.pk}"
    good = {
        "constellation": dalsland.pk,
        "title": "Avtal om gemensam e-arkivtjänst",
        "form": "avtalssamverkan",
        "parties": [m.pk for m in dalsland.members.filter(code__in=["1460", "1492"])],
        "starts_on": "2026-01-01",
        "ends_on": "2028-12-31",
        "yearly_fee_per_party": "45000",
        "notice_period_months": "6",
        "registration_number": "KS 2026/17",
        "reason": "Portföljstyrgruppen 2025-12-11 § 9",
    }
    samordnare = _page("samordnare")
    before = Agreement.objects.count()
    for change, message in (
        ({"ends_on": "2025-12-31"}, "Avtalet kan inte sluta innan det börjar."),
        ({"yearly_fee_per_party": "-1"}, "Avgiften anges i hela kronor, noll eller mer."),
        ({"yearly_fee_per_party": "12.50"}, "Ange avgiften i hela kronor."),
        ({"parties": []}, "Ett avtal har minst en part."),
        ({"reason": ""}, "Ange beslutet som avtalet bygger på"),
    ):
        response = samordnare.post(url, {**good, **change})
        assert response.status_code == 400, change
        assert message in response.content.decode(), change
    assert Agreement.objects.count() == before
    for username in ("kd.bengtsfors", "programledare", "itchef", "lasare"):
        assert _page(username).post(url, good).status_code == 403
    response = samordnare.post(url, good)
    assert response.status_code == 302
    made = Agreement.objects.get(registration_number="KS 2026/17")
    assert made.notice_deadline == dt.date(2028, 6, 30)
    detail = samordnare.get(response["Location"]).content.decode()
    assert "Avtalet Avtal om gemensam e-arkivtjänst lades till" in detail
    assert "Bengtsfors blev part i avtalet" in detail
    assert "Portföljstyrgruppen 2025-12-11 § 9" in detail


def test_the_api_registers_and_changes_agreements_for_the_samordnare(demo):
    dalsland = Constellation.objects.get(short_name="Dalsland")
    body = {
        "constellation": dalsland.pk,
        "title": "Avtal om drift",
        "parties": [Municipality.objects.get(code="1460").pk],
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "yearly_fee_per_party": 10000,
        "reason": "Portföljstyrgruppen 2025-12-11 § 10",
    }
    assert _api("kd.bengtsfors").post("/api/v1/agreements/", body, format="json").status_code == 403
    skara = Municipality.objects.get(code="1495")
    outside = _api("samordnare").post(
        "/api/v1/agreements/", {**body, "parties": [skara.pk]}, format="json"
    )
    assert outside.status_code == 400 and "parties" in outside.json()["errors"]
    made = _api("samordnare").post("/api/v1/agreements/", body, format="json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    no_reason = _api("samordnare").patch(
        f"/api/v1/agreements/{pk}/", {"yearly_fee_per_party": 12000}, format="json"
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    changed = _api("samordnare").patch(
        f"/api/v1/agreements/{pk}/",
        {"yearly_fee_per_party": 12000, "reason": "Portföljstyrgruppen 2026-02-12 § 3"},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["yearly_fee_per_party"] == 12000
    rows = ReferenceChange.objects.filter(subject="agreement", subject_id=pk)
    assert rows.filter(action="agreement_changed", detail="yearly_fee_per_party").exists()
    assert (
        _api("kd.bengtsfors")
        .patch(f"/api/v1/agreements/{pk}/", {"title": "X", "reason": "x"}, format="json")
        .status_code
        == 403
    )
