"""Attachments in the REST API: list, upload (multipart) and download per parent, an
initiative, one of its decisions or an agreement. The same selectors, policy and
service as the pages: a parent the user cannot see answers 404, an upload the user may
not make 403 before the body is read, a refused file 400 with the reason under `file`.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from samverkan.api import KnownFieldsOnly

from .. import policies
from ..models import Attachment
from ..selectors import attachments as sel
from ..services.attachments import REFUSED, attachment_add
from ..views.attachments import download_response
from . import permissions as guard

TAGS = ["bilagor"]
ATTACH = guard.Rule(policies.can_attach_to, REFUSED)


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.StringRelatedField()
    superseded_by = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "supersedes",
            "superseded_by",
            "download",
        ]
        read_only_fields = fields

    def get_superseded_by(self, attachment) -> int | None:
        try:
            return attachment.superseded_by.pk
        except Attachment.DoesNotExist:
            return None

    def get_download(self, attachment) -> str:
        view = self.context["view"]
        return reverse(view.download_route, kwargs={**view.kwargs, "pk": attachment.pk})


class AttachmentUploadSerializer(KnownFieldsOnly, serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument eller text (UTF-8). "
            "Filtypen avgörs av innehållet, inte av namnet."
        )
    )
    supersedes = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Id för den tidigare versionen som den nya ersätter."),
    )


class _ParentView(guard.GuardedAPIView):
    """Subclasses say which parent the URL names (`kind`) and the download route."""

    kind: str
    download_route: str
    rules = {"POST": ATTACH}

    def parent(self):
        user, kwargs = self.request.user, self.kwargs
        if self.kind == sel.DECISION:
            found = sel.visible_parent(user, sel.DECISION, kwargs["decision_pk"])
            if found is not None and found.initiative_id != kwargs["initiative_pk"]:
                found = None
        else:
            found = sel.visible_parent(user, self.kind, kwargs[f"{self.kind}_pk"])
        if found is None:
            raise Http404
        return found


class _AttachmentList(_ParentView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(tags=TAGS, responses=AttachmentSerializer(many=True))
    def get(self, request, **kwargs):
        """The parent's attachments, oldest first; a later version names the earlier one."""
        listed = sel.attachments_of(self.parent())
        return Response(AttachmentSerializer(listed, many=True, context={"view": self}).data)

    @extend_schema(
        tags=TAGS,
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    )
    def post(self, request, **kwargs):
        """Upload a file (multipart/form-data, field `file`). Attachments are never
        changed or deleted; a corrected file is a new one naming the one it `supersedes`."""
        parent = self.permit(self.parent())
        values = self.valid(AttachmentUploadSerializer)
        supersedes = None
        if values.get("supersedes") is not None:
            supersedes = sel.attachment_of(parent, values["supersedes"])
            if supersedes is None:
                raise serializers.ValidationError(
                    {"supersedes": [_("Det finns ingen sådan bilaga här att ersätta.")]}
                )
        saved = attachment_add(
            actor=request.user, parent=parent, upload=values["file"], supersedes=supersedes
        )
        body = AttachmentSerializer(saved, context={"view": self}).data
        return Response(body, status=status.HTTP_201_CREATED)


class _AttachmentDownload(_ParentView):
    @extend_schema(tags=TAGS, responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk, **kwargs):
        """The file, always as a download, with the content type found from its bytes
        and its SHA-256 in the Digest header."""
        attachment = sel.attachment_of(self.parent(), pk)
        if attachment is None:
            raise Http404
        return download_response(attachment)


class InitiativeAttachmentList(_AttachmentList):
    kind = sel.INITIATIVE
    download_route = "initiative-attachment-download"


class InitiativeAttachmentDownload(_AttachmentDownload):
    kind = sel.INITIATIVE


class DecisionAttachmentList(_AttachmentList):
    kind = sel.DECISION
    download_route = "decision-attachment-download"


class DecisionAttachmentDownload(_AttachmentDownload):
    kind = sel.DECISION


class AgreementAttachmentList(_AttachmentList):
    kind = sel.AGREEMENT
    download_route = "agreement-attachment-download"


class AgreementAttachmentDownload(_AttachmentDownload):
    kind = sel.AGREEMENT
