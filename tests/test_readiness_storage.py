"""Readiness asks the shared file storage too, and names it when it cannot keep a file."""

import pytest
from django.core.files.storage import default_storage


@pytest.mark.django_db
def test_readiness_keeps_and_removes_a_probe_in_the_storage(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["storage"] == "ok"
    assert default_storage.listdir("readiness") == ([], [])


@pytest.mark.django_db
def test_readiness_names_a_storage_that_cannot_keep_files(client, settings, tmp_path):
    # A file where the storage's directory should be: nothing can be written below it,
    # as with a read-only or vanished mount.
    blocked = tmp_path / "media"
    blocked.write_bytes(b"")
    settings.MEDIA_ROOT = blocked
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["storage"]
    assert body["checks"]["database"] == "ok"
    assert "storage" in body["detail"]
