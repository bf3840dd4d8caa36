"""Issue 3's walk: one initiative from idé to förvaltning, only through the pages, with
the five roles logging in: initiativägare, programledare, kommundirektörer, samordnare
and IT-chef. Every page visited is checked with axe."""

import re

import pytest
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from municipalities.models import Municipality
from portfolio.models import Initiative, Portfolio
from tests.browser.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Gemensam e-tjänst för bygglov"


def _field(page, name):
    return page.locator(f"main [name={name}]")


def _save(page, label="Spara"):
    with page.expect_navigation():
        page.locator("main form.form").get_by_role("button", name=label).click()


def _stage(page) -> str:
    return page.locator(".stage-line .stage").inner_text()


def _open(visitor, initiative_pk):
    visitor.goto(f"/initiativ/{initiative_pk}/")
    return visitor.page


def _decide(visitor, pk, gate, name, target_stage=None):
    page = _open(visitor, pk)
    page.get_by_role("link", name=f"Registrera beslut {gate}").click()
    visitor.check(f"{gate}-form")
    _field(page, "kind").select_option(gate)
    _field(page, "outcome").select_option("godkand")
    if target_stage:
        _field(page, "target_stage").select_option(target_stage)
    _field(page, "meeting_reference").fill(f"{name} {timezone.localdate()} § 4")
    _field(page, "motivation").fill("Kriterierna är uppfyllda.")
    _save(page)
    errors = page.locator(".form-errors")
    assert errors.count() == 0, errors.first.inner_text()


def test_an_idea_walks_to_forvaltning_through_every_gate(visitor):
    # The demo has no directors for Dals-Ed and Färgelanda; the walk needs them to answer.
    for username, code in (("kd.dalsed", "1438"), ("kd.fargelanda", "1439")):
        director = User.objects.create_user(
            username=username,
            password=PASSWORD,
            first_name="Kommundirektör",
            last_name=username,
            municipality=Municipality.objects.get(code=code),
        )
        RoleAssignment.objects.create(user=director, role=Role.DIRECTOR)
    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    today = timezone.localdate().isoformat()

    # Initiativägaren lämnar en idé.
    page = visitor.login("initiativagare")
    visitor.goto(f"/portfoljer/{portfolio.pk}/")
    page.get_by_role("link", name="Lämna in en idé").click()
    _field(page, "title").fill(TITLE)
    _field(page, "need").fill("Varje kommun handlägger bygglov i egna system.")
    _field(page, "expected_benefit").fill("Kortare handläggningstid och en väg in för invånare.")
    _field(page, "area").select_option("utsida")
    _field(page, "target_group").select_option("invanare")
    _field(page, "collaboration_level").select_option("5")
    _field(page, "program").select_option(label="Effektiv kommun")
    _save(page, "Lämna in idén")
    initiative = Initiative.objects.get(portfolio=portfolio, title=TITLE)
    assert _stage(page) == "Idé"
    visitor.check("idea")

    # Programledaren bjuder in kommuner och sätter prioriteringspoäng.
    page = visitor.login("programledare")
    for name in ("Bengtsfors", "Dals-Ed"):
        _open(visitor, initiative.pk).get_by_role("link", name="Bjud in kommun").click()
        _field(page, "municipality").select_option(label=name)
        _save(page)
    _open(visitor, initiative.pk).get_by_role("link", name="Sätt prioriteringspoäng").click()
    visitor.check("priority-form")
    for select in page.locator("main form.form select").all():
        select.select_option("4")
    _save(page)

    # Varje kommun beslutar själv om sitt deltagande.
    for username, municipality, answer in (
        ("kd.bengtsfors", "Bengtsfors", "Kommunen deltar"),
        ("kd.dalsed", "Dals-Ed", "Kommunen deltar"),
        ("kd.fargelanda", "Färgelanda", "Kommunen avstår"),
    ):
        page = visitor.login(username)
        _open(visitor, initiative.pk).get_by_role("link", name=f"Svara ({municipality})").click()
        visitor.check(f"answer-{municipality}")
        page.get_by_label(answer).check()
        if answer == "Kommunen deltar":
            _field(page, "joined_on").fill(today)
        _save(page)

    # G0 i programmet.
    page = visitor.login("programledare")
    page = _open(visitor, initiative.pk)
    assert "alla är uppfyllda" in page.locator("table.checklist caption").inner_text()
    visitor.check("before-G0")
    _decide(visitor, initiative.pk, "G0", "Programstyrgruppen")
    assert _stage(page) == "Förstudie"

    # Förstudien: slutsats, klassning, planer, effektmål och kostnadsestimat.
    page.get_by_role("link", name="Ändra beskrivning").click()
    _field(page, "prestudy_conclusion").fill("En gemensam e-tjänst rekommenderas.")
    _field(page, "security_classification").select_option("mattlig")
    _field(page, "implementation_plan").fill("Bengtsfors först, Dals-Ed en månad senare.")
    _field(page, "operation_owner").fill("Gemensam systemförvaltare i Bengtsfors")
    _field(page, "benefit_followup_plan").fill("Handläggningstiden mäts varje halvår.")
    _save(page, "Spara ändringarna")
    _open(visitor, initiative.pk).get_by_role("link", name="Nytt effektmål").click()
    visitor.check("goal-form")
    _field(page, "name").fill("Kortare handläggningstid")
    _field(page, "indicator").fill("Dagar från ansökan till beslut")
    _field(page, "unit").fill("dagar")
    _field(page, "baseline").fill("40")
    _field(page, "target").fill("20")
    _save(page)
    for kind, amount in (("utveckling", "600000"), ("drift", "90000")):
        visitor.goto(f"/initiativ/{initiative.pk}/kostnader/ny/")
        _field(page, "kind").select_option(kind)
        _field(page, "nature").select_option("estimat")
        _field(page, "period").fill(today)
        _field(page, "amount").fill(amount)
        _save(page)
    visitor.check("cost-saved")

    # Samordnaren har förhandsgranskat kostnadsfördelningen och bekräftar det.
    page = visitor.login("samordnare")
    page = _open(visitor, initiative.pk)
    visitor.check("samordnare-checklist")
    with page.expect_navigation():
        page.get_by_role(
            "button", name=re.compile(r"Bekräfta\W+Kostnadsfördelningen har förhandsgranskats")
        ).click()
    assert "alla är uppfyllda" in page.locator("table.checklist caption").inner_text()
    visitor.check("before-G1")

    # G1 i portföljstyrgruppen: initiativet blir ett projekt.
    visitor.login("kd.bengtsfors")
    _decide(visitor, initiative.pk, "G1", "Portföljstyrgruppen", target_stage="projekt")
    assert _stage(visitor.page) == "Projekt"

    # Programledaren bekräftar leveransen och tar G2.
    page = visitor.login("programledare")
    page = _open(visitor, initiative.pk)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"Bekräfta\W+Resultaten är levererade")).click()
    _decide(visitor, initiative.pk, "G2", "Programstyrgruppen")
    assert _stage(page) == "Implementation"

    # IT-chefen i Dals-Ed rapporterar status, faktisk kostnad och implementering.
    page = visitor.login("itchef")
    _open(visitor, initiative.pk).get_by_role("link", name="Ny statusrapport").click()
    _field(page, "progress").fill("90")
    _field(page, "comment").fill("Dals-Ed är i drift.")
    _save(page)
    visitor.goto(f"/initiativ/{initiative.pk}/kostnader/ny/")
    visitor.check("cost-form")
    _field(page, "kind").select_option("utveckling")
    _field(page, "nature").select_option("utfall")
    _field(page, "period").fill(today)
    _field(page, "amount").fill("250000")
    _field(page, "paid_by").select_option(label="Dals-Ed")
    _save(page)
    _open(visitor, initiative.pk).get_by_role("link", name="Har implementerat (Dals-Ed)").click()
    visitor.check("implemented-form")
    _field(page, "implemented_on").fill(today)
    _save(page)

    # Bengtsfors implementerar, och portföljstyrgruppen tar G3.
    page = visitor.login("kd.bengtsfors")
    _open(visitor, initiative.pk).get_by_role("link", name="Har implementerat (Bengtsfors)").click()
    _field(page, "implemented_on").fill(today)
    _save(page)
    page = _open(visitor, initiative.pk)
    assert "alla är uppfyllda" in page.locator("table.checklist caption").inner_text()
    _decide(visitor, initiative.pk, "G3", "Portföljstyrgruppen")
    assert _stage(page) == "Förvaltning"
    decisions = page.locator("section[aria-labelledby=beslut] > .table-scroll > table > tbody > tr")
    assert decisions.count() == 4
    assert re.search(r"Implementation\s*→\s*Förvaltning", decisions.first.inner_text())
    visitor.check("in-operation")

    # The director's dashboard shows it in förvaltning.
    visitor.goto(f"/portfoljer/{portfolio.pk}/?q={initiative.reference}")
    column = page.locator("section.board-column", has=page.locator("#stage-forvaltning"))
    assert column.get_by_text(TITLE).is_visible()
    visitor.check("dashboard-after")
