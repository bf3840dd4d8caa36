"""Reading attachments: exactly those who may see the parent see its attachments.

A parent (an initiative, a decision or an agreement) is found through the access
selectors, so one outside the user's view answers like a missing one (None: 404).
"""

import hashlib
import hmac
import logging
import tempfile
from collections import defaultdict
from pathlib import PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from municipalities.models import Agreement

from ..models import Attachment, GateDecision, Initiative
from .access import visible_agreements, visible_initiatives

INITIATIVE = "initiative"
DECISION = "decision"
AGREEMENT = "agreement"
KINDS = (INITIATIVE, DECISION, AGREEMENT)
CHUNK = 64 * 1024
# A download is held in memory up to this size, in a temporary file beyond it.
SPOOL_IN_MEMORY = 4 * 1024 * 1024

logger = logging.getLogger(__name__)


def visible_parent(user, kind: str, pk) -> Initiative | GateDecision | Agreement | None:
    """The parent of that kind and id if the user may see it, else None."""
    if kind == INITIATIVE:
        found = visible_initiatives(user).select_related("portfolio", "program")
    elif kind == DECISION:
        found = GateDecision.objects.filter(
            initiative__in=visible_initiatives(user).values("id")
        ).select_related("initiative__portfolio", "initiative__program")
    elif kind == AGREEMENT:
        found = visible_agreements(user).select_related("constellation")
    else:
        return None
    return found.filter(pk=pk).first()


def parent_kind(parent) -> str:
    if isinstance(parent, Initiative):
        return INITIATIVE
    if isinstance(parent, GateDecision):
        return DECISION
    if isinstance(parent, Agreement):
        return AGREEMENT
    raise TypeError(type(parent).__name__)


def attachments_of(parent) -> QuerySet[Attachment]:
    """The parent's attachments, oldest first, with who uploaded them and which later
    version (if any) replaces each."""
    return (
        Attachment.objects.filter(**{parent_kind(parent): parent})
        .select_related("uploaded_by", "superseded_by")
        .order_by("uploaded_at", "id")
    )


def attachment_of(parent, pk) -> Attachment | None:
    return attachments_of(parent).filter(pk=pk).first()


def visible_attachment(user, pk) -> Attachment | None:
    """One attachment, if the user may see its parent."""
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None:
        return None
    for kind in KINDS:
        parent_id = getattr(attachment, f"{kind}_id")
        if parent_id is not None:
            return attachment if visible_parent(user, kind, parent_id) is not None else None
    return None


def decision_attachments(initiative) -> dict[int, list[Attachment]]:
    """The attachments of each of the initiative's decisions, in one query."""
    grouped: dict[int, list[Attachment]] = defaultdict(list)
    rows = (
        Attachment.objects.filter(decision__initiative=initiative)
        .select_related("uploaded_by", "superseded_by")
        .order_by("uploaded_at", "id")
    )
    for attachment in rows:
        grouped[attachment.decision_id].append(attachment)
    return dict(grouped)


def portfolio_attachments(portfolio) -> QuerySet[Attachment]:
    """The attachments of the portfolio's initiatives and their decisions (the archive)."""
    return Attachment.objects.filter(
        Q(initiative__portfolio=portfolio) | Q(decision__initiative__portfolio=portfolio)
    ).order_by("id")


def open_verified(attachment: Attachment) -> File | None:
    """The attachment's bytes from the file storage, checked against the SHA-256 kept
    when it was filed; None when the storage has lost or altered them (nothing is then
    served as if it were the filed document)."""
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    digest = hashlib.sha256()
    try:
        with default_storage.open(attachment.file.name, "rb") as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
                spooled.write(chunk)
    except (FileNotFoundError, OSError):
        spooled.close()
        logger.error("Attachment %s: its file %s is missing", attachment.pk, attachment.file.name)
        return None
    if not hmac.compare_digest(digest.hexdigest(), attachment.sha256):
        spooled.close()
        logger.error("Attachment %s: its file %s is altered", attachment.pk, attachment.file.name)
        return None
    spooled.seek(0)
    return File(spooled, name=attachment.file.name)


def agreement_attachments(agreements) -> QuerySet[Attachment]:
    """The attachments of these agreements (the archive: the constellation's agreements)."""
    return Attachment.objects.filter(agreement__in=agreements).order_by("id")


def served_name(attachment: Attachment) -> str:
    """The name a download (or the archive) gives the file: the original stem with the
    extension of what the file is, so a PDF named "x.exe" is saved as "x.pdf"."""
    stem = attachment.original_name.rsplit(".", 1)[0] or _("bilaga")
    return f"{stem}{PurePosixPath(attachment.file.name).suffix}"
