"""What a decision rests on is frozen (issue: records fixed in time). The decision keeps
the estimates, participants and allocation it was taken on; the memo and the initiative
page show them after any correction, and an estimate behind a decision cannot be
deleted on any path."""

import datetime as dt
import html
import re

import pytest
from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from rest_framework.test import APIClient
from workflow_builders import BENGTSFORS, advance_to, approve, fresh, idea, meet_g1, world

from portfolio.choices import CostKind, CostNature, DecisionKind, Stage
from portfolio.models import CostEntry
from portfolio.selectors.economy_tools import costs_against_budget
from portfolio.services import costs
from portfolio.services.errors import DomainError
from reports.selectors import decision_memo_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided():
    w = world()
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    meet_g1(w, initiative)
    CostEntry.objects.filter(initiative=initiative).update(created_by=w.manager)
    decision = approve(w, initiative, DecisionKind.G1, Stage.PROJECT)
    development = CostEntry.objects.get(
        initiative=initiative, kind=CostKind.DEVELOPMENT, nature=CostNature.ESTIMATE
    )
    return w, fresh(initiative), decision, development


def memo_text(initiative, decision) -> str:
    with translation.override("sv"):
        page = render_to_string(
            "reports/decision_memo.html", decision_memo_data(initiative, "G1", decision)
        )
    return " ".join(html.unescape(strip_tags(page)).split())


def test_the_decision_keeps_the_estimates_participants_and_allocation_it_was_taken_on(decided):
    w, initiative, decision, development = decided
    basis = decision.basis
    assert basis["development"] == 100_000 and basis["operation"] == 100_000
    assert {e["entry"] for e in basis["estimates"]} == set(
        CostEntry.objects.filter(initiative=initiative).values_list("pk", flat=True)
    )
    assert BENGTSFORS in [p["code"] for p in basis["participants"]]
    assert basis["allocation"], "the portfolio has a key, so the split is kept"
    assert sum(r["development"] for r in basis["allocation"]) == basis["development"]
    assert sum(r["operation"] for r in basis["allocation"]) == basis["operation"]
    assert basis["key"]["population_weight"] + basis["key"]["equal_weight"] == 100


def test_a_later_correction_changes_neither_the_decision_nor_its_memo(decided):
    w, initiative, decision, development = decided
    before = memo_text(initiative, decision)
    assert "100 000 kr" in before.replace("\xa0", " ")
    costs.cost_entry_correct(actor=w.manager, entry=development, amount=250_000)
    decision.refresh_from_db()
    assert decision.basis["development"] == 100_000
    assert memo_text(fresh(initiative), decision) == before
    # A memo for a gate not yet decided reads the estimates as they are now.
    assert "250 000 kr" not in before.replace("\xa0", " ")


def test_an_estimate_behind_a_decision_cannot_be_deleted_on_any_path(decided, client):
    w, initiative, decision, development = decided
    with pytest.raises(DomainError) as refused:
        costs.cost_entry_delete(actor=w.manager, entry=development)
    assert "ingår i underlaget för ett beslut" in str(refused.value.message)

    api = APIClient()
    api.force_authenticate(w.manager)
    response = api.delete(f"/api/v1/cost-entries/{development.pk}/")
    assert response.status_code == 400
    assert "ingår i underlaget för ett beslut" in response.json()["detail"]

    client.force_login(w.manager)
    page = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk]))
    body = page.content.decode()
    assert reverse("portfolio:entry-delete", args=["kostnad", development.pk]) not in body
    assert "Underlag för beslut" in body
    posted = client.post(
        reverse("portfolio:entry-delete", args=["kostnad", development.pk]),
        {"version": development.version},
        follow=True,
    )
    assert "ingår i underlaget för ett beslut" in posted.content.decode()
    assert CostEntry.objects.filter(pk=development.pk).exists()
    # The admin offers no way to cost entries at all.
    assert CostEntry not in admin.site._registry


def test_an_estimate_added_after_the_decision_can_still_be_removed(decided):
    w, initiative, decision, development = decided
    later = costs.cost_entry_create(
        actor=w.manager,
        initiative=initiative,
        kind=CostKind.OPERATION,
        nature=CostNature.ESTIMATE,
        period=development.period,
        amount=5_000,
    )
    costs.cost_entry_delete(actor=w.manager, entry=later)
    assert not CostEntry.objects.filter(pk=later.pk).exists()


def test_the_initiative_page_and_the_api_show_what_the_decision_rested_on(decided, client):
    w, initiative, decision, development = decided
    costs.cost_entry_correct(actor=w.manager, entry=development, amount=250_000)
    client.force_login(w.reader)
    body = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk]))
    text = " ".join(html.unescape(strip_tags(body.content.decode())).split()).replace("\xa0", " ")
    assert f"Underlaget för {decision.get_kind_display()} {decision.decided_on}" in text
    assert "utveckling 100 000 kr" in text
    api = APIClient()
    api.force_authenticate(w.reader)
    rows = api.get(f"/api/v1/initiatives/{initiative.pk}/decisions/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    g1 = next(r for r in rows if r["id"] == decision.pk)
    assert g1["basis"]["development"] == 100_000


# --- correcting from the page, with a confirmation that says what changes -----------------


def test_the_programledare_corrects_an_estimate_after_seeing_what_changes(decided, client):
    w, initiative, decision, development = decided
    client.force_login(w.manager)
    url = reverse("portfolio:cost-entry-correct", args=[development.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert f"{decision.get_kind_display()} {decision.decided_on}" in form.content.decode()
    values = {
        "kind": development.kind,
        "nature": development.nature,
        "period": development.period.isoformat(),
        "amount": "250000",
        "paid_by": "",
        "description": "Ny offert",
        "version": development.version,
    }
    shown = client.post(url, values)
    text = " ".join(html.unescape(strip_tags(shown.content.decode())).split()).replace("\xa0", " ")
    assert "Bekräfta rättelsen" in text
    assert "Belopp 100 000 kr → 250 000 kr" in text
    assert "Beskrivning – → Ny offert" in text
    assert CostEntry.objects.get(pk=development.pk).amount == 100_000, "nothing before confirming"
    done = client.post(url, {**values, "confirmed": "on"})
    assert done.status_code == 302
    current = CostEntry.objects.get(initiative=initiative, kind=CostKind.DEVELOPMENT)
    assert current.amount == 250_000 and current.corrects_id == development.pk
    decision.refresh_from_db()
    assert decision.basis["development"] == 100_000


def test_a_confirmation_made_stale_by_someone_else_is_refused(decided, client):
    w, initiative, decision, development = decided
    client.force_login(w.manager)
    url = reverse("portfolio:cost-entry-correct", args=[development.pk])
    values = {
        "kind": development.kind,
        "nature": development.nature,
        "period": development.period.isoformat(),
        "amount": "250000",
        "paid_by": "",
        "description": "",
        "version": development.version,
        "confirmed": "on",
    }
    costs.cost_entry_correct(actor=w.coordinator, entry=development, amount=180_000)
    refused = client.post(url, values)
    assert refused.status_code == 400
    assert "Posten har rättats genom en ny post" in refused.content.decode()
    current = CostEntry.objects.get(initiative=initiative, kind=CostKind.DEVELOPMENT)
    assert current.amount == 180_000


def test_an_it_chef_is_not_offered_and_cannot_correct_a_shared_estimate(decided, client):
    w, initiative, decision, development = decided
    client.force_login(w.itchef)
    page = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk]))
    url = reverse("portfolio:cost-entry-correct", args=[development.pk])
    assert url not in page.content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"amount": "1", "confirmed": "on"}).status_code == 403
    assert CostEntry.objects.get(pk=development.pk).amount == 100_000


def test_removing_an_entry_asks_first_and_says_why_when_it_cannot(decided, client):
    w, initiative, decision, development = decided
    later = costs.cost_entry_create(
        actor=w.manager,
        initiative=initiative,
        kind=CostKind.OPERATION,
        nature=CostNature.ESTIMATE,
        period=development.period,
        amount=5_000,
    )
    client.force_login(w.manager)
    ask = client.get(reverse("portfolio:entry-delete", args=["kostnad", later.pk]))
    assert ask.status_code == 200 and "Ta bort posten" in ask.content.decode()
    assert CostEntry.objects.filter(pk=later.pk).exists(), "asking removes nothing"
    blocked = client.get(reverse("portfolio:entry-delete", args=["kostnad", development.pk]))
    assert "kan inte tas bort eftersom ett beslut vilar på den" in blocked.content.decode()
    assert 'name="version"' not in blocked.content.decode()
    removed = client.post(
        reverse("portfolio:entry-delete", args=["kostnad", later.pk]), {"version": later.version}
    )
    assert removed.status_code == 302
    assert not CostEntry.objects.filter(pk=later.pk).exists()
    client.force_login(w.reader)
    assert (
        client.get(reverse("portfolio:entry-delete", args=["kostnad", development.pk])).status_code
        == 403
    )


# --- after a decision, a correction is a new entry that names the one it corrects -------


def test_a_decided_estimate_is_corrected_by_a_new_linked_entry(decided):
    w, initiative, decision, development = decided
    correction = costs.cost_entry_correct(actor=w.manager, entry=development, amount=250_000)
    assert correction.pk != development.pk and correction.corrects_id == development.pk
    kept = CostEntry.all_entries.get(pk=development.pk)
    assert kept.amount == 100_000 and not kept.is_current
    assert list(
        CostEntry.objects.filter(initiative=initiative, kind=CostKind.DEVELOPMENT).values_list(
            "amount", flat=True
        )
    ) == [250_000]
    # The correction is itself kept: corrected again, not removed.
    with pytest.raises(DomainError):
        costs.cost_entry_delete(actor=w.manager, entry=correction)
    again = costs.cost_entry_correct(actor=w.manager, entry=correction, amount=260_000)
    assert again.pk == correction.pk and again.amount == 260_000


def test_the_api_answers_a_correction_with_the_new_entry_and_keeps_the_old_readable(decided):
    w, initiative, decision, development = decided
    api = APIClient()
    api.force_authenticate(w.manager)
    url = f"/api/v1/cost-entries/{development.pk}/"
    response = api.patch(url, {"amount": 250_000, "version": development.version}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] != development.pk and body["corrects"] == development.pk
    old = api.get(url).json()
    assert old["amount"] == 100_000 and old["is_current"] is False
    stale = api.patch(url, {"amount": 1, "version": old["version"]}, format="json")
    assert stale.status_code == 409 and "rättats genom en ny post" in stale.json()["detail"]
    listed = api.get(f"/api/v1/initiatives/{initiative.pk}/costs/").json()
    listed = listed["results"] if isinstance(listed, dict) else listed
    assert development.pk not in [row["id"] for row in listed]


def test_a_past_period_keeps_the_estimate_that_stood_then_after_a_later_correction(decided):
    w, initiative, decision, development = decided
    today = timezone.localdate()

    def estimated(day):
        return sum(r.estimate for r in costs_against_budget(initiative.portfolio, until=day))

    was = estimated(today)
    correction = costs.cost_entry_correct(actor=w.manager, entry=development, amount=250_000)
    # Registered three days later than today.
    later = timezone.now() + dt.timedelta(days=3)
    CostEntry.all_entries.filter(pk=correction.pk).update(created_at=later)
    assert estimated(today) == was
    assert estimated(today + dt.timedelta(days=3)) == was + 150_000


# --- what taking part costs, beside the municipality's answer ---------------------------


def test_the_answer_and_leave_forms_say_what_taking_part_costs(decided, client):
    from municipalities.models import Municipality
    from portfolio.selectors.economy_tools import allocation_preview
    from portfolio.services.participation import participation_invite

    w, initiative, decision, development = decided
    amal = Municipality.objects.get(code="1492")
    invited = participation_invite(actor=w.manager, initiative=initiative, municipality=amal)
    key = initiative.portfolio.allocation_keys.order_by("-valid_from").first()
    codes = sorted(
        {p.municipality.code for p in initiative.participations.filter(status="deltar")} | {"1492"}
    )
    expected = {
        row.code: row.amount
        for row in allocation_preview(
            municipalities=codes,
            amount=100_000,
            population_weight=key.population_weight,
            equal_weight=key.equal_weight,
            population_year=key.population_year,
        )
    }["1492"]
    client.force_login(w.director_amal)
    page = client.get(
        reverse("portfolio:participation-answer", args=[initiative.pk, invited.pk])
    ).content.decode()
    text = " ".join(html.unescape(strip_tags(page)).split()).replace("\xa0", " ")
    assert "Vad deltagandet kostar kommunen" in text
    amount = f"{expected:,}".replace(",", " ") + " kr"
    assert f"{amount} för förstudie och utveckling" in text
    assert f"med {len(codes)} deltagande kommuner" in text
    client.force_login(w.director)
    bengtsfors = initiative.participations.get(municipality__code="1460")
    leave = client.get(
        reverse("portfolio:participation-leave", args=[initiative.pk, bengtsfors.pk])
    ).content.decode()
    assert "Vad kommunen bär i dag" in leave
    assert "det halvår den lämnar i" in leave


def test_the_initiative_page_splits_the_estimates_over_todays_participants(decided, client):
    w, initiative, decision, development = decided
    costs.cost_entry_correct(actor=w.manager, entry=development, amount=300_000)
    client.force_login(w.reader)
    body = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk]))
    page = body.content.decode()
    section = page[page.index("Estimaten fördelade på de deltagande kommunerna") :]
    section = section[: section.index("</table>")]
    amounts = [
        int(cell.replace("\xa0", "").replace(" ", "").removesuffix("kr"))
        for cell in re.findall(r'<td class="num">([^<]+)</td>', section)
    ]
    # Rows (development, operation) and the sum row: the parts add up to the sums.
    *rows, dev_total, op_total = amounts
    assert dev_total == 300_000 and op_total == 100_000
    assert sum(rows[0::2]) == dev_total and sum(rows[1::2]) == op_total
