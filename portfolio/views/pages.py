"""Pages that are not about one portfolio."""

import datetime as dt

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

# When the statement was written and the service last assessed (update on each review).
STATEMENT_DATE = dt.date(2026, 11, 22)


def accessibility(request):
    """Tillgänglighetsredogörelse, with what DIGG's template and the law ask for."""
    context = {
        "organisation": getattr(settings, "ACCESSIBILITY_ORGANISATION", _("Portföljkontoret")),
        "contact_email": getattr(
            settings, "ACCESSIBILITY_CONTACT_EMAIL", settings.DEFAULT_FROM_EMAIL
        ),
        "statement_date": STATEMENT_DATE,
    }
    return render(request, "pages/accessibility.html", context)
