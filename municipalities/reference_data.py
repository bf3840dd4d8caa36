"""The shipped reference data: SCB's municipalities and counties with population.

Källa: SCB, folkmängd 31 december 2025 (CC0), distributed through Kolada N01951.
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
POPULATION_SOURCE = "SCB, folkmängd 31 december 2025"


def read_counties() -> list[dict[str, str]]:
    with open(DATA_DIR / "lan_2025.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_municipalities() -> list[dict[str, str]]:
    with open(DATA_DIR / "kommuner_2025.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_reference_data(County, Municipality, Population) -> None:
    """Create counties, municipalities and their population; never overwrite a year."""
    counties = {}
    for row in read_counties():
        counties[row["lanskod"]], _ = County.objects.get_or_create(
            code=row["lanskod"], defaults={"name": row["lan"]}
        )
    for row in read_municipalities():
        municipality, _ = Municipality.objects.get_or_create(
            code=row["kommunkod"],
            defaults={"name": row["namn"], "county": counties[row["lanskod"]]},
        )
        Population.objects.get_or_create(
            municipality=municipality,
            year=int(row["year"]),
            defaults={"population": int(row["folkmangd"]), "source": POPULATION_SOURCE},
        )
