"""English as the second language: complete catalogs, a committed .mo that matches its
.po, pages in English after the language switch, and API messages by Accept-Language."""

import ast
import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, User
from tests import factories

CATALOGS = sorted(
    path
    for path in settings.BASE_DIR.glob("**/locale/en/LC_MESSAGES/django.po")
    if not {".venv", "node_modules", "staticfiles"}.intersection(path.parts)
)


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def read_po(path: Path) -> list[dict]:
    """The live entries of a .po file: msgid, msgid_plural, msgstr (dict by index), flags."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            field = ("msgctxt", None)
            entry["msgctxt"] = _unquote(line[len("msgctxt ") :])
        elif line.startswith("msgid_plural "):
            field = ("msgid_plural", None)
            entry["msgid_plural"] = _unquote(line[len("msgid_plural ") :])
        elif line.startswith("msgid "):
            field = ("msgid", None)
            entry["msgid"] = _unquote(line[len("msgid ") :])
        elif line.startswith("msgstr["):
            index = int(line[len("msgstr[") : line.index("]")])
            field = ("msgstr", index)
            entry["msgstr"][index] = _unquote(line[line.index("]") + 1 :].strip())
        elif line.startswith("msgstr "):
            field = ("msgstr", 0)
            entry["msgstr"][0] = _unquote(line[len("msgstr ") :])
        elif line.startswith('"'):
            name, index = field
            if name == "msgstr":
                entry["msgstr"][index] += _unquote(line)
            else:
                entry[name] += _unquote(line)
    return [e for e in entries if e["msgid"]]


def expected_catalog(entries: list[dict]) -> dict:
    """What gettext should find in the compiled catalog for these entries."""
    catalog = {}
    for entry in entries:
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgid_plural" in entry:
            for index, text in entry["msgstr"].items():
                catalog[(key, index)] = text
        else:
            catalog[key] = entry["msgstr"][0]
    return catalog


def compiled_catalog(mo_path: Path) -> dict:
    with mo_path.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    return {key: text for key, text in translations._catalog.items() if key != ""}


def test_there_is_an_english_catalog_for_the_project():
    assert settings.BASE_DIR / "locale/en/LC_MESSAGES/django.po" in CATALOGS


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_entry_is_translated_and_none_is_fuzzy(po_path):
    entries = read_po(po_path)
    assert len(entries) > 10
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [
        e["msgid"]
        for e in entries
        if not e["msgstr"] or any(not text.strip() for text in e["msgstr"].values())
    ]
    plural_gaps = [
        e["msgid"] for e in entries if "msgid_plural" in e and sorted(e["msgstr"]) != [0, 1]
    ]
    assert fuzzy == []
    assert untranslated == []
    assert plural_gaps == []


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_placeholders_survive_translation(po_path):
    placeholder = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
    wrong = []
    for entry in read_po(po_path):
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for index, text in entry["msgstr"].items():
            source = sources[min(index, 1)]
            if sorted(placeholder.findall(text)) != sorted(placeholder.findall(source)):
                wrong.append((source, text))
    assert wrong == []


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_committed_mo_matches_its_po(po_path, tmp_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run manage.py compilemessages -l en"
    expected = expected_catalog(read_po(po_path))
    assert compiled_catalog(mo_path) == expected
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        fresh = tmp_path / "django.mo"
        subprocess.run([msgfmt, "--check", "-o", str(fresh), str(po_path)], check=True)  # noqa: S603
        assert compiled_catalog(fresh) == compiled_catalog(mo_path)


# Pages: the language switch posts to /i18n/setlang/ and every later page is English.


def choose_english(client, next_url="/"):
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    return response


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def director_with_initiative(client):
    director = factories.user("1460", Role.DIRECTOR)
    portfolio = factories.portfolio()
    program = factories.program(portfolio)
    initiative = factories.initiative(program_obj=program)
    client.force_login(director)
    return portfolio, initiative


@pytest.mark.django_db
def test_dashboard_in_english_after_the_switch(client, director_with_initiative):
    portfolio, _ = director_with_initiative
    url = reverse("portfolio:dashboard", args=[portfolio.pk])
    swedish = page(client, url)
    assert "Initiativ per steg" in swedish
    choose_english(client, url)
    english = page(client, url)
    assert '<html lang="en">' in english
    for text in ("Initiatives per stage", "Decisions for the next meeting", "Log out"):
        assert text in english, text
    for text in ("Initiativ per steg", "Beslut inför nästa möte", "Logga ut"):
        assert text not in english, text


@pytest.mark.django_db
def test_initiative_page_in_english_after_the_switch(client, director_with_initiative):
    _, initiative = director_with_initiative
    url = reverse("portfolio:initiative-detail", args=[initiative.pk])
    choose_english(client, url)
    english = page(client, url)
    for text in ("Status reports", "History", "Idea", "Benefits and effect goals"):
        assert text in english, text
    for text in ("Statusrapporter", "Historik", "Nyttor och effektmål"):
        assert text not in english, text


@pytest.mark.django_db
def test_login_page_in_english_after_the_switch(client):
    url = reverse("login")
    assert "Lösenord" in page(client, url)
    choose_english(client, url)
    english = page(client, url)
    for text in ("Log in", "Username", "Password", "Skip to content"):
        assert text in english, text
    for text in ("Logga in", "Användarnamn", "Lösenord", "Hoppa till innehållet"):
        assert text not in english, text


@pytest.mark.django_db
def test_api_answers_in_english_by_accept_language(client, director_with_initiative):
    _, initiative = director_with_initiative
    url = f"/api/v1/initiatives/{initiative.pk}/gates/G9/"
    swedish = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").json()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert swedish["detail"] == "Okänd grind. Ange G0, G1, G2 eller G3."
    assert english["detail"] == "Unknown gate. Give G0, G1, G2 or G3."


@pytest.mark.django_db
def test_api_field_errors_in_english(client, director_with_initiative):
    response = client.get("/api/v1/initiatives/", {"page_size": "0"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The data is not valid."
    assert body["errors"]["page_size"] == ["Enter a whole number from 1 to 500."]


@pytest.mark.django_db
def test_gate_check_reasons_follow_the_active_language():
    from portfolio.domain.gate_checks import SYSTEM_CHECKS

    initiative = factories.initiative(prestudy_conclusion="")
    check = SYSTEM_CHECKS["prestudy_conclusion"]
    with translation.override("en"):
        assert check(initiative) == (False, "The pre-study conclusion has not been filled in.")
    with translation.override("sv"):
        assert check(initiative) == (False, "Förstudiens slutsats är inte ifylld.")


@pytest.mark.django_db
def test_economy_excel_headings_in_english_after_the_switch(client, director_with_initiative):
    portfolio, _ = director_with_initiative
    url = reverse("portfolio:economy-portfolio-xlsx", args=[portfolio.pk])
    choose_english(client, url)
    response = client.get(url)
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    headings = {
        cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    }
    assert {"Municipality code", "Share of the costs", "Net"} <= headings
    assert not {"Kommunkod", "Andel av kostnaderna", "Netto"} & headings


@pytest.mark.django_db
def test_the_persons_language_follows_them_to_another_browser(director_with_initiative):
    """The choice is kept on the profile, not only in one browser's cookie (WCAG 3.1.1:
    the page says which language it is in)."""
    portfolio, _ = director_with_initiative
    from django.test import Client

    first = Client(HTTP_ACCEPT_LANGUAGE="sv")
    director = User.objects.get(municipality__code="1460")
    first.force_login(director)
    choose_english(first)
    director.refresh_from_db()
    assert director.language == "en"
    # Another browser, which asks for Swedish and has no language cookie.
    other = Client(HTTP_ACCEPT_LANGUAGE="sv")
    other.force_login(director)
    html = page(other, reverse("portfolio:dashboard", args=[portfolio.pk]))
    assert '<html lang="en"' in html
    # Signed out, the browser's own language applies again.
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="sv")
    assert '<html lang="sv"' in page(anonymous, reverse("login"))
    # Switching back is remembered the same way.
    other.post(reverse("set_language"), {"language": "sv", "next": "/"})
    director.refresh_from_db()
    assert director.language == "sv"
    # A language the product does not offer is not stored.
    other.post(reverse("set_language"), {"language": "xx", "next": "/"})
    director.refresh_from_db()
    assert director.language == "sv"
