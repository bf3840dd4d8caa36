"""Notifications: each event tells the right people once, after commit, through a real
SMTP server (tests/smtp_server.py); nothing on rollback; each person's choice per kind."""

import datetime as dt

import factories
import pytest
from django.db import transaction
from workflow_builders import TODAY, approve, fresh, idea, meet_g0, world

from accounts.models import User
from notifications import services as notify_services
from notifications.models import Delivery, Kind, Mode, Notification, NotificationPreference
from notifications.tasks import notification_digest, notification_email
from portfolio.choices import DecisionKind, Stage
from portfolio.models import Initiative
from portfolio.services import benefits, participation, status
from portfolio.services.notices import overdue_reminders_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(settings):
    settings.SITE_URL = "https://samverkan.example.se"
    result = world()
    for person in User.objects.all():
        person.email = f"{person.username}@example.se"
        person.save(update_fields=["email"])
    return result


def _to(message) -> str:
    return message["To"]


def _mine(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    return rows.filter(kind=kind) if kind else rows


def test_an_idea_tells_the_programledare_once_after_commit(
    w, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        initiative = idea(w, title="Gemensam e-arkiv")
        assert smtp_server == []  # not before commit
    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.kind) == (w.manager, Kind.IDEA_SUBMITTED)
    [message] = smtp_server
    assert _to(message) == "pl@example.se"
    assert "Gemensam e-arkiv" in message["Subject"]
    body = message.get_content()
    assert "Hej Test pl!" in body
    assert f"https://samverkan.example.se/initiativ/{initiative.pk}/" in body
    # A redelivered job sends nothing more.
    assert notification_email(notification.pk) == 0
    assert notify_services.pending_send(older_than_minutes=0) == 0
    assert len(smtp_server) == 1
    assert fresh_notification(notification).emailed_at is not None


def fresh_notification(notification):
    return Notification.objects.get(pk=notification.pk)


def test_the_mail_is_in_swedish_whatever_language_the_actor_uses(
    w, smtp_server, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        idea(w, title="Gemensam e-arkiv")
    [message] = smtp_server
    # (strip: the parser keeps the space before an encoded, folded header)
    assert message["Subject"].strip().startswith("Samverkan: Ny idé i ditt program")
    assert "Hej Test pl!" in message.get_content()


def test_a_rolled_back_idea_tells_nobody(w, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            idea(w)
            raise RuntimeError("rollback")
    assert Notification.objects.count() == 0
    assert Initiative.objects.count() == 0
    assert callbacks == []
    assert smtp_server == []


def test_the_same_event_twice_makes_one_notification(
    w, smtp_server, django_capture_on_commit_callbacks
):
    initiative = idea(w)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        from portfolio.services import notices

        notices.idea_submitted(actor=w.owner, initiative=initiative)
        notices.idea_submitted(actor=w.owner, initiative=initiative)
    assert _mine(w.manager).count() == 1
    assert len(smtp_server) == 1


def test_an_invitation_tells_the_invited_municipalitys_director(
    w, smtp_server, django_capture_on_commit_callbacks
):
    initiative = idea(w)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        participation.participation_invite(
            actor=w.manager, initiative=initiative, municipality=factories.municipality("1492")
        )
    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.kind) == (w.director_amal, Kind.INVITATION)
    [message] = smtp_server
    assert _to(message) == "kd_amal@example.se"
    assert "Åmål" in message["Subject"]


def test_an_invitation_also_tells_the_directors_delegate(
    w, smtp_server, django_capture_on_commit_callbacks
):
    from portfolio.services.delegation import delegation_create

    colleague = factories.user("1492", username="delegat")
    User.objects.filter(pk=colleague.pk).update(email="delegat@example.se")
    delegation_create(actor=w.director_amal, delegate=colleague)
    initiative = idea(w)
    with django_capture_on_commit_callbacks(execute=True):
        participation.participation_invite(
            actor=w.manager, initiative=initiative, municipality=factories.municipality("1492")
        )
    assert sorted(_to(m) for m in smtp_server) == ["delegat@example.se", "kd_amal@example.se"]


def test_a_gate_decision_tells_owner_and_stakeholders_directors_not_the_decider(
    w, smtp_server, django_capture_on_commit_callbacks
):
    initiative = idea(w)
    meet_g0(w, initiative)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        approve(w, initiative, DecisionKind.G0)
    recipients = set(
        Notification.objects.filter(kind=Kind.DECISION).values_list(
            "recipient__username", flat=True
        )
    )
    # The owner, and the director of Bengtsfors (interested); the programledare decided.
    assert recipients == {"ia", "kd"}
    assert sorted(_to(m) for m in smtp_server) == ["ia@example.se", "kd@example.se"]
    assert all("G0" in m["Subject"] and "godkänd" in m["Subject"] for m in smtp_server)


def _report(w, initiative, health, day):
    return status.status_update_create(
        actor=w.coordinator,
        initiative=fresh(initiative),
        reported_on=day,
        health_time=health,
        health_cost="gron",
        health_quality="gron",
        progress=10,
    )


def test_a_status_turning_red_tells_programledare_and_owner_once(
    w, smtp_server, django_capture_on_commit_callbacks
):
    initiative = idea(w)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        _report(w, initiative, "gron", TODAY - dt.timedelta(days=2))
    assert Notification.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        _report(w, initiative, "rod", TODAY - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        _report(w, initiative, "rod", TODAY)  # still red: not news
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"pl", "ia"}
    assert Notification.objects.count() == 2
    assert sorted(_to(m) for m in smtp_server) == ["ia@example.se", "pl@example.se"]


def test_off_tells_nothing_and_digest_sends_one_mail_a_day(
    w, smtp_server, django_capture_on_commit_callbacks
):
    notify_services.preferences_set(user=w.owner, modes={Kind.DECISION: Mode.OFF})
    notify_services.preferences_set(user=w.director, modes={Kind.DECISION: Mode.DIGEST})
    initiative = idea(w)
    second = idea(w, title="Gemensam växel")
    for each in (initiative, second):
        meet_g0(w, each)
    with django_capture_on_commit_callbacks(execute=True):
        approve(w, initiative, DecisionKind.G0)
        approve(w, second, DecisionKind.G0)
    assert not _mine(w.owner, Kind.DECISION).exists()
    assert set(_mine(w.director, Kind.DECISION).values_list("delivery", flat=True)) == {
        Delivery.DIGEST
    }
    assert _mine(w.director, Kind.DECISION).count() == 2
    assert smtp_server == []
    assert notification_digest() == 1
    assert notification_digest() == 0  # a second run the same day sends nothing
    [message] = smtp_server
    assert _to(message) == "kd@example.se"
    body = message.get_content()
    assert "Gemensam e-arkiv" in body and "Gemensam växel" in body
    assert "sammanfattning" in message["Subject"]


def test_the_preference_defaults_to_immediate(w):
    from notifications.selectors import preferences

    assert preferences(w.owner) == {kind: Mode.IMMEDIATE for kind in Kind.values}
    assert not NotificationPreference.objects.exists()


def test_overdue_status_report_and_measurement_remind_once_per_period(
    w, smtp_server, django_capture_on_commit_callbacks
):
    initiative = idea(w)
    Initiative.objects.filter(pk=initiative.pk).update(stage=Stage.PROJECT)
    today = dt.date(2026, 3, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_reminders_create(today=today) == 1
        assert overdue_reminders_create(today=today) == 0
    [reminder] = Notification.objects.filter(kind=Kind.STATUS_REPORT_DUE)
    assert reminder.recipient == w.manager
    assert len(smtp_server) == 1
    # A recent report: nothing is due.
    _report(w, initiative, "gron", TODAY)
    Notification.objects.all().delete()
    assert overdue_reminders_create(today=TODAY + dt.timedelta(days=29)) == 0
    assert overdue_reminders_create(today=TODAY + dt.timedelta(days=31)) == 1

    # An effect goal in implementation without a recent measurement reminds its owner.
    Initiative.objects.filter(pk=initiative.pk).update(stage=Stage.IMPLEMENTATION)
    goal = benefits.effect_goal_create(
        actor=w.manager,
        initiative=fresh(initiative),
        name="Kortare handläggning",
        indicator="Handläggningstid",
        unit="dagar",
        owner=w.itchef,
    )
    made = overdue_reminders_create(today=TODAY + dt.timedelta(days=31))
    assert made == 1
    [due] = Notification.objects.filter(kind=Kind.MEASUREMENT_DUE)
    assert due.recipient == w.itchef and goal.name in due.title


def test_a_failed_send_is_sent_by_the_sweep(
    w, settings, smtp_server, django_capture_on_commit_callbacks
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        idea(w)
    [notification] = Notification.objects.all()
    assert notification.emailed_at is None  # the failure cleared the claim
    settings.EMAIL_PORT = port
    assert notify_services.pending_send(older_than_minutes=0) == 1
    assert notify_services.pending_send(older_than_minutes=0) == 0
    assert [_to(m) for m in smtp_server] == ["pl@example.se"]


def test_the_demo_load_fills_inboxes_but_sends_no_mail(
    db, smtp_server, django_capture_on_commit_callbacks
):
    from portfolio.demo.loader import load_demo

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    assert Notification.objects.exists()
    assert set(Notification.objects.values_list("delivery", flat=True)) == {Delivery.NONE}
    assert notification_digest() == 0
    assert notify_services.pending_send(older_than_minutes=0) == 0
    assert smtp_server == []
