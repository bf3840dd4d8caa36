"""Organisations besides the municipalities: a Swedish organisation number with its
check digit, registered by a samordnare with history; parties to agreements."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.reference_history import reference_lines_of
from municipalities.agreements import agreement_create, agreement_update
from municipalities.choices import ChangeSubject
from municipalities.models import Organisation
from municipalities.models_organisations import luhn_valid
from municipalities.organisations import organisation_create, organisation_update
from tests import factories

pytestmark = pytest.mark.django_db


def test_luhn_check_digit_of_real_organisation_numbers():
    # Region Västmanland, Mälardalens universitet, Skatteverket.
    for number in ("2321000198", "2021002353", "2021005059"):
        assert luhn_valid(number)
    assert not luhn_valid("2321000199")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("232100019", "ska skrivas NNNNNN-NNNN"),
        ("2321000198", "ska skrivas NNNNNN-NNNN"),
        ("232100+0198", "ska skrivas NNNNNN-NNNN"),
        ("23210a-0198", "ska skrivas NNNNNN-NNNN"),
        ("232100-0199", "kontrollsiffran"),
        ("", "ska skrivas NNNNNN-NNNN"),
    ],
)
def test_a_wrong_organisation_number_is_refused_in_swedish(number, message):
    samordnare = factories.user("1487", "samordnare")
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as refused:
        organisation_create(
            actor=samordnare, name="Region X", kind="region", organisation_number=number
        )
    assert message in " ".join(refused.value.message_dict["organisation_number"])
    assert Organisation.objects.count() == before


def test_only_a_samordnare_registers_and_history_is_kept():
    with pytest.raises(PermissionDenied):
        organisation_create(
            actor=factories.user("1460", "kommundirektor"),
            name="Region Västra Götaland",
            kind="region",
            organisation_number="232100-0131",
        )
    samordnare = factories.user("1487", "samordnare")
    region = organisation_create(
        actor=samordnare,
        name="Region Västra Götaland",
        kind="region",
        organisation_number="232100-0131",
        reason="Ny part",
    )
    with pytest.raises(ValidationError) as twice:
        organisation_create(
            actor=samordnare, name="Dubblett", kind="region", organisation_number="232100-0131"
        )
    assert "redan en organisation" in str(twice.value.message_dict)
    organisation_update(actor=samordnare, organisation=region, name="VGR", reason="Kortare")
    lines = [line.sentence for line in reference_lines_of(ChangeSubject.ORGANISATION, region.pk)]
    assert lines == ["VGR ändrades: namn", "Region Västra Götaland skapades"]


def test_an_organisation_is_a_party_to_an_agreement_with_history():
    samordnare = factories.user("1487", "samordnare")
    dalsland = factories.constellation()
    region = organisation_create(
        actor=samordnare,
        name="Region Västra Götaland",
        kind="region",
        organisation_number="232100-0131",
    )
    agreement = agreement_create(
        actor=samordnare,
        constellation=dalsland,
        parties=list(dalsland.members.all()[:2]),
        organisations=[region],
        reason="Styrgruppen § 4",
        title="Avtal om e-arkiv",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    assert list(agreement.organisation_parties.all()) == [region]
    lines = [line.sentence for line in reference_lines_of(ChangeSubject.AGREEMENT, agreement.pk)]
    assert "Region Västra Götaland blev part i avtalet Avtal om e-arkiv" in lines
    agreement_update(actor=samordnare, agreement=agreement, organisations=[], reason="§ 5")
    lines = [line.sentence for line in reference_lines_of(ChangeSubject.AGREEMENT, agreement.pk)]
    assert "Region Västra Götaland är inte längre part i avtalet Avtal om e-arkiv" in lines
