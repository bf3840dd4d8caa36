"""Decision bodies per portfolio: who records which decision, set up by the samordnare.

A body decides the matters it is given; only its chair or secretary records them. A
portfolio without bodies keeps the default set-up (tested throughout the workflow tests).
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from workflow_builders import TODAY, advance_to, fresh, idea, world

from accounts.models import User
from portfolio import policies
from portfolio.choices import DecisionKind, DecisionOutcome, Stage
from portfolio.models import (
    Body,
    GateDecision,
    Initiative,
    Portfolio,
    SettingsChange,
    SettledPeriod,
)
from portfolio.periods import parse_period
from portfolio.services import settings_bodies, workflow
from portfolio.services.allocation import period_settle
from portfolio.services.errors import NotAllowedError

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _page(user):
    client = Client()
    client.force_login(user)
    return client


def _board(w, **overrides):
    values = {
        "name": "Portföljstyrgruppen",
        "kind": "portfoljstyrgrupp",
        "program": None,
        "matters": ["G1", "G3", "avbryt", "avrakning"],
        "members": [w.director, w.director_amal],
        "chair": w.director,
        "secretary": w.coordinator,
    }
    return settings_bodies.body_add(
        actor=w.coordinator, portfolio=w.portfolio, **{**values, **overrides}
    )


def _returned(actor, initiative, kind="G1"):
    """A decision that needs no criteria: returned for completion."""
    return workflow.decision_record(
        actor=actor,
        initiative=fresh(initiative),
        kind=kind,
        outcome=DecisionOutcome.RETURNED,
        decided_on=TODAY,
        meeting_reference="Protokoll § 3",
        motivation="Komplettera underlaget.",
    )


def test_only_the_chair_or_secretary_records_the_bodys_decisions():
    w = world()
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    board = _board(w)
    # The Åmål director sits on the board but neither chairs it nor keeps its minutes.
    assert not policies.can_record_decision(w.director_amal, initiative, DecisionKind.G1)
    with pytest.raises(NotAllowedError) as refused:
        _returned(w.director_amal, initiative)
    assert "Portföljstyrgruppen" in str(refused.value.message)
    for person in (w.manager, w.itchef, w.reader, w.outsider):
        assert not policies.can_record_decision(person, initiative, DecisionKind.G1)
    decision = _returned(w.coordinator, initiative)
    assert (decision.deciding_body, decision.body) == (board, "portfoljstyrgrupp")
    assert _returned(w.director, initiative).deciding_body == board
    # G0 and G2 are not the board's: the default rule (the programledare) still holds.
    assert policies.can_record_decision(w.manager, initiative, DecisionKind.G2)
    assert not policies.can_record_decision(w.director, initiative, DecisionKind.G2)


def test_a_programs_own_body_decides_its_gates_before_the_portfolios():
    w = world()
    initiative = idea(w)
    _board(w, matters=["G0", "G1"], name="Styrgruppen")
    program_group = settings_bodies.body_add(
        actor=w.coordinator,
        portfolio=w.portfolio,
        name="Programstyrgruppen",
        kind="programstyrgrupp",
        program=w.program,
        matters=["G0"],
        members=[w.itchef],
        chair=w.itchef,
        secretary=None,
    )
    assert policies.deciding_body(w.itchef, w.portfolio, w.program.pk, "G0") == program_group
    assert policies.can_record_decision(w.itchef, initiative, DecisionKind.G0)
    assert not policies.can_record_decision(w.director, initiative, DecisionKind.G0)
    assert not policies.can_record_decision(w.manager, initiative, DecisionKind.G0)


def test_a_settlement_lock_by_a_lone_director_is_refused():
    w = world()
    period = parse_period("2025H2")
    decision = {"decided_on": dt.date(2026, 1, 14), "meeting_reference": "§ 2"}
    _board(w)
    with pytest.raises(NotAllowedError):
        period_settle(actor=w.director_amal, portfolio=w.portfolio, period=period, **decision)
    assert not policies.can_settle(w.director_amal, w.portfolio)
    assert policies.can_settle(w.director, w.portfolio)
    assert policies.can_settle(w.coordinator, w.portfolio)
    assert not SettledPeriod.objects.exists()


def test_bad_bodies_are_refused_with_field_errors_and_nothing_written(django_user_model):
    w = world()
    api = _api(w.coordinator)
    url = f"/api/v1/portfolios/{w.portfolio.pk}/bodies/"
    good = {
        "name": "Portföljstyrgruppen",
        "kind": "portfoljstyrgrupp",
        "matters": ["G1"],
        "members": [w.director.pk],
        "chair": w.director.pk,
    }
    cases = [
        ({"chair": None}, "chair"),
        ({"chair": w.director_amal.pk}, "chair"),  # not a member
        ({"members": [w.outsider.pk], "chair": w.outsider.pk}, "members"),  # Skara
        ({"matters": []}, "matters"),
        ({"matters": ["G9"]}, "matters"),
        ({"name": ""}, "name"),
        ({"kind": "kommunfullmaktige"}, "kind"),
        ({"secretary": w.outsider.pk}, "secretary"),
        ({"program": 999_999}, "program"),
    ]
    for change, field in cases:
        response = api.post(url, {**good, **change}, format="json")
        assert response.status_code == 400, (change, response.content)
        assert field in response.json()["errors"], (change, response.json())
    assert not Body.objects.exists() and not SettingsChange.objects.exists()
    assert api.post(url, good, format="json").status_code == 201
    taken = api.post(url, {**good, "name": "Andra gruppen"}, format="json")
    assert taken.status_code == 400
    assert "beslutas redan av Portföljstyrgruppen" in taken.json()["errors"]["matters"][0]
    assert Body.objects.count() == 1


def test_the_api_reads_for_everyone_writes_for_the_samordnare_and_keeps_history():
    w = world()
    board = _board(w)
    url = f"/api/v1/portfolios/{w.portfolio.pk}/bodies/{board.pk}/"
    shown = _api(w.reader).get(url)
    assert shown.status_code == 200
    assert shown.json()["chair"]["name"] == w.director.get_full_name()
    assert shown.json()["matter_labels"][0] == "Grindbeslut G1"
    assert _api(w.outsider).get(url).status_code == 404
    for person in (w.director, w.manager, w.reader):
        assert _api(person).patch(url, {"name": "X"}, format="json").status_code == 403
    stale = _api(w.coordinator).patch(url, {"name": "X", "version": 99}, format="json")
    assert stale.status_code == 409
    changed = _api(w.coordinator).patch(
        url, {"chair": w.director_amal.pk, "version": 1}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2
    row = SettingsChange.objects.filter(entity="body", action="updated").get()
    assert row.changes["chair"] == [w.director.get_full_name(), w.director_amal.get_full_name()]
    # Now the Åmål director chairs the board and records its decisions.
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    assert policies.can_record_decision(w.director_amal, initiative, DecisionKind.G1)
    assert not policies.can_record_decision(w.director, initiative, DecisionKind.G1)


def test_pages_set_up_a_body_for_the_samordnare_only():
    w = world()
    add = reverse("portfolio:settings-body-add", kwargs={"pk": w.portfolio.pk})
    data = {
        "name": "Portföljstyrgruppen",
        "kind": "portfoljstyrgrupp",
        "matters": ["G1", "avrakning"],
        "members": [w.director.pk, w.director_amal.pk],
        "chair": str(w.director.pk),
        "secretary": str(w.coordinator.pk),
        "is_active": "on",
    }
    for person in (w.director, w.manager, w.itchef, w.owner, w.reader):
        assert _page(person).get(add).status_code == 403
        assert _page(person).post(add, data).status_code == 403
    assert _page(w.outsider).get(add).status_code == 404
    assert not Body.objects.exists()
    samordnare = _page(w.coordinator)
    missing = samordnare.post(add, {**data, "chair": ""})
    assert missing.status_code == 400
    assert "Ange organets ordförande." in missing.content.decode()
    assert samordnare.post(add, data).status_code == 302
    body = Body.objects.get()
    overview = samordnare.get(reverse("portfolio:settings", kwargs={"pk": w.portfolio.pk}))
    html = overview.content.decode()
    assert "Portföljstyrgruppen" in html and "Avräkning och låsning av en period" in html
    assert "Beslutande organ skapat" in html
    edit = reverse(
        "portfolio:settings-body-edit", kwargs={"pk": w.portfolio.pk, "item_pk": body.pk}
    )
    assert _page(w.director).get(edit).status_code == 403
    assert samordnare.get(edit).status_code == 200
    changed = samordnare.post(edit, {**data, "name": "Styrgruppen", "version": "1"})
    assert changed.status_code == 302
    assert Body.objects.get().name == "Styrgruppen"
    # Everyone in the constellation reads the bodies; only the samordnare is offered changes.
    reader_view = _page(w.reader).get(reverse("portfolio:settings", kwargs={"pk": w.portfolio.pk}))
    assert "Styrgruppen" in reader_view.content.decode()
    assert edit not in reader_view.content.decode()


def test_each_demo_set_up_decides_with_its_own_bodies(demo):
    """Role × body × gate for Dalsland, V6 and Västra Mälardalen, as the demo sets them up."""
    people = {u.username: u for u in User.objects.all()}

    def initiative(prefix, stage):
        return (
            Initiative.objects.filter(portfolio__reference_prefix=prefix, stage=stage)
            .select_related("portfolio", "program")
            .order_by("id")
            .first()
        )

    dal = initiative("DAL", Stage.PRESTUDY)
    dal_idea = initiative("DAL", Stage.IDEA)
    v6 = Initiative.objects.filter(portfolio__reference_prefix="V6").order_by("id").first()
    vmd = Initiative.objects.filter(portfolio__reference_prefix="VMD").order_by("id").first()
    expected = [
        # Dalsland: the portfolio board (chair kd.bengtsfors, secretary the samordnare)
        (dal, "G1", "kd.bengtsfors", True),
        (dal, "G1", "samordnare", True),
        (dal, "G1", "kd.amal", False),
        (dal, "avbryt", "kd.vanersborg", False),
        (dal, "G1", "programledare", False),
        # ...and the program steering group (chair the programledare) for G0 and G2.
        (dal_idea, "G0", "programledare", True),
        (dal_idea, "G0", "itchef", False),
        (dal_idea, "G0", "kd.bengtsfors", False),
        # V6: the strategic commissioning group decides every gate; its chair records.
        (v6, "G1", "kd.skara", True),
        (v6, "G0", "kd.skara", True),
        (v6, "G1", "itchef.skara", False),
        # Västra Mälardalen: the directors' group.
        (vmd, "G3", "kd.arboga", True),
        # A body in one portfolio grants nothing in another.
        (v6, "G1", "kd.bengtsfors", False),
        (dal, "G1", "kd.skara", False),
        (vmd, "G1", "samordnare", False),
    ]
    got = [
        (i.reference, kind, name, policies.can_record_decision(people[name], i, kind))
        for i, kind, name, _ok in expected
    ]
    assert got == [(i.reference, kind, name, ok) for i, kind, name, ok in expected]
    # The demo's past decisions were taken by these bodies.
    board = Body.objects.get(portfolio__reference_prefix="DAL", name="Portföljstyrgruppen")
    assert GateDecision.objects.filter(deciding_body=board).exists()
    v6_group = Body.objects.get(name="Strategiska beställargruppen")
    assert GateDecision.objects.filter(deciding_body=v6_group, kind="G1").exists()
    assert Portfolio.objects.get(reference_prefix="V6").bodies.count() == 2


def test_pages_and_memos_name_the_body_that_decides(demo, client):
    """V6's gates go to its strategic commissioning group: the memo is addressed to it,
    and the decisions it took carry its name on the initiative's page."""
    from reports.selectors import decision_memo_data

    v6 = Initiative.objects.filter(portfolio__reference_prefix="V6").order_by("id").first()
    memo = decision_memo_data(v6, "G1", None)
    assert memo["recipient"] == "Strategiska beställargruppen"
    assert memo["body_name"] == "Strategiska beställargruppen"
    decided = GateDecision.objects.filter(deciding_body__name="Strategiska beställargruppen")
    initiative = decided.first().initiative
    client.force_login(User.objects.get(username="kd.skara"))
    page = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk]))
    assert "Strategiska beställargruppen" in page.content.decode()


def test_a_board_matter_no_body_takes_is_no_ones_to_record():
    """With bodies of its own, the portfolio's board matters go through them: one the
    samordnare left out is not a lone director's to decide."""
    w = world()
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    _board(w, matters=["G1"])
    assert not policies.can_record_decision(w.director, initiative, DecisionKind.CANCEL)
    assert not policies.can_record_decision(w.director, initiative, DecisionKind.G3)
    with pytest.raises(NotAllowedError) as refused:
        workflow.decision_record(
            actor=w.director,
            initiative=fresh(initiative),
            kind=DecisionKind.CANCEL,
            outcome=DecisionOutcome.APPROVED,
            decided_on=TODAY,
            meeting_reference="§ 9",
            motivation="Ingen nytta längre.",
        )
    assert "beslut att avbryta" in str(refused.value.message)
    assert not GateDecision.objects.filter(initiative=initiative, kind="avbryt").exists()
    assert Initiative.objects.get(pk=initiative.pk).stage == Stage.PRESTUDY


def test_the_settings_page_names_the_board_matters_no_body_takes():
    w = world()
    _board(w, matters=["G1"])
    page = _page(w.coordinator).get(reverse("portfolio:settings", args=[w.portfolio.pk]))
    assert "Inget organ beslutar om: Grindbeslut G3, Beslut att avbryta." in page.text
    _board(w, name="Direktionen", matters=["G3", "avbryt"], members=[w.director])
    page = _page(w.coordinator).get(reverse("portfolio:settings", args=[w.portfolio.pk]))
    assert "Inget organ beslutar om" not in page.text
