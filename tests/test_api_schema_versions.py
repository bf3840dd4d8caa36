"""The schema at /api/schema/ against the last released one (docs/api/contract.json).

A change that would break a client written against the released schema (see
tests/api_schema_contract.py) fails this test unless the schema's version
(SPECTACULAR_SETTINGS["VERSION"]) differs from the released one. Releasing: bump the
version, then `UPDATE_API_CONTRACT=1 pytest tests/test_api_schema_versions.py` writes
the new released copy; commit both.
"""

import json
import os
from pathlib import Path

import pytest
from api_schema_contract import breaking, contract
from django.conf import settings

RELEASED = Path(settings.BASE_DIR) / "docs" / "api" / "contract.json"


@pytest.fixture(scope="module")
def current():
    from drf_spectacular.generators import SchemaGenerator

    return contract(SchemaGenerator().get_schema(request=None, public=True))


def test_no_breaking_change_without_a_new_version(current):
    if os.environ.get("UPDATE_API_CONTRACT") == "1":
        RELEASED.parent.mkdir(parents=True, exist_ok=True)
        RELEASED.write_text(json.dumps(current, indent=1, sort_keys=True, ensure_ascii=False))
    released = json.loads(RELEASED.read_text())
    changes = breaking(released, current)
    if current["version"] == released["version"]:
        assert changes == [], "Breaking changes need a new version: " + "; ".join(changes[:20])


def test_the_schema_is_served_at_a_stable_url_with_its_version(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["info"]["version"] == settings.SPECTACULAR_SETTINGS["VERSION"]


def test_removing_a_field_or_narrowing_a_request_is_caught(current):
    import copy

    changed = copy.deepcopy(current)
    initiative = changed["schemas"]["Initiative"]["properties"]
    del initiative["title"]
    changed["schemas"]["InitiativeCreateRequest"]["required"].append("need")
    page_size = changed["operations"]["GET /api/v1/initiatives/"]["parameters"]["query:page_size"]
    page_size["schema"]["maximum"] = 100
    assert breaking(current, changed) == [
        "GET /api/v1/initiatives/ query:page_size: maximum 500 -> 100",
        "Initiative.title: removed",
        "InitiativeCreateRequest.need: now required",
    ]
    # Additions break nothing.
    added = copy.deepcopy(current)
    added["schemas"]["Initiative"]["properties"]["new_field"] = {"type": "string"}
    assert breaking(current, added) == []
