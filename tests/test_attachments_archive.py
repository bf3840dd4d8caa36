"""The portfolio archive holds the files attached to its initiatives and decisions,
each with the checksum kept when it was filed, and their rows in data/attachment.json."""

import hashlib
import json
import zipfile

import pytest

from portfolio.archive import write_portfolio_archive
from portfolio.services.attachments import attachment_add
from tests import attachment_files as files
from tests import attachment_world, factories

pytestmark = pytest.mark.django_db


def test_the_archive_takes_the_portfolio_attachments_and_no_others(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = attachment_world.build()
    prestudy = attachment_add(
        actor=world["owner"],
        parent=world["initiative"],
        upload=files.upload("Förstudie.pdf", files.PDF),
    )
    minutes = attachment_add(
        actor=world["director"],
        parent=world["decision"],
        upload=files.upload("Protokoll.odt", files.ODT),
    )
    attachment_add(
        actor=world["coordinator"],
        parent=world["agreement"],
        upload=files.upload("Avtal.docx", files.DOCX),
    )
    elsewhere = factories.initiative(factories.portfolio())
    attachment_add(
        actor=world["coordinator"], parent=elsewhere, upload=files.upload("Annat.pdf", files.TEXT)
    )

    result = write_portfolio_archive(world["portfolio"], tmp_path / "arkiv.zip")

    assert result.attachments == 2
    with zipfile.ZipFile(result.path) as archive:
        names = set(archive.namelist())
        assert f"bilagor/{prestudy.pk}-Förstudie.pdf" in names
        assert f"bilagor/{minutes.pk}-Protokoll.odt" in names
        assert not any("Avtal" in n or "Annat" in n for n in names if n.startswith("bilagor/"))
        assert archive.read(f"bilagor/{minutes.pk}-Protokoll.odt") == files.ODT
        rows = json.loads(archive.read("data/attachment.json"))
        assert sorted(row["id"] for row in rows) == [prestudy.pk, minutes.pk]
        manifest = json.loads(archive.read("manifest.json"))
        entry = manifest["attachments"][f"bilagor/{prestudy.pk}-Förstudie.pdf"]
        assert entry == {"filed_sha256": hashlib.sha256(files.PDF).hexdigest(), "matches": True}
        assert "bilagor/" in archive.read("README.txt").decode()
