"""Filing an attachment on an initiative, a decision or an agreement.

The policy is asked first, then the bytes are checked by their content
(domain.file_types); only a file that passes is written to the shared file storage
(default_storage), under a name the server chooses, and the row is written with its
SHA-256. If the row cannot be written the stored file is removed again, so no file is
left that nothing points to. Nothing here changes or deletes an attachment: a later
version is a new one that names the one it supersedes.
"""

import hashlib
import logging
import unicodedata
import uuid
from pathlib import PurePosixPath, PureWindowsPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.inert_text import without_bidi_controls

from .. import policies
from ..domain.file_types import FileRefused, max_bytes, sniff
from ..models import Attachment
from ..selectors.attachments import parent_kind
from .errors import DomainError, NotAllowedError
from .history import history_record

logger = logging.getLogger(__name__)

ATTACHMENTS_DIR = "attachments"
REFUSED = gettext_lazy(
    "Du kan inte lägga till bilagor här. Bilagor läggs till av den som får ändra "
    "initiativet, registrera beslutet eller registrera avtalet."
)


def _refused_file(message: str) -> DomainError:
    return DomainError(message, rule="attachment_refused", fields={"file": [message]})


def clean_name(name: str) -> str:
    """The uploaded file's own name, for people to read: no folders, no control or
    direction characters, at most 255 characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = without_bidi_controls(base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[-255:] or _("bilaga")


def _read(upload) -> bytes:
    """At most one byte past the limit, so an over-large file is not read whole."""
    upload.seek(0)
    return upload.read(max_bytes() + 1)


def attachment_add(*, actor, parent, upload, supersedes: Attachment | None = None) -> Attachment:
    """File `upload` (an uploaded file) on `parent`; `supersedes` is the earlier version
    of the same parent that this one replaces."""
    if not policies.can_attach_to(actor, parent):
        raise NotAllowedError(REFUSED)
    kind = parent_kind(parent)
    if supersedes is not None and getattr(supersedes, f"{kind}_id") != parent.pk:
        message = _("Den tidigare versionen hör inte till samma sak som den nya.")
        raise DomainError(message, rule="attachment_refused", fields={"supersedes": [message]})
    name = clean_name(getattr(upload, "name", ""))
    content = _read(upload)
    try:
        file_kind = sniff(content, name)
    except FileRefused as exc:
        raise _refused_file(str(exc)) from None

    stored = default_storage.save(
        f"{ATTACHMENTS_DIR}/{timezone.now():%Y}/{uuid.uuid4().hex}.{file_kind.extension}",
        ContentFile(content),
    )
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                **{kind: parent},
                file=stored,
                original_name=name,
                content_type=file_kind.content_type,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                uploaded_by=actor,
                supersedes=supersedes,
            )
            _record(attachment, parent, actor)
            return attachment
    except IntegrityError:
        _discard(stored)
        message = _("Den tidigare versionen har redan ersatts av en senare version.")
        raise DomainError(
            message, rule="attachment_refused", fields={"supersedes": [message]}
        ) from None
    except BaseException:
        _discard(stored)
        raise


def _record(attachment: Attachment, parent, actor) -> None:
    """An initiative's history tells of its own and its decisions' attachments (an
    agreement's history is the reference data's, which the agreement page shows)."""
    if attachment.agreement_id is not None:
        return
    changes = {"original_name": attachment.original_name}
    if attachment.decision_id is not None:
        changes["decision"] = str(parent)
    if attachment.supersedes_id is not None:
        changes["supersedes"] = attachment.supersedes.original_name
    history_record(
        initiative=parent if attachment.initiative_id else parent.initiative,
        entity="attachment",
        entity_id=attachment.pk,
        action="uploaded",
        actor=actor,
        changes=changes,
    )


def _discard(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:  # noqa: BLE001 - the row was not written; a leftover file is harmless
        logger.warning("Could not remove the unused attachment file %s", name, exc_info=True)
