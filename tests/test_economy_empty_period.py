"""A period without costs still shows who takes part, with their population."""

import pytest

from portfolio.models import Initiative
from portfolio.selectors.economy import initiative_economy

pytestmark = pytest.mark.django_db


def test_initiative_rows_show_population_in_a_period_without_costs(demo):
    initiative = Initiative.objects.get(reference="DAL-2")
    economy = initiative_economy(initiative, "2027H1")
    assert economy.total_costs == 0
    populations = {row.name: row.population for row in economy.rows}
    assert populations["Bengtsfors"] == 8955
    assert populations["Vänersborg"] == 40078
    assert all(row.net == 0 for row in economy.rows)
