"""Archive exports in the REST API: the same service and policy as the archive page.
Only the portfolio's samordnare reads or orders them (403 for everyone else who sees
the portfolio, 404 outside it)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from .. import policies
from ..models import ArchiveExport
from ..selectors import settings as sel
from ..services import archive_exports
from ..views.archive import download_response
from . import permissions as guard

TAGS = ["arkiv"]
EXPORT_ARCHIVE = guard.Rule(policies.can_export_archive, archive_exports.REFUSAL)


class ArchiveExportSerializer(serializers.ModelSerializer):
    requested_by = serializers.StringRelatedField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ArchiveExport
        fields = [
            "id",
            "status",
            "status_label",
            "requested_by",
            "created_at",
            "finished_at",
            "size",
            "sha256",
            "records",
            "documents",
            "failure_reason",
        ]
        read_only_fields = fields


class _ArchiveView(guard.GuardedAPIView):
    rules = {"GET": EXPORT_ARCHIVE, "POST": EXPORT_ARCHIVE}

    def portfolio(self):
        found = sel.settings_portfolio(self.request.user, self.kwargs["portfolio_pk"])
        return self.permit(found)


class ArchiveExportList(_ArchiveView):
    @extend_schema(tags=TAGS, responses=ArchiveExportSerializer(many=True))
    def get(self, request, portfolio_pk):
        """The portfolio's archive exports, newest first (at most 50)."""
        exports = self.portfolio().archive_exports.select_related("requested_by")[:50]
        return Response(ArchiveExportSerializer(exports, many=True).data)

    @extend_schema(tags=TAGS, request=None, responses={202: ArchiveExportSerializer})
    def post(self, request, portfolio_pk):
        """Order an archive export; a worker writes it. Follow it at its own address."""
        export = archive_exports.archive_export_request(
            actor=request.user, portfolio=self.portfolio()
        )
        body = ArchiveExportSerializer(export).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


class ArchiveExportDetail(_ArchiveView):
    @extend_schema(tags=TAGS, responses=ArchiveExportSerializer)
    def get(self, request, portfolio_pk, pk):
        export = self.portfolio().archive_exports.filter(pk=pk).first()
        if export is None:
            raise Http404
        return Response(ArchiveExportSerializer(export).data)


class ArchiveExportDownload(_ArchiveView):
    @extend_schema(tags=TAGS, responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request, portfolio_pk, pk):
        """The finished archive (.zip); its SHA-256 is in the Digest header."""
        portfolio = self.portfolio()
        return download_response(portfolio, portfolio.archive_exports.filter(pk=pk).first())
