"""What an uploaded attachment is, told by its bytes and never by its name.

Only kinds that no browser or office program runs by opening them are taken: PDF,
PNG, JPEG, Office Open XML documents without macros (.docx, .xlsx, .pptx),
OpenDocument files and plain UTF-8 text or CSV. Anything else, an executable renamed
.pdf, SVG, HTML or a script included, is refused with a Swedish message saying why
(FileRefused, shared with the Excel import). The kind found here is the content type
the file is served with, always as a download.
"""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from ..excel.refusal import FileRefused

__all__ = ["FileKind", "FileRefused", "max_bytes", "sniff"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# A zip's directory and the parts read here are small in any real document; a larger
# [Content_Types].xml, or thousands of parts, is not one.
MAX_ZIP_ENTRIES = 5000
MAX_MANIFEST_BYTES = 256 * 1024
# How far into a text file markup or a script is looked for.
TEXT_SCAN_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str  # the extension the file is served with, chosen by its content
    label: str


PDF = FileKind("application/pdf", "pdf", "PDF")
PNG = FileKind("image/png", "png", "PNG-bild")
JPEG = FileKind("image/jpeg", "jpg", "JPEG-bild")
TEXT = FileKind("text/plain; charset=utf-8", "txt", "Text")
CSV = FileKind("text/csv; charset=utf-8", "csv", "CSV")
OOXML = {
    "word/document.xml": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "Word-dokument",
    ),
    "xl/workbook.xml": FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "Excel-arbetsbok",
    ),
    "ppt/presentation.xml": FileKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        "PowerPoint-presentation",
    ),
}
ODF = {
    "application/vnd.oasis.opendocument.text": FileKind(
        "application/vnd.oasis.opendocument.text", "odt", "OpenDocument-text"
    ),
    "application/vnd.oasis.opendocument.spreadsheet": FileKind(
        "application/vnd.oasis.opendocument.spreadsheet", "ods", "OpenDocument-kalkylblad"
    ),
    "application/vnd.oasis.opendocument.presentation": FileKind(
        "application/vnd.oasis.opendocument.presentation", "odp", "OpenDocument-presentation"
    ),
}
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows .exe, .dll
    b"\x7fELF",  # Linux
    b"\xcf\xfa\xed\xfe",  # macOS (Mach-O)
    b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # macOS universal binary, Java class
    b"#!",  # a script for a shell or an interpreter
)
MACRO_DIRS = ("basic/", "scripts/")
MARKUP = (b"<svg", b"<html", b"<script", b"<!doctype", b"<?xml", b"<body", b"<iframe", b"<?php")


def max_bytes() -> int:
    return getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def _allowed_kinds() -> str:
    return _("PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument eller text (UTF-8, CSV)")


def _not_allowed() -> FileRefused:
    return FileRefused(
        _("Filtypen tas inte emot. Tillåtna filer är %(kinds)s.") % {"kinds": _allowed_kinds()}
    )


def _check_size(size: int) -> None:
    if size == 0:
        raise FileRefused(_("Filen är tom."))
    limit = max_bytes()
    if size > limit:
        raise FileRefused(
            _("Filen är för stor (%(size)s MB); största tillåtna storlek är %(limit)s MB.")
            % {"size": round(size / (1024 * 1024), 1), "limit": limit // (1024 * 1024)}
        )


def _zip_kind(content: bytes) -> FileKind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_allowed() from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _not_allowed()
    names = {info.filename: info for info in infos}
    lowered = {name.lower() for name in names}
    # Office keeps macros in vbaProject.bin (and ActiveX controls beside it); OpenDocument
    # keeps them under Basic/ or Scripts/.
    if any(
        name.endswith("vbaproject.bin") or "/activex/" in name or name.startswith(MACRO_DIRS)
        for name in lowered
    ):
        raise FileRefused(
            _(
                "Filen innehåller makron, som kan köra program. Spara den utan makron "
                "(.docx, .xlsx eller .pptx) och försök igen."
            )
        )
    try:
        if "mimetype" in names and names["mimetype"].file_size < 200:
            declared = archive.read("mimetype").decode("ascii", "replace").strip()
            if declared in ODF:
                return ODF[declared]
            raise _not_allowed()
        manifest = names.get("[Content_Types].xml")
        if manifest is None or manifest.file_size > MAX_MANIFEST_BYTES:
            raise _not_allowed()
        # Read as bytes, not parsed: a macro-enabled part names itself in its type.
        declared = archive.read(manifest).lower()
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
        raise _not_allowed() from None
    if b"macroenabled" in declared or b"vbaproject" in declared:
        raise FileRefused(
            _(
                "Filen innehåller makron, som kan köra program. Spara den utan makron "
                "(.docx, .xlsx eller .pptx) och försök igen."
            )
        )
    for main_part, kind in OOXML.items():
        if main_part in names:
            return kind
    raise _not_allowed()


def _text_kind(content: bytes, name: str) -> FileKind:
    if b"\x00" in content:
        raise _not_allowed()
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise FileRefused(
            _("Textfilen är inte sparad som UTF-8. Spara den som UTF-8 och försök igen.")
        ) from None
    head = text[:TEXT_SCAN_BYTES].lower().encode("utf-8")
    if any(mark in head for mark in MARKUP):
        raise FileRefused(
            _(
                "Filen är en webbsida, SVG-bild eller annan kod som kan köras i en "
                "webbläsare och tas inte emot. Spara den som PDF och försök igen."
            )
        )
    # Text is served as plain text or CSV, neither of which runs; the name only tells
    # which of the two the person meant.
    return CSV if name.lower().endswith(".csv") else TEXT


def sniff(content: bytes, name: str = "") -> FileKind:
    """The kind of `content`, or FileRefused with the reason in Swedish."""
    _check_size(len(content))
    head = content[:16]
    if content.lstrip(b"\xef\xbb\xbf")[:2] == b"#!" or any(
        head.startswith(magic) for magic in EXECUTABLE_MAGIC
    ):
        raise FileRefused(
            _(
                "Filen är ett program eller ett skript och tas inte emot, vad den än heter. "
                "Tillåtna filer är %(kinds)s."
            )
            % {"kinds": _allowed_kinds()}
        )
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    return _text_kind(content.removeprefix(b"\xef\xbb\xbf"), name)
