"""Excel pages: export the filtered initiatives or the costs and hours, download a
template, upload a file, preview it, confirm it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..excel import tokens
from ..excel.exports import entries_export_response, initiatives_export_response
from ..excel.forms import ImportUploadForm
from ..excel.importer import KIND as INITIATIVES
from ..excel.imports import KIND_LABELS, allowed_kinds, import_apply, import_preview
from ..excel.preview import ImportRefused, Preview, preview_table
from ..excel.reader import FileRefused
from ..excel.template import entries_template_bytes, initiatives_template_bytes
from ..excel.writer import xlsx_response
from ..filters import InitiativeFilter
from ..models import Program
from ..selectors.access import visible_initiatives, visible_portfolios

TEMPLATE_KINDS = {"initiativ": INITIATIVES, "kostnader-och-tid": "entries"}


def _portfolio(request, pk):
    return get_object_or_404(
        visible_portfolios(request.user).select_related("constellation"), pk=pk
    )


def _filtered_initiatives(request, portfolio):
    filterset = InitiativeFilter(
        request.GET or None,
        queryset=visible_initiatives(request.user).filter(portfolio=portfolio),
        request=request,
    )
    filterset.form.fields["program"].queryset = Program.objects.filter(portfolio=portfolio)
    queryset = filterset.qs
    return queryset, describe_filters(portfolio, filterset)


def describe_filters(portfolio, filterset) -> dict:
    """What the export was limited to, in words, for the "Urval" sheet."""
    description = {_("Portfölj"): portfolio.name}
    if not filterset.is_bound or not filterset.form.is_valid():
        data = filterset.form.cleaned_data if filterset.is_bound else {}
    else:
        data = filterset.form.cleaned_data
    for name, value in data.items():
        if value in (None, "", [], ()) or name == "portfolio":
            continue
        field = filterset.form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        if isinstance(value, list | tuple):
            shown = ", ".join(str(choices.get(v, v)) for v in value)
        elif choices and not hasattr(value, "pk"):
            shown = str(choices.get(value, choices.get(str(value), value)))
        elif isinstance(value, bool):
            shown = _("Ja") if value else _("Nej")
        else:
            shown = str(value)
        description[str(field.label)] = shown
    return description


@login_required
@require_GET
def initiative_export(request, pk):
    portfolio = _portfolio(request, pk)
    queryset, description = _filtered_initiatives(request, portfolio)
    return initiatives_export_response(request, queryset, filters_description=description)


@login_required
@require_GET
def entries_export(request, pk):
    portfolio = _portfolio(request, pk)
    queryset, description = _filtered_initiatives(request, portfolio)
    return entries_export_response(request, queryset, filters_description=description)


@login_required
@require_GET
def import_template(request, pk, kind):
    portfolio = _portfolio(request, pk)
    if kind not in TEMPLATE_KINDS:
        raise Http404
    if TEMPLATE_KINDS[kind] == INITIATIVES:
        content = initiatives_template_bytes(portfolio)
    else:
        content = entries_template_bytes(portfolio)
    return xlsx_response(content, f"mall-{kind}.xlsx")


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
            "table": preview_table(preview) if preview else [],
            "preview_kind_label": KIND_LABELS.get(kind, ""),
            "token": token,
            "kind": kind,
            "error": error,
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
    preview = import_preview(
        actor=request.user, portfolio=portfolio, kind=kind, content=content, sheet_name=sheet
    )
    token = ""
    if preview.is_valid:
        token = tokens.pack(
            content, user_id=request.user.pk, portfolio_id=portfolio.pk, kind=kind, sheet=sheet
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
        content, sheet = tokens.unpack(
            request.POST.get("token", ""),
            user_id=request.user.pk,
            portfolio_id=portfolio.pk,
            kind=kind,
        )
        result = import_apply(
            actor=request.user, portfolio=portfolio, kind=kind, content=content, sheet_name=sheet
        )
    except FileRefused as exc:
        return _render(request, portfolio, form, error=str(exc), status=400)
    except ImportRefused as exc:
        return _render(request, portfolio, form, preview=exc.preview, status=400)
    messages.success(
        request,
        _("Importen är klar: %(created)s nya, %(updated)s uppdaterade, %(unchanged)s oförändrade.")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect(_after_import(portfolio, kind))


def _after_import(portfolio, kind: str) -> str:
    if kind == INITIATIVES:
        try:
            return reverse("portfolio:initiative-list", args=[portfolio.pk])
        except NoReverseMatch:
            pass
    return reverse("portfolio:excel-import", args=[portfolio.pk]) + f"?typ={kind}"
