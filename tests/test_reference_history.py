"""Constellation membership and people's roles keep history like initiatives do: who,
when, what and why, stored in the database and shown to the samordnare on the people
page as sentences, in Swedish and in English."""

import pytest
from django.urls import reverse
from test_history_readable import internals_in, visible_text

from accounts.models import Role, User
from municipalities.models import Constellation, Municipality, ReferenceChange
from portfolio.demo.content import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _history_section(html: str) -> str:
    return visible_text(html.split('id="changes-heading"', 1)[1])


@pytest.fixture
def coordinator(client, demo):
    assert client.login(username="samordnare", password=DEMO_PASSWORD)
    return client


def _edit_itchef(client, roles, reason="Byter tjänst enligt beslut 2026-11-20"):
    itchef = User.objects.get(username="itchef")
    return client.post(
        reverse("people:edit", args=[itchef.pk]),
        {
            "first_name": itchef.first_name,
            "last_name": itchef.last_name,
            "email": itchef.email,
            "municipality": itchef.municipality_id,
            "roles": roles,
            "is_active": "on",
            "reason": reason,
            "version": itchef.version,
        },
    )


def test_role_changes_are_stored_with_who_when_and_why_and_shown_as_sentences(coordinator):
    assert _edit_itchef(coordinator, [Role.READER]).status_code == 302
    rows = ReferenceChange.objects.filter(subject="person", subject_name="Erik Dahlgren")
    assert {(r.action, r.detail) for r in rows} == {
        ("role_granted", Role.READER),
        ("role_revoked", Role.IT_MANAGER),
    }
    assert {r.actor.username for r in rows} == {"samordnare"}
    assert {r.reason for r in rows} == {"Byter tjänst enligt beslut 2026-11-20"}
    swedish = _history_section(coordinator.get(reverse("people:list")).content.decode())
    assert "Erik Dahlgren fick rollen läsare" in swedish
    assert "Erik Dahlgren har inte längre rollen IT-chef" in swedish
    assert "Byter tjänst enligt beslut 2026-11-20" in swedish
    assert "Johan Wikström" in swedish
    assert internals_in(swedish, "sv") == set()
    coordinator.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = _history_section(coordinator.get(reverse("people:list")).content.decode())
    assert internals_in(english, "en") == set()


def test_a_refused_change_leaves_no_history(coordinator):
    before = ReferenceChange.objects.count()
    assert _edit_itchef(coordinator, [Role.READER], reason="").status_code == 400
    assert ReferenceChange.objects.count() == before


def test_membership_change_in_the_admin_is_history_the_samordnare_reads(client, demo, admin_user):
    client.force_login(admin_user)
    dalsland = Constellation.objects.get(members__code="1487", short_name__icontains="dals")
    amal = Municipality.objects.get(code="1492")
    url = reverse("admin:municipalities_constellation_change", args=[dalsland.pk])
    data = {
        "name": dalsland.name,
        "short_name": dalsland.short_name,
        "description": dalsland.description,
        "governance_mode": dalsland.governance_mode,
        "collaboration_form": dalsland.collaboration_form,
        "members": [m.pk for m in dalsland.members.exclude(pk=amal.pk)],
        "reason": "Direktionen 2026-12-01 § 12",
    }
    assert client.post(url, data).status_code == 302
    [row] = ReferenceChange.objects.filter(subject="constellation", subject_id=dalsland.pk)
    assert (row.action, row.municipality, row.actor) == ("member_removed", amal, admin_user)
    assert row.subject_name == dalsland.name and row.reason == "Direktionen 2026-12-01 § 12"
    client.logout()
    assert client.login(username="samordnare", password=DEMO_PASSWORD)
    page = _history_section(client.get(reverse("people:list")).content.decode())
    assert f"Åmål lämnade {dalsland.name}" in page
    assert "Direktionen 2026-12-01 § 12" in page


def test_samordnare_of_another_constellation_does_not_see_the_changes(client, demo):
    coordinator = User.objects.get(username="samordnare")
    from accounts.people import person_update

    itchef = User.objects.get(username="itchef")
    person_update(actor=coordinator, person=itchef, roles=[Role.READER], reason="Beslut")
    skara = Municipality.objects.get(code="1495")
    other = User.objects.create_user(username="samordnare.skara", municipality=skara)
    other.role_assignments.create(role=Role.COORDINATOR)
    client.force_login(other)
    page = _history_section(client.get(reverse("people:list")).content.decode())
    assert "Erik Dahlgren" not in page


def test_agreement_change_in_the_admin_names_the_fields_and_parties(client, demo, admin_user):
    from municipalities.models import Agreement

    agreement = Agreement.objects.get(parties__code="1984")  # STARK, Västra Mälardalen
    arboga_coordinator = User.objects.create_user(
        username="samordnare.arboga", municipality=Municipality.objects.get(code="1984")
    )
    arboga_coordinator.role_assignments.create(role=Role.COORDINATOR)
    client.force_login(admin_user)
    url = reverse("admin:municipalities_agreement_change", args=[agreement.pk])
    leaving = agreement.parties.exclude(code="1984").order_by("code").first()
    data = {
        "title": agreement.title,
        "constellation": agreement.constellation_id or "",
        "parties": [p.pk for p in agreement.parties.exclude(pk=leaving.pk)],
        "form": agreement.form,
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.replace(year=agreement.ends_on.year + 2).isoformat(),
        "yearly_fee_per_party": 75_000,
        "notice_period_months": agreement.notice_period_months,
        "registration_number": agreement.registration_number,
    }
    assert client.post(url, data).status_code == 200  # no reason: the form again
    assert not ReferenceChange.objects.filter(subject="agreement").exists()
    response = client.post(url, {**data, "reason": "Förbundsdirektionen 2026-11-30 § 7"})
    assert response.status_code == 302
    rows = ReferenceChange.objects.filter(subject="agreement", subject_id=agreement.pk)
    assert {(r.action, r.municipality_id) for r in rows} == {
        ("agreement_changed", None),
        ("party_removed", leaving.pk),
    }
    client.force_login(arboga_coordinator)
    page = _history_section(client.get(reverse("people:list")).content.decode())
    assert f"Avtalet {agreement.title} ändrades: gäller till, årlig avgift per part (kr)" in page
    assert f"{leaving.name} är inte längre part i avtalet {agreement.title}" in page
    assert internals_in(page, "sv") == set()
