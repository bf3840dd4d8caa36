from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Rapporter")

    def ready(self):
        from portfolio.archive import ISSUED_DOCUMENTS

        from .archive_documents import issued_for

        # The portfolio archive includes the issued PDFs without importing reports.
        if issued_for not in ISSUED_DOCUMENTS:
            ISSUED_DOCUMENTS.append(issued_for)
