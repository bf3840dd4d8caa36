"""Pages: order a document, follow its progress without reloading, download it."""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from . import selectors, services
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
                for field, messages in error.message_dict.items():
                    target = field if field in form.fields else None
                    for message in messages:
                        form.add_error(target, message)
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
    context = {
        "job": job,
        "subject": selectors.job_subject(job),
        "filename": selectors.download_filename(job),
    }
    if request.headers.get("HX-Request"):
        return render(request, "reports/_job_status.html", context)
    return render(request, "reports/job_detail.html", context)


@login_required
@require_GET
def report_download(request, pk):
    job = _job_or_404(request, pk)
    if job.status != ReportStatus.DONE:
        raise Http404
    path = services.report_file_path(job)
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=selectors.download_filename(job),
        content_type=job.content_type,
    )
