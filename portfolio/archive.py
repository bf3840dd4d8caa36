"""An archive of one portfolio that can be read without the application.

A .zip with a README.txt, `manifest.json` (what is inside, with SHA-256 sums), one JSON
file per kind of record (every row that belongs to the portfolio: initiatives, decisions,
status reports, costs, hours, history, ...) and the produced PDF reports. JSON, UTF-8,
ISO dates, amounts in whole kronor; each coded value has a `<field>_label` beside it
with its Swedish name, and people and municipalities referred to by id are listed in
`people.json` and `municipalities.json`.

Which records belong to the portfolio is found from the models' foreign keys, so a
model another area adds later is archived without a change here.
"""

import datetime as dt
import decimal
import hashlib
import json
import os
import tempfile
import uuid
import zipfile
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone, translation

from municipalities.models import Agreement, Municipality

from .models import Portfolio
from .selectors.attachments import agreement_attachments, portfolio_attachments, served_name

ARCHIVED_APPS = ("portfolio", "reports")
MAX_PATH_DEPTH = 4
FORMAT_VERSION = 1


@dataclass
class ArchiveResult:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    pdfs: int = 0
    attachments: int = 0


def _paths_to_portfolio(model) -> list[str]:
    """Every lookup (`initiative__portfolio`, ...) from `model` to Portfolio through
    foreign keys inside the archived apps, without going round in circles."""
    found = []
    queue = deque([(model, "", (model,))])
    while queue:
        current, prefix, seen = queue.popleft()
        if len(seen) > MAX_PATH_DEPTH:
            continue
        for f in current._meta.concrete_fields:
            if not f.is_relation or not (f.many_to_one or f.one_to_one):
                continue
            target = f.related_model
            lookup = f"{prefix}{f.name}"
            if target is Portfolio:
                found.append(lookup)
            elif target._meta.app_label in ARCHIVED_APPS and target not in seen:
                queue.append((target, f"{lookup}__", (*seen, target)))
    # Through the same first field, the shortest way is enough (fewer joins).
    shortest: dict[str, int] = {}
    for lookup in found:
        first = lookup.split("__")[0]
        shortest[first] = min(shortest.get(first, 99), lookup.count("__"))
    return [x for x in found if x.count("__") == shortest[x.split("__")[0]]]


def _archived_models():
    for app_label in ARCHIVED_APPS:
        if not apps.is_installed(app_label):
            continue
        for model in apps.get_app_config(app_label).get_models():
            if model is Portfolio:
                continue
            paths = _paths_to_portfolio(model)
            if paths:
                yield model, paths


def _json_value(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _rows(queryset, model) -> list[dict]:
    fields = list(model._meta.concrete_fields)
    names = [f.attname for f in fields]
    labels = {f.attname: dict(f.flatchoices) for f in fields if f.choices}
    rows = []
    for values in queryset.values(*names).order_by("pk"):
        row = {}
        for name in names:
            value = values[name]
            row[name] = _json_value(value)
            if name in labels and value not in (None, ""):
                row[f"{name}_label"] = str(labels[name].get(value, value))
        rows.append(row)
    return rows


def _referenced_ids(model, rows, target) -> set[int]:
    ids = set()
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is target:
            ids.update(row[f.attname] for row in rows if row[f.attname] is not None)
    return ids


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


@dataclass(frozen=True)
class IssuedDocument:
    """A document issued for the portfolio: its path in the archive, the checksum kept
    when it was issued ("" if none), and how to open it from the file storage."""

    name: str
    issued_sha256: str
    open: Callable[[], Any]


# The apps that issue documents for a portfolio add a source here when they are loaded
# (reports.apps: the issued PDFs), so the archive needs no import of them.
ISSUED_DOCUMENTS: list[Callable[[Portfolio], list[IssuedDocument]]] = []


def _issued(portfolio) -> list[IssuedDocument]:
    return [document for source in ISSUED_DOCUMENTS for document in source(portfolio)]


def _archive_name(attachment) -> str:
    """Under its id, so two files of the same name stay apart."""
    return f"bilagor/{attachment.pk}-{served_name(attachment).replace('/', '_')}"


def _attached(attachments) -> list[IssuedDocument]:
    """The attached files, each with the checksum kept when it was filed."""
    from django.core.files.storage import default_storage

    def opener(name):
        def open_stored():
            try:
                return default_storage.open(name, "rb")
            except FileNotFoundError:
                return None

        return open_stored

    return [
        IssuedDocument(
            name=_archive_name(attachment),
            issued_sha256=attachment.sha256,
            open=opener(attachment.file.name),
        )
        for attachment in attachments
    ]


def _agreement_files(agreements, rows, people_ids: set[int]) -> list:
    """Each agreement row gets its attachments (the rows of data/attachment.json cover
    only the portfolio's own records); returns the attachments to copy."""
    found = list(agreement_attachments(agreements))
    by_agreement: dict[int, list[dict]] = {}
    for attachment in found:
        people_ids.add(attachment.uploaded_by_id)
        by_agreement.setdefault(attachment.agreement_id, []).append(
            {
                "id": attachment.pk,
                "original_name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
                "uploaded_by_id": attachment.uploaded_by_id,
                "uploaded_at": _json_value(attachment.uploaded_at),
                "supersedes_id": attachment.supersedes_id,
                "file": _archive_name(attachment),
            }
        )
    for row in rows:
        row["attachments"] = by_agreement.get(row["id"], [])
    return found


def _copy_documents(archive: zipfile.ZipFile, documents) -> dict[str, str]:
    """Stream each document from the shared file storage into the archive; returns the
    SHA-256 of those the storage holds."""
    sums = {}
    for item in documents:
        document = item.open()
        if document is None:
            continue
        digest = hashlib.sha256()
        with document, archive.open(item.name, "w") as target:
            for chunk in document.chunks():
                digest.update(chunk)
                target.write(chunk)
        sums[item.name] = digest.hexdigest()
    return sums


README = """\
Arkiv av portföljen "{name}" ({prefix}) i Samverkan
{underline}

Skapat {created} (UTC). Formatversion {version}.

Arkivet går att läsa utan Samverkan: alla uppgifter är JSON-filer (UTF-8) som kan
öppnas i en textredigerare, en webbläsare eller Excel (Data > Hämta data > Från JSON).

Innehåll
- manifest.json: vad arkivet innehåller, antal poster per fil och SHA-256 för varje fil.
- portfolio.json: portföljen, dess konstellation och medlemskommuner.
- agreements.json: konstellationens avtal med parter (kommunkoder), giltighet och avgift.
- data/*.json: en fil per slags uppgift; varje fil är en lista med poster.
{files}
- people.json: personer som nämns i posterna (id, namn, titel, kommun).
- municipalities.json: kommuner som nämns i posterna (id, kommunkod, namn).
- pdf/: rapporter och beslutsunderlag som Samverkan har skapat, som PDF.
- bilagor/: filer som bifogats initiativen, besluten och avtalen, med bilagans id
  först i namnet (data/attachment.json beskriver initiativens och beslutens bilagor,
  agreements.json avtalens: vem, när, kontrollsumma, ny version av).

Så läses posterna
- Fältet "id" är postens nummer. Fält som slutar på "_id" pekar på en annan post:
  initiative_id på en post i data/initiative.json, recorded_by_id på en person i
  people.json, municipality_id på en kommun i municipalities.json, och så vidare.
- Kodade värden har en klartext bredvid sig: "stage": "forstudie" och
  "stage_label": "Förstudie".
- Belopp är hela kronor. Datum är ÅÅÅÅ-MM-DD; tidpunkter är UTC (slutar på Z).
- Beslut (data/gatedecision.json) ändras aldrig i Samverkan; en rättelse är ett nytt
  beslut som pekar på det rättade (corrects_id).
- Historiken (data/historyentry.json) visar vem som ändrade vad och när.

Archive of a Samverkan portfolio. Plain JSON (UTF-8) and PDF; see manifest.json.
"""


def write_portfolio_archive(portfolio: Portfolio, destination: Path) -> ArchiveResult:
    """Write the archive of `portfolio` to `destination` (a .zip), atomically."""
    destination = Path(destination)
    created = timezone.now()
    result = ArchiveResult(path=destination)
    entries: dict[str, bytes] = {}
    described = []
    people_ids: set[int] = set()
    municipality_ids: set[int] = set(portfolio.constellation.members.values_list("pk", flat=True))
    user_model = get_user_model()

    with translation.override("sv"):
        for model, paths in _archived_models():
            condition = Q()
            for lookup in paths:
                condition |= Q(**{lookup: portfolio})
            queryset = model._base_manager.filter(condition).distinct()
            rows = _rows(queryset, model)
            name = f"data/{model._meta.model_name}.json"
            entries[name] = _dump(rows)
            result.counts[name] = len(rows)
            described.append(f"  - {name}: {model._meta.verbose_name_plural}")
            people_ids |= _referenced_ids(model, rows, user_model)
            municipality_ids |= _referenced_ids(model, rows, Municipality)

        constellation = portfolio.constellation
        entries["portfolio.json"] = _dump(
            {
                **_rows(Portfolio.objects.filter(pk=portfolio.pk), Portfolio)[0],
                "constellation": {
                    "id": constellation.pk,
                    "name": constellation.name,
                    "members": sorted(constellation.members.values_list("code", flat=True)),
                },
            }
        )
        agreements = Agreement.objects.filter(constellation=constellation).prefetch_related(
            "parties"
        )
        agreement_rows = _rows(agreements, Agreement)
        parties = {a.pk: sorted(m.code for m in a.parties.all()) for a in agreements}
        for row in agreement_rows:
            row["parties"] = parties[row["id"]]
        agreement_files = _agreement_files(agreements, agreement_rows, people_ids)
        entries["agreements.json"] = _dump(agreement_rows)
        result.counts["agreements.json"] = len(agreement_rows)
        entries["people.json"] = _dump(
            [
                {
                    "id": person.pk,
                    "name": person.get_full_name() or person.get_username(),
                    "title": getattr(person, "title", ""),
                    "municipality_id": getattr(person, "municipality_id", None),
                }
                for person in user_model.objects.filter(pk__in=people_ids).order_by("pk")
            ]
        )
        entries["municipalities.json"] = _dump(
            list(
                Municipality.objects.filter(pk__in=municipality_ids)
                .order_by("code")
                .values("id", "code", "name")
            )
        )
        entries["README.txt"] = README.format(
            name=portfolio.name,
            prefix=portfolio.reference_prefix,
            underline="=" * (40 + len(portfolio.name)),
            created=created.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M"),
            version=FORMAT_VERSION,
            files="\n".join(described),
        ).encode("utf-8")

    issued = _issued(portfolio)
    attached = _attached([*portfolio_attachments(portfolio), *agreement_files])
    manifest = {
        "format_version": FORMAT_VERSION,
        "portfolio": {"id": portfolio.pk, "name": portfolio.name},
        "created_at": _json_value(created),
        "records": result.counts,
        "files": {name: hashlib.sha256(content).hexdigest() for name, content in entries.items()},
    }

    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=destination.parent, suffix=".zip.part")
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, content in entries.items():
                archive.writestr(name, content)
            documents = _copy_documents(archive, issued)
            result.pdfs = len(documents)
            manifest["files"].update(documents)
            # Each issued PDF beside the checksum stored when it was issued, so a reader
            # can see that what is archived is what was issued.
            manifest["issued_documents"] = {
                item.name: {
                    "issued_sha256": item.issued_sha256 or None,
                    "matches": (documents[item.name] == item.issued_sha256)
                    if item.issued_sha256
                    else None,
                }
                for item in issued
                if item.name in documents
            }
            # Each attachment beside the checksum kept when it was filed, as for the PDFs.
            stored = _copy_documents(archive, attached)
            result.attachments = len(stored)
            manifest["files"].update(stored)
            manifest["attachments"] = {
                item.name: {
                    "filed_sha256": item.issued_sha256,
                    "matches": stored[item.name] == item.issued_sha256,
                }
                for item in attached
                if item.name in stored
            }
            missing = [item.name for item in attached if item.name not in stored]
            if missing:
                manifest["attachments_missing"] = missing
            archive.writestr("manifest.json", _dump(manifest))
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return result


def archive_filename(portfolio: Portfolio, when: dt.date | None = None) -> str:
    """Chosen by the server: prefix and date, never anything typed by a user."""
    when = when or timezone.localdate()
    prefix = "".join(ch for ch in portfolio.reference_prefix.lower() if ch.isalnum()) or "p"
    return f"samverkan-arkiv-{prefix}-{portfolio.pk}-{when.isoformat()}.zip"
