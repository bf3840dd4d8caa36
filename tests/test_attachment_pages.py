"""Bilagor in the pages: who sees them (404 otherwise), who may upload (403 otherwise),
refused files with a Swedish message, and downloads that never run in the browser."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.models import Attachment
from portfolio.services.attachments import attachment_add
from tests import attachment_files as files
from tests import attachment_world

pytestmark = pytest.mark.django_db

ROLES = ("coordinator", "director", "program_manager", "owner", "it_manager", "reader")
SLUGS = {"initiative": "initiativ", "decision": "beslut", "agreement": "avtal"}
# Who may upload to each parent: those who edit the initiative, who record the G1
# decision (without bodies of its own: the kommundirektör), who register agreements.
UPLOADERS = {
    "initiative": {"coordinator", "program_manager", "owner"},
    "decision": {"director"},
    "agreement": {"coordinator"},
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return attachment_world.build()


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _page(world, parent):
    if parent == "agreement":
        return reverse("portfolio:agreement-detail", args=[world["agreement"].pk])
    return reverse("portfolio:initiative-detail", args=[world["initiative"].pk])


def _upload_url(world, parent):
    return reverse("portfolio:attachment-upload", args=[SLUGS[parent], world[parent].pk])


@pytest.mark.parametrize("parent", ["initiative", "decision", "agreement"])
def test_exactly_the_named_roles_may_upload(world, parent):
    for role in ROLES:
        client = _client(world[role])
        response = client.post(
            _upload_url(world, parent), {"file": files.upload(f"{role}.pdf", files.PDF)}
        )
        allowed = role in UPLOADERS[parent]
        assert response.status_code == (302 if allowed else 403), role
        assert Attachment.objects.filter(original_name=f"{role}.pdf").exists() == allowed
        page = client.get(_page(world, parent)).content.decode()
        assert (_upload_url(world, parent) in page) == allowed, role
    outsider = _client(world["outsider"])
    assert outsider.get(_upload_url(world, parent)).status_code == 404
    assert (
        outsider.post(_upload_url(world, parent), {"file": files.upload("x.pdf", files.PDF)})
    ).status_code == 404
    assert not Attachment.objects.filter(original_name="x.pdf").exists()


@pytest.mark.parametrize("parent", ["initiative", "decision", "agreement"])
def test_everyone_who_sees_the_parent_downloads_and_no_one_else(world, parent):
    uploader = world[sorted(UPLOADERS[parent])[0]]
    attachment = attachment_add(
        actor=uploader, parent=world[parent], upload=files.upload("Protokoll.pdf", files.PDF)
    )
    url = reverse("portfolio:attachment-download", args=[attachment.pk])
    for role in ROLES:
        client = _client(world[role])
        assert "Protokoll.pdf" in client.get(_page(world, parent)).content.decode(), role
        response = client.get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="Protokoll.pdf"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == files.PDF
    assert _client(world["outsider"]).get(url).status_code == 404
    assert _client(world["outsider"]).get(_page(world, parent)).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


@pytest.mark.parametrize(
    "name,content,says",
    [
        ("avtal.pdf", files.EXE, "program"),
        ("logga.svg", files.SVG, "SVG"),
        ("sida.html", files.HTML, "webbsida"),
        ("avtal.docx", files.DOCM, "makron"),
    ],
)
def test_a_bad_file_is_refused_with_a_swedish_message(world, name, content, says):
    response = _client(world["coordinator"]).post(
        _upload_url(world, "initiative"), {"file": files.upload(name, content)}
    )
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_too_large_file_and_no_file_are_refused(world, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    client = _client(world["coordinator"])
    large = client.post(
        _upload_url(world, "initiative"),
        {"file": files.upload("stor.pdf", files.PDF + b"0" * (1024 * 1024))},
    )
    assert large.status_code == 400 and "för stor" in large.content.decode()
    empty = client.post(_upload_url(world, "initiative"), {})
    assert empty.status_code == 400 and "Välj en fil" in empty.content.decode()
    assert not Attachment.objects.exists()


def test_a_new_version_names_the_one_it_replaces(world):
    client = _client(world["director"])
    client.post(_upload_url(world, "decision"), {"file": files.upload("p.pdf", files.PDF)})
    first = Attachment.objects.get()
    response = client.post(
        _upload_url(world, "decision"),
        {"file": files.upload("p-rättad.pdf", files.PDF + b"\n"), "supersedes": first.pk},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#bilagor-beslut-{world['decision'].pk}")
    assert Attachment.objects.get(original_name="p-rättad.pdf").supersedes == first
    page = client.get(_page(world, "decision")).content.decode()
    assert "ersatt av en senare version" in page
    # The initiative's history tells of both, in words, with the decision they belong to.
    assert "Bilaga uppladdad" in page
    assert "Ersätter</strong>: p.pdf" in page


def test_the_initiative_page_reads_attachments_in_constant_queries(world):
    client = _client(world["coordinator"])
    url = _page(world, "initiative")
    attachment_add(
        actor=world["coordinator"],
        parent=world["initiative"],
        upload=files.upload("a.pdf", files.PDF),
    )
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        attachment_add(
            actor=world["coordinator"],
            parent=world["initiative"],
            upload=files.upload(f"b{n}.pdf", files.PDF),
        )
        attachment_add(
            actor=world["director"],
            parent=world["decision"],
            upload=files.upload(f"c{n}.pdf", files.PDF),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "c3.pdf" in response.content.decode()
    assert len(many) == len(one)
