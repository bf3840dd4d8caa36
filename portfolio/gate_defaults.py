"""The default gate checklists from the domain page; the samordnare edits them per portfolio."""

from django.utils.translation import gettext_lazy as _

from .choices import CriterionKind, Gate

SYSTEM = CriterionKind.SYSTEM
MANUAL = CriterionKind.MANUAL

# gate, label, kind, system check code (see portfolio.domain.gate_checks)
DEFAULT_CRITERIA = [
    (Gate.G0, _("Beskrivningen är komplett"), SYSTEM, "description_complete"),
    (Gate.G0, _("Initiativägare är utsedd"), SYSTEM, "has_owner"),
    (Gate.G0, _("Initiativet hör till ett program"), SYSTEM, "has_program"),
    (Gate.G0, _("Minst en kommun är intresserad"), SYSTEM, "municipality_interested"),
    (Gate.G0, _("Prioriteringspoäng är satt"), SYSTEM, "has_priority_score"),
    (Gate.G1, _("Förstudiens slutsats finns"), SYSTEM, "prestudy_conclusion"),
    (Gate.G1, _("Estimat för utvecklingskostnad finns"), SYSTEM, "development_estimate"),
    (Gate.G1, _("Estimat för årlig driftkostnad finns"), SYSTEM, "operation_estimate"),
    (Gate.G1, _("Effektmål med nollvärde och målvärde finns"), SYSTEM, "effect_goals_complete"),
    (Gate.G1, _("Deltagande kommuner är bekräftade"), SYSTEM, "participants_confirmed"),
    (Gate.G1, _("Kostnadsfördelningen har förhandsgranskats"), MANUAL, ""),
    (Gate.G1, _("Informationssäkerhetsklassning är gjord"), SYSTEM, "security_classified"),
    (Gate.G2, _("Resultaten är levererade"), MANUAL, ""),
    (Gate.G2, _("Implementeringsplan per deltagare finns"), SYSTEM, "implementation_plan"),
    (Gate.G2, _("Objektägare eller systemförvaltare är utsedd"), SYSTEM, "operation_owner"),
    (Gate.G3, _("Varje deltagare har implementerat eller avstått"), SYSTEM, "all_implemented"),
    (Gate.G3, _("Plan för nyttouppföljning finns"), SYSTEM, "benefit_followup_plan"),
    (Gate.G3, _("Slutlig kostnad är rapporterad"), SYSTEM, "actual_cost_reported"),
]


def create_default_criteria(portfolio) -> None:
    from .models import GateCriterion

    if portfolio.gate_criteria.exists():
        return
    GateCriterion.objects.bulk_create(
        GateCriterion(
            portfolio=portfolio,
            gate=gate,
            label=str(label),
            kind=kind,
            system_check=check,
            order=index,
        )
        for index, (gate, label, kind, check) in enumerate(DEFAULT_CRITERIA)
    )
