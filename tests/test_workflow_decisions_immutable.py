"""Decisions are public records: no path changes or deletes one."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient
from workflow_builders import TODAY, advance_to, idea, world

from portfolio.choices import Stage
from portfolio.models import GateDecision, ImmutableRecordError

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision():
    w = world()
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    return initiative.decisions.get()


def test_the_model_refuses_save_and_delete(decision):
    decision.motivation = "Ändrad i efterhand"
    with pytest.raises(ImmutableRecordError):
        decision.save()
    with pytest.raises(ImmutableRecordError):
        decision.delete()
    assert GateDecision.objects.get(pk=decision.pk).motivation == "Kriterierna är uppfyllda."


def test_bulk_update_and_delete_are_refused(decision):
    with pytest.raises(ImmutableRecordError):
        GateDecision.objects.filter(pk=decision.pk).update(outcome="avslagen")
    with pytest.raises(ImmutableRecordError):
        GateDecision.objects.filter(pk=decision.pk).delete()
    assert GateDecision.objects.filter(pk=decision.pk, outcome="godkand").exists()


def test_the_api_has_no_method_to_change_or_delete(decision):
    client = APIClient()
    client.force_authenticate(decision.recorded_by)
    url = f"/api/v1/initiatives/{decision.initiative_id}/decisions/{decision.pk}/"
    assert client.put(url, {"outcome": "avslagen"}, format="json").status_code == 405
    assert client.patch(url, {"outcome": "avslagen"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert GateDecision.objects.get(pk=decision.pk).outcome == "godkand"


def test_the_admin_shows_but_does_not_change_or_delete(client, decision, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.se", "x")
    client.force_login(admin)
    change = reverse("admin:portfolio_gatedecision_change", args=[decision.pk])
    delete = reverse("admin:portfolio_gatedecision_delete", args=[decision.pk])
    assert client.get(change).status_code == 200  # view only
    assert client.post(change, {"outcome": "avslagen"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:portfolio_gatedecision_changelist")
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [decision.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302, 403)
    assert GateDecision.objects.filter(pk=decision.pk, outcome="godkand").exists()


def test_pages_offer_only_new_decisions(client, decision):
    client.force_login(decision.recorded_by)
    page = client.get(
        reverse("portfolio:initiative-detail", args=[decision.initiative_id])
    ).content.decode()
    assert "Beslut ändras aldrig" in page
    # A correction through the page is a new record; the original stays as it was.
    response = client.post(
        reverse("portfolio:decision-create", args=[decision.initiative_id]),
        {
            "kind": "avbryt",
            "outcome": "aterremitterad",
            "decided_on": TODAY.isoformat(),
            "version": decision.initiative.__class__.objects.get(pk=decision.initiative_id).version,
        },
    )
    assert response.status_code in (302, 403)
    assert GateDecision.objects.get(pk=decision.pk).outcome == "godkand"


@pytest.mark.postgres
def test_postgres_trigger_refuses_raw_update_and_delete(decision):
    for sql in (
        "UPDATE portfolio_gatedecision SET outcome = 'avslagen' WHERE id = %s",
        "DELETE FROM portfolio_gatedecision WHERE id = %s",
    ):
        with pytest.raises(DatabaseError) as caught, transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [decision.pk])
        assert "allmänna handlingar" in str(caught.value)
    assert GateDecision.objects.filter(pk=decision.pk, outcome="godkand").exists()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        # (Without CASCADE the tables that refer to decisions refuse it already.)
        "TRUNCATE portfolio_gatedecision CASCADE",
        "TRUNCATE portfolio_gatedecision RESTART IDENTITY CASCADE",
        # Emptying a table decisions refer to, with CASCADE, would empty them as well.
        "TRUNCATE portfolio_initiative CASCADE",
    ],
)
def test_postgres_trigger_refuses_truncate(decision, sql):
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        with connection.cursor() as cursor:
            # The test's own transaction holds deferred foreign-key checks, which would
            # block any TRUNCATE before the trigger is asked.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql)
    assert "allmänna handlingar" in str(caught.value)
    assert GateDecision.objects.filter(pk=decision.pk, outcome="godkand").exists()
