"""The portfolio office's settings: the rules people depend on, through the real services.

Gate criteria are never deleted and decisions keep their snapshot; the allocation key
gets new dated versions only after the last settled period, with Swedish messages for
bad weights, population years and fees; every change leaves a history row.
"""

import datetime as dt

import factories
import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient
from workflow_builders import TODAY, advance_to, fresh, idea, world

from municipalities.models import Population
from portfolio.choices import CriterionKind, Gate, Stage
from portfolio.models import (
    AllocationKey,
    GateCriterion,
    GateDecision,
    Initiative,
    PriorityCriterion,
    ProgramBudget,
    SettingsChange,
)
from portfolio.periods import parse_period
from portfolio.selectors.gates import gate_checklist
from portfolio.selectors.settings import gate_criteria_groups
from portfolio.services import priority, settings_gates, settings_keys, settings_programs
from portfolio.services.allocation import period_settle
from portfolio.services.errors import NotAllowedError

pytestmark = pytest.mark.django_db


def messages(exc: ValidationError) -> dict:
    return {k: [str(m) for m in v] for k, v in exc.value.message_dict.items()}


# --- gate criteria ---------------------------------------------------------------------


def test_editing_and_deactivating_criteria_leaves_a_taken_decisions_snapshot_unchanged():
    w = world()
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    decision = GateDecision.objects.get(initiative=initiative, kind="G0")
    before = list(decision.criteria_snapshot)
    assert before, "G0 was taken with a checklist"
    first, second = GateCriterion.objects.filter(portfolio=w.portfolio, gate=Gate.G0)[:2]

    settings_gates.gate_criterion_update(
        actor=w.coordinator, criterion=first, label="Beskrivningen är granskad"
    )
    settings_gates.gate_criterion_update(actor=w.coordinator, criterion=second, is_active=False)

    assert GateDecision.objects.get(pk=decision.pk).criteria_snapshot == before
    labels = {row["id"]: row["label"] for row in before}
    assert labels[first.pk] == first.label  # the label the decision was taken with
    # A new initiative's G0 checklist shows the new label and leaves the inactive one out.
    checklist = gate_checklist(fresh(idea(w, title="Ny idé")), Gate.G0)
    shown = {r.criterion.pk: r.criterion.label for r in checklist.results}
    assert shown[first.pk] == "Beskrivningen är granskad"
    assert second.pk not in shown
    # Both are marked as in use: the decision's snapshot names them.
    in_use = {
        c.pk: c.in_use for g in gate_criteria_groups(w.portfolio, Gate.G0) for c in g.criteria
    }
    assert in_use[first.pk] and in_use[second.pk]


def test_a_criterion_can_be_reactivated_and_history_says_who_did_what():
    w = world()
    criterion = GateCriterion.objects.filter(portfolio=w.portfolio, gate=Gate.G1).first()
    settings_gates.gate_criterion_update(actor=w.coordinator, criterion=criterion, is_active=False)
    settings_gates.gate_criterion_update(actor=w.coordinator, criterion=criterion, is_active=True)
    rows = list(
        SettingsChange.objects.filter(entity="gate_criterion", entity_id=criterion.pk).order_by(
            "id"
        )
    )
    assert [r.action for r in rows] == ["deactivated", "reactivated"]
    assert all(r.actor == w.coordinator and r.portfolio == w.portfolio for r in rows)
    assert rows[0].changes == {"is_active": [True, False]}


def test_add_manual_and_system_criteria_with_swedish_refusals():
    w = world()
    manual = settings_gates.gate_criterion_add(
        actor=w.coordinator,
        portfolio=w.portfolio,
        gate=Gate.G2,
        label="  Överlämning till förvaltning är gjord ",
        kind=CriterionKind.MANUAL,
    )
    assert manual.label == "Överlämning till förvaltning är gjord"
    last = GateCriterion.objects.filter(portfolio=w.portfolio, gate=Gate.G2).order_by("-order")[0]
    assert last == manual

    system = settings_gates.gate_criterion_add(
        actor=w.coordinator,
        portfolio=w.portfolio,
        gate=Gate.G0,
        label="Effektmål finns",
        kind=CriterionKind.SYSTEM,
        system_check="effect_goals_complete",
    )
    assert system.system_check == "effect_goals_complete"

    with pytest.raises(ValidationError) as exc:
        settings_gates.gate_criterion_add(
            actor=w.coordinator,
            portfolio=w.portfolio,
            gate=Gate.G0,
            label="",
            kind=CriterionKind.SYSTEM,
            system_check="gissad_kontroll",
        )
    errors = messages(exc)
    assert errors["label"] == ["Skriv vad kriteriet gäller."]
    assert errors["system_check"] == ["Okänd systemkontroll: gissad_kontroll."]

    with pytest.raises(ValidationError) as exc:
        settings_gates.gate_criterion_add(
            actor=w.coordinator,
            portfolio=w.portfolio,
            gate=Gate.G0,
            label="Dubblett",
            kind=CriterionKind.SYSTEM,
            system_check="has_owner",
        )
    assert "redan ett kriterium med den kontrollen" in messages(exc)["system_check"][0]


def test_reorder_needs_every_criterion_of_the_gate_once():
    w = world()
    ids = list(
        GateCriterion.objects.filter(portfolio=w.portfolio, gate=Gate.G3)
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )
    settings_gates.gate_criteria_reorder(
        actor=w.coordinator, portfolio=w.portfolio, gate=Gate.G3, order=ids[::-1]
    )
    assert (
        list(
            GateCriterion.objects.filter(portfolio=w.portfolio, gate=Gate.G3)
            .order_by("order", "pk")
            .values_list("pk", flat=True)
        )
        == ids[::-1]
    )
    with pytest.raises(ValidationError) as exc:
        settings_gates.gate_criteria_reorder(
            actor=w.coordinator, portfolio=w.portfolio, gate=Gate.G3, order=ids[:1]
        )
    assert messages(exc)["order"] == ["Ange varje kriterium i grinden G3 exakt en gång."]


@pytest.mark.parametrize("role", ["director", "manager", "itchef", "owner", "reader"])
def test_only_the_samordnare_changes_criteria(role):
    w = world()
    criterion = GateCriterion.objects.filter(portfolio=w.portfolio).first()
    with pytest.raises(NotAllowedError):
        settings_gates.gate_criterion_update(
            actor=getattr(w, role), criterion=criterion, label="Ändrat"
        )
    assert GateCriterion.objects.get(pk=criterion.pk).label == criterion.label
    assert not SettingsChange.objects.exists()


def test_a_criterion_has_no_delete_in_the_api():
    w = world()
    criterion = GateCriterion.objects.filter(portfolio=w.portfolio).first()
    client = APIClient()
    client.force_authenticate(w.coordinator)
    url = f"/api/v1/portfolios/{w.portfolio.pk}/gate-criteria/{criterion.pk}/"
    assert client.delete(url).status_code == 405
    assert GateCriterion.objects.filter(pk=criterion.pk).exists()


# --- allocation key ----------------------------------------------------------------------


def key_args(**overrides):
    values = {
        "valid_from": dt.date(2027, 1, 1),
        "method": "folkmangd_lika",
        "population_weight": 80,
        "equal_weight": 20,
        "population_year": 2025,
        "hourly_rate": 750,
        "yearly_fee_per_party": None,
        "decision_reference": "Portföljstyrgruppen 2026-12-10 § 3",
    }
    values.update(overrides)
    return values


def test_a_new_key_version_is_added_and_recorded():
    w = world()
    key = settings_keys.allocation_key_add(
        actor=w.coordinator,
        portfolio=w.portfolio,
        **key_args(population_weight=70, equal_weight=30),
    )
    assert (key.population_weight, key.equal_weight, key.hourly_rate) == (70, 30, 750)
    assert key.created_by == w.coordinator
    row = SettingsChange.objects.get(entity="allocation_key", entity_id=key.pk)
    assert row.action == "created"
    assert row.changes["population_weight"] == 70
    assert row.changes["valid_from"] == "2027-01-01"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"population_weight": 70, "equal_weight": 20},
            "population_weight",
            "Andelen efter folkmängd och lika andel ska tillsammans bli 100 % (nu 90 %).",
        ),
        (
            {"population_weight": 101, "equal_weight": -1},
            "equal_weight",
            "Ange vikten i hela procent, 0–100.",
        ),
        (
            {"population_year": 2031},
            "population_year",
            "Folkmängd för år 2031 saknas för Bengtsfors, Dals-Ed, Färgelanda, Mellerud, "
            "Vänersborg, Åmål.",
        ),
        (
            {"method": "fast_avgift"},
            "yearly_fee_per_party",
            "Metoden fast avgift kräver en årlig avgift per part (hela kronor).",
        ),
        (
            {"yearly_fee_per_party": 69_000},
            "yearly_fee_per_party",
            "En årlig avgift per part anges bara för metoden fast avgift.",
        ),
        (
            {"hourly_rate": -5},
            "hourly_rate",
            "Ange timvärdet i hela kronor (0 eller mer).",
        ),
    ],
)
def test_key_validation_messages(overrides, field, message):
    w = world()
    with pytest.raises(ValidationError) as exc:
        settings_keys.allocation_key_add(
            actor=w.coordinator, portfolio=w.portfolio, **key_args(**overrides)
        )
    assert message in messages(exc)[field]
    assert AllocationKey.objects.filter(portfolio=w.portfolio).count() == 1
    assert not SettingsChange.objects.exists()


def test_population_year_must_cover_every_member_municipality():
    w = world()
    Population.objects.filter(year=2025, municipality__code="1460").delete()
    with pytest.raises(ValidationError) as exc:
        settings_keys.allocation_key_add(actor=w.coordinator, portfolio=w.portfolio, **key_args())
    assert messages(exc)["population_year"] == ["Folkmängd för år 2025 saknas för Bengtsfors."]


def test_fixed_fee_key_needs_no_population_figures():
    w = world()
    key = settings_keys.allocation_key_add(
        actor=w.coordinator,
        portfolio=w.portfolio,
        **key_args(method="fast_avgift", yearly_fee_per_party=69_000, population_year=2031),
    )
    assert key.yearly_fee_per_party == 69_000


def test_a_key_starting_inside_or_before_a_settled_period_is_refused():
    w = world()
    settled = period_settle(
        actor=w.coordinator,
        portfolio=w.portfolio,
        period=parse_period("2025H1"),
        decided_on=TODAY,
        meeting_reference="§ 4",
        today=TODAY,
    )
    frozen = dict(settled.result)
    for day in (dt.date(2025, 3, 1), dt.date(2025, 6, 30), dt.date(2024, 1, 1)):
        with pytest.raises(ValidationError) as exc:
            settings_keys.allocation_key_add(
                actor=w.coordinator, portfolio=w.portfolio, **key_args(valid_from=day)
            )
        assert messages(exc)["valid_from"] == [
            "Perioden 2025-01-01 – 2025-06-30 är redan avräknad. En nyckel från "
            f"{day.isoformat()} skulle skriva om den; den nya nyckeln kan gälla tidigast från "
            "2025-07-01."
        ]
    key = settings_keys.allocation_key_add(
        actor=w.coordinator, portfolio=w.portfolio, **key_args(valid_from=dt.date(2025, 7, 1))
    )
    assert key.valid_from == dt.date(2025, 7, 1)
    settled.refresh_from_db()
    assert settled.result == frozen


def test_the_same_date_twice_is_refused_in_swedish():
    w = world()
    settings_keys.allocation_key_add(actor=w.coordinator, portfolio=w.portfolio, **key_args())
    with pytest.raises(ValidationError) as exc:
        settings_keys.allocation_key_add(actor=w.coordinator, portfolio=w.portfolio, **key_args())
    assert messages(exc)["valid_from"] == [
        "Portföljen har redan en fördelningsnyckel från 2027-01-01."
    ]


def test_key_versions_cannot_be_changed_or_deleted_through_the_api():
    w = world()
    key = AllocationKey.objects.get(portfolio=w.portfolio)
    client = APIClient()
    client.force_authenticate(w.coordinator)
    url = f"/api/v1/portfolios/{w.portfolio.pk}/allocation-keys/{key.pk}/"
    assert client.get(url).status_code == 200
    assert client.patch(url, {"hourly_rate": 1}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert AllocationKey.objects.get(pk=key.pk).hourly_rate == key.hourly_rate


# --- priority, programs, budgets, meeting ---------------------------------------------------


def test_a_new_weight_recomputes_priority_scores():
    w = world()
    initiative = idea(w)
    nytta, risk = w.criteria
    priority.priority_scores_set(
        actor=w.manager, initiative=initiative, scores={nytta.pk: 5, risk.pk: 1}
    )
    assert str(fresh(initiative).priority_score) == "4.00"  # (3*5 + 1*1) / 4
    settings_programs.priority_criterion_update(actor=w.coordinator, criterion=risk, weight=3)
    assert str(fresh(initiative).priority_score) == "3.00"  # (3*5 + 3*1) / 6
    row = SettingsChange.objects.get(entity="priority_criterion", entity_id=risk.pk)
    assert row.changes["weight"] == [1, 3]
    assert row.changes["recomputed_initiatives"] == 1


def test_a_scored_priority_criterion_is_not_deleted():
    w = world()
    initiative = idea(w)
    nytta, _risk = w.criteria
    priority.priority_scores_set(actor=w.manager, initiative=initiative, scores={nytta.pk: 4})
    client = APIClient()
    client.force_authenticate(w.coordinator)
    url = f"/api/v1/portfolios/{w.portfolio.pk}/priority-criteria/{nytta.pk}/"
    response = client.delete(url)
    assert response.status_code == 409
    assert response.json()["code"] == "criterion_in_use"
    assert PriorityCriterion.objects.filter(pk=nytta.pk).exists()
    unused = settings_programs.priority_criterion_add(
        actor=w.coordinator, portfolio=w.portfolio, name="Genomförbarhet", weight=2
    )
    assert client.delete(f"{url[: -len(f'{nytta.pk}/')]}{unused.pk}/").status_code == 204
    assert not PriorityCriterion.objects.filter(pk=unused.pk).exists()


def test_priority_criterion_messages():
    w = world()
    with pytest.raises(ValidationError) as exc:
        settings_programs.priority_criterion_add(
            actor=w.coordinator, portfolio=w.portfolio, name="Nytta", weight=0
        )
    errors = messages(exc)
    assert errors["weight"] == ["Ange vikten som ett heltal 1–100."]


def test_programs_take_a_programledare_of_the_constellation():
    w = world()
    program = settings_programs.program_create(
        actor=w.coordinator, portfolio=w.portfolio, name="Skola Dalsland", manager=w.manager
    )
    assert program.manager == w.manager
    outsider_manager = factories.user("1495", "programledare", username="pl_skara")
    for candidate in (w.itchef, outsider_manager):
        with pytest.raises(ValidationError) as exc:
            settings_programs.program_update(
                actor=w.coordinator, program=program, manager=candidate
            )
        assert messages(exc)["manager"] == [
            "Programledaren ska vara en användare i konstellationens kommuner med rollen "
            "programledare."
        ]
    settings_programs.program_update(actor=w.coordinator, program=program, name="Skola")
    with pytest.raises(ValidationError) as exc:
        settings_programs.program_create(actor=w.coordinator, portfolio=w.portfolio, name="Skola")
    assert messages(exc)["name"] == ["Portföljen har redan ett program med det namnet."]
    row = SettingsChange.objects.filter(entity="program", entity_id=program.pk).latest("id")
    assert row.changes == {"name": ["Skola Dalsland", "Skola"]}


def test_budgets_are_whole_kronor_per_year_and_replaced_with_history():
    w = world()
    settings_programs.program_budget_set(
        actor=w.coordinator, program=w.program, year=2026, amount=1_200_000
    )
    settings_programs.program_budget_set(
        actor=w.coordinator, program=w.program, year=2026, amount=1_350_000
    )
    assert ProgramBudget.objects.get(program=w.program, year=2026).amount == 1_350_000
    rows = SettingsChange.objects.filter(entity="program_budget").order_by("id")
    assert [r.changes["amount"] for r in rows] == [[None, 1_200_000], [1_200_000, 1_350_000]]
    with pytest.raises(ValidationError) as exc:
        settings_programs.program_budget_set(
            actor=w.coordinator, program=w.program, year=1999, amount=-1
        )
    errors = messages(exc)
    assert errors["year"] == ["Ange budgetåret som fyra siffror mellan 2000 och 2100."]
    assert errors["amount"] == ["Ange budgeten i hela kronor, 0 eller mer."]


def test_meeting_date_and_sender():
    w = world()
    updated = settings_programs.portfolio_meeting_update(
        actor=w.coordinator,
        portfolio=w.portfolio,
        next_board_meeting=dt.date(2027, 2, 11),
        sender="Portföljkontoret",
    )
    assert updated.next_board_meeting == dt.date(2027, 2, 11)
    row = SettingsChange.objects.get(entity="portfolio")
    assert row.changes == {
        "next_board_meeting": [None, "2027-02-11"],
        "sender": ["", "Portföljkontoret"],
    }
    with pytest.raises(NotAllowedError):
        settings_programs.portfolio_meeting_update(
            actor=w.director, portfolio=w.portfolio, sender="Kommundirektören"
        )
    assert Initiative.objects.count() == 0
