"""Pages: order a document, follow its progress without reloading, download it as
issued, read the figures it was printed from."""

import json
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from samverkan.forms import show_validation_error

from . import issued, selectors, services
from .forms import ReportRequestForm
from .models import ReportStatus


def _job_or_404(request, pk):
    job = selectors.report_job_for(request.user, pk)
    if job is None:
        raise Http404
    return job


@login_required
def report_list(request):
    jobs = selectors.visible_report_jobs(request.user)[:50]
    rows = [(job, selectors.job_subject(job)) for job in jobs]
    return render(request, "reports/job_list.html", {"rows": rows})


@login_required
def report_new(request):
    if request.method == "POST":
        form = ReportRequestForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job, _created = services.report_job_request(
                    user=request.user,
                    kind=data["kind"],
                    portfolio_id=data["portfolio"],
                    initiative_id=data["initiative"],
                    gate=data["gate"] or None,
                    decision_id=data["decision"],
                    municipality_id=data["municipality"],
                    period=data["period"],
                    idempotency_key=data["idempotency_key"] or None,
                )
            except ValidationError as error:
                show_validation_error(form, error)
            except services.NotFound:
                raise Http404 from None
            else:
                return redirect("reports:job", pk=job.pk)
    else:
        initial = {key: request.GET.get(key) for key in ReportRequestForm.base_fields}
        initial["idempotency_key"] = uuid.uuid4().hex
        form = ReportRequestForm(initial=initial, user=request.user)
    return render(request, "reports/job_new.html", {"form": form})


@login_required
def report_job(request, pk):
    """The job page; for htmx's poll just the status fragment."""
    job = _job_or_404(request, pk)
    replaces, replaced_by = issued.versions(request.user, job)
    context = {
        "job": job,
        "subject": selectors.job_subject(job),
        "filename": selectors.download_filename(job),
        "replaces": replaces,
        "replaced_by": replaced_by,
        "has_figures": issued.has_figures(job),
        "reissue_query": selectors.reissue_query(job),
    }
    if request.headers.get("HX-Request"):
        return render(request, "reports/_job_status.html", context)
    return render(request, "reports/job_detail.html", context)


@login_required
@require_GET
def report_download(request, pk):
    job = _job_or_404(request, pk)
    try:
        return document_response(job)
    except (issued.DocumentMissing, issued.DocumentAltered) as error:
        context = {"job": job, "subject": selectors.job_subject(job), "message": error.message}
        return render(
            request, "reports/document_unavailable.html", context, status=error.status_code
        )


@login_required
@require_GET
def report_figures(request, pk):
    job = _job_or_404(request, pk)
    if not issued.has_figures(job):
        raise Http404
    return figures_response(job)


def document_response(job):
    """The finished document as issued, streamed as an attachment; the caller has
    checked that the user may see the job. Raises issued.DocumentMissing/-Altered."""
    if job.status != ReportStatus.DONE:
        raise Http404
    return FileResponse(
        issued.document(job),
        as_attachment=True,
        filename=selectors.download_filename(job),
        content_type=job.content_type,
    )


def figures_response(job):
    """The figures the document was printed from, as JSON, exactly as stored."""
    body = json.dumps(job.figures, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stem = selectors.download_filename(job).rsplit(".", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="{stem}-siffror.json"'
    return response
