"""Settings pages and API: a role matrix for every page and endpoint, and what the forms say.

Everyone in the constellation reads the settings; only the samordnare writes (others
get 403); outside the constellation the portfolio does not exist (404).
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from workflow_builders import TODAY, world

from accounts.models import User
from portfolio.models import (
    AllocationKey,
    GateCriterion,
    Portfolio,
    PriorityCriterion,
    Program,
    SettingsChange,
)
from portfolio.periods import parse_period
from portfolio.services.allocation import period_settle

pytestmark = pytest.mark.django_db

OTHERS = ["kommundirektor", "programledare", "it_chef", "initiativagare", "lasare"]


def targets(w):
    unused = PriorityCriterion.objects.create(portfolio=w.portfolio, name="Oanvänt", weight=1)
    return {
        "pk": w.portfolio.pk,
        "criterion": GateCriterion.objects.filter(portfolio=w.portfolio, gate="G1")
        .order_by("order", "pk")
        .last()
        .pk,
        "priority": unused.pk,
        "program": w.program.pk,
    }


# name, URL kwargs from targets, POST data (None: GET), status for the samordnare
PAGES = [
    ("settings-gate-criterion-add", ["pk"], None, 200),
    (
        "settings-gate-criterion-add",
        ["pk"],
        {"gate": "G2", "label": "Överlämning gjord", "kind": "manuell"},
        302,
    ),
    ("settings-gate-criterion-edit", ["pk", "criterion"], None, 200),
    (
        "settings-gate-criterion-edit",
        ["pk", "criterion"],
        {"label": "Nytt namn", "version": "1"},
        302,
    ),
    ("settings-gate-criterion-active", ["pk", "criterion"], {"active": "0"}, 302),
    ("settings-gate-criterion-move", ["pk", "criterion"], {"direction": "up"}, 302),
    ("settings-key-add", ["pk"], None, 200),
    (
        "settings-key-add",
        ["pk"],
        {
            "valid_from": "2027-01-01",
            "method": "folkmangd_lika",
            "population_weight": "70",
            "equal_weight": "30",
            "population_year": "2025",
            "hourly_rate": "750",
        },
        302,
    ),
    ("settings-priority-add", ["pk"], None, 200),
    ("settings-priority-add", ["pk"], {"name": "Genomförbarhet", "weight": "2"}, 302),
    ("settings-priority-edit", ["pk", "priority"], None, 200),
    (
        "settings-priority-edit",
        ["pk", "priority"],
        {"name": "Risk 2", "weight": "4", "version": "1"},
        302,
    ),
    ("settings-priority-delete", ["pk", "priority"], {}, 302),
    ("settings-program-add", ["pk"], None, 200),
    ("settings-program-add", ["pk"], {"name": "Skola Dalsland"}, 302),
    ("settings-program-edit", ["pk", "program"], None, 200),
    ("settings-program-edit", ["pk", "program"], {"name": "Nytt programnamn", "version": "1"}, 302),
    ("settings-program-budget", ["pk", "program"], None, 200),
    ("settings-program-budget", ["pk", "program"], {"year": "2027", "amount": "900000"}, 302),
    ("settings-meeting", ["pk"], None, 200),
    (
        "settings-meeting",
        ["pk"],
        {"next_board_meeting": "2027-02-11", "sender": "PK", "version": "1"},
        302,
    ),
]


def url_for(name, keys, t):
    names = {"pk": "pk", "criterion": "item_pk", "priority": "item_pk", "program": "item_pk"}
    return reverse(f"portfolio:{name}", kwargs={names[k]: t[k] for k in keys})


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("name", "keys", "data", "allowed"),
    PAGES,
    ids=[f"{p[0]}-{'GET' if p[2] is None else 'POST'}" for p in PAGES],
)
def test_page_role_matrix(name, keys, data, allowed):
    w = world()
    t = targets(w)
    url = url_for(name, keys, t)

    def call(user):
        client = _client(user)
        return client.get(url) if data is None else client.post(url, data)

    got = {role: call(w.people[role]).status_code for role in OTHERS}
    got["utanför"] = call(w.outsider).status_code
    assert not SettingsChange.objects.exists(), "a refused request wrote nothing"
    got["samordnare"] = call(w.coordinator).status_code
    assert got == {**dict.fromkeys(OTHERS, 403), "utanför": 404, "samordnare": allowed}
    if data is not None:
        assert SettingsChange.objects.filter(actor=w.coordinator).count() == 1


def test_overview_is_read_by_everyone_in_the_constellation_and_hidden_outside():
    w = world()
    url = reverse("portfolio:settings", kwargs={"pk": w.portfolio.pk})
    for role in OTHERS:
        response = _client(w.people[role]).get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Bara portföljkontoret (samordnare) kan ändra dem." in body
        assert "Ny version av fördelningsnyckeln" not in body
    assert _client(w.outsider).get(url).status_code == 404
    body = _client(w.coordinator).get(url).content.decode()
    assert "Ny version av fördelningsnyckeln" in body
    assert "Lägg till kriterium i G1" in body
    assert f'href="{url}"' in body  # the navigation's Inställningar link


def test_overview_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    w = world()
    client = _client(w.coordinator)
    url = reverse("portfolio:settings", kwargs={"pk": w.portfolio.pk})
    client.get(url)
    for n in range(5):
        Program.objects.create(portfolio=w.portfolio, name=f"Program {n}", manager=w.manager)
        PriorityCriterion.objects.create(portfolio=w.portfolio, name=f"K{n}", weight=1)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


API = [
    ("settings-gate-criteria", "get", None, 200),
    ("settings-gate-criteria", "post", {"gate": "G1", "label": "Nytt", "kind": "manuell"}, 201),
    ("settings-gate-criteria-reorder", "post", "reorder", 200),
    ("settings-gate-criterion", "get", None, 200),
    ("settings-gate-criterion", "patch", {"is_active": False}, 200),
    ("settings-allocation-keys", "get", None, 200),
    ("settings-allocation-keys", "post", {"valid_from": "2027-01-01"}, 201),
    ("settings-allocation-key", "get", None, 200),
    ("settings-priority-criteria", "get", None, 200),
    ("settings-priority-criteria", "post", {"name": "Ny", "weight": 2}, 201),
    ("settings-priority-criterion", "get", None, 200),
    ("settings-priority-criterion", "patch", {"weight": 3}, 200),
    ("settings-priority-criterion", "delete", None, 204),
    ("settings-programs", "get", None, 200),
    ("settings-programs", "post", {"name": "Nytt program"}, 201),
    ("settings-program", "get", None, 200),
    ("settings-program", "patch", {"name": "Omdöpt"}, 200),
    ("settings-program-budgets", "get", None, 200),
    ("settings-program-budget", "put", {"amount": 500_000}, 200),
    ("settings-portfolio", "get", None, 200),
    ("settings-portfolio", "patch", {"next_board_meeting": "2027-03-04"}, 200),
    ("settings-history", "get", None, 200),
]


def api_url(name, w, t):
    kwargs = {"portfolio_pk": w.portfolio.pk}
    if name == "settings-gate-criterion":
        kwargs["pk"] = t["criterion"]
    elif name == "settings-allocation-key":
        kwargs["pk"] = AllocationKey.objects.get(portfolio=w.portfolio).pk
    elif name == "settings-priority-criterion":
        kwargs["pk"] = t["priority"]
    elif name in ("settings-program", "settings-program-budgets"):
        kwargs["pk"] = t["program"]
    elif name == "settings-program-budget":
        kwargs.update(pk=t["program"], year=2027)
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(
    ("name", "method", "body", "allowed"), API, ids=[f"{a[0]}-{a[1]}" for a in API]
)
def test_api_role_matrix(name, method, body, allowed):
    w = world()
    t = targets(w)
    url = api_url(name, w, t)
    if body == "reorder":
        body = {
            "gate": "G0",
            "order": list(
                GateCriterion.objects.filter(portfolio=w.portfolio, gate="G0")
                .order_by("-order", "-pk")
                .values_list("pk", flat=True)
            ),
        }
    write = method != "get"

    def call(user):
        client = APIClient()
        client.force_authenticate(user)
        return getattr(client, method)(url, body, format="json")

    got = {role: call(w.people[role]).status_code for role in OTHERS}
    got["utanför"] = call(w.outsider).status_code
    got["samordnare"] = call(w.coordinator).status_code
    others = 403 if write else 200
    assert got == {**dict.fromkeys(OTHERS, others), "utanför": 404, "samordnare": allowed}
    assert SettingsChange.objects.filter(actor=w.coordinator).count() == (1 if write else 0)
    assert SettingsChange.objects.count() == (1 if write else 0)


def test_key_form_shows_swedish_messages_and_keeps_input():
    w = world()
    url = reverse("portfolio:settings-key-add", kwargs={"pk": w.portfolio.pk})
    response = _client(w.coordinator).post(
        url,
        {
            "valid_from": "2027-01-01",
            "method": "fast_avgift",
            "population_weight": "80",
            "equal_weight": "10",
            "population_year": "2025",
            "hourly_rate": "tusen",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ange ett heltal." in body
    assert AllocationKey.objects.filter(portfolio=w.portfolio).count() == 1
    response = _client(w.coordinator).post(
        url,
        {
            "valid_from": "2027-01-01",
            "method": "fast_avgift",
            "population_weight": "80",
            "equal_weight": "10",
            "population_year": "2025",
            "hourly_rate": "700",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "ska tillsammans bli 100 % (nu 90 %)" in body
    assert "Metoden fast avgift kräver en årlig avgift per part" in body
    assert 'value="2027-01-01"' in body
    assert AllocationKey.objects.filter(portfolio=w.portfolio).count() == 1


def test_settled_period_refusal_on_the_page_and_in_the_api():
    w = world()
    period_settle(
        actor=w.coordinator,
        portfolio=w.portfolio,
        period=parse_period("2025H2"),
        decided_on=TODAY,
        meeting_reference="§ 4",
        today=TODAY,
    )
    page = _client(w.coordinator).post(
        reverse("portfolio:settings-key-add", kwargs={"pk": w.portfolio.pk}),
        {
            "valid_from": "2025-10-01",
            "method": "folkmangd_lika",
            "population_weight": "50",
            "equal_weight": "50",
            "population_year": "2025",
            "hourly_rate": "700",
        },
    )
    assert page.status_code == 400
    assert "Perioden 2025-07-01 – 2025-12-31 är redan avräknad." in page.content.decode()
    client = APIClient()
    client.force_authenticate(w.coordinator)
    response = client.post(
        f"/api/v1/portfolios/{w.portfolio.pk}/allocation-keys/",
        {"valid_from": "2025-12-31", "population_weight": 50, "equal_weight": 50},
        format="json",
    )
    assert response.status_code == 400
    assert "tidigast från 2026-01-01" in response.json()["errors"]["valid_from"][0]
    assert AllocationKey.objects.filter(portfolio=w.portfolio).count() == 1
    ok = client.post(
        f"/api/v1/portfolios/{w.portfolio.pk}/allocation-keys/",
        {"valid_from": "2026-01-01", "population_weight": 50, "equal_weight": 50},
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["hourly_rate"] == 700  # taken from the latest version
    listed = client.get(f"/api/v1/portfolios/{w.portfolio.pk}/allocation-keys/").json()
    assert [(k["valid_from"], k["settled_periods"]) for k in listed] == [
        ("2026-01-01", 0),
        ("2020-01-01", 1),
    ]


def test_api_validation_messages_per_field():
    w = world()
    client = APIClient()
    client.force_authenticate(w.coordinator)
    response = client.post(
        f"/api/v1/portfolios/{w.portfolio.pk}/allocation-keys/",
        {"valid_from": "2027-01-01", "population_weight": 60, "equal_weight": 30},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["population_weight"] == errors["equal_weight"]
    assert "100 % (nu 90 %)" in errors["equal_weight"][0]
    response = client.post(
        f"/api/v1/portfolios/{w.portfolio.pk}/gate-criteria/",
        {"gate": "G1", "label": "Kontroll", "kind": "system", "system_check": ""},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["system_check"] == ["Välj en av systemets kontroller."]


def test_demo_samordnare_reaches_the_settings(demo):
    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    client = Client()
    assert client.login(username="samordnare", password="samverkan-demo-2026")
    home = client.get("/")
    settings_url = reverse("portfolio:settings", kwargs={"pk": portfolio.pk})
    assert settings_url in home.content.decode()
    page = client.get(settings_url)
    assert page.status_code == 200
    assert "Portföljstyrgruppen 2024-12-12 § 4" in page.content.decode()
    edit = client.post(
        reverse("portfolio:settings-meeting", kwargs={"pk": portfolio.pk}),
        {
            "next_board_meeting": "2027-01-21",
            "sender": "Portföljkontoret, Dalslands kommuner",
            "version": str(portfolio.version),
        },
    )
    assert edit.status_code == 302
    portfolio.refresh_from_db()
    assert portfolio.next_board_meeting == dt.date(2027, 1, 21)
    reader = User.objects.get(username="lasare")
    client.force_login(reader)
    assert settings_url not in client.get("/").content.decode()
