"""Attachments are told by their bytes, never by their name (issue 18, bad input)."""

import pytest

from portfolio.domain.file_types import FileRefused, sniff
from tests import attachment_files as files


@pytest.mark.parametrize(
    "content,name,content_type",
    [
        (files.PDF, "förstudie.pdf", "application/pdf"),
        (files.PNG, "bild.png", "image/png"),
        (files.JPEG, "foto.jpeg", "image/jpeg"),
        (files.DOCX, "avtal.docx", "application/vnd.openxmlformats-officedocument."),
        (
            files.xlsx(),
            "budget.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml",
        ),
        (files.ODT, "protokoll.odt", "application/vnd.oasis.opendocument.text"),
        (files.TEXT, "protokoll.txt", "text/plain; charset=utf-8"),
        (files.CSV, "belopp.csv", "text/csv; charset=utf-8"),
        # The name does not decide: a PDF named .docx is a PDF.
        (files.PDF, "avtal.docx", "application/pdf"),
    ],
)
def test_the_allowed_kinds_are_found_by_content(content, name, content_type):
    assert sniff(content, name).content_type.startswith(content_type)


@pytest.mark.parametrize(
    "content,name,says",
    [
        (files.EXE, "avtal.pdf", "program"),
        (files.SCRIPT, "protokoll.txt", "program"),
        (files.SVG, "logga.svg", "SVG"),
        (files.SVG, "logga.png", "SVG"),
        (files.HTML, "sida.pdf", "webbsida"),
        (files.DOCM, "avtal.docx", "makron"),
        (files.ODT_WITH_MACRO, "avtal.odt", "makron"),
        (files.PLAIN_ZIP, "avtal.zip", "Filtypen tas inte emot"),
        (files.LATIN1, "text.txt", "UTF-8"),
        (b"text\x00med\x00nollor", "text.txt", "Filtypen tas inte emot"),
        (b"", "tom.pdf", "tom"),
    ],
)
def test_refused_files_say_why_in_swedish(content, name, says):
    with pytest.raises(FileRefused) as refused:
        sniff(content, name)
    assert says in str(refused.value)


def test_a_file_over_the_limit_is_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(FileRefused, match="för stor"):
        sniff(files.PDF + b"0" * (1024 * 1024), "stor.pdf")
    assert sniff(files.PDF + b"0" * 1000, "liten.pdf").extension == "pdf"
