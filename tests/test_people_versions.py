"""A person and a year's budget carry what the editor saw: a change made from an
outdated page or API read is refused instead of overwriting someone else's change
(issue: every editable record has a version)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role, User
from portfolio.demo.content import DEMO_PASSWORD
from portfolio.models import Program, ProgramBudget

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(demo):
    return User.objects.get(username="samordnare")


@pytest.fixture
def api(coordinator):
    client = APIClient()
    client.force_authenticate(coordinator)
    return client


def _page_data(person, **changes):
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "municipality": person.municipality_id,
        "title": person.title,
        "roles": sorted(person.roles),
        "is_active": "on",
        "reason": "Enligt beslut",
        "version": person.version,
        **changes,
    }


def test_a_person_edited_from_an_outdated_api_read_is_refused(api):
    itchef = User.objects.get(username="itchef")
    url = f"/api/v1/people/{itchef.pk}/"
    seen = api.get(url)
    assert seen["ETag"] == '"1"' and seen.json()["version"] == 1
    saved = api.patch(url, {"title": "IT-chef"}, format="json", HTTP_IF_MATCH=seen["ETag"])
    assert saved.status_code == 200 and saved["ETag"] == '"2"'
    stale = api.patch(url, {"title": "Chef"}, format="json", HTTP_IF_MATCH=seen["ETag"])
    assert stale.status_code == 412
    body = api.patch(url, {"title": "Chef", "version": 1}, format="json")
    assert body.status_code == 409 and "Någon annan har sparat" in body.json()["detail"]
    assert User.objects.get(pk=itchef.pk).title == "IT-chef"
    assert api.patch(url, {"title": "Chef", "version": 2}, format="json").status_code == 200
    assert User.objects.get(pk=itchef.pk).title == "Chef"


def test_a_stale_people_page_is_refused_with_a_clear_message_and_nothing_changes(
    client, api, coordinator
):
    client.login(username="samordnare", password=DEMO_PASSWORD)
    itchef = User.objects.get(username="itchef")
    page = reverse("people:edit", args=[itchef.pk])
    assert f'name="version" value="{itchef.version}"' in client.get(page).content.decode()
    opened = _page_data(itchef, roles=[Role.READER])
    # Meanwhile someone grants the reader role through the API.
    meanwhile = {"roles": [Role.IT_MANAGER, Role.READER], "reason": "Ärende 12"}
    assert api.patch(f"/api/v1/people/{itchef.pk}/", meanwhile, format="json").status_code == 200
    refused = client.post(page, opened)
    assert refused.status_code == 400
    assert "Någon annan har sparat ändringar" in refused.content.decode()
    itchef = User.objects.get(pk=itchef.pk)
    assert itchef.roles == {Role.IT_MANAGER, Role.READER}
    fresh = client.post(page, _page_data(itchef, roles=[Role.READER]))
    assert fresh.status_code == 302
    assert User.objects.get(pk=itchef.pk).roles == {Role.READER}


def test_an_administrators_save_outdates_the_samordnares_page(client, admin_user, coordinator):
    itchef = User.objects.get(username="itchef")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_change", args=[itchef.pk]),
        {
            "username": itchef.username,
            "first_name": itchef.first_name,
            "last_name": "Nytt-Namn",
            "email": itchef.email,
            "municipality": itchef.municipality_id,
            "title": itchef.title,
            "is_active": "on",
            "reason": "Namnbyte",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=itchef.pk).version == itchef.version + 1


def _program():
    return Program.objects.filter(portfolio__reference_prefix="DAL").order_by("pk").first()


def test_adding_a_year_someone_else_has_just_set_is_refused_not_replaced(client, api):
    client.login(username="samordnare", password=DEMO_PASSWORD)
    program = _program()
    ProgramBudget.objects.filter(program=program, year=2031).delete()
    page = reverse("portfolio:settings-program-budget", args=[program.portfolio_id, program.pk])
    assert client.get(page).status_code == 200
    url = f"/api/v1/portfolios/{program.portfolio_id}/programs/{program.pk}/budgets/2031/"
    created = api.put(url, {"amount": 500_000}, format="json", HTTP_IF_NONE_MATCH="*")
    assert created.status_code == 200 and created["ETag"] == '"1"'
    again = api.put(url, {"amount": 900_000}, format="json", HTTP_IF_NONE_MATCH="*")
    assert again.status_code == 412
    # The page was opened to add a year; 2031 now has a budget it never showed.
    refused = client.post(page, {"year": "2031", "amount": "700000", "version": ""})
    assert refused.status_code == 400
    assert "2031 har redan en budget" in refused.content.decode()
    assert ProgramBudget.objects.get(program=program, year=2031).amount == 500_000
    # Chosen from the list, the year's budget is changed knowingly.
    chosen = client.get(page, {"ar": 2031})
    assert 'name="version" value="1"' in chosen.content.decode()
    changed = client.post(f"{page}?ar=2031", {"year": "2031", "amount": "700000", "version": "1"})
    assert changed.status_code == 302
    assert ProgramBudget.objects.get(program=program, year=2031).amount == 700_000
