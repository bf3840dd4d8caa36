"""The change history reads as sentences in the interface's language: no field name,
record kind or raw choice value of the code reaches an initiative page, in Swedish or
in English, for any of the demo roles."""

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import User
from portfolio import choices
from portfolio.demo.content import DEMO_LOGINS, DEMO_PASSWORD
from portfolio.models import CostEntry, HistoryEntry, Initiative, TimeEntry
from portfolio.selectors.access import visible_initiatives
from portfolio.services.costs import (
    cost_entry_correct,
    cost_entry_delete,
    time_entry_correct,
    time_entry_delete,
)
from portfolio.services.initiatives import initiative_update
from portfolio.services.workflow import initiative_set_paused

pytestmark = pytest.mark.django_db

# English words the code uses as record kinds and actions: internals on a Swedish page.
ENGLISH_IDENTIFIERS = {
    "initiative",
    "decision",
    "participation",
    "confirmation",
    "measurement",
    "priority",
    "created",
    "updated",
    "corrected",
    "deleted",
    "recorded",
    "correction",
    "paused",
    "resumed",
    "confirmed",
    "unconfirmed",
    "invited",
    "interested",
    "left",
    "implemented",
    "reported",
    "scored",
}


# Stored values that are also words people write in titles ("Lön och HR-system").
ORDINARY_WORDS = {"system"}


def _choice_classes():
    return [
        value
        for value in vars(choices).values()
        if isinstance(value, type) and issubclass(value, models.Choices) and value.choices
    ]


def raw_choice_values() -> set[str]:
    """Stored values that are not words of any Swedish label (gron, ide, it_fabrik, ...);
    in Swedish or English they are no words people write."""
    with translation.override("sv"):
        label_words = {
            word.lower()
            for cls in _choice_classes()
            for label in cls.labels
            for word in re.findall(r"\w+", str(label))
        }
    return {
        str(value)
        for cls in _choice_classes()
        for value in cls.values
        if value and str(value).lower() not in label_words | ORDINARY_WORDS
    }


def field_names_with_underscores() -> set[str]:
    return {
        field.name
        for config in apps.get_app_configs()
        if config.name in {"portfolio", "accounts", "municipalities", "reports"}
        for model in config.get_models()
        for field in model._meta.get_fields()
        if "_" in field.name
    }


class _VisibleText(HTMLParser):
    """Text a reader sees: no tags, attribute values, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    return re.sub(r"(https?://|/)\S*", " ", text)


def internals_in(text: str, language: str) -> set[str]:
    words = set(re.findall(r"\b\w+\b", text))
    found = {w for w in words if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", w)}
    found |= words & (field_names_with_underscores() | raw_choice_values())
    if language == "sv":
        found |= words & ENGLISH_IDENTIFIERS
    return found


@pytest.fixture
def demo_with_every_change(demo):
    """The demo's history, plus corrections, removals, an edit and a pause on DAL-1."""
    coordinator = User.objects.get(username="samordnare")
    director = User.objects.get(username="kd.bengtsfors")
    initiative = Initiative.objects.get(reference="DAL-1")
    costs = list(CostEntry.objects.filter(initiative=initiative).order_by("id"))
    cost_entry_correct(
        actor=coordinator,
        entry=costs[0],
        amount=costs[0].amount + 80_000,
        kind=choices.CostKind.OPERATION,
        period=dt.date(2026, 4, 30),
    )
    cost_entry_delete(actor=coordinator, entry=costs[-1])
    times = list(TimeEntry.objects.filter(initiative=initiative).order_by("id"))
    time_entry_correct(actor=coordinator, entry=times[0], hours=Decimal("7.5"))
    time_entry_delete(actor=coordinator, entry=times[-1])
    initiative_update(
        actor=coordinator,
        initiative=initiative,
        version=initiative.version,
        area=choices.Area.INSIDE,
        target_group=choices.TargetGroup.BOTH,
        planned_start=dt.date(2026, 1, 15),
    )
    initiative.refresh_from_db()
    initiative_set_paused(
        actor=director, initiative=initiative, paused=True, reason="Inväntar upphandling"
    )
    initiative.refresh_from_db()
    initiative_set_paused(actor=director, initiative=initiative, paused=False)
    return initiative


def test_the_known_internals_are_what_the_test_looks_for():
    internals = raw_choice_values() | field_names_with_underscores()
    for raw in ("gron", "ide", "forstudie", "it_fabrik", "reported_on", "paid_by", "avstar"):
        assert raw in internals
    for word in ("projekt", "drift", "estimat", "deltar"):
        assert word not in internals
    assert internals_in("time_entry: skapat, gron/gron/gron", "sv") == {
        "time_entry",
        "gron",
    }
    assert internals_in("Kostnad rättad: Belopp 80 000 kr", "sv") == set()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_history_on_every_initiative_page_shows_no_internals(
    client, demo_with_every_change, language
):
    kinds = set(HistoryEntry.objects.values_list("entity", flat=True))
    assert {"cost_entry", "time_entry", "status", "decision", "participation"} <= kinds
    leaks = {}
    for username in DEMO_LOGINS:
        user = User.objects.get(username=username)
        assert client.login(username=username, password=DEMO_PASSWORD)
        if language == "en":
            client.post(reverse("set_language"), {"language": "en", "next": "/"})
        pages = visible_initiatives(user).filter(history__isnull=False).distinct()
        assert pages.exists(), username
        for initiative in pages:
            response = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk]))
            assert response.status_code == 200
            found = internals_in(visible_text(response.content.decode()), language)
            if found:
                leaks[f"{username} {initiative.reference}"] = sorted(found)
        client.logout()
    assert leaks == {}


def test_the_api_gives_each_history_row_as_a_sentence_in_the_asked_language(
    demo_with_every_change,
):
    client = APIClient()
    client.force_authenticate(User.objects.get(username="lasare"))
    url = f"/api/v1/initiatives/{demo_with_every_change.pk}/history/"
    swedish = client.get(url).json()["results"]
    corrected = next(
        h for h in swedish if h["entity"] == "cost_entry" and h["action"] == "corrected"
    )
    assert corrected["changes"]["kind"] == ["utveckling", "drift"]
    assert corrected["text"].startswith("Kostnad rättad.")
    assert "Kostnadsslag: Förstudie och utveckling → Drift och förvaltning." in corrected["text"]
    assert "Belopp: 1\xa0450\xa0000\xa0kr → 1\xa0530\xa0000\xa0kr." in corrected["text"]
    status = next(h for h in swedish if h["entity"] == "status")
    assert "Tid: Grön. Kostnad: Grön. Kvalitet: Grön." in status["text"]
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    corrected = next(h for h in english if h["id"] == corrected["id"])
    assert "Cost type: Pre-study and development → Operation and maintenance." in corrected["text"]
    for row in swedish + english:
        assert internals_in(row["text"], "sv" if row in swedish else "en") == set(), row


def test_settings_history_reads_as_sentences_without_internals(client, demo):
    from portfolio.models import GateCriterion, PriorityCriterion, Program
    from portfolio.services.settings_gates import gate_criterion_add, gate_criterion_update
    from portfolio.services.settings_keys import allocation_key_add
    from portfolio.services.settings_programs import (
        priority_criterion_update,
        program_budget_set,
    )

    coordinator = User.objects.get(username="samordnare")
    initiative = Initiative.objects.get(reference="DAL-1")
    portfolio = initiative.portfolio
    allocation_key_add(
        actor=coordinator,
        portfolio=portfolio,
        valid_from=dt.date(2027, 1, 1),
        method=choices.AllocationMethod.FIXED_FEE,
        yearly_fee_per_party=69_000,
        decision_reference="Styrgruppen 2026-11-30 § 3",
    )
    added = gate_criterion_add(
        actor=coordinator,
        portfolio=portfolio,
        gate=choices.Gate.G1,
        label="Juridisk granskning gjord",
        kind=choices.CriterionKind.MANUAL,
    )
    gate_criterion_update(actor=coordinator, criterion=added, is_active=False)
    criterion = PriorityCriterion.objects.filter(portfolio=portfolio).first()
    priority_criterion_update(actor=coordinator, criterion=criterion, weight=criterion.weight + 1)
    program_budget_set(
        actor=coordinator,
        program=Program.objects.filter(portfolio=portfolio).first(),
        year=2027,
        amount=2_500_000,
    )
    assert GateCriterion.objects.filter(pk=added.pk, is_active=False).exists()
    client.force_login(coordinator)
    url = reverse("portfolio:settings", args=[portfolio.pk])
    for language in ("sv", "en"):
        client.post(reverse("set_language"), {"language": language, "next": "/"})
        html = client.get(url).content.decode()
        history = visible_text(html.split('id="historik"', 1)[1])
        assert internals_in(history, language) == set(), language
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    history = visible_text(client.get(url).content.decode().split('id="historik"', 1)[1])
    assert "Fördelningsnyckel skapad" in history
    assert "Metod: Fast avgift per part" in history
    assert "Årlig avgift per part: 69\xa0000\xa0kr" in history
    assert "Grindkriterium inaktiverat" in history
    assert "Budget: 2\xa0500\xa0000\xa0kr" in history
    api = APIClient()
    api.force_authenticate(coordinator)
    rows = api.get(f"/api/v1/portfolios/{portfolio.pk}/settings/history/").json()
    assert any(row["text"].startswith("Fördelningsnyckel skapad.") for row in rows)
