"""Constellations and organisations in the pages and the API: the samordnare sets them
up, everyone else reads or is refused; bad input is a Swedish message and a 400."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from municipalities.models import Constellation, Municipality, Organisation, ReferenceChange
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _page(user):
    client = Client()
    client.force_login(user)
    return client


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def people():
    group = factories.constellation(("1495", "1494"), name="V6 test")
    return {
        "group": group,
        "samordnare": factories.user("1495", "samordnare"),
        "director": factories.user("1494", "kommundirektor"),
        "outsider": factories.user("1460", "samordnare"),
    }


def test_pages_answer_each_role(people):
    group = people["group"]
    urls = {
        "list": reverse("portfolio:constellation-list"),
        "detail": reverse("portfolio:constellation-detail", args=[group.pk]),
        "new": reverse("portfolio:constellation-new"),
        "edit": reverse("portfolio:constellation-edit", args=[group.pk]),
        "membership": reverse("portfolio:constellation-membership", args=[group.pk]),
        "organisations": reverse("portfolio:organisation-list"),
        "organisation-new": reverse("portfolio:organisation-new"),
    }
    expected = {
        "samordnare": dict.fromkeys(urls, 200),
        "director": {
            **dict.fromkeys(urls, 403),
            "list": 200,
            "detail": 200,
            "organisations": 200,
        },
        # A samordnare elsewhere: may start their own, cannot see this one.
        "outsider": {
            **dict.fromkeys(urls, 200),
            "detail": 404,
            "edit": 404,
            "membership": 404,
        },
    }
    for role, statuses in expected.items():
        client = _page(people[role])
        got = {name: client.get(url).status_code for name, url in urls.items()}
        assert got == statuses, role
    anonymous = Client().get(urls["list"])
    assert anonymous.status_code == 302
    detail = _page(people["director"]).get(urls["detail"]).content.decode()
    assert "V6 test" in detail and urls["membership"] not in detail
    assert urls["membership"] in _page(people["samordnare"]).get(urls["detail"]).content.decode()


def test_the_samordnare_creates_and_staffs_a_constellation_in_the_pages(people):
    samordnare = _page(people["samordnare"])
    url = reverse("portfolio:constellation-new")
    good = {
        "name": "Skaraborgs e-arkiv",
        "short_name": "SkEA",
        "collaboration_form": "gemensam_namnd",
        "host_municipality": Municipality.objects.get(code="1495").pk,
        "governance_mode": "shared",
        "joined_on": (TODAY - dt.timedelta(days=10)).isoformat(),
        "reason": "KS 2026-02-01 § 4",
    }
    bad = samordnare.post(url, {**good, "host_municipality": "", "reason": ""})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "En gemensam nämnd ska ha en värdkommun." in html
    assert "Ange beslutet som ändringen bygger på" in html
    assert not Constellation.objects.filter(short_name="SkEA").exists()
    response = samordnare.post(url, good)
    assert response.status_code == 302
    created = Constellation.objects.get(short_name="SkEA")
    membership = reverse("portfolio:constellation-membership", args=[created.pk])
    goliska = Organisation.objects.create(
        name="Göliska IT", kind="kommunalforbund", organisation_number="222000-1719"
    )
    joined = (TODAY - dt.timedelta(days=5)).isoformat()
    assert (
        samordnare.post(
            membership,
            {"action": "join", "member": f"o{goliska.pk}", "on": joined, "reason": "§ 5"},
        ).status_code
        == 302
    )
    early = samordnare.post(
        membership,
        {
            "action": "leave",
            "member": f"o{goliska.pk}",
            "on": (TODAY - dt.timedelta(days=6)).isoformat(),
            "reason": "§ 6",
        },
    )
    assert early.status_code == 400
    assert "Utträdet kan inte ligga före inträdet" in early.content.decode()
    assert list(created.organisations.all()) == [goliska]
    detail = samordnare.get(reverse("portfolio:constellation-detail", args=[created.pk]))
    html = detail.content.decode()
    assert "Göliska IT" in html and joined in html and "Kommunalförbund" in html
    assert f"Göliska IT gick med i Skaraborgs e-arkiv den {joined}" in html
    director = _page(people["director"])
    assert director.post(membership, {"action": "join"}).status_code == 404  # not a member


def test_organisations_in_the_pages_with_a_swedish_message_for_a_wrong_number(people):
    url = reverse("portfolio:organisation-new")
    good = {"name": "Region Västmanland", "kind": "region", "organisation_number": "232100-0172"}
    assert _page(people["director"]).post(url, good).status_code == 403
    samordnare = _page(people["samordnare"])
    for number, message in (
        ("2321000172", "ska skrivas NNNNNN-NNNN"),
        ("232100-0173", "kontrollsiffran"),
    ):
        response = samordnare.post(url, {**good, "organisation_number": number})
        assert response.status_code == 400 and message in response.content.decode()
    assert not Organisation.objects.exists()
    assert samordnare.post(url, good).status_code == 302
    region = Organisation.objects.get()
    edit = reverse("portfolio:organisation-edit", args=[region.pk])
    assert samordnare.post(edit, {**good, "name": "Region Västmanland (RV)"}).status_code == 302
    assert (
        "Region Västmanland (RV)"
        in samordnare.get(reverse("portfolio:organisation-list")).content.decode()
    )


def test_the_api_writes_what_the_pages_write_with_field_errors(people):
    api = _api(people["samordnare"])
    bad = api.post(
        "/api/v1/organisations/",
        {"name": "X", "kind": "region", "organisation_number": "232100-0173"},
        format="json",
    )
    assert bad.status_code == 400
    assert "kontrollsiffran" in str(bad.json())
    region = api.post(
        "/api/v1/organisations/",
        {"name": "Region Sörmland", "kind": "region", "organisation_number": "232100-0032"},
        format="json",
    )
    assert region.status_code == 201
    created = api.post(
        "/api/v1/constellations/",
        {"name": "API-konstellationen", "short_name": "API", "reason": "§ 1"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["members"] == [people["samordnare"].municipality_id]
    url = f"/api/v1/constellations/{pk}/membership/"
    future = api.post(
        url,
        {
            "action": "join",
            "organisation": region.json()["id"],
            "on": (TODAY + dt.timedelta(days=1)).isoformat(),
            "reason": "§ 2",
        },
        format="json",
    )
    assert future.status_code == 400 and "framtiden" in str(future.json())
    both = api.post(
        url,
        {
            "action": "join",
            "organisation": region.json()["id"],
            "municipality": Municipality.objects.get(code="1494").pk,
            "on": TODAY.isoformat(),
            "reason": "§ 2",
        },
        format="json",
    )
    assert both.status_code == 400
    before = ReferenceChange.objects.count()
    joined = api.post(
        url,
        {
            "action": "join",
            "organisation": region.json()["id"],
            "on": TODAY.isoformat(),
            "reason": "§ 3",
        },
        format="json",
    )
    assert joined.status_code == 200 and joined.json()["organisations"] == [region.json()["id"]]
    assert ReferenceChange.objects.count() == before + 1
    patched = api.patch(
        f"/api/v1/constellations/{pk}/",
        {"governance_mode": "lead", "reason": "§ 4"},
        format="json",
    )
    assert patched.status_code == 400
    assert "Vid ledande organisation" in str(patched.json())
    assert "lead_municipality" in str(patched.json())
    refused = _api(people["director"]).post(url, {}, format="json")
    assert refused.status_code == 404  # not a member: the constellation does not exist for them


def test_an_organisation_is_made_a_party_in_the_agreement_page_and_the_api(people):
    from municipalities.models import Agreement

    group = people["group"]
    region = Organisation.objects.create(
        name="Region Västra Götaland", kind="region", organisation_number="232100-0131"
    )
    url = reverse("portfolio:agreement-new") + f"?konstellation={group.pk}"
    values = {
        "constellation": group.pk,
        "title": "Avtal om e-tjänsteplattform",
        "form": "avtalssamverkan",
        "organisations": [region.pk],
        "starts_on": "2026-01-01",
        "ends_on": "2028-12-31",
        "notice_period_months": "6",
        "reason": "KS § 2",
    }
    assert _page(people["samordnare"]).post(url, values).status_code == 302
    agreement = Agreement.objects.get(title="Avtal om e-tjänsteplattform")
    assert list(agreement.organisation_parties.all()) == [region]
    detail = _page(people["director"]).get(
        reverse("portfolio:agreement-detail", args=[agreement.pk])
    )
    assert "Region Västra Götaland" in detail.content.decode()
    api = _api(people["samordnare"])
    response = api.patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"organisations": [], "parties": [people["samordnare"].municipality_id], "reason": "§ 3"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["organisations"] == []
    emptied = api.patch(
        f"/api/v1/agreements/{agreement.pk}/", {"parties": [], "reason": "§ 4"}, format="json"
    )
    assert emptied.status_code == 400 and "minst en part" in str(emptied.json())
