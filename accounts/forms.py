import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"),
        max_length=80,
        help_text=_("Till exempel namnet på systemet som ska använda nyckeln."),
    )
    expires_on = forms.DateField(
        label=_("Gäller till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lämna tomt för en nyckel utan slutdatum."),
    )

    def clean_expires_on(self):
        value = self.cleaned_data.get("expires_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("Datumet får inte ligga i det förflutna."))
        return value

    def expires_at(self):
        value = self.cleaned_data.get("expires_on")
        if value is None:
            return None
        # Valid through the whole chosen day, local time.
        end = dt.datetime.combine(value + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(end)


class PersonForm(forms.Form):
    """A person as the samordnare keeps them. There is no password field on purpose: a
    new person chooses their own through the e-mailed link."""

    username = forms.CharField(
        label=_("Användarnamn"),
        max_length=150,
        help_text=_("Bokstäver, siffror och @ . + - _ (till exempel fornamn.efternamn)."),
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    email = forms.EmailField(
        label=_("E-post"),
        help_text=_("Länken för att välja lösenord skickas hit."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    municipality = forms.ModelChoiceField(label=_("Kommun"), queryset=None)
    title = forms.CharField(label=_("Titel"), max_length=120, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roller"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Kommundirektör och samordnare ges av en systemadministratör efter beslut i styrningen."
        ),
    )
    is_active = forms.BooleanField(
        label=_("Kontot är aktivt"),
        required=False,
        help_text=_("Ett inaktivt konto kan inte logga in; historiken finns kvar."),
    )
    reason = forms.CharField(
        label=_("Motivering"),
        max_length=300,
        required=False,
        help_text=_(
            "Krävs när roller, kommun eller aktivt konto ändras, och för nya personer: "
            "till exempel beslutet eller ärendet. Det loggas."
        ),
    )

    def __init__(self, *args, municipalities, role_choices, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["roles"].choices = role_choices
        if creating:
            del self.fields["is_active"]
        else:
            del self.fields["username"]
            # The version the page showed: a save from an outdated page is refused.
            self.fields["version"] = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class RoleGrantForm(forms.Form):
    """A role for one portfolio, or one program (its portfolio follows)."""

    role = forms.ChoiceField(label=_("Roll"))
    portfolio = forms.ModelChoiceField(label=_("Portfölj"), queryset=None, required=False)
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=None,
        required=False,
        help_text=_("Välj ett program för en roll bara i det programmet."),
    )
    starts_on = forms.DateField(
        label=_("Gäller från"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Upphör från och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lämna tomt: gäller tills vidare."),
    )
    reason = forms.CharField(
        label=_("Motivering"),
        max_length=300,
        help_text=_("Till exempel beslutet eller ärendet. Det loggas."),
    )

    def __init__(self, *args, role_choices, portfolios, programs, **kwargs):
        kwargs.setdefault("prefix", "grant")
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices
        self.fields["portfolio"].queryset = portfolios
        self.fields["program"].queryset = programs
        self.fields["program"].label_from_instance = lambda p: f"{p.portfolio.name}: {p.name}"
