import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from municipalities.models import County, Municipality, Population
from municipalities.reference_data import load_reference_data

pytestmark = pytest.mark.django_db


def test_migration_ships_all_290_municipalities_with_2025_population():
    assert Municipality.objects.count() == 290
    assert County.objects.count() == 21
    total = Population.objects.filter(year=2025).aggregate(total=Sum("population"))["total"]
    assert total == 10_605_520


def test_known_municipalities_keep_codes_and_population():
    bengtsfors = Municipality.objects.get(code="1460")
    assert bengtsfors.name == "Bengtsfors"
    assert bengtsfors.populations.get(year=2025).population == 8955
    assert Municipality.objects.get(code="0114").name == "Upplands Väsby"


def test_loading_again_adds_nothing_and_overwrites_no_year():
    Population.objects.filter(municipality__code="1460", year=2025).update(population=9000)
    load_reference_data(County, Municipality, Population)
    assert Municipality.objects.count() == 290
    assert Population.objects.get(municipality__code="1460", year=2025).population == 9000


def test_a_later_year_sits_beside_2025():
    bengtsfors = Municipality.objects.get(code="1460")
    Population.objects.create(municipality=bengtsfors, year=2026, population=8900)
    assert bengtsfors.populations.count() == 2


def test_kommunkod_must_be_four_digits_with_a_readable_message():
    county = County.objects.get(code="14")
    bad = Municipality(code="14A0", name="Fel", county=county)
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "fyra siffror" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(code="123", name="Fel", county=county)


def test_kommunkod_is_unique():
    county = County.objects.get(code="14")
    with pytest.raises(ValidationError) as error:
        Municipality(code="1460", name="Dubblett", county=county).full_clean()
    assert "redan en kommun" in str(error.value)
