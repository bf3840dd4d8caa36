"""Attachments (bilagor) in the pages: the list and upload form on the initiative page
(its own and each decision's) and the agreement page, the upload and the download.

Who sees a parent sees its attachments (404 otherwise); who may change it uploads
(policies.can_attach_to, 403 otherwise). A download is always served as a download
with the content type found from the bytes, never inline.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import policies
from ..forms.attachments import AttachmentForm
from ..forms.base import apply_error
from ..selectors import attachments as sel
from ..services.attachments import REFUSED, attachment_add
from ..services.errors import DomainError

# The page addresses name the parent in Swedish.
KIND_SLUGS = {"initiativ": sel.INITIATIVE, "beslut": sel.DECISION, "avtal": sel.AGREEMENT}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}


def upload_url(parent) -> str:
    return reverse(
        "portfolio:attachment-upload", args=[SLUG_OF[sel.parent_kind(parent)], parent.pk]
    )


def heading_id(parent) -> str:
    """The id of the heading above the parent's attachments on its page."""
    kind = sel.parent_kind(parent)
    if kind == sel.INITIATIVE:
        return "bilagor-initiativ"
    if kind == sel.DECISION:
        return f"bilagor-beslut-{parent.pk}"
    return "bilagor"


def parent_url(parent) -> str:
    if sel.parent_kind(parent) == sel.DECISION:
        page = reverse("portfolio:initiative-detail", args=[parent.initiative_id])
    elif sel.parent_kind(parent) == sel.INITIATIVE:
        page = reverse("portfolio:initiative-detail", args=[parent.pk])
    else:
        page = reverse("portfolio:agreement-detail", args=[parent.pk])
    return f"{page}#{heading_id(parent)}"


def attachment_block(user, parent, attachments=None) -> dict:
    """What the page's attachment list and upload form need for one parent."""
    listed = list(sel.attachments_of(parent) if attachments is None else attachments)
    can_upload = policies.can_attach_to(user, parent)
    return {
        "parent": parent,
        "attachments": listed,
        "can_upload": can_upload,
        "upload_url": upload_url(parent),
        "heading_id": heading_id(parent),
        # Each form on a page gets ids of its own; the field names stay the same.
        "form": AttachmentForm(
            attachments=listed, auto_id=f"bilaga-{sel.parent_kind(parent)}-{parent.pk}-%s"
        )
        if can_upload
        else None,
    }


def initiative_attachments(user, initiative, decisions) -> dict:
    """The initiative's own attachments and each decision's, in two queries."""
    by_decision = sel.decision_attachments(initiative)
    return {
        "attachments_block": attachment_block(user, initiative),
        "decision_blocks": [
            attachment_block(user, decision, by_decision.get(decision.pk, []))
            for decision in decisions
        ],
    }


def _parent_or_404(request, slug, pk):
    kind = KIND_SLUGS.get(slug)
    parent = sel.visible_parent(request.user, kind, pk) if kind else None
    if parent is None:
        raise Http404
    return parent


@login_required
def attachment_upload(request, slug, pk):
    parent = _parent_or_404(request, slug, pk)
    if not policies.can_attach_to(request.user, parent):
        raise PermissionDenied(REFUSED)
    listed = list(sel.attachments_of(parent))
    form = AttachmentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        attachments=listed,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = attachment_add(
                actor=request.user,
                parent=parent,
                upload=form.cleaned_data["file"],
                supersedes=form.cleaned_data.get("supersedes"),
            )
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request, _("Bilagan %(name)s är sparad.") % {"name": saved.original_name}
            )
            return redirect(parent_url(parent))
    return render(
        request,
        "portfolio/attachments/upload.html",
        {"form": form, "parent": parent, "back_url": parent_url(parent), "title": str(parent)},
        status=400 if form.is_bound and form.errors else 200,
    )


def download_response(attachment) -> FileResponse:
    """The attachment as a download: the type found from its bytes, never shown inline
    or guessed again by the browser; 404 when the stored file is lost or altered."""
    document = sel.open_verified(attachment)
    if document is None:
        raise Http404
    response = FileResponse(
        document,
        as_attachment=True,
        filename=sel.served_name(attachment),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(attachment.size)
    response["Digest"] = f"sha-256={attachment.sha256}"
    return response


@login_required
def attachment_download(request, pk):
    attachment = sel.visible_attachment(request.user, pk)
    if attachment is None:
        raise Http404
    return download_response(attachment)
