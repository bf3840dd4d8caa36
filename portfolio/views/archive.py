"""The portfolio's archive exports: the samordnare orders one, follows it and downloads
the .zip with its checksum. Nobody else sees these pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policies
from ..archive import archive_filename
from ..selectors.settings import settings_portfolio
from ..services import archive_exports
from ..services.errors import DomainError


def _archivist_portfolio(request, pk):
    portfolio = settings_portfolio(request.user, pk)
    if not policies.can_export_archive(request.user, portfolio):
        raise PermissionDenied(archive_exports.REFUSAL)
    return portfolio


@login_required
def archive_list(request, pk):
    portfolio = _archivist_portfolio(request, pk)
    exports = portfolio.archive_exports.select_related("requested_by")[:50]
    return render(
        request, "portfolio/archive/list.html", {"portfolio": portfolio, "exports": exports}
    )


@login_required
@require_POST
def archive_order(request, pk):
    portfolio = _archivist_portfolio(request, pk)
    try:
        archive_exports.archive_export_request(actor=request.user, portfolio=portfolio)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Arkivexporten är beställd. Sidan visar när den är klar."))
    return redirect("portfolio:archive-list", pk=portfolio.pk)


def download_response(portfolio, export):
    """The finished archive as a download, its SHA-256 in the Digest header (the page
    and the API alike); 404 while it is not there."""
    document = archive_exports.open_archive(export) if export else None
    if document is None:
        raise Http404
    response = FileResponse(
        document,
        as_attachment=True,
        filename=archive_filename(portfolio, export.created_at.date()),
        content_type="application/zip",
    )
    response["Digest"] = f"sha-256={export.sha256}"
    return response


@login_required
def archive_download(request, pk, export_pk):
    portfolio = _archivist_portfolio(request, pk)
    return download_response(portfolio, get_object_or_404(portfolio.archive_exports, pk=export_pk))
