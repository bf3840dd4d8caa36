"""Downloads carry file names the server chose; nothing a visitor sends ends up in them."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from portfolio.models import Portfolio

SAFE_NAME = re.compile(r'attachment; filename="?([a-z0-9][a-z0-9._-]*\.(xlsx|pdf|zip))"?$')
HOSTILE = {"filename": "../../etc/passwd", "name": '"; evil.exe', "format": "x"}


@pytest.mark.parametrize(
    "route",
    [
        "portfolio:initiative-export-xlsx",
        "portfolio:entries-export-xlsx",
        "portfolio:portfolio-export-xlsx",
    ],
)
def test_excel_downloads_have_server_chosen_names(client, demo, route):
    client.force_login(User.objects.get(username="samordnare"))
    dal = Portfolio.objects.get(reference_prefix="DAL")
    response = client.get(reverse(route, args=[dal.pk]), HOSTILE)
    assert response.status_code == 200
    match = SAFE_NAME.match(response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    assert "passwd" not in match.group(1) and "evil" not in match.group(1)
