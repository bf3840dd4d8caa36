"""Input and output shapes of the economy endpoints.

Inputs check types (so the schema says what a client may send); the selectors and
services check values, all at once, with their Swedish messages. Outputs render the
selectors' results, so what the schema documents is what a client gets.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from municipalities.models import Municipality
from samverkan.api import KnownFieldsOnly, PatchInput

from ..choices import CostKind, CostNature
from ..models import CostEntry, TimeEntry
from ..periods import parse_period
from ..selectors.economy_tools import share_text
from ..services.allocation import DECIDED_ON_MISSING, REFERENCE_MISSING

# Whole kronor: far above any real amount, far below what the database column holds.
MAX_AMOUNT = 10**13


class MunicipalityCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Municipality.objects.all())
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": _("Okänd kommunkod: {value}."),
                "invalid": _("Ange kommunkoden som fyra siffror."),
            },
        )
        super().__init__(**kwargs)


class CostEntryInputSerializer(KnownFieldsOnly, serializers.Serializer):
    kind = serializers.ChoiceField(choices=CostKind.choices)
    nature = serializers.ChoiceField(choices=CostNature.choices)
    period = serializers.DateField()
    amount = serializers.IntegerField(min_value=1, max_value=MAX_AMOUNT)
    paid_by = MunicipalityCodeField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)


def _version_seen():
    return serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Versionen du utgick från (eller skicka If-Match med ETag); inaktuell: 409."),
    )


class CostEntryPatchSerializer(PatchInput, CostEntryInputSerializer):
    version = _version_seen()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class CostEntrySerializer(serializers.ModelSerializer):
    paid_by = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    created_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = CostEntry
        fields = [
            "id",
            "initiative",
            "kind",
            "nature",
            "period",
            "amount",
            "paid_by",
            "description",
            "created_by",
            "created_at",
            "version",
            "corrects",
            "is_current",
        ]


class TimeEntryInputSerializer(KnownFieldsOnly, serializers.Serializer):
    municipality = MunicipalityCodeField()
    period = serializers.DateField()
    hours = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0.01"))
    role = serializers.CharField(required=False, allow_blank=True, max_length=80)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)


class TimeEntryPatchSerializer(PatchInput, TimeEntryInputSerializer):
    version = _version_seen()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class TimeEntrySerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = TimeEntry
        fields = [
            "id",
            "initiative",
            "municipality",
            "period",
            "hours",
            "role",
            "description",
            "created_by",
            "created_at",
            "version",
        ]


# --- the calculator and scenarios: inputs ------------------------------------------------

_WEIGHT = _("Ange vikten i hela procent, 0–100.")
_KRONOR = _("Ange beloppet i hela kronor.")
_CODES = _("Ange minst en kommun (kommunkod).")


def _whole(message, **kwargs):
    return serializers.IntegerField(
        error_messages={"invalid": message, "max_string_length": message}, **kwargs
    )


class _Codes(serializers.ListField):
    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.CharField(max_length=10))
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault(
            "error_messages", {"not_a_list": _CODES, "empty": _CODES, "max_length": _CODES}
        )
        super().__init__(**kwargs)


class AllocationPreviewInput(KnownFieldsOnly, serializers.Serializer):
    municipalities = _Codes(help_text=_('Kommunkoder, t.ex. ["1460", "1438"].'))
    amount = _whole(_KRONOR, max_value=MAX_AMOUNT, help_text=_("Belopp i hela kronor."))
    population_weight = _whole(_WEIGHT, help_text=_("Andel efter folkmängd, procent."))
    equal_weight = _whole(_WEIGHT, help_text=_("Lika andel per kommun, procent."))
    population_year = _whole(
        _("Ange året som fyra siffror, t.ex. 2025."), min_value=1000, max_value=9999
    )


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "description": "En konstellations kortnamn, t.ex. 4D."},
            {"type": "array", "items": {"type": "string"}, "description": "Kommunkoder."},
        ]
    }
)
class MunicipalitySetField(serializers.Field):
    """A constellation's short name, or a list of kommunkoder."""

    default_error_messages = {
        "invalid": _("Ange en konstellations kortnamn eller en lista med kommunkoder.")
    }

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip() and "\x00" not in data:
            return data.strip()
        if (
            isinstance(data, list)
            and len(data) <= 300
            and all(isinstance(c, str) and "\x00" not in c for c in data)
        ):
            return [c.strip() for c in data]
        self.fail("invalid")

    def to_representation(self, value):
        return value


class ScenarioInput(KnownFieldsOnly, serializers.Serializer):
    sets = serializers.DictField(
        child=MunicipalitySetField(),
        allow_empty=False,
        error_messages={"empty": _("Ange minst en uppsättning kommuner.")},
        help_text=_("Namn på uppsättningen → konstellationens kortnamn eller kommunkoder."),
    )
    amount = _whole(_KRONOR, required=False, allow_null=True, max_value=MAX_AMOUNT)
    initiative = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    program = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    population_weight = _whole(_WEIGHT, required=False)
    equal_weight = _whole(_WEIGHT, required=False)
    population_year = _whole(
        _("Ange året som fyra siffror, t.ex. 2025."),
        required=False,
        min_value=1000,
        max_value=9999,
    )

    def validate_sets(self, value):
        if len(value) > 20:
            raise serializers.ValidationError(_("Jämför högst 20 uppsättningar åt gången."))
        return value


class SettleInput(KnownFieldsOnly, serializers.Serializer):
    period = serializers.CharField(
        max_length=30,
        error_messages={
            "required": _("Ange perioden, till exempel 2026H1."),
            "blank": _("Ange perioden, till exempel 2026H1."),
        },
        help_text=_("Halvåret som avräknas och låses, t.ex. 2026H1."),
    )
    decided_on = serializers.DateField(
        error_messages={"required": DECIDED_ON_MISSING, "null": DECIDED_ON_MISSING},
        help_text=_("Dagen då portföljstyrgruppen beslutade att avräkna perioden."),
    )
    meeting_reference = serializers.CharField(
        max_length=60,
        error_messages={"required": REFERENCE_MISSING, "blank": REFERENCE_MISSING},
        help_text=_("Paragrafen i styrgruppens protokoll, t.ex. § 12."),
    )

    def validate_period(self, value):
        try:
            return parse_period(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


# --- outputs -----------------------------------------------------------------------------


class AllocationRowSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="code")
    name = serializers.CharField()
    population = serializers.IntegerField()
    share = serializers.SerializerMethodField(help_text=_("Andel, sex decimaler."))
    amount = serializers.IntegerField()

    def get_share(self, row) -> str:
        return share_text(row.share)


class AllocationPreviewSerializer(serializers.Serializer):
    allocations = AllocationRowSerializer(many=True)
    total = serializers.IntegerField()


def preview_out(rows) -> dict:
    return AllocationPreviewSerializer(
        {"allocations": rows, "total": sum(r.amount for r in rows)}
    ).data


class TransferSerializer(serializers.Serializer):
    from_code = serializers.CharField()
    from_name = serializers.CharField()
    to_code = serializers.CharField()
    to_name = serializers.CharField()
    amount = serializers.IntegerField()


class EconomyRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    population = serializers.IntegerField()
    allocated = serializers.IntegerField()
    paid = serializers.IntegerField()
    hours = serializers.CharField(help_text=_("Timmar med två decimaler, som text."))
    hours_value = serializers.IntegerField()
    buy_in = serializers.IntegerField(
        help_text=_("Insatsmedel minus kreditering (buy_in_charged − buy_in_credited).")
    )
    buy_in_charged = serializers.IntegerField(
        help_text=_("Insatsmedel kommunen betalar som sen deltagare.")
    )
    buy_in_credited = serializers.IntegerField(
        help_text=_("Kreditering kommunen får när andra går med senare.")
    )
    net = serializers.IntegerField(help_text=_("Positivt: kommunen är skyldig."))


class EconomySerializer(serializers.Serializer):
    period = serializers.CharField(source="period.label")
    scope = serializers.CharField()
    scope_id = serializers.IntegerField()
    scope_name = serializers.CharField()
    portfolio_id = serializers.IntegerField()
    settled = serializers.BooleanField()
    total_costs = serializers.IntegerField()
    total_actual_costs = serializers.IntegerField()
    total_hours_value = serializers.IntegerField()
    rows = EconomyRowSerializer(many=True)
    transfers = TransferSerializer(many=True)
    nets_sum = serializers.SerializerMethodField(help_text=_("Alltid 0."))

    def get_nets_sum(self, economy) -> int:
        return sum(r.net for r in economy.rows)


class MunicipalityInPortfolioSerializer(serializers.Serializer):
    portfolio = serializers.IntegerField(source="scope_id")
    name = serializers.CharField(source="scope_name")
    settled = serializers.BooleanField()
    row = serializers.SerializerMethodField()
    transfers = serializers.SerializerMethodField()

    @extend_schema_field(EconomyRowSerializer(allow_null=True))
    def get_row(self, economy):
        row = economy.row_for(self.context["code"])
        return None if row is None else EconomyRowSerializer(row).data

    @extend_schema_field(TransferSerializer(many=True))
    def get_transfers(self, economy):
        code = self.context["code"]
        mine = [t for t in economy.transfers if code in (t.from_code, t.to_code)]
        return TransferSerializer(mine, many=True).data


class MunicipalityEconomySerializer(serializers.Serializer):
    municipality = serializers.CharField()
    name = serializers.CharField()
    period = serializers.CharField()
    portfolios = MunicipalityInPortfolioSerializer(many=True)


def municipality_out(municipality, period, economies) -> dict:
    return MunicipalityEconomySerializer(
        {
            "municipality": municipality.code,
            "name": municipality.name,
            "period": period.label,
            "portfolios": economies,
        },
        context={"code": municipality.code},
    ).data


class SettlementDecisionSerializer(serializers.Serializer):
    body = serializers.CharField(source="get_body_display", help_text=_("Beslutande organ."))
    decided_on = serializers.DateField(allow_null=True)
    meeting_reference = serializers.CharField(help_text=_("Paragrafen i protokollet."))
    recorded_by = serializers.CharField(source="settled_by.get_full_name")
    recorded_at = serializers.DateTimeField(source="settled_at")


class SettlementSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.label")
    settled = serializers.BooleanField()
    transfers = TransferSerializer(many=True)
    nets = serializers.SerializerMethodField(help_text=_("Kommunkod → netto i kronor."))
    decision = serializers.SerializerMethodField(
        help_text=_("Styrgruppens beslut att avräkna perioden; null så länge den är öppen.")
    )

    @extend_schema_field(SettlementDecisionSerializer(allow_null=True))
    def get_decision(self, economy):
        decision = self.context.get("decision")
        return SettlementDecisionSerializer(decision).data if decision else None

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_nets(self, economy):
        return {r.code: r.net for r in economy.rows}


class SettledSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    settled = serializers.BooleanField()
    decision = SettlementDecisionSerializer()
    transfers = TransferSerializer(many=True)


class ScenarioCellSerializer(serializers.Serializer):
    amount = serializers.IntegerField()
    per_inhabitant = serializers.CharField(help_text=_("Kronor per invånare, två decimaler."))


class ScenarioRowSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="code")
    name = serializers.CharField()
    population = serializers.IntegerField()
    scenarios = serializers.DictField(
        source="cells",
        child=ScenarioCellSerializer(allow_null=True),
        help_text=_("Uppsättningens namn → kommunens del, eller null om den inte ingår."),
    )


class ScenarioSerializer(serializers.Serializer):
    amount = serializers.IntegerField()
    population_weight = serializers.IntegerField()
    equal_weight = serializers.IntegerField()
    population_year = serializers.IntegerField()
    labels = serializers.ListField(child=serializers.CharField())
    totals = serializers.DictField(child=serializers.IntegerField())
    per_inhabitant = serializers.DictField(child=serializers.CharField())
    rows = ScenarioRowSerializer(many=True)
