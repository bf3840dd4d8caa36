"""The upload form for an attachment; what the file is, the service decides by content."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..domain.file_types import max_bytes
from ..models import Attachment

ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.odt,.ods,.odp,.txt,.csv"


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        error_messages={
            "required": _("Välj en fil att ladda upp."),
            "empty": _("Filen är tom."),
            "invalid": _("Ingen fil kom fram. Välj filen igen."),
        },
    )
    supersedes = forms.ModelChoiceField(
        label=_("Ny version av"),
        queryset=Attachment.objects.none(),
        required=False,
        empty_label=_("Ingen, en ny bilaga"),
        help_text=_("Den tidigare versionen finns kvar och visas som ersatt."),
    )

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument eller text (UTF-8). "
            "Högst %(mb)s MB. Filer med makron, webbsidor och SVG tas inte emot."
        ) % {"mb": max_bytes() // (1024 * 1024)}
        self.fields["file"].widget.attrs["accept"] = ACCEPT
        current = [a.pk for a in attachments if not _is_superseded(a)]
        self.fields["supersedes"].queryset = Attachment.objects.filter(pk__in=current).order_by(
            "uploaded_at", "id"
        )
        self.fields["supersedes"].label_from_instance = lambda a: a.original_name
        if not current:
            del self.fields["supersedes"]


def _is_superseded(attachment) -> bool:
    try:
        return attachment.superseded_by is not None
    except Attachment.DoesNotExist:
        return False
