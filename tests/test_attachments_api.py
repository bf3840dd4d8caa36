"""Attachments in the API: multipart upload, 400 with field errors on a bad file, the
download's safe headers, and the endpoints in the OpenAPI schema."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portfolio.models import Attachment
from tests import attachment_files as files
from tests import attachment_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return attachment_world.build()


def _api(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


def _list_url(world, parent):
    if parent == "initiative":
        return reverse("initiative-attachment-list", args=[world["initiative"].pk])
    if parent == "decision":
        return reverse(
            "decision-attachment-list", args=[world["initiative"].pk, world["decision"].pk]
        )
    return reverse("agreement-attachment-list", args=[world["agreement"].pk])


UPLOADER = {"initiative": "program_manager", "decision": "director", "agreement": "coordinator"}


@pytest.mark.parametrize("parent", ["initiative", "decision", "agreement"])
def test_upload_list_and_download(world, parent):
    client = _api(world[UPLOADER[parent]])
    created = client.post(
        _list_url(world, parent),
        {"file": files.upload("Avtal.docx", files.DOCX)},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["original_name"] == "Avtal.docx"
    assert body["content_type"].endswith("wordprocessingml.document")
    assert body["superseded_by"] is None and body["supersedes"] is None
    listed = _api(world["reader"]).get(_list_url(world, parent)).json()
    assert [row["id"] for row in listed] == [body["id"]]
    download = _api(world["reader"]).get(listed[0]["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == body["content_type"]
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == files.DOCX
    # Another parent's address does not reach it.
    assert _api(world["outsider"]).get(listed[0]["download"]).status_code == 404


@pytest.mark.parametrize(
    "name,content,says",
    [
        ("avtal.pdf", files.EXE, "program"),
        ("logga.svg", files.SVG, "SVG"),
        ("sida.html", files.HTML, "webbsida"),
        ("avtal.xlsm", files.DOCM, "makron"),
    ],
)
def test_a_bad_file_answers_400_with_the_reason_under_file(world, name, content, says):
    response = _api(world["coordinator"]).post(
        _list_url(world, "agreement"), {"file": files.upload(name, content)}, format="multipart"
    )
    assert response.status_code == 400
    assert says in response.json()["errors"]["file"][0]
    assert not Attachment.objects.exists()


def test_no_file_and_a_too_large_file_answer_400(world, settings):
    client = _api(world["coordinator"])
    missing = client.post(_list_url(world, "agreement"), {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["errors"]
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    large = client.post(
        _list_url(world, "agreement"),
        {"file": files.upload("stor.pdf", files.PDF + b"0" * (1024 * 1024))},
        format="multipart",
    )
    assert large.status_code == 400 and "för stor" in large.json()["errors"]["file"][0]
    assert not Attachment.objects.exists()


def test_a_new_version_and_its_bad_references(world):
    client = _api(world["director"])
    url = _list_url(world, "decision")
    first = client.post(url, {"file": files.upload("p.pdf", files.PDF)}, format="multipart")
    second = client.post(
        url,
        {"file": files.upload("p2.pdf", files.PDF + b"\n"), "supersedes": first.json()["id"]},
        format="multipart",
    )
    assert second.status_code == 201 and second.json()["supersedes"] == first.json()["id"]
    again = client.post(
        url,
        {"file": files.upload("p3.pdf", files.PDF), "supersedes": first.json()["id"]},
        format="multipart",
    )
    assert again.status_code == 400 and "supersedes" in again.json()["errors"]
    unknown = client.post(
        url, {"file": files.upload("p4.pdf", files.PDF), "supersedes": 999999}, format="multipart"
    )
    assert unknown.status_code == 400 and "supersedes" in unknown.json()["errors"]
    listed = client.get(url).json()
    assert [row["superseded_by"] for row in listed] == [second.json()["id"], None]


def test_a_decision_of_another_initiative_is_not_found(world):
    from tests import factories

    other = factories.initiative(world["portfolio"])
    url = reverse("decision-attachment-list", args=[other.pk, world["decision"].pk])
    assert _api(world["coordinator"]).get(url).status_code == 404


def test_the_endpoints_are_in_the_schema(world):
    schema = _api(world["reader"]).get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    upload = paths["/api/v1/agreements/{agreement_pk}/attachments/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert "/api/v1/initiatives/{initiative_pk}/decisions/{decision_pk}/attachments/" in paths
    assert "/api/v1/initiatives/{initiative_pk}/attachments/{id}/download/" in paths
