"""The samordnare sets up a constellation in the browser: creates it, lets Göliska IT
join on a date and is told, in Swedish, that a leaving date before the joining is
refused; axe finds nothing on the pages, at desktop and phone width."""

import datetime as dt

import pytest
from django.utils import timezone

from municipalities.models import Constellation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_samordnare_sets_up_a_constellation_with_an_organisation(visitor):
    today = timezone.localdate()
    page = visitor.login("samordnare")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Konstellationer").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Konstellationer"
    visitor.check("constellations")
    page.get_by_role("link", name="Skapa en konstellation").click()
    page.wait_for_load_state()
    visitor.check("constellation-new")
    page.fill("#id_name", "Dalslands e-arkiv")
    page.fill("#id_short_name", "DalEA")
    page.select_option("#id_collaboration_form", label="Avtalssamverkan")
    page.select_option("#id_governance_mode", label="Delad styrning")
    page.fill("#id_joined_on", (today - dt.timedelta(days=30)).isoformat())
    page.fill("#id_reason", "Portföljstyrgruppen 2026-11-12 § 7")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara").click()
    assert page.locator("h1").inner_text() == "Dalslands e-arkiv"
    created = Constellation.objects.get(short_name="DalEA")
    assert list(created.members.values_list("code", flat=True)) == ["1487"]

    joined = (today - dt.timedelta(days=10)).isoformat()
    page.get_by_role("radio", name="Går med").check()
    page.select_option("#id_member", label="Göliska IT")
    page.fill("#id_on", joined)
    page.fill("#id_reason", "§ 8")
    with page.expect_navigation():
        page.get_by_role("button", name="Registrera").click()
    assert "Medlemskapet är registrerat." in page.content()
    assert f"Göliska IT gick med i Dalslands e-arkiv den {joined}" in page.content()
    visitor.check("constellation-detail", full_page=True)

    page.get_by_role("radio", name="Lämnar").check()
    page.select_option("#id_member", label="Göliska IT")
    page.fill("#id_on", (today - dt.timedelta(days=11)).isoformat())
    page.fill("#id_reason", "§ 9")
    with page.expect_navigation():
        page.get_by_role("button", name="Registrera").click()
    assert "Utträdet kan inte ligga före inträdet" in page.content()
    visitor.check("membership-error")
    assert created.organisations.count() == 1

    visitor.goto("/organisationer/")
    visitor.check("organisations")
    page.get_by_role("link", name="Registrera en organisation").click()
    page.wait_for_load_state()
    page.fill("#id_name", "Region Västra Götaland")
    page.select_option("#id_kind", label="Region")
    page.fill("#id_organisation_number", "232100-0132")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara").click()
    assert "kontrollsiffran (den sista) är fel" in page.content()
    visitor.check("organisation-error")

    page.set_viewport_size({"width": 390, "height": 800})
    visitor.goto(f"/konstellationer/{created.pk}/")
    visitor.check("constellation-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
