"""Population from Kolada, run on saved responses (tests/data/kolada): never the internet."""

import json
import urllib.parse
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from municipalities import kolada
from municipalities.models import County, Municipality, Population

DATA = Path(__file__).resolve().parent / "data" / "kolada"
BASE = "http://kolada.test"


def saved(url: str) -> dict:
    """The saved page for a URL: path segments joined by "_", then the page number."""
    parts = urllib.parse.urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE, url
    page = urllib.parse.parse_qs(parts.query).get("page", ["1"])[0]
    name = parts.path.strip("/").replace("/", "_") + f"_page{page}.json"
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def offline(monkeypatch):
    requested = []

    def fetch(url):
        requested.append(url)
        return saved(url)

    monkeypatch.setenv("KOLADA_URL", BASE)
    monkeypatch.setattr(kolada, "http_get_json", fetch)
    return requested


def test_the_client_follows_next_page_and_keeps_the_totals(offline):
    client = kolada.KoladaClient()
    figures = client.population(2024)
    assert figures["1460"] == 8930 and figures["1495"] == 18790
    assert len(figures) == 8  # Riket included; it is not a municipality of ours
    assert offline == [
        f"{BASE}/v2/data/kpi/N01951/year/2024",
        f"{BASE}/v2/data/kpi/N01951/year/2024?page=2&per_page=3",
    ]
    names, regions = client.municipalities()
    assert names["1492"] == "Åmåls kommun" and "0014" not in names and "0000" not in names
    assert regions == {"14": "Västra Götalandsregionen"}


def test_v3_has_the_same_paths_and_relative_next_pages_are_followed(offline):
    client = kolada.KoladaClient(version="v3")
    assert client.population(2023) == {"1460": 8990, "1492": 11750}
    assert offline[-1] == f"{BASE}/v3/data/kpi/N01951/year/2023?page=2"


@pytest.mark.django_db
def test_a_year_is_added_and_the_shipped_2025_figures_are_not_overwritten(offline):
    shipped = dict(
        Population.objects.filter(year=2025).values_list("municipality__code", "population")
    )
    report = kolada.import_population(client=kolada.KoladaClient(), years=[2024, 2025])

    assert report.added == {2024: 7, 2025: 0}
    assert report.kept[2025] == 2
    assert report.unknown[2024] == ["0000"]
    bengtsfors = Population.objects.get(municipality__code="1460", year=2024)
    assert (bengtsfors.population, bengtsfors.source) == (8930, kolada.SOURCE)
    after = dict(
        Population.objects.filter(year=2025).values_list("municipality__code", "population")
    )
    assert after == shipped
    assert after["1460"] != 1  # the saved 2025 response says 1: it must not win

    again = kolada.import_population(client=kolada.KoladaClient(), years=[2024])
    assert again.added == {2024: 0} and again.kept[2024] == 7
    assert Population.objects.filter(year=2024).count() == 7


@pytest.mark.django_db
def test_a_missing_municipality_is_added_and_names_are_reported_not_changed(offline):
    Municipality.objects.filter(code="1439").delete()
    report = kolada.import_population(client=kolada.KoladaClient(), years=[2024])
    assert report.municipalities_created == ["1439"]
    created = Municipality.objects.get(code="1439")
    assert created.name == "Färgelanda" and created.county == County.objects.get(code="14")
    assert Population.objects.get(municipality=created, year=2024).population == 6301
    assert report.names_differing == [("1492", "Åmål", "Åmåls kommun")]
    assert Municipality.objects.get(code="1492").name == "Åmål"


@pytest.mark.django_db
def test_the_command_reports_what_it_did(offline):
    out = StringIO()
    call_command("import_kolada_population", "--year", "2024", stdout=out)
    text = out.getvalue()
    assert "2024: 7 nya, 0 fanns redan och behölls" in text
    assert "Namnet skiljer sig för 1492" in text
    assert Population.objects.filter(year=2024).count() == 7


@pytest.mark.django_db
def test_when_kolada_cannot_be_reached_nothing_changes(monkeypatch):
    def broken(url):
        if "year" in url:
            raise kolada.KoladaError(f"Kolada kunde inte nås ({url}): timeout")
        return saved(url)

    monkeypatch.setenv("KOLADA_URL", BASE)
    monkeypatch.setattr(kolada, "http_get_json", broken)
    Municipality.objects.filter(code="1439").delete()
    with pytest.raises(CommandError, match="Ingenting har ändrats"):
        call_command("import_kolada_population", "--year", "2024", stdout=StringIO())
    assert not Municipality.objects.filter(code="1439").exists()
    assert not Population.objects.filter(year=2024).exists()


def test_a_page_that_points_back_to_itself_stops_the_import():
    loop = {"values": [], "next_page": f"{BASE}/v2/municipality"}
    client = kolada.KoladaClient(url=BASE, fetch=lambda url: loop)
    with pytest.raises(kolada.KoladaError):
        client.municipalities()


def test_an_unreasonable_year_is_refused():
    with pytest.raises(CommandError, match="orimligt"):
        call_command("import_kolada_population", "--year", "1066", stdout=StringIO())


@pytest.mark.django_db
def test_an_import_tells_the_portfolios_their_figures_changed(offline):
    from municipalities.signals import reference_data_imported

    heard = []

    def receiver(**kwargs):
        heard.append(kwargs["sender"])

    reference_data_imported.connect(receiver)
    try:
        kolada.import_population(client=kolada.KoladaClient(), years=[2024])
    finally:
        reference_data_imported.disconnect(receiver)
    assert heard == [kolada.import_population]
