"""The API does what its schema says (issue 23): what the schema allows is accepted,
what it does not describe is refused with the JSON error shape and names the problem."""

import json
import re

import pytest
from api_demo_world import demo_tokens
from django.test import override_settings
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from portfolio.models import Initiative, Portfolio

pytestmark = pytest.mark.django_db

LIST = reverse("initiative-list")
WRITES = ("post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module (rolled back after it), and the samordnare's
    token: loading it per test would cost seconds each."""
    with demo_tokens(django_db_blocker, ["samordnare"], "contract") as tokens:
        yield {"HTTP_AUTHORIZATION": f"Bearer {tokens[0]}"}


@pytest.fixture
def headers(world, db):
    """The samordnare's token header, in a test of its own (a savepoint in the module's
    transaction)."""
    return world


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


# --- unknown API URLs ------------------------------------------------------------------


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("method", ["get", "delete", "post"])
def test_an_unknown_api_url_is_a_json_404_with_debug_on_and_off(client, method, debug):
    # A session cookie without a CSRF token must not turn it into Django's HTML 403.
    client.cookies["sessionid"] = "anything"
    with override_settings(DEBUG=debug):
        response = getattr(client, method)("/api/v1/cost-entries/null,null/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_a_refused_csrf_check_under_the_api_is_json(rf, settings):
    from samverkan import errors

    assert settings.CSRF_FAILURE_VIEW == "samverkan.errors.csrf_failure"
    response = errors.csrf_failure(rf.post("/api/v1/initiatives/"))
    assert response.status_code == 403 and json.loads(response.content)["code"] == "csrf_failed"


# --- the schema says what the server answers --------------------------------------------


def test_blank_area_and_target_group_are_in_the_response_schema(schema):
    properties = schema["components"]["schemas"]["Initiative"]["properties"]
    for name in ("area", "target_group"):
        refs = [part["$ref"].rsplit("/", 1)[1] for part in properties[name]["oneOf"]]
        allowed = {v for ref in refs for v in schema["components"]["schemas"][ref]["enum"]}
        assert "" in allowed, name


def test_a_gate_checklist_is_an_object_and_its_gate_an_enum(schema):
    operation = schema["paths"]["/api/v1/initiatives/{initiative_pk}/gates/{gate}/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert component["type"] == "object"
    assert set(component["properties"]) == {"gate", "passable", "criteria"}
    gate = next(p for p in operation["parameters"] if p["name"] == "gate")
    assert gate["schema"]["enum"] == ["G0", "G1", "G2", "G3"]


def test_every_operation_documents_its_errors_in_the_one_shape(schema):
    for path, method, operation in operations(schema):
        expected = {"400", "401", "403", "404"}
        if method in WRITES:
            expected |= {"409", "412", "415"}
        if "requestBody" in operation:
            expected.add("413")
        responses = operation["responses"]
        assert expected <= set(responses), (method, path)
        for code in expected:
            body = responses[code]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/Error"}, (method, path, code)


def test_every_request_body_refuses_unknown_fields_and_a_patch_names_a_change(schema):
    components = schema["components"]["schemas"]
    for path, method, operation in operations(schema):
        for content in operation.get("requestBody", {}).get("content", {}).values():
            body = components[content["schema"]["$ref"].rsplit("/", 1)[1]]
            assert body["additionalProperties"] is False, (method, path)
            if method == "patch":
                named = {name for option in body["anyOf"] for name in option["required"]}
                assert named and "version" not in named, (method, path)


def test_the_period_and_the_municipality_code_have_their_patterns(schema):
    from portfolio.periods import PERIOD_PATTERN

    periods = [
        p
        for _, _, operation in operations(schema)
        for p in operation.get("parameters", [])
        if p["name"] == "period"
    ]
    assert periods and all(p["schema"]["pattern"] == PERIOD_PATTERN for p in periods)
    operation = schema["paths"]["/api/v1/economy/municipalities/{code}/"]["get"]
    code = next(p for p in operation["parameters"] if p["name"] == "code")
    assert code["schema"]["pattern"] == r"^\d{4}$"


def test_page_size_has_its_limits_in_the_schema(schema):
    operation = schema["paths"]["/api/v1/initiatives/"]["get"]
    page_size = next(p for p in operation["parameters"] if p["name"] == "page_size")
    assert (page_size["schema"]["minimum"], page_size["schema"]["maximum"]) == (1, 500)


# --- the server refuses what the schema does not describe -------------------------------


def test_an_unknown_query_parameter_is_a_400_naming_it(client, headers):
    response = client.get(LIST, {"stag": "ide", "page_size": 5}, **headers)
    assert response.status_code == 400
    assert response.json()["errors"] == {"stag": ["Okänd parameter."]}
    # The documented ones are accepted; a detail takes no paging.
    assert client.get(LIST, {"stage": "ide", "page_size": 5}, **headers).status_code == 200
    initiative = Initiative.objects.order_by("pk").first()
    detail = reverse("initiative-detail", args=[initiative.pk])
    response = client.get(detail, {"page": 2}, **headers)
    assert response.status_code == 400 and set(response.json()["errors"]) == {"page"}


def test_unauthenticated_comes_before_an_unknown_query_parameter(client, headers):
    assert client.get(LIST, {"bogus": 1}).status_code == 401


def test_a_single_valued_parameter_given_twice_is_a_400(client, headers):
    response = client.get(f"{LIST}?page=1&page=2", **headers)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"page"}


def test_an_invalid_ordering_is_a_400_naming_the_keys(client, headers):
    response = client.get(LIST, {"ordering": "nonsense"}, **headers)
    assert response.status_code == 400
    assert "nonsense" in response.json()["errors"]["ordering"][0]


def test_a_filter_by_an_id_the_user_cannot_see_is_an_empty_page(client, headers):
    response = client.get(LIST, {"portfolio": 987654}, **headers)
    assert response.status_code == 200 and response.json()["results"] == []
    response = client.get(LIST, {"portfolio": "abc"}, **headers)
    assert response.status_code == 400 and set(response.json()["errors"]) == {"portfolio"}


@pytest.mark.parametrize("period", [" 2026H1", "0000H1", "2026H3", "2026-13-01:2026-12-31"])
def test_a_period_outside_its_pattern_is_a_400(client, headers, period):
    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    url = f"/api/v1/economy/portfolios/{portfolio.pk}/"
    response = client.get(url, {"period": period}, **headers)
    assert response.status_code == 400 and set(response.json()["errors"]) == {"period"}
    assert client.get(url, {"period": "2026H1"}, **headers).status_code == 200


def test_an_id_too_large_for_the_database_is_a_400_not_a_500(client, headers):
    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    body = portfolio.bodies.order_by("pk").first()
    url = f"/api/v1/portfolios/{portfolio.pk}/bodies/{body.pk}/"
    payload = {"members": [16447, 128816627667145150951325696], "chair": 329}
    response = client.patch(url, payload, content_type="application/json", **headers)
    assert response.status_code == 400, response.content
    assert "members" in response.json()["errors"]


def test_a_patch_that_changes_nothing_is_a_400(client, headers):
    initiative = Initiative.objects.filter(portfolio__reference_prefix="DAL").first()
    url = reverse("initiative-detail", args=[initiative.pk])
    response = client.patch(url, {}, content_type="application/json", **headers)
    assert response.status_code == 400


def test_a_large_download_under_the_api_is_refused_in_json(rf, settings):
    from django.http import HttpResponse

    from samverkan.security import RequestSizeLimitMiddleware

    settings.SAMVERKAN_MAX_DOWNLOAD_BYTES = 10
    big = HttpResponse(b"x" * 20, headers={"Content-Disposition": "attachment"})
    big["Content-Length"] = "20"
    response = RequestSizeLimitMiddleware(lambda request: big)(rf.get("/api/v1/reports/1/"))
    assert response.status_code == 413 and json.loads(response.content)["code"] == "too_large"


def test_text_and_decimal_patterns_say_what_the_server_refuses(schema):
    components = schema["components"]["schemas"]
    name = components["PatchedPriorityCriterionPatchRequest"]["properties"]["name"]["pattern"]
    value = components["MeasurementInputRequest"]["properties"]["value"]["pattern"]
    # Python's re reads these patterns as ECMAScript does.
    assert [bool(re.search(name, text)) for text in ("Nytta", "   ", "Ny\x00tta")] == [
        True,
        False,
        False,
    ]
    assert [bool(re.search(value, text)) for text in ("12.5", ".5", "3", "", "-", "1.234")] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    search = next(
        p
        for p in schema["paths"]["/api/v1/municipalities/"]["get"]["parameters"]
        if p["name"] == "search"
    )
    assert not re.search(search["schema"]["pattern"], "a\x00")
