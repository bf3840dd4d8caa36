"""Min kommun shows the municipality's participations a page at a time."""

import pytest
from django.urls import reverse

from portfolio.choices import ParticipationStatus
from portfolio.models import Participation
from portfolio.views.municipality import PARTICIPATIONS_PER_PAGE
from tests import factories

pytestmark = pytest.mark.django_db


def _rows(html: str) -> int:
    start = html.index('id="participation-heading"')
    return html[start : html.index("</table>", start)].count('<th scope="row">')


def test_participations_come_a_page_at_a_time(client):
    portfolio = factories.portfolio()
    bengtsfors = factories.municipality("1460")
    for _ in range(PARTICIPATIONS_PER_PAGE + 3):
        Participation.objects.create(
            initiative=factories.initiative(portfolio),
            municipality=bengtsfors,
            status=ParticipationStatus.PARTICIPATING,
        )
    client.force_login(factories.user("1460", "kommundirektor"))
    url = reverse("portfolio:my-municipality")
    first = client.get(url).content.decode()
    assert "Sida 1 av 2" in first and 'rel="next"' in first
    assert _rows(first) == PARTICIPATIONS_PER_PAGE
    last = client.get(url, {"sida": 2}).content.decode()
    assert "Sida 2 av 2" in last and 'rel="prev"' in last
    assert _rows(last) == 3
    # A page that does not exist shows the last one, never an error.
    assert client.get(url, {"sida": "99"}).status_code == 200
    assert client.get(url, {"sida": "x"}).status_code == 200
