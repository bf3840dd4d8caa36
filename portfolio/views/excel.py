"""Excel pages: export the filtered initiatives or the costs and hours, download a
template, upload a file, preview it, confirm it.

An export of more than EXCEL_SYNC_EXPORT_MAX_ROWS rows is not written while the visitor
waits: it becomes a report job, and the job page offers the file when it is done.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reports.models import ReportKind
from reports.services import report_job_request
from samverkan.formatting import grouped

from ..excel.book_export import portfolio_export_response, portfolio_template_bytes
from ..excel.book_preview import KIND as PORTFOLIO
from ..excel.exports import (
    entries_count,
    entries_export_response,
    export_query,
    export_selection,
    initiatives_export_response,
)
from ..excel.forms import ImportUploadForm
from ..excel.import_jobs import (
    confirm_previewed_import,
    import_job_for,
    preview_for_confirmation,
)
from ..excel.importer import KIND as INITIATIVES
from ..excel.imports import KIND_LABELS, allowed_kinds
from ..excel.preview import ImportRefused, Preview, preview_table
from ..excel.reader import FileRefused
from ..excel.template import entries_template_bytes, initiatives_template_bytes
from ..excel.writer import xlsx_response
from ..models import ImportJob
from ..selectors.access import visible_initiatives, visible_portfolios

TEMPLATE_KINDS = {
    "initiativ": INITIATIVES,
    "kostnader-och-tid": "entries",
    "portfolj": PORTFOLIO,
}


def _portfolio(request, pk):
    return get_object_or_404(
        visible_portfolios(request.user).select_related("constellation"), pk=pk
    )


def sync_export_max_rows() -> int:
    return int(getattr(settings, "EXCEL_SYNC_EXPORT_MAX_ROWS", 2000))


def _export_as_job(request, portfolio, kind: str, rows: int):
    """A list too large to write while the visitor waits becomes a report job."""
    try:
        job, _created = report_job_request(
            user=request.user,
            kind=kind,
            portfolio_id=portfolio.pk,
            filters=export_query(request.GET),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        target = reverse("portfolio:initiative-list", args=[portfolio.pk])
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target)
    messages.info(
        request,
        _(
            "Urvalet har %(rows)s rader, så filen skapas i bakgrunden. "
            "Hämta den här när den är klar."
        )
        % {"rows": grouped(rows)},
    )
    return redirect("reports:job", pk=job.pk)


@login_required
@require_GET
def initiative_export(request, pk):
    portfolio = _portfolio(request, pk)
    queryset, description = export_selection(
        user=request.user, portfolio=portfolio, data=request.GET
    )
    rows = queryset.count()
    if rows > sync_export_max_rows():
        return _export_as_job(request, portfolio, ReportKind.INITIATIVES_XLSX, rows)
    return initiatives_export_response(request, queryset, filters_description=description)


@login_required
@require_GET
def entries_export(request, pk):
    portfolio = _portfolio(request, pk)
    queryset, description = export_selection(
        user=request.user, portfolio=portfolio, data=request.GET
    )
    rows = entries_count(queryset)
    if rows > sync_export_max_rows():
        return _export_as_job(request, portfolio, ReportKind.ENTRIES_XLSX, rows)
    return entries_export_response(request, queryset, filters_description=description)


@login_required
@require_GET
def portfolio_export(request, pk):
    """The whole portfolio as its workbook, as far as the visitor sees it."""
    portfolio = _portfolio(request, pk)
    initiatives = visible_initiatives(request.user).filter(portfolio=portfolio)
    return portfolio_export_response(portfolio, initiatives)


@login_required
@require_GET
def import_template(request, pk, kind):
    portfolio = _portfolio(request, pk)
    if kind not in TEMPLATE_KINDS:
        raise Http404
    if TEMPLATE_KINDS[kind] == INITIATIVES:
        content = initiatives_template_bytes(portfolio)
    elif TEMPLATE_KINDS[kind] == PORTFOLIO:
        content = portfolio_template_bytes()
    else:
        content = entries_template_bytes(portfolio)
    return xlsx_response(content, f"mall-{kind}.xlsx")


def _sheets(preview) -> list:
    return getattr(preview, "sheets", []) if preview else []


def _render(
    request, portfolio, form, *, preview: Preview | None = None, token="", error="", status=200
):
    kind = preview.kind if preview else None
    return render(
        request,
        "portfolio/excel/import.html",
        {
            "portfolio": portfolio,
            "form": form,
            "preview": preview,
            "table": preview_table(preview) if preview and not _sheets(preview) else [],
            "sheet_tables": [(sheet, preview_table(sheet)) for sheet in _sheets(preview)],
            "preview_kind_label": KIND_LABELS.get(kind, ""),
            "token": token,
            "kind": kind,
            "error": error,
            "may_import_portfolio": PORTFOLIO in allowed_kinds(request.user, portfolio),
        },
        status=status,
    )


@login_required
def import_page(request, pk):
    portfolio = _portfolio(request, pk)
    kinds = allowed_kinds(request.user, portfolio)
    if not kinds:
        raise PermissionDenied(_("Du kan inte importera något till den här portföljen."))
    if request.method != "POST":
        initial = {"kind": request.GET.get("typ") if request.GET.get("typ") in kinds else kinds[0]}
        return _render(request, portfolio, ImportUploadForm(kinds=kinds, initial=initial))
    form = ImportUploadForm(request.POST, request.FILES, kinds=kinds)
    if not form.is_valid():
        return _render(request, portfolio, form, status=400)
    kind = form.cleaned_data["kind"]
    sheet = form.cleaned_data["sheet"]
    content = form.cleaned_data["file"].read()
    preview, token = preview_for_confirmation(
        actor=request.user, portfolio=portfolio, kind=kind, content=content, sheet=sheet
    )
    return _render(
        request, portfolio, form, preview=preview, token=token, status=200 if token else 400
    )


@login_required
@require_POST
def import_confirm(request, pk):
    portfolio = _portfolio(request, pk)
    kinds = allowed_kinds(request.user, portfolio)
    kind = request.POST.get("kind", "")
    if kind not in kinds:
        raise PermissionDenied(_("Du kan inte importera det här till portföljen."))
    form = ImportUploadForm(kinds=kinds, initial={"kind": kind})
    try:
        result = confirm_previewed_import(
            actor=request.user, portfolio=portfolio, kind=kind, token=request.POST.get("token", "")
        )
    except FileRefused as exc:
        return _render(request, portfolio, form, error=str(exc), status=400)
    except ImportRefused as exc:
        return _render(request, portfolio, form, preview=exc.preview, status=400)
    if isinstance(result, ImportJob):
        return redirect("portfolio:excel-import-job", pk=portfolio.pk, job_pk=result.pk)
    messages.success(
        request,
        _("Importen är klar: %(created)s nya, %(updated)s uppdaterade, %(unchanged)s oförändrade.")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect(_after_import(portfolio, kind))


@login_required
@require_GET
def import_job(request, pk, job_pk):
    """A large import's progress and result; for htmx's poll just the status fragment."""
    portfolio = _portfolio(request, pk)
    job = import_job_for(request.user, portfolio, job_pk)
    if job is None:
        raise Http404
    context = {
        "portfolio": portfolio,
        "job": job,
        "kind_label": KIND_LABELS.get(job.kind, ""),
        "done_url": _after_import(portfolio, job.kind),
    }
    if request.headers.get("HX-Request"):
        return render(request, "portfolio/excel/_import_job_status.html", context)
    return render(request, "portfolio/excel/import_job.html", context)


def _after_import(portfolio, kind: str) -> str:
    if kind == INITIATIVES:
        try:
            return reverse("portfolio:initiative-list", args=[portfolio.pk])
        except NoReverseMatch:
            pass
    return reverse("portfolio:excel-import", args=[portfolio.pk]) + f"?typ={kind}"
