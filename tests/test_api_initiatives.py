"""/api/v1/initiatives/: filters, ordering, pagination, writes, concurrency, speed."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.services import api_token_create
from portfolio.choices import Health, ParticipationStatus, Stage
from portfolio.models import Initiative, Participation, Portfolio, StatusUpdate
from portfolio.services.status import latest_status_refresh
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("initiative-list")
EXPORT = reverse("initiative-export")


def auth(username):
    _, key = api_token_create(user=User.objects.get(username=username), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def dal():
    return Portfolio.objects.get(reference_prefix="DAL")


def detail(initiative):
    return reverse("initiative-detail", args=[initiative.pk])


def editable_dalsland_initiative():
    return Initiative.objects.filter(portfolio=dal(), stage=Stage.PRESTUDY).order_by("id").first()


def test_list_is_limited_to_the_users_constellations(client, demo):
    rows = client.get(LIST, {"page_size": 500}, **auth("itchef.skara")).json()["results"]
    assert rows and {r["portfolio"] for r in rows} == {
        Portfolio.objects.get(name__contains="V6").pk
    }


def test_filters_are_the_shared_filterset(client, demo):
    headers = auth("samordnare")
    portfolio = dal()
    prestudy = client.get(LIST, {"stage": "forstudie", "portfolio": portfolio.pk}, **headers)
    assert prestudy.status_code == 200
    expected = Initiative.objects.filter(portfolio=portfolio, stage=Stage.PRESTUDY).count()
    assert prestudy.json()["count"] == expected
    amal = factories.municipality("1492")
    rows = client.get(LIST, {"municipality": amal.pk, "page_size": 500}, **headers).json()
    participating = Participation.objects.filter(
        municipality=amal, status=ParticipationStatus.PARTICIPATING
    ).values_list("initiative_id", flat=True)
    assert {r["id"] for r in rows["results"]} == set(participating)
    found = client.get(LIST, {"q": "IT-fabrik"}, **headers).json()["results"]
    assert any("IT-fabrik" in r["title"] for r in found)


def test_health_filter_uses_the_latest_status_report(client, demo):
    headers = auth("samordnare")
    initiative = editable_dalsland_initiative()
    author = User.objects.get(username="samordnare")
    for day, health in (("2026-01-10", Health.RED), ("2026-02-10", Health.GREEN)):
        StatusUpdate.objects.create(
            initiative=initiative,
            reported_on=day,
            health_time=health,
            health_cost=health,
            health_quality=health,
            progress=10,
            author=author,
        )
    latest_status_refresh([initiative.pk])
    green = {
        r["id"]
        for r in client.get(LIST, {"health": "gron", "page_size": 500}, **headers).json()["results"]
    }
    red = {
        r["id"]
        for r in client.get(LIST, {"health": "rod", "page_size": 500}, **headers).json()["results"]
    }
    assert initiative.pk in green and initiative.pk not in red
    row = client.get(detail(initiative), **headers).json()
    assert row["health"] == "gron"


def test_bad_filter_values_are_400_with_field_errors_in_one_shape(client, demo):
    response = client.get(LIST, {"stage": "flygande", "is_paused": "kanske"}, **auth("lasare"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and set(body["errors"]) == {"stage", "is_paused"}


@pytest.mark.parametrize("size", ["0", "501", "tio"])
def test_page_size_outside_the_documented_range_is_400(client, demo, size):
    response = client.get(LIST, {"page_size": size}, **auth("lasare"))
    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]


def test_ordering_is_stable_by_id(client, demo):
    headers = auth("samordnare")
    rows = client.get(LIST, {"ordering": "stage", "page_size": 500}, **headers).json()["results"]
    keys = [(r["stage"], r["id"]) for r in rows]
    assert keys == sorted(keys)
    default = [r["id"] for r in client.get(LIST, {"page_size": 500}, **headers).json()["results"]]
    assert default == sorted(default)


def test_list_query_count_is_constant(client, demo):
    headers = auth("samordnare")
    portfolio = dal()
    client.get(LIST, **headers)  # warm the token's last_used_at
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST, {"page_size": 50}, **headers).status_code == 200
    program = portfolio.programs.first()
    for n in range(40):
        made = factories.initiative(portfolio, program, reference=f"DAL-Q{n}")
        for code in ("1460", "1438"):
            Participation.objects.create(
                initiative=made,
                municipality=factories.municipality(code),
                status=ParticipationStatus.PARTICIPATING,
            )
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST, {"page_size": 50}, **headers)
    assert len(response.json()["results"]) == 50
    assert len(many.captured_queries) == len(few.captured_queries)
    # token + count + page + participants
    assert len(many.captured_queries) <= 4, [q["sql"] for q in many.captured_queries]


def test_export_is_unpaginated_filtered_and_fast(client, demo):
    headers = auth("samordnare")
    portfolio = dal()
    Initiative.objects.bulk_create(
        [
            Initiative(
                portfolio=portfolio,
                title=f"Massinitiativ {n}",
                reference=f"DAL-{1000 + n}",
                proposing_municipality=factories.municipality("1460"),
            )
            for n in range(2000)
        ]
    )
    client.get(EXPORT, {"portfolio": portfolio.pk}, **headers)
    started = time.perf_counter()
    response = client.get(EXPORT, {"portfolio": portfolio.pk}, **headers)
    elapsed = time.perf_counter() - started
    rows = response.json()
    assert response.status_code == 200
    assert len(rows) == Initiative.objects.filter(portfolio=portfolio).count() > 2000
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    # 100 ms is the target on the reference machine; the assertion leaves room for CI load.
    assert elapsed < 0.5, elapsed
    assert client.get(EXPORT, {"stage": "projekt"}, **headers).json()
    assert all(
        r["stage"] == "projekt" for r in client.get(EXPORT, {"stage": "projekt"}, **headers).json()
    )


def test_create_calls_the_service_and_ignores_no_field_silently(client, demo):
    headers = auth("initiativagare")
    body = {"portfolio": dal().pk, "title": "Digital brevlåda", "need": "Post på papper."}
    response = client.post(LIST, body, content_type="application/json", **headers)
    assert response.status_code == 201, response.json()
    created = Initiative.objects.get(pk=response.json()["id"])
    assert created.stage == Stage.IDEA and created.reference.startswith("DAL-")
    assert created.owner.username == "initiativagare"
    assert created.history.filter(action="created").exists()
    assert response["ETag"] == '"1"'


def test_create_cannot_assign_stage_version_reference_or_owner(client, demo):
    headers = auth("programledare")
    body = {
        "portfolio": dal().pk,
        "title": "Smyg",
        "stage": "forvaltning",
        "version": 99,
        "reference": "X-1",
        "owner": User.objects.get(username="lasare").pk,
    }
    before = Initiative.objects.count()
    response = client.post(LIST, body, content_type="application/json", **headers)
    # Refused and named, rather than silently ignored (issue 23).
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"stage", "version", "reference", "owner"}
    assert Initiative.objects.count() == before
    for name in ("stage", "version", "reference", "owner"):
        del body[name]
    response = client.post(LIST, body, content_type="application/json", **headers)
    assert response.status_code == 201
    created = Initiative.objects.get(pk=response.json()["id"])
    assert (created.stage, created.version) == (Stage.IDEA, 1)
    assert created.owner.username == "programledare"


def test_reader_cannot_create(client, demo):
    body = {"portfolio": dal().pk, "title": "Läsaren"}
    response = client.post(LIST, body, content_type="application/json", **auth("lasare"))
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_update_with_body_version_and_stale_version_is_409(client, demo):
    headers = auth("samordnare")
    initiative = editable_dalsland_initiative()
    url = detail(initiative)
    ok = client.patch(
        url,
        {"title": "Nytt namn", "version": initiative.version},
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 200, ok.json()
    assert ok.json()["version"] == initiative.version + 1
    assert ok["ETag"] == f'"{initiative.version + 1}"'
    stale = client.patch(
        url,
        {"title": "Krock", "version": initiative.version},
        content_type="application/json",
        **headers,
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    initiative.refresh_from_db()
    assert initiative.title == "Nytt namn"


def test_update_with_if_match_and_stale_etag_is_412(client, demo):
    headers = auth("samordnare")
    initiative = editable_dalsland_initiative()
    url = detail(initiative)
    etag = client.get(url, **headers)["ETag"]
    ok = client.patch(
        url, {"need": "Ny text"}, content_type="application/json", HTTP_IF_MATCH=etag, **headers
    )
    assert ok.status_code == 200
    stale = client.patch(
        url, {"need": "Gammal"}, content_type="application/json", HTTP_IF_MATCH=etag, **headers
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"


def test_update_without_version_is_400(client, demo):
    initiative = editable_dalsland_initiative()
    response = client.patch(
        detail(initiative), {"title": "X"}, content_type="application/json", **auth("samordnare")
    )
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_update_cannot_change_stage(client, demo):
    initiative = editable_dalsland_initiative()
    response = client.patch(
        detail(initiative),
        {"stage": "forvaltning", "version": initiative.version},
        content_type="application/json",
        **auth("samordnare"),
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"stage": ["Okänt fält."]}
    initiative.refresh_from_db()
    assert initiative.stage == Stage.PRESTUDY


def test_invalid_dates_are_a_400_with_a_swedish_field_message(client, demo):
    initiative = editable_dalsland_initiative()
    response = client.patch(
        detail(initiative),
        {"planned_start": "2026-05-01", "planned_end": "2026-01-01", "version": initiative.version},
        content_type="application/json",
        **auth("samordnare"),
    )
    assert response.status_code == 400
    assert "Planerat slut" in str(response.json())


def test_messages_follow_accept_language(client, demo):
    sv = client.get(LIST, {"page_size": "0"}, HTTP_ACCEPT_LANGUAGE="sv", **auth("lasare"))
    en = client.get(LIST, {"page_size": "0"}, HTTP_ACCEPT_LANGUAGE="en", **auth("lasare"))
    assert sv.json()["detail"] == "Uppgifterna är inte giltiga."
    assert en.json()["detail"] == "The data is not valid."
    anonymous = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"] == "Authentication credentials were not provided."


def test_program_outside_the_users_constellations_is_a_field_error(client, demo):
    initiative = editable_dalsland_initiative()
    foreign = Portfolio.objects.get(name__contains="V6").programs.first()
    response = client.patch(
        detail(initiative),
        {"program": foreign.pk, "version": initiative.version},
        content_type="application/json",
        **auth("samordnare"),
    )
    assert response.status_code == 400
    assert "program" in response.json()["errors"]


def test_schema_documents_error_responses_for_every_operation(client, demo):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "Error" in schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404"} <= codes, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"409", "412"} <= codes, (method, path)
    page_size = next(
        p
        for p in schema["paths"]["/api/v1/initiatives/"]["get"]["parameters"]
        if p["name"] == "page_size"
    )
    assert page_size["schema"]["maximum"] == 500


def test_documentation_pages_are_served_without_the_internet(client, demo):
    client.force_login(User.objects.get(username="lasare"))
    for name in ("api-docs", "api-redoc"):
        page = client.get(reverse(name)).content.decode()
        assert "cdn" not in page.lower() and "https://" not in page
        assert "/static/drf_spectacular_sidecar/" in page


def test_empty_value_for_a_choice_filter_is_400_but_empty_search_is_fine(client, demo):
    headers = auth("lasare")
    response = client.get(EXPORT, {"portfolio": ""}, **headers)
    assert response.status_code == 400
    assert "portfolio" in response.json()["errors"]
    assert client.get(LIST, {"q": ""}, **headers).status_code == 200
