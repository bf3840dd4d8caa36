"""Filing attachments: one parent each, stored through the storage API, checked by
content, never changed or deleted; a later version names the one it supersedes."""

import datetime as dt
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction

from accounts.models import Role
from municipalities.models import Agreement
from portfolio.models import Attachment, GateDecision, ImmutableRecordError
from portfolio.selectors.attachments import open_verified, portfolio_attachments, served_name
from portfolio.services.attachments import attachment_add
from portfolio.services.errors import DomainError, NotAllowedError
from tests import attachment_files as files
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    portfolio = factories.portfolio()
    coordinator = factories.user("1460", Role.COORDINATOR)
    director = factories.user("1438", Role.DIRECTOR)
    reader = factories.user("1460", Role.READER)
    initiative = factories.initiative(portfolio)
    decision = GateDecision.objects.create(
        initiative=initiative,
        kind="G1",
        outcome="aterremitterad",
        stage_before=initiative.stage,
        stage_after=initiative.stage,
        decided_on=dt.date(2026, 3, 1),
        body="portfoljstyrgrupp",
        recorded_by=director,
    )
    agreement = Agreement.objects.create(
        title="Avtal om e-arkiv",
        constellation=portfolio.constellation,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2028, 12, 31),
    )
    agreement.parties.add(*portfolio.constellation.members.all())
    return {
        "portfolio": portfolio,
        "coordinator": coordinator,
        "director": director,
        "reader": reader,
        "initiative": initiative,
        "decision": decision,
        "agreement": agreement,
    }


def test_a_file_is_stored_through_the_storage_api_with_its_checksum(world):
    attachment = attachment_add(
        actor=world["coordinator"],
        parent=world["initiative"],
        upload=files.upload("Förstudie ‮fdp.exe", files.PDF, "application/x-msdownload"),
    )
    assert attachment.initiative == world["initiative"]
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(files.PDF)
    assert attachment.sha256 == hashlib.sha256(files.PDF).hexdigest()
    # The server names the stored file; the person's name is kept for people to read,
    # without the right-to-left override, and a download gets the real extension.
    assert attachment.file.name.startswith("attachments/") and attachment.file.name.endswith(".pdf")
    assert "\u202e" not in attachment.original_name
    assert served_name(attachment) == "Förstudie fdp.pdf"
    with default_storage.open(attachment.file.name, "rb") as stored:
        assert stored.read() == files.PDF
    assert open_verified(attachment).read() == files.PDF


def test_decisions_and_agreements_take_attachments_from_those_who_record_them(world):
    minutes = attachment_add(
        actor=world["director"],
        parent=world["decision"],
        upload=files.upload("protokoll.odt", files.ODT),
    )
    text = attachment_add(
        actor=world["coordinator"],
        parent=world["agreement"],
        upload=files.upload("avtal.docx", files.DOCX),
    )
    assert minutes.decision == world["decision"] and minutes.initiative is None
    assert text.agreement == world["agreement"] and text.content_type.endswith("document")
    # The archive takes the initiative's and its decisions' files, not the agreement's.
    assert list(portfolio_attachments(world["portfolio"])) == [minutes]


@pytest.mark.parametrize("parent", ["initiative", "decision", "agreement"])
def test_those_who_may_not_change_the_parent_are_refused(world, parent):
    with pytest.raises(NotAllowedError):
        attachment_add(
            actor=world["reader"], parent=world[parent], upload=files.upload("a.pdf", files.PDF)
        )
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    "name,content,says",
    [
        ("avtal.pdf", files.EXE, "program"),
        ("logga.svg", files.SVG, "SVG"),
        ("sida.html", files.HTML, "webbsida"),
        ("avtal.docm", files.DOCM, "makron"),
    ],
)
def test_a_refused_file_writes_nothing(world, name, content, says):
    with pytest.raises(DomainError) as refused:
        attachment_add(
            actor=world["coordinator"],
            parent=world["initiative"],
            upload=files.upload(name, content),
        )
    assert says in refused.value.fields["file"][0]
    assert not Attachment.objects.exists()
    assert not default_storage.exists("attachments")


def test_a_file_over_the_limit_is_refused(world, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(DomainError, match="för stor"):
        attachment_add(
            actor=world["coordinator"],
            parent=world["initiative"],
            upload=files.upload("stor.pdf", files.PDF + b"0" * (1024 * 1024)),
        )
    assert not Attachment.objects.exists()


def test_a_later_version_supersedes_the_earlier_one_once(world):
    first = attachment_add(
        actor=world["director"], parent=world["decision"], upload=files.upload("p.pdf", files.PDF)
    )
    second = attachment_add(
        actor=world["director"],
        parent=world["decision"],
        upload=files.upload("p2.pdf", files.PDF + b" "),
        supersedes=first,
    )
    assert second.supersedes == first
    assert Attachment.objects.get(pk=first.pk).superseded_by == second
    with pytest.raises(DomainError) as twice:
        attachment_add(
            actor=world["director"],
            parent=world["decision"],
            upload=files.upload("p3.pdf", files.PDF),
            supersedes=first,
        )
    assert "redan ersatts" in twice.value.fields["supersedes"][0]
    with pytest.raises(DomainError) as elsewhere:
        attachment_add(
            actor=world["coordinator"],
            parent=world["initiative"],
            upload=files.upload("p4.pdf", files.PDF),
            supersedes=second,
        )
    assert "samma" in elsewhere.value.fields["supersedes"][0]
    assert Attachment.objects.count() == 2


def test_an_attachment_is_never_changed_or_deleted(world):
    attachment = attachment_add(
        actor=world["director"], parent=world["decision"], upload=files.upload("p.pdf", files.PDF)
    )
    with pytest.raises(ImmutableRecordError):
        attachment.delete()
    with pytest.raises(ImmutableRecordError):
        Attachment.objects.all().delete()
    with pytest.raises(ImmutableRecordError):
        Attachment.objects.filter(pk=attachment.pk).update(original_name="x.pdf")
    attachment.original_name = "x.pdf"
    with pytest.raises(ImmutableRecordError):
        attachment.save()
    assert Attachment.objects.get(pk=attachment.pk).original_name == "p.pdf"


def _row(world, **parents):
    return Attachment(
        file="attachments/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=world["coordinator"],
        **parents,
    )


@pytest.mark.parametrize(
    "parents",
    [
        {},
        {"initiative": "initiative", "decision": "decision"},
        {"decision": "decision", "agreement": "agreement"},
    ],
)
def test_the_database_wants_exactly_one_parent(world, parents):
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(world, **{field: world[key] for field, key in parents.items()}).save()


def test_an_altered_file_is_not_served_as_the_filed_one(world):
    attachment = attachment_add(
        actor=world["coordinator"],
        parent=world["initiative"],
        upload=files.upload("a.pdf", files.PDF),
    )
    default_storage.delete(attachment.file.name)
    default_storage.save(attachment.file.name, files.upload("a.pdf", files.PDF + b"altered"))
    assert open_verified(attachment) is None


@pytest.mark.postgres
def test_postgres_refuses_raw_changes_to_attachments(world):
    attachment = attachment_add(
        actor=world["director"], parent=world["decision"], upload=files.upload("p.pdf", files.PDF)
    )
    for sql in (
        "UPDATE portfolio_attachment SET original_name = 'x' WHERE id = %s",
        "DELETE FROM portfolio_attachment WHERE id = %s",
    ):
        with pytest.raises(DatabaseError) as caught, transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [attachment.pk])
        assert "Bilagor" in str(caught.value)
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE portfolio_attachment")
    assert Attachment.objects.filter(pk=attachment.pk, original_name="p.pdf").exists()
