"""Small input and output serializers for the portfolio office's settings API.

Inputs only parse types; the rules and their Swedish messages live in the services.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils import html

from samverkan.api import KnownFieldsOnly, PatchInput

from ..choices import AllocationMethod, CriterionKind, Gate
from ..models import AllocationKey, PriorityCriterion, Program, SettingsChange
from ..selectors.history import settings_line
from ..services import settings_keys


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


# --- outputs ------------------------------------------------------------------------------


class GateCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    gate = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    system_check = serializers.CharField()
    order = serializers.IntegerField()
    is_active = serializers.BooleanField()
    in_use = serializers.BooleanField(
        default=False,
        help_text=_(
            "Ett beslut eller en bekräftelse hänvisar till kriteriet; det kan inaktiveras "
            "men aldrig tas bort."
        ),
    )
    version = serializers.IntegerField()


class AllocationKeySerializer(serializers.ModelSerializer):
    settled_periods = serializers.IntegerField(source="settled_count", default=0, read_only=True)
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = AllocationKey
        fields = [
            "id",
            *settings_keys.FIELDS,
            "settled_periods",
            "created_by",
            "created_at",
        ]

    def get_created_by(self, obj) -> str | None:
        return _person(obj.created_by)


class PriorityCriterionSerializer(serializers.ModelSerializer):
    scored_initiatives = serializers.IntegerField(source="score_count", default=0, read_only=True)

    class Meta:
        model = PriorityCriterion
        fields = ["id", "name", "weight", "order", "scored_initiatives", "version"]


class BudgetSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    amount = serializers.IntegerField(help_text=_("Hela kronor."))
    version = serializers.IntegerField()


class SettingsProgramSerializer(serializers.ModelSerializer):
    manager_name = serializers.SerializerMethodField()
    budgets = BudgetSerializer(many=True, read_only=True)

    class Meta:
        model = Program
        fields = ["id", "name", "description", "manager", "manager_name", "budgets", "version"]

    def get_manager_name(self, obj) -> str | None:
        return _person(obj.manager)


class PortfolioSettingsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    next_board_meeting = serializers.DateField(allow_null=True)
    sender = serializers.CharField()
    version = serializers.IntegerField()


class SettingsChangeSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField(
        help_text="Ändringen som en mening på det valda språket, som på inställningssidan."
    )

    class Meta:
        model = SettingsChange
        fields = [
            "id",
            "entity",
            "entity_id",
            "label",
            "action",
            "changes",
            "text",
            "actor",
            "created_at",
        ]

    def get_actor(self, obj) -> str | None:
        return _person(obj.actor)

    def get_text(self, obj) -> str:
        return settings_line(obj).text


# --- inputs -------------------------------------------------------------------------------


class GateCriterionInput(KnownFieldsOnly, serializers.Serializer):
    gate = serializers.ChoiceField(choices=Gate.choices)
    label = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=CriterionKind.choices)
    system_check = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Kod för systemets kontroll, t.ex. has_owner; bara för kind=system."),
    )


class FormBlankCharField(serializers.CharField):
    """In a form body DRF reads an empty optional field as left out; here it stays blank.

    So `label=` is refused (400) as `{"label": ""}` is, instead of answering 200 and
    keeping the old label.
    """

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)


def _version_seen():
    return serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Versionen du utgick från (eller skicka If-Match med ETag); inaktuell: 409."),
    )


class GateCriterionPatch(PatchInput, serializers.Serializer):
    label = FormBlankCharField(max_length=200, required=False)
    is_active = serializers.BooleanField(required=False)
    version = _version_seen()


class ReorderInput(KnownFieldsOnly, serializers.Serializer):
    gate = serializers.ChoiceField(choices=Gate.choices)
    order = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_("Alla grindens kriterier (id), det första först."),
    )


class AllocationKeyInput(KnownFieldsOnly, serializers.Serializer):
    """Fields left out take the value of the latest version (or the defaults)."""

    valid_from = serializers.DateField()
    method = serializers.ChoiceField(choices=AllocationMethod.choices, required=False)
    population_weight = serializers.IntegerField(required=False)
    equal_weight = serializers.IntegerField(required=False)
    population_year = serializers.IntegerField(required=False)
    hourly_rate = serializers.IntegerField(required=False)
    yearly_fee_per_party = serializers.IntegerField(required=False, allow_null=True)
    decision_reference = serializers.CharField(required=False, allow_blank=True, max_length=80)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 100})
class WeightField(serializers.IntegerField):
    """The schema says the range; the service checks it, with its message."""


class PriorityCriterionInput(KnownFieldsOnly, serializers.Serializer):
    name = serializers.CharField(max_length=120)
    weight = WeightField()


class PriorityCriterionPatch(PatchInput, PriorityCriterionInput):
    version = _version_seen()


class ProgramInput(KnownFieldsOnly, serializers.Serializer):
    name = serializers.CharField(max_length=160)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    manager = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Användarens id; en användare i konstellationen med rollen programledare."),
    )


class ProgramPatch(PatchInput, ProgramInput):
    version = _version_seen()


class BudgetInput(KnownFieldsOnly, serializers.Serializer):
    amount = serializers.IntegerField(help_text=_("Hela kronor."))
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "Versionen av årets budget du utgick från (eller skicka If-Match med ETag); "
            "inaktuell, eller ingen budget för året: 409."
        ),
    )


class PortfolioSettingsInput(PatchInput, serializers.Serializer):
    next_board_meeting = serializers.DateField(required=False, allow_null=True)
    sender = serializers.CharField(required=False, allow_blank=True, max_length=160)
    version = _version_seen()
