from django import forms
from django.utils.translation import gettext_lazy as _

from .imports import KIND_LABELS
from .reader import FileRefused, check_uploaded_file
from .workload import max_bytes


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vad vill du importera?"))
    file = forms.FileField(
        label=_("Excel-fil (.xlsx)"),
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    sheet = forms.CharField(
        label=_("Blad (valfritt)"),
        required=False,
        max_length=31,
        help_text=_("Lämna tomt för att läsa det första bladet."),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KIND_LABELS[kind]) for kind in kinds]
        self.fields["file"].help_text = _("Högst %(size)s kB.") % {"size": max_bytes() // 1024}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_uploaded_file(upload)
        except FileRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload
