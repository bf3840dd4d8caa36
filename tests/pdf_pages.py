"""PDF pages as PNG images, for tests that look at a rendered document."""

from pathlib import Path

import pypdfium2

DPI = 60


def first_page_png(pdf: bytes | Path, target: Path) -> Path:
    """Render the first page of `pdf` to the PNG file `target` and return its path."""
    source = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    document = pypdfium2.PdfDocument(source)
    try:
        document[0].render(scale=DPI / 72).to_pil().save(target, format="PNG")
    finally:
        document.close()
    return target
