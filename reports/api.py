"""/api/v1/reports/: order a document (POST), follow it (GET), download it (GET .../download/).

The Excel kinds (initiatives_xlsx, entries_xlsx) take `portfolio` and `filters`.
A finished document carries `sha256`, the checksum recorded when it was issued, which
every download is checked against (410 `document_missing` / 409 `document_altered`
when the stored file is gone or differs); `replaces` and `replaced_by` link the issues
of the same document; `.../figures/` gives the figures it was printed from.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portfolio.choices import Gate
from samverkan.api import KnownFieldsOnly

from . import issued, selectors, services
from .models import ORDERABLE_KINDS, PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE, ReportStatus
from .views import document_response, figures_response


class ReportRequestSerializer(KnownFieldsOnly, serializers.Serializer):
    kind = serializers.ChoiceField(choices=ORDERABLE_KINDS)
    portfolio = serializers.IntegerField(required=False, allow_null=True)
    initiative = serializers.IntegerField(required=False, allow_null=True)
    gate = serializers.ChoiceField(choices=Gate.choices, required=False, allow_blank=True)
    decision = serializers.IntegerField(required=False, allow_null=True)
    municipality = serializers.IntegerField(required=False, allow_null=True)
    period = serializers.CharField(required=False, allow_blank=True, max_length=30)
    filters = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Excel kinds: the initiative list's query string, e.g. stage=idea&area=insida.",
    )
    idempotency_key = serializers.CharField(required=False, allow_blank=True, max_length=64)


class ReportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    failure_reason = serializers.CharField()
    queued_notice = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()
    parameters = serializers.JSONField()
    portfolio = serializers.IntegerField(source="portfolio_id", allow_null=True)
    initiative = serializers.IntegerField(source="initiative_id", allow_null=True)
    decision = serializers.IntegerField(source="decision_id", allow_null=True)
    municipality = serializers.IntegerField(source="municipality_id", allow_null=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    file_size = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField(
        help_text="SHA-256 (hex) of the document as issued; empty before it is done."
    )
    replaces = serializers.IntegerField(
        source="replaces_id", allow_null=True, help_text="The earlier issue this one replaces."
    )
    replaced_by = serializers.SerializerMethodField(help_text="The newer issue, if any.")
    filename = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    figures_url = serializers.SerializerMethodField()

    def get_subject(self, job) -> str:
        return selectors.job_subject(job)

    def get_filename(self, job) -> str:
        return selectors.download_filename(job)

    def get_queued_notice(self, job) -> str:
        if job.status == ReportStatus.QUEUED and job.enqueue_failed:
            return _(
                "Bakgrundstjänsten går inte att nå just nu. Beställningen ligger kvar i kö "
                "och skickas automatiskt igen."
            )
        return ""

    def get_download_url(self, job) -> str | None:
        if job.status != ReportStatus.DONE:
            return None
        return reverse("report-job-download", args=[job.pk])

    def get_replaced_by(self, job) -> int | None:
        successor = job.successor
        return successor.pk if successor else None

    def get_figures_url(self, job) -> str | None:
        if not issued.has_figures(job):
            return None
        return reverse("report-job-figures", args=[job.pk])


class ReportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReportJobSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.visible_report_jobs(self.request.user)

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportJobSerializer})
    def create(self, request):
        incoming = ReportRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        key = data.get("idempotency_key") or request.headers.get("Idempotency-Key") or None
        job, created = services.report_job_request(
            user=request.user,
            kind=data["kind"],
            portfolio_id=data.get("portfolio"),
            initiative_id=data.get("initiative"),
            gate=data.get("gate") or None,
            decision_id=data.get("decision"),
            municipality_id=data.get("municipality"),
            period=data.get("period"),
            filters=data.get("filters"),
            idempotency_key=key[:64] if key else None,
        )
        job.refresh_from_db()
        return Response(
            ReportJobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        responses={
            (200, PDF_CONTENT_TYPE): OpenApiTypes.BINARY,
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            (409, "application/json"): OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="`document_altered`: den lagrade filen stämmer inte med "
                "kontrollsumman (`sha256`) från när dokumentet utfärdades; den lämnas inte ut.",
            ),
            (410, "application/json"): OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="`document_missing`: filen finns inte längre i fillagringen.",
            ),
        }
    )
    @action(detail=True, methods=["get"], url_path="download", url_name="download")
    def download(self, request, pk=None):
        return document_response(self.get_object())

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], url_path="figures", url_name="figures")
    def figures(self, request, pk=None):
        """The figures the document was printed from when it was issued."""
        job = self.get_object()
        if not issued.has_figures(job):
            raise Http404
        return figures_response(job)
