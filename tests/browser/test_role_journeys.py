"""The IT-chef posts a status; the programledare submits an idea. Each page checked by axe."""

import re

import pytest

from portfolio.models import Initiative, Participation, Portfolio

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_it_chef_posts_a_status_for_an_initiative_of_the_municipality(visitor):
    page = visitor.login("itchef")
    participation = (
        Participation.objects.filter(
            municipality__code="1438",
            status="deltar",
            initiative__portfolio__reference_prefix="DAL",
            initiative__stage="projekt",
        )
        .select_related("initiative")
        .first()
    )
    initiative = participation.initiative

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Min kommun").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Min kommun: Dals-Ed"
    visitor.check("my-municipality")

    page.locator("#participation-heading ~ div table").get_by_role(
        "link", name=f"{initiative.reference} {initiative.title}"
    ).click()
    assert initiative.title in page.locator("h1").inner_text()
    visitor.check("initiative")

    page.get_by_role("link", name="Ny statusrapport").click()
    visitor.check("status-form")
    page.get_by_label(re.compile("^Tid")).select_option(label="Gul")
    page.get_by_label(re.compile("^Kostnad")).select_option(label="Grön")
    page.get_by_label(re.compile("^Kvalitet")).select_option(label="Grön")
    page.get_by_label(re.compile(r"^Färdigställt")).fill("60")
    page.get_by_label("Kommentar").fill("Leverantören är försenad två veckor.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()

    status = page.locator("section[aria-labelledby=status] table")
    assert status.get_by_text("Leverantören är försenad två veckor.").is_visible()
    assert "Dals-Ed" in status.locator("tbody tr").first.inner_text()
    visitor.check("initiative-with-status")

    visitor.goto(f"/portfoljer/{initiative.portfolio_id}/initiativ/?q={initiative.reference}")
    row = page.locator("#initiative-table tbody tr").first
    assert "Gul" in row.inner_text()  # the list shows the latest report, in words
    visitor.check("list-after-status")


def test_programledare_submits_an_idea_that_appears_on_the_board(visitor):
    page = visitor.login("programledare")
    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    visitor.goto(f"/portfoljer/{portfolio.pk}/")
    visitor.check("dashboard")

    page.get_by_role("link", name="Lämna in en idé").click()
    visitor.check("idea-form")
    # Without a title the form says what is missing, in Swedish, and keeps the rest.
    page.get_by_label(re.compile("^Behov eller problem")).fill(
        "Kommunerna köper samma e-arkiv var för sig."
    )
    page.get_by_role("button", name="Lämna in idén").click()
    page.wait_for_load_state()
    title_field = page.locator(".field-error", has=page.locator("#id_title"))
    assert title_field.locator(".errorlist").inner_text().strip()  # says what is missing
    assert (
        page.get_by_label(re.compile("^Behov eller problem")).input_value()
        == "Kommunerna köper samma e-arkiv var för sig."
    )
    visitor.check("idea-form-errors")

    page.get_by_label(re.compile("^Titel")).fill("Gemensamt e-arkiv")
    page.get_by_label(re.compile("^Förväntad nytta")).fill("Lägre kostnad och säkrare bevarande.")
    page.get_by_label(re.compile("^Område")).select_option(label="Insida")
    page.get_by_label(re.compile("^Målgrupp")).select_option(label="Medarbetare")
    page.get_by_label(re.compile("^Samverkansnivå")).select_option(label="5. Gemensam")
    page.get_by_label(re.compile("^Program")).select_option(label="Effektiv kommun")
    page.get_by_role("button", name="Lämna in idén").click()
    page.wait_for_load_state()
    assert "Gemensamt e-arkiv" in page.locator("h1").inner_text()
    visitor.check("idea-submitted")

    created = Initiative.objects.get(portfolio=portfolio, title="Gemensamt e-arkiv")
    assert created.stage == "ide"
    visitor.goto(f"/portfoljer/{portfolio.pk}/")
    idea_column = page.locator("section.board-column", has=page.locator("#stage-ide"))
    assert idea_column.get_by_text("Gemensamt e-arkiv").is_visible()
