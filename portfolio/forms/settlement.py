from django import forms
from django.utils.translation import gettext_lazy as _

from .base import DateInput


class SettlementForm(forms.Form):
    """The board's decision to settle a period, as the portfolio office records it.

    Dates and the § are checked by the settlement service, which the API calls as well.
    """

    decided_on = forms.DateField(
        label=_("Styrgruppens beslutsdatum"), widget=DateInput(), required=False
    )
    meeting_reference = forms.CharField(
        label=_("Protokoll §"),
        max_length=60,
        required=False,
        help_text=_("Paragrafen i portföljstyrgruppens protokoll, till exempel § 12."),
    )
    confirmed = forms.BooleanField(
        label=_("Jag har granskat siffrorna och förstår att perioden låses för alla i portföljen"),
        error_messages={
            "required": _(
                "Kryssa i att du har granskat siffrorna innan perioden avräknas; "
                "låsningen gäller alla i portföljen och kan inte ångras."
            )
        },
    )
