"""The issued PDFs of a portfolio, as the portfolio archive takes them in
(portfolio.archive.ISSUED_DOCUMENTS; registered in reports.apps)."""

from functools import partial

from django.db.models import Q

from portfolio.archive import IssuedDocument

from .files import open_document
from .models import ReportJob, ReportStatus
from .selectors import download_filename


def issued_for(portfolio) -> list[IssuedDocument]:
    jobs = (
        ReportJob.objects.filter(
            Q(portfolio=portfolio) | Q(initiative__portfolio=portfolio), status=ReportStatus.DONE
        )
        .select_related("portfolio", "initiative", "municipality")
        .order_by("pk")
    )
    return [
        IssuedDocument(
            name=f"pdf/{download_filename(job)}",
            issued_sha256=job.sha256 or "",
            open=partial(open_document, job),
        )
        for job in jobs
    ]
