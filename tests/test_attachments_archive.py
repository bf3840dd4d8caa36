"""The portfolio archive holds the files attached to its initiatives, decisions and
its constellation's agreements, each with the checksum kept when it was filed; the
rows are in data/attachment.json and, for agreements, in agreements.json."""

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
    text = attachment_add(
        actor=world["coordinator"],
        parent=world["agreement"],
        upload=files.upload("Avtal.docx", files.DOCX),
    )
    elsewhere = factories.initiative(factories.portfolio())
    attachment_add(
        actor=world["coordinator"], parent=elsewhere, upload=files.upload("Annat.pdf", files.TEXT)
    )

    result = write_portfolio_archive(world["portfolio"], tmp_path / "arkiv.zip")

    assert result.attachments == 3
    with zipfile.ZipFile(result.path) as archive:
        names = set(archive.namelist())
        assert f"bilagor/{prestudy.pk}-Förstudie.pdf" in names
        assert f"bilagor/{minutes.pk}-Protokoll.odt" in names
        assert f"bilagor/{text.pk}-Avtal.docx" in names
        assert not any("Annat" in n for n in names)
        assert archive.read(f"bilagor/{minutes.pk}-Protokoll.odt") == files.ODT
        rows = json.loads(archive.read("data/attachment.json"))
        assert sorted(row["id"] for row in rows) == [prestudy.pk, minutes.pk]
        [agreement] = json.loads(archive.read("agreements.json"))
        assert [a["file"] for a in agreement["attachments"]] == [f"bilagor/{text.pk}-Avtal.docx"]
        people = {p["id"] for p in json.loads(archive.read("people.json"))}
        assert world["coordinator"].pk in people
        manifest = json.loads(archive.read("manifest.json"))
        entry = manifest["attachments"][f"bilagor/{prestudy.pk}-Förstudie.pdf"]
        assert entry == {"filed_sha256": hashlib.sha256(files.PDF).hexdigest(), "matches": True}
        assert "bilagor/" in archive.read("README.txt").decode()
