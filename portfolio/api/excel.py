"""/api/v1/portfolios/<pk>/excel-import/<kind>/: preview an uploaded .xlsx, then confirm it.

The preview answers 200 with every row, what would happen to it and its errors; when
the file has no errors it also carries a `token` to confirm with. The confirmation
reads and checks the file again and writes all rows or none (400 `import_invalid` with
the rows' errors). A file of more than EXCEL_IMPORT_SYNC_MAX_ROWS rows is applied by a
background job instead: the confirmation answers 202 with the job and its `Location`,
which answers with the job's status and, when it has run, its result or errors.
Kinds: initiatives, costs, time, portfolio (the whole portfolio workbook with its
history; the portfolio office only). /api/v1/portfolios/<pk>/excel-export/portfolio/
answers with that workbook, as far as the caller sees the portfolio.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.api import KnownFieldsOnly

from ..excel.book_export import portfolio_export_response
from ..excel.import_jobs import (
    confirm_previewed_import,
    import_job_for,
    import_job_summary,
    preview_for_confirmation,
)
from ..excel.imports import KIND_LABELS, allowed_kinds
from ..excel.preview import ImportRefused
from ..excel.reader import FileRefused, check_uploaded_file
from ..models import ImportJob
from ..selectors.access import visible_initiatives, visible_portfolios


class UploadSerializer(KnownFieldsOnly, serializers.Serializer):
    file = serializers.FileField()
    sheet = serializers.CharField(required=False, allow_blank=True, max_length=31, default="")

    def validate_file(self, upload):
        try:
            check_uploaded_file(upload)
        except FileRefused as exc:
            raise serializers.ValidationError(str(exc)) from None
        return upload


class ConfirmSerializer(KnownFieldsOnly, serializers.Serializer):
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
        preview, token = preview_for_confirmation(
            actor=request.user, portfolio=portfolio, kind=kind, content=content, sheet=sheet
        )
        body = preview.as_dict()
        if token:
            body["token"] = token
        return Response(body)


ImportJobSerializer = inline_serializer(
    name="ImportJob",
    fields={
        "id": serializers.IntegerField(),
        # Plain text: the same four values as a report job's status, which owns that enum.
        "status": serializers.CharField(help_text="queued, running, done eller failed"),
        "status_label": serializers.CharField(),
        "kind": serializers.CharField(),
        "rows": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "failure_reason": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        "location": serializers.CharField(),
    },
)


def _job_body(portfolio, job) -> dict:
    location = reverse("excel-import-job", args=[portfolio.pk, job.pk])
    return {**import_job_summary(job), "location": location}


@extend_schema(tags=["excel"], request=ConfirmSerializer)
class ImportConfirmView(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Importen är gjord."),
            202: OpenApiResponse(
                ImportJobSerializer,
                description="Filen har fler rader än EXCEL_IMPORT_SYNC_MAX_ROWS och "
                "importeras av ett bakgrundsjobb; följ `location` (även i Location-huvudet).",
            ),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Ingenting har sparats."),
        }
    )
    def post(self, request, pk: int, kind: str):
        portfolio = _portfolio_and_kind(request, pk, kind)
        confirm = ConfirmSerializer(data=request.data)
        confirm.is_valid(raise_exception=True)
        try:
            result = confirm_previewed_import(
                actor=request.user,
                portfolio=portfolio,
                kind=kind,
                token=confirm.validated_data["token"],
            )
        except FileRefused as exc:
            return Response(
                {"detail": str(exc), "code": "invalid", "errors": {"token": [str(exc)]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except ImportRefused as exc:
            return Response(
                {
                    "detail": str(exc.message),
                    "code": exc.rule,
                    "errors": exc.preview.errors_by_place(),
                    "preview": exc.preview.as_dict(),
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        if isinstance(result, ImportJob):
            body = _job_body(portfolio, result)
            return Response(
                body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["location"]}
            )
        return Response(
            {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )


@extend_schema(tags=["excel"])
class ImportJobView(APIView):
    @extend_schema(responses={200: ImportJobSerializer})
    def get(self, request, pk: int, job_pk: int):
        portfolio = get_object_or_404(visible_portfolios(request.user), pk=pk)
        job = import_job_for(request.user, portfolio, job_pk)
        if job is None:
            raise NotFound()
        return Response(_job_body(portfolio, job))


@extend_schema(tags=["excel"])
class PortfolioExportView(APIView):
    @extend_schema(
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiTypes.BINARY
        }
    )
    def get(self, request, pk: int):
        portfolio = get_object_or_404(visible_portfolios(request.user), pk=pk)
        initiatives = visible_initiatives(request.user).filter(portfolio=portfolio)
        return portfolio_export_response(portfolio, initiatives)
