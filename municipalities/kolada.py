"""Municipalities and yearly population (folkmängd 31 december, KPI N01951) from Kolada.

Kolada answers `{"count": n, "values": [...], "next_page": "<url>"}`; a page without
`next_page` is the last. `/v2/municipality` lists municipalities (type "K") and regions
(type "L"); `/v2/data/kpi/N01951/year/<year>` gives one value per municipality, split by
gender ("T" is the total). v3 has the same paths. The base URL comes from KOLADA_URL.

Importing adds what is missing and never overwrites: a year already stored for a
municipality (such as the shipped 2025 figures) keeps its value.
"""

import json
import os
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from .models import County, Municipality, Population
from .signals import reference_data_imported

DEFAULT_URL = "https://api.kolada.se"
POPULATION_KPI = "N01951"
SOURCE = "Kolada N01951 (SCB, folkmängd 31 december)"
VERSIONS = ("v2", "v3")
MAX_PAGES = 200
TIMEOUT_SECONDS = 30


class KoladaError(Exception):
    """Kolada could not be reached or answered something we cannot read."""


def base_url() -> str:
    return (os.environ.get("KOLADA_URL") or DEFAULT_URL).rstrip("/")


def http_get_json(url: str) -> dict:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise KoladaError(f"Ogiltig adress: {url}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, headers={"Accept": "application/json", "User-Agent": "samverkan"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return json.load(response)
    except (OSError, ValueError) as exc:
        raise KoladaError(f"Kolada kunde inte nås ({url}): {exc}") from exc


class KoladaClient:
    def __init__(
        self,
        *,
        url: str | None = None,
        version: str = "v2",
        fetch: Callable[[str], dict] | None = None,
    ):
        if version not in VERSIONS:
            raise KoladaError(f"Okänd API-version {version}; välj {' eller '.join(VERSIONS)}.")
        self.root = f"{(url or base_url()).rstrip('/')}/{version}"
        # Looked up at call time so tests can replace the transport.
        self.fetch = fetch or (lambda address: http_get_json(address))

    def values(self, path: str) -> Iterator[dict]:
        """Every value of every page, following next_page."""
        address, seen = f"{self.root}{path}", set()
        while address:
            if address in seen or len(seen) >= MAX_PAGES:
                raise KoladaError(f"Kolada pekar tillbaka på en sida som redan lästs: {address}")
            seen.add(address)
            page = self.fetch(address)
            if not isinstance(page, dict) or not isinstance(page.get("values"), list):
                raise KoladaError(f"Oväntat svar från Kolada för {address}.")
            yield from page["values"]
            following = page.get("next_page") or None
            address = urllib.parse.urljoin(address, following) if following else None

    def municipalities(self) -> tuple[dict[str, str], dict[str, str]]:
        """({kommunkod: name}, {länskod: region name}) from /municipality."""
        municipalities, regions = {}, {}
        for value in self.values("/municipality"):
            code, title, kind = str(value.get("id", "")), value.get("title", ""), value.get("type")
            if kind == "K" and len(code) == 4 and code.isdigit():
                municipalities[code] = title
            elif kind == "L" and len(code) == 4 and code.isdigit() and code != "0000":
                regions[code[-2:]] = title
        return municipalities, regions

    def population(self, year: int) -> dict[str, int]:
        """{kommunkod: folkmängd} for the year; the total over genders ("T")."""
        result = {}
        for value in self.values(f"/data/kpi/{POPULATION_KPI}/year/{int(year)}"):
            code = str(value.get("municipality", ""))
            if value.get("kpi", POPULATION_KPI) != POPULATION_KPI:
                continue
            if int(value.get("period", year)) != int(year):
                continue
            for figure in value.get("values", []):
                if figure.get("gender") == "T" and figure.get("value") is not None:
                    result[code] = int(round(float(figure["value"])))
        return result


@dataclass
class ImportReport:
    municipalities_created: list[str] = field(default_factory=list)
    names_differing: list[tuple[str, str, str]] = field(default_factory=list)
    added: dict[int, int] = field(default_factory=dict)  # year -> rows added
    kept: dict[int, int] = field(default_factory=dict)  # year -> rows already there
    unknown: dict[int, list[str]] = field(default_factory=dict)  # codes not in our list
    missing: dict[int, list[str]] = field(default_factory=dict)  # ours without a figure


def _sync_municipalities(names, regions, report: ImportReport) -> None:
    existing = {m.code: m for m in Municipality.objects.all()}
    counties = {c.code: c for c in County.objects.all()}
    for code, name in sorted(names.items()):
        municipality = existing.get(code)
        if municipality is not None:
            if municipality.name != name:
                # Our names follow SCB; Kolada's may differ in form. Report, never rename.
                report.names_differing.append((code, municipality.name, name))
            continue
        county_code = code[:2]
        county = counties.get(county_code)
        if county is None:
            county = County.objects.create(
                code=county_code, name=regions.get(county_code, f"Län {county_code}")
            )
            counties[county_code] = county
        municipality = Municipality(code=code, name=name, county=county)
        municipality.full_clean()
        municipality.save()
        report.municipalities_created.append(code)


def _add_year(year: int, figures: dict[str, int], report: ImportReport) -> None:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    stored = set(Population.objects.filter(year=year).values_list("municipality__code", flat=True))
    new = [
        Population(municipality=municipalities[code], year=year, population=value, source=SOURCE)
        for code, value in sorted(figures.items())
        if code in municipalities and code not in stored and value > 0
    ]
    Population.objects.bulk_create(new)
    report.added[year] = len(new)
    report.kept[year] = len(stored & set(figures))
    report.unknown[year] = sorted(set(figures) - set(municipalities))
    report.missing[year] = sorted(set(municipalities) - set(figures) - stored)


def import_population(*, client: KoladaClient, years, municipalities: bool = True) -> ImportReport:
    """Add municipalities and population years from Kolada; all of it or none."""
    # Everything is fetched before anything is written: a failing request changes nothing
    # and no transaction waits on the network.
    listing = client.municipalities() if municipalities else None
    figures = {year: client.population(year) for year in sorted({int(y) for y in years})}
    report = ImportReport()
    with transaction.atomic():
        if listing is not None:
            _sync_municipalities(*listing, report)
        for year, values in figures.items():
            _add_year(year, values, report)
        reference_data_imported.send(sender=import_population)
    return report
