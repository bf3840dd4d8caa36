"""Issue 17's walk: the samordnare starts a portfolio, sets up its board, and records the
board's decision as its secretary; a member who is neither chair nor secretary is not
offered to record it. Every page visited is checked with axe."""

import pytest

from portfolio.models import Body, GateDecision, Initiative, Portfolio

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _save(page, label):
    with page.expect_navigation():
        page.locator("main form.form").get_by_role("button", name=label).click()
    errors = page.locator(".form-errors")
    assert errors.count() == 0, errors.first.inner_text()


def test_a_new_portfolio_decides_through_its_own_board(visitor):
    page = visitor.login("samordnare")
    page.get_by_role("link", name="Starta en ny portfölj").click()
    visitor.check("portfolio-new")
    page.locator("main [name=constellation]").select_option(label="Dalslands sex kommuner")
    page.locator("main [name=name]").fill("Digitalisering i skolan")
    page.locator("main [name=reference_prefix]").fill("SKOLA")
    _save(page, "Starta portföljen")
    portfolio = Portfolio.objects.get(reference_prefix="SKOLA")

    page.get_by_role("link", name="Nytt beslutande organ").click()
    visitor.check("body-new")
    page.locator("main [name=name]").fill("Skolstyrgruppen")
    page.locator("main [name=kind]").select_option(label="Portföljstyrgrupp")
    for matter in ("Grindbeslut G0", "Grindbeslut G1"):
        page.get_by_label(matter, exact=True).check()
    for person in ("Karin Ålander, Bengtsfors", "Per Ekström, Åmål"):
        page.locator("fieldset").filter(has_text="Ledamöter").get_by_label(person).check()
    page.locator("main [name=chair]").select_option(label="Karin Ålander, Bengtsfors")
    page.locator("main [name=secretary]").select_option(label="Johan Wikström, Vänersborg")
    _save(page, "Spara")
    body = Body.objects.get(portfolio=portfolio)
    bodies = page.locator("section[aria-labelledby=organ] tbody tr")
    assert bodies.count() == 1 and "Skolstyrgruppen" in bodies.inner_text()
    visitor.check("settings-with-body")

    # An idea in the new portfolio; the board's secretary records its G0.
    visitor.goto(f"/portfoljer/{portfolio.pk}/")
    page.get_by_role("link", name="Lämna in en idé").click()
    page.locator("main [name=title]").fill("Gemensam lärplattform")
    page.locator("main [name=need]").fill("Varje skola har sin egen plattform.")
    page.locator("main [name=expected_benefit]").fill("En inloggning för elever och lärare.")
    _save(page, "Lämna in idén")
    initiative = Initiative.objects.get(portfolio=portfolio)
    visitor.goto(f"/initiativ/{initiative.pk}/")
    page.get_by_role("link", name="Registrera beslut G0").click()
    page.locator("main [name=outcome]").select_option("aterremitterad")
    page.locator("main [name=meeting_reference]").fill("Skolstyrgruppen § 1")
    page.locator("main [name=motivation]").fill("Beskriv behovet per skola.")
    _save(page, "Spara")
    decision = GateDecision.objects.get(initiative=initiative)
    assert (decision.deciding_body, decision.recorded_by.username) == (body, "samordnare")
    visitor.check("decision-by-secretary")

    # Åmål's director sits on the board but neither chairs it nor keeps its minutes.
    page = visitor.login("kd.amal")
    visitor.goto(f"/initiativ/{initiative.pk}/")
    assert page.get_by_role("link", name="Registrera beslut G0").count() == 0
    # Cancelling is no body's matter here: with bodies of its own, the portfolio leaves it
    # to no lone director, so the decision page offers Åmål's director nothing.
    response = page.goto(visitor.url(f"/initiativ/{initiative.pk}/beslut/nytt/?beslut=G0"))
    assert response.status == 403
    assert page.locator("main [name=kind]").count() == 0
