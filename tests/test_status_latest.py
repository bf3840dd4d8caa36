"""The health lists show is the newest status report by date, kept on the initiative."""

import datetime as dt

import pytest
from django.urls import reverse
from workflow_builders import TODAY, advance_to, idea, world

from portfolio.choices import Stage
from portfolio.filters import with_latest_health
from portfolio.models import Initiative
from portfolio.services import status

pytestmark = pytest.mark.django_db


def report(w, initiative, day, health):
    return status.status_update_create(
        actor=w.itchef,
        initiative=initiative,
        reported_on=day,
        health_time=health,
        health_cost=health,
        health_quality=health,
        progress=50,
    )


def health_of(initiative) -> tuple:
    row = with_latest_health(Initiative.objects.filter(pk=initiative.pk)).get()
    return row.latest_health_time, row.latest_health_cost, row.latest_health_quality


def test_a_report_dated_earlier_does_not_replace_the_newest():
    w = world()
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    assert health_of(initiative) == (None, None, None)
    newest = report(w, initiative, TODAY, "gron")
    report(w, initiative, TODAY - dt.timedelta(days=30), "rod")
    assert health_of(initiative) == ("gron", "gron", "gron")
    initiative.refresh_from_db()
    assert initiative.latest_status_id == newest.pk


def test_of_two_reports_on_one_day_the_later_counts():
    w = world()
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    report(w, initiative, TODAY, "gron")
    report(w, initiative, TODAY, "gul")
    assert health_of(initiative) == ("gul", "gul", "gul")


def test_refresh_repairs_reports_written_past_the_service():
    w = world()
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    first = report(w, initiative, TODAY - dt.timedelta(days=1), "gron")
    later = type(first).objects.create(
        initiative=initiative,
        reported_on=TODAY,
        health_time="rod",
        health_cost="rod",
        health_quality="rod",
        progress=60,
        author=w.itchef,
    )
    assert health_of(initiative) == ("gron", "gron", "gron")
    status.latest_status_refresh([initiative.pk])
    initiative.refresh_from_db()
    assert initiative.latest_status_id == later.pk
    assert health_of(initiative) == ("rod", "rod", "rod")


def test_reporting_does_not_count_as_an_edit_of_the_initiative():
    w = world()
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    before = Initiative.objects.get(pk=initiative.pk)
    report(w, initiative, TODAY, "gron")
    after = Initiative.objects.get(pk=initiative.pk)
    assert (after.version, after.updated_at) == (before.version, before.updated_at)


def _red_counts(client, w, **query) -> dict:
    url = reverse("portfolio:dashboard", args=[w.portfolio.pk])
    response = client.get(url, query)
    assert response.status_code == 200
    return {d.key: d.counts["rod"] for d in response.context["health"]}


def test_the_dashboards_health_counts_follow_a_report_once_committed(
    client, django_capture_on_commit_callbacks
):
    w = world()
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    client.force_login(w.itchef, backend="django.contrib.auth.backends.ModelBackend")
    assert _red_counts(client, w) == {"health_time": 0, "health_cost": 0, "health_quality": 0}
    with django_capture_on_commit_callbacks(execute=True):
        report(w, initiative, TODAY, "rod")
    expected = {"health_time": 1, "health_cost": 1, "health_quality": 1}
    # The whole portfolio (cached until a write) and a filtered part (counted live) agree.
    assert _red_counts(client, w) == expected
    assert _red_counts(client, w, stage=Stage.PROJECT) == expected
    assert _red_counts(client, w, stage=Stage.IDEA) == {k: 0 for k in expected}
