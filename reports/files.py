"""A job's document in the file storage every web and worker machine shares.

Only Django's storage API is used (default_storage): the local disk at MEDIA_ROOT, or
object storage in production (samverkan/file_storage.py). No code here or elsewhere
opens a local path for a document.

Each attempt writes a name of its own, `reports/<job>-<attempt>.<ext>`, and the job row
records the name only once the file is complete: a reader never meets half a file, two
deliveries of the same job never write into each other, and the attempt that did not
finish the job removes what it wrote. Names of earlier attempts that a killed worker
left behind are removed when the job is done.

The SHA-256 of the bytes is recorded when the job is done (`checksum`); a download reads
the stored file once into a spooled copy, compares it with that checksum and serves
exactly the bytes it checked (`open_verified`), so an altered or lost file is refused
instead of handed out as if it were the issued document.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import tempfile

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from .models import ReportJob

logger = logging.getLogger(__name__)

REPORTS_DIR = "reports"
CHUNK = 64 * 1024
# A download is held in memory up to this size, in a temporary file beyond it.
SPOOL_IN_MEMORY = 4 * 1024 * 1024


class StoredFileMissing(Exception):
    """The storage no longer has the document's file."""


class StoredFileAltered(Exception):
    """The stored file's bytes are not the ones that were issued."""


def checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def attempt_name(job: ReportJob, attempt: int) -> str:
    return f"{REPORTS_DIR}/{job.pk}-{attempt}.{job.file_extension}"


def store(job: ReportJob, attempt: int, content: bytes) -> str:
    """Save this attempt's document; returns the name the storage gave it."""
    return default_storage.save(attempt_name(job, attempt), ContentFile(content))


def discard(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:  # noqa: BLE001 - a leftover file is not worth failing a job for
        logger.warning("Could not remove the leftover report file %s", name, exc_info=True)


def discard_other_attempts(job: ReportJob) -> None:
    """Remove what earlier (killed or duplicate) attempts of a finished job wrote."""
    for attempt in range(1, job.attempts + 1):
        name = attempt_name(job, attempt)
        if name != job.file_path and default_storage.exists(name):
            discard(name)


def open_document(job: ReportJob) -> File | None:
    """The finished job's document for reading, or None when the storage lacks it."""
    if not job.file_path:
        return None
    try:
        return default_storage.open(job.file_path, "rb")
    except FileNotFoundError:
        return None


def read_document(job: ReportJob) -> bytes | None:
    document = open_document(job)
    if document is None:
        return None
    with document:
        return document.read()


def open_verified(job: ReportJob) -> File:
    """The finished job's document, checked against its recorded checksum.

    Raises StoredFileMissing or StoredFileAltered. A job done before checksums were kept
    (empty `sha256`) has nothing to compare with and is served as stored.
    """
    document = open_document(job)
    if document is None:
        raise StoredFileMissing(job.file_path)
    digest = hashlib.sha256()
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    try:
        with document:
            while chunk := document.read(CHUNK):
                digest.update(chunk)
                spooled.write(chunk)
    except FileNotFoundError:
        spooled.close()
        raise StoredFileMissing(job.file_path) from None
    if job.sha256 and not hmac.compare_digest(digest.hexdigest(), job.sha256):
        spooled.close()
        raise StoredFileAltered(job.file_path)
    spooled.seek(0)
    return File(spooled, name=job.file_path)
