"""Findable pages (issue 19): breadcrumbs lead back from below the start page, the
portfolio's sub-navigation reaches its economy and settings, and a long page lists its
sections with links that land on them."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from workflow_builders import idea, world

pytestmark = pytest.mark.django_db


def _html(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def _nav(html, label):
    found = re.search(rf'<nav[^>]*aria-label="{label}"[^>]*>(.*?)</nav>', html, re.S)
    assert found, label
    return found.group(1)


def test_the_initiative_page_leads_back_and_lists_its_sections():
    w = world()
    initiative = idea(w)
    html = _html(w.reader, reverse("portfolio:initiative-detail", args=[initiative.pk]))
    trail = _nav(html, "Var du är")
    assert 'href="/"' in trail
    assert reverse("portfolio:dashboard", args=[w.portfolio.pk]) in trail
    assert f'aria-current="page">{initiative.reference}<' in trail
    anchors = re.findall(r'href="#([^"]+)"', _nav(html, "Avsnitt på sidan"))
    assert len(anchors) >= 8
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor


def test_the_portfolio_pages_reach_the_economy_and_the_settings():
    w = world()
    economy = reverse("portfolio:economy-portfolio", args=[w.portfolio.pk])
    html = _html(w.reader, economy)
    sub = _nav(html, f"Sidor för {w.portfolio.name}")
    assert f'href="{economy}" aria-current="page"' in sub
    assert reverse("portfolio:settings", args=[w.portfolio.pk]) in sub
    program = reverse("portfolio:economy-program", args=[w.program.pk])
    trail = _nav(_html(w.reader, program), "Var du är")
    assert f'href="{economy}"' in trail and w.portfolio.name in trail
