"""The samordnare keeps the portfolio's settings in the browser: axe finds nothing on
the overview and its forms, and a new key version is refused, corrected and saved."""

import pytest

from portfolio.models import AllocationKey, Portfolio

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_samordnare_keeps_the_settings(visitor):
    page = visitor.login("samordnare")
    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Inställningar"
    ).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Inställningar för Digitalisering Dalsland"
    visitor.check("settings", full_page=True)

    base = f"/portfoljer/{portfolio.pk}/installningar/"
    program = portfolio.programs.order_by("name").first()
    criterion = portfolio.gate_criteria.order_by("pk").first()
    for name, path in {
        "criterion-add": "grindkriterier/nytt/?grind=G1",
        "criterion-edit": f"grindkriterier/{criterion.pk}/andra/",
        "priority-add": "prioritering/nytt/",
        "program-add": "program/nytt/",
        "program-budget": f"program/{program.pk}/budget/",
        "meeting": "mote/",
    }.items():
        visitor.goto(base + path)
        visitor.check(name)

    visitor.goto(base + "fordelningsnyckel/ny/")
    visitor.check("key-add")
    page.fill("#id_valid_from", "2027-01-01")
    page.fill("#id_population_weight", "70")
    page.fill("#id_equal_weight", "20")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    errors = page.get_by_role("alert")
    assert "ska tillsammans bli 100 % (nu 90 %)" in errors.inner_text()
    visitor.check("key-add-errors")
    page.fill("#id_equal_weight", "30")
    page.fill("#id_decision_reference", "Portföljstyrgruppen 2026-12-10 § 3")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert "Den nya versionen av fördelningsnyckeln är sparad." in page.content()
    table = page.get_by_role("table", name="Versioner av fördelningsnyckeln, den senaste först")
    assert "2027-01-01" in table.locator("tbody tr").first.inner_text()
    assert AllocationKey.objects.filter(portfolio=portfolio).count() == 2
