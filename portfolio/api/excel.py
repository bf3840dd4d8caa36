"""/api/v1/portfolios/<pk>/excel-import/<kind>/: preview an uploaded .xlsx, then confirm it.

The preview answers 200 with every row, what would happen to it and its errors; when
the file has no errors it also carries a `token` to confirm with. The confirmation
reads and checks the file again and writes all rows or none (400 `import_invalid` with
the rows' errors). Kinds: initiatives, costs, time.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..excel import tokens
from ..excel.imports import KIND_LABELS, allowed_kinds, import_apply, import_preview
from ..excel.preview import ImportRefused, Preview
from ..excel.reader import FileRefused, check_upload
from ..selectors.access import visible_portfolios


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    sheet = serializers.CharField(required=False, allow_blank=True, max_length=31, default="")

    def validate_file(self, upload):
        try:
            check_upload(name=upload.name, size=upload.size)
        except FileRefused as exc:
            raise serializers.ValidationError(str(exc)) from None
        return upload


class ConfirmSerializer(serializers.Serializer):
    token = serializers.CharField()


def _portfolio_and_kind(request, pk: int, kind: str):
    if kind not in KIND_LABELS:
        raise NotFound()
    portfolio = get_object_or_404(
        visible_portfolios(request.user).select_related("constellation"), pk=pk
    )
    if kind not in allowed_kinds(request.user, portfolio):
        raise PermissionDenied(_("Du kan inte importera det här till portföljen."))
    return portfolio


def _row_errors(preview: Preview) -> dict:
    errors = {"file": preview.file_errors} if preview.file_errors else {}
    for row in preview.rows:
        messages = [
            f"{header}: {message}" if header else message
            for header, items in row.errors.items()
            for message in items
        ]
        if messages:
            errors[f"rad {row.number}"] = messages
    return errors


@extend_schema(tags=["excel"], request={"multipart/form-data": UploadSerializer})
class ImportPreviewView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk: int, kind: str):
        portfolio = _portfolio_and_kind(request, pk, kind)
        upload = UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        content = upload.validated_data["file"].read()
        sheet = upload.validated_data["sheet"]
        preview = import_preview(
            actor=request.user, portfolio=portfolio, kind=kind, content=content, sheet_name=sheet
        )
        body = preview.as_dict()
        if preview.is_valid:
            body["token"] = tokens.pack(
                content, user_id=request.user.pk, portfolio_id=portfolio.pk, kind=kind, sheet=sheet
            )
        return Response(body)


@extend_schema(tags=["excel"], request=ConfirmSerializer)
class ImportConfirmView(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk: int, kind: str):
        portfolio = _portfolio_and_kind(request, pk, kind)
        confirm = ConfirmSerializer(data=request.data)
        confirm.is_valid(raise_exception=True)
        try:
            content, sheet = tokens.unpack(
                confirm.validated_data["token"],
                user_id=request.user.pk,
                portfolio_id=portfolio.pk,
                kind=kind,
            )
        except FileRefused as exc:
            return Response(
                {"detail": str(exc), "code": "invalid", "errors": {"token": [str(exc)]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            result = import_apply(
                actor=request.user,
                portfolio=portfolio,
                kind=kind,
                content=content,
                sheet_name=sheet,
            )
        except ImportRefused as exc:
            return Response(
                {
                    "detail": str(exc.message),
                    "code": exc.rule,
                    "errors": _row_errors(exc.preview),
                    "preview": exc.preview.as_dict(),
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )
