"""Constellations set up by the samordnare: created with their own municipality as the
first member, changed with history, and members (municipalities and organisations) that
join or leave on a date; the figures of a past day follow those dates."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.reference_history import reference_lines_of
from municipalities.choices import ChangeSubject
from municipalities.constellations import (
    constellation_create,
    constellation_update,
    membership_change,
)
from municipalities.membership import constellation_members_on, constellations_on
from municipalities.models import Constellation, Municipality
from municipalities.organisations import organisation_register
from portfolio.selectors.access import visible_constellations
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _goliska():
    return organisation_register(
        actor=None, name="Göliska IT", kind="kommunalforbund", organisation_number="222000-1719"
    )


def _new(actor, **extra):
    values = {
        "name": "Skaraborgs IT-samverkan",
        "short_name": "SkIT",
        "governance_mode": "nao",
        "collaboration_form": "kommunalforbund",
        "reason": "KS 2026-01-12 § 3",
        "joined_on": TODAY - dt.timedelta(days=30),
    }
    return constellation_create(actor=actor, **{**values, **extra})


def test_the_samordnare_creates_a_constellation_with_their_municipality_as_member():
    samordnare = factories.user("1495", "samordnare")
    for refused in (factories.user("1495", "kommundirektor"), factories.user("1495", "lasare")):
        with pytest.raises(PermissionDenied):
            _new(refused)
    with pytest.raises(ValidationError) as bad:
        _new(samordnare, name="", governance_mode="lead", reason="")
    assert set(bad.value.message_dict) == {"name", "lead_municipality", "reason"}
    assert "Vid ledande organisation" in bad.value.message_dict["lead_municipality"][0]
    assert not Constellation.objects.filter(short_name="SkIT").exists()
    created = _new(samordnare)
    assert list(created.members.values_list("code", flat=True)) == ["1495"]
    assert created in visible_constellations(samordnare)
    with pytest.raises(ValidationError) as twice:
        _new(samordnare, name="Annat namn")
    assert "short_name" in twice.value.message_dict
    other = factories.user("1460", "samordnare")
    with pytest.raises(PermissionDenied):
        constellation_update(actor=other, constellation=created, name="X", reason="§ 1")
    constellation_update(
        actor=samordnare,
        constellation=created,
        collaboration_form="gemensam_namnd",
        host_municipality=Municipality.objects.get(code="1495"),
        reason="KS § 9",
    )
    lines = [line.sentence for line in reference_lines_of(ChangeSubject.CONSTELLATION, created.pk)]
    assert lines[0] == "Skaraborgs IT-samverkan ändrades: samverkansform, värdkommun"
    assert "Skaraborgs IT-samverkan skapades" in lines


def test_members_join_and_leave_on_dates_that_bound_what_is_seen_and_counted():
    samordnare = factories.user("1495", "samordnare")
    group = _new(samordnare)
    lidkoping = Municipality.objects.get(code="1494")
    staff = factories.user("1494", "it_chef")
    assert group not in visible_constellations(staff)
    joined = TODAY - dt.timedelta(days=20)
    membership_change(
        actor=samordnare,
        constellation=group,
        member=lidkoping,
        action="join",
        on=joined,
        reason="§ 4",
    )
    assert group in visible_constellations(staff)
    members = constellation_members_on([group.pk], joined - dt.timedelta(days=1))[group.pk]
    assert lidkoping.pk not in members
    assert lidkoping.pk in constellation_members_on([group.pk], joined)[group.pk]
    # Leaving before joining: refused, nothing written.
    with pytest.raises(ValidationError) as early:
        membership_change(
            actor=samordnare,
            constellation=group,
            member=lidkoping,
            action="leave",
            on=joined - dt.timedelta(days=1),
            reason="§ 5",
        )
    assert "före inträdet" in early.value.message_dict["on"][0]
    for bad, field in (
        ({"on": TODAY + dt.timedelta(days=1)}, "on"),
        ({"action": "join"}, "member"),
        ({"reason": ""}, "reason"),
    ):
        values = {"on": TODAY, "action": "leave", "reason": "§ 5", **bad}
        with pytest.raises(ValidationError) as refused:
            membership_change(actor=samordnare, constellation=group, member=lidkoping, **values)
        assert field in refused.value.message_dict
    assert group in visible_constellations(staff)
    left = TODAY - dt.timedelta(days=5)
    membership_change(
        actor=samordnare,
        constellation=group,
        member=lidkoping,
        action="leave",
        on=left,
        reason="§ 6",
    )
    assert group not in visible_constellations(staff)
    assert group.pk in constellations_on(lidkoping.pk, left - dt.timedelta(days=1))
    assert group.pk not in constellations_on(lidkoping.pk, left)
    lines = [line.sentence for line in reference_lines_of(ChangeSubject.CONSTELLATION, group.pk)]
    assert lines[0] == f"Lidköping lämnade Skaraborgs IT-samverkan den {left.isoformat()}"


def test_an_organisation_joins_a_constellation_and_pays_no_key_share():
    samordnare = factories.user("1495", "samordnare")
    group = _new(samordnare)
    goliska = _goliska()
    membership_change(
        actor=samordnare, constellation=group, member=goliska, action="join", on=TODAY, reason="§ 7"
    )
    assert list(group.organisations.all()) == [goliska]
    # The municipalities' membership (what the key divides among) is unchanged.
    assert constellation_members_on([group.pk], TODAY)[group.pk] == {
        Municipality.objects.get(code="1495").pk
    }
    with pytest.raises(ValidationError):
        membership_change(
            actor=samordnare,
            constellation=group,
            member=goliska,
            action="join",
            on=TODAY,
            reason="§ 8",
        )
    # The samordnare's own municipality cannot be removed by them.
    with pytest.raises(ValidationError) as own:
        membership_change(
            actor=samordnare,
            constellation=group,
            member=samordnare.municipality,
            action="leave",
            on=TODAY,
            reason="§ 9",
        )
    assert "egen kommun" in own.value.message_dict["member"][0]
    lines = [line.sentence for line in reference_lines_of(ChangeSubject.CONSTELLATION, group.pk)]
    assert lines[0] == f"Göliska IT gick med i Skaraborgs IT-samverkan den {TODAY.isoformat()}"


def test_the_demo_has_goliska_it_in_v6_and_the_stark_parties(demo):
    from municipalities.models import Agreement

    v6 = Constellation.objects.get(short_name="V6")
    assert [(o.name, o.kind) for o in v6.organisations.all()] == [("Göliska IT", "kommunalforbund")]
    # A member besides the municipalities: no share of the key, which divides among them.
    assert Municipality.objects.filter(constellations=v6).count() == 6
    stark = Agreement.objects.get(registration_number="KS 2025/412")
    assert sorted(o.name for o in stark.organisation_parties.all()) == [
        "Länsstyrelsen Västmanland",
        "Mälardalens universitet",
        "Region Sörmland",
        "Region Västmanland",
    ]
    lines = [line.sentence for line in reference_lines_of(ChangeSubject.CONSTELLATION, v6.pk)]
    assert "Göliska IT gick med i V6 Skaraborg den 2020-01-01" in lines
