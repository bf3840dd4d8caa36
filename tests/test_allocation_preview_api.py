"""POST /api/v1/allocation/preview/: the calculator other systems and the scenario page use."""

import economy_builders as eb
import factories
import pytest
from rest_framework.test import APIClient

from accounts.models import Role

pytestmark = pytest.mark.django_db
URL = "/api/v1/allocation/preview/"
VALID = {
    "municipalities": list(eb.DALSLAND),
    "amount": 1000000,
    "population_weight": 80,
    "equal_weight": 20,
    "population_year": 2025,
}


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(factories.user("1460", Role.IT_MANAGER))
    return client


def test_the_contract_of_the_issue(api):
    response = api.post(URL, VALID, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1000000
    first = body["allocations"][0]
    assert first == {
        "municipality": "1460",
        "name": "Bengtsfors",
        "population": 8955,
        "share": "0.122207",
        "amount": 122207,
    }
    assert [a["municipality"] for a in body["allocations"]] == list(eb.DALSLAND)
    assert sum(a["amount"] for a in body["allocations"]) == 1000000
    assert all(len(a["share"].split(".")[1]) == 6 for a in body["allocations"])


def test_anonymous_callers_get_401():
    assert APIClient().post(URL, VALID, format="json").status_code == 401


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"municipalities": ["1460", "9999"]}, "municipalities", "Okänd kommunkod: 9999"),
        ({"municipalities": ["1460", "1460"]}, "municipalities", "mer än en gång"),
        ({"municipalities": []}, "municipalities", "minst en kommun"),
        ({"municipalities": "1460"}, "municipalities", "minst en kommun"),
        ({"population_weight": 70}, "population_weight", "100 %"),
        ({"population_weight": 70}, "equal_weight", "100 %"),
        ({"population_weight": 120, "equal_weight": -20}, "population_weight", "0–100"),
        ({"amount": -1}, "amount", "negativt"),
        ({"amount": "mycket"}, "amount", "hela kronor"),
        ({"amount": 10.5}, "amount", "hela kronor"),
        ({"population_year": 1990}, "population_year", "ingen folkmängd för år 1990"),
        ({"population_year": "i fjol"}, "population_year", "fyra siffror"),
    ],
)
def test_bad_input_gets_400_with_a_swedish_message_on_the_field(api, change, field, words):
    response = api.post(URL, {**VALID, **change}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert any(words in message for message in body["errors"][field])


def test_a_missing_field_and_a_non_object_body_are_400_not_500(api):
    for payload in ({"municipalities": ["1460"]}, ["1460"]):
        response = api.post(URL, payload, format="json")
        assert response.status_code == 400


def test_every_error_is_reported_at_once(api):
    response = api.post(
        URL,
        {
            "municipalities": ["0000"],
            "amount": -5,
            "population_weight": 50,
            "equal_weight": 20,
            "population_year": 2025,
        },
        format="json",
    )
    assert set(response.json()["errors"]) >= {"municipalities", "amount", "population_weight"}
