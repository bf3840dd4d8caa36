"""Input and output shapes of the economy endpoints."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from municipalities.models import Municipality

from ..choices import CostKind, CostNature
from ..models import CostEntry, TimeEntry
from ..selectors.economy_tools import share_text


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


class CostEntryInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CostKind.choices)
    nature = serializers.ChoiceField(choices=CostNature.choices)
    period = serializers.DateField()
    amount = serializers.IntegerField(min_value=1)
    paid_by = MunicipalityCodeField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)


class CostEntryPatchSerializer(CostEntryInputSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class CostEntrySerializer(serializers.ModelSerializer):
    paid_by = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.StringRelatedField()

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
        ]


class TimeEntryInputSerializer(serializers.Serializer):
    municipality = MunicipalityCodeField()
    period = serializers.DateField()
    hours = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0.01"))
    role = serializers.CharField(required=False, allow_blank=True, max_length=80)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)


class TimeEntryPatchSerializer(TimeEntryInputSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class TimeEntrySerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.StringRelatedField()

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
        ]


def preview_json(rows) -> dict:
    return {
        "allocations": [
            {
                "municipality": r.code,
                "name": r.name,
                "population": r.population,
                "share": share_text(r.share),
                "amount": r.amount,
            }
            for r in rows
        ],
        "total": sum(r.amount for r in rows),
    }


def economy_json(economy) -> dict:
    data = economy.as_dict()
    data["nets_sum"] = sum(r.net for r in economy.rows)
    return data


def scenario_json(table) -> dict:
    return {
        "amount": table.amount,
        "population_weight": table.population_weight,
        "equal_weight": table.equal_weight,
        "population_year": table.population_year,
        "labels": table.labels,
        "totals": table.totals,
        "per_inhabitant": {k: str(v) for k, v in table.per_inhabitant.items()},
        "rows": [
            {
                "municipality": r.code,
                "name": r.name,
                "population": r.population,
                "scenarios": {
                    label: (
                        {"amount": c.amount, "per_inhabitant": str(c.per_inhabitant)} if c else None
                    )
                    for label, c in r.cells.items()
                },
            }
            for r in table.rows
        ],
    }
