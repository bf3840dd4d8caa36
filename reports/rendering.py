"""HTML templates to tagged PDF/A with WeasyPrint, fetching nothing from outside.

Issued documents go to e-archives, so they are PDF/A-2u (ISO 19005-2, level U: every
character maps to Unicode; the sRGB ICC profile is the output intent, fonts are
embedded) and still tagged (structure tree, MarkInfo, language) for screen readers.
PDF/A-2 rather than -3: archives accept it widely, and no document carries attachments.

The documents reference their own assets as `samverkan-static:<path>`; the fetcher
serves those from the product's static files and refuses every other URL (file://,
http(s) to any host, other schemes), so hostile text that slipped through escaping
still could not read a local file or reach the network. Inline `data:` URLs are
harmless and allowed.

Every document passes through `render_pdf`, which removes bidirectional control
characters from the rendered HTML, so user text cannot reverse what a reader sees.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from portfolio.periods import Period
from samverkan.inert_text import without_bidi_controls

from . import figures, selectors, selectors_board
from .pdf_engine import HTML, URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)
# WeasyPrint narrates every layout step at INFO; the job row already tells that story.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STATIC_SCHEME = "samverkan-static:"
# WeasyPrint's PDF/A-2u variant does not tag by itself; pdf_tags adds the structure tree.
PDF_OPTIONS = {"pdf_variant": "pdf/a-2u", "pdf_tags": True, "uncompressed_pdf": False}


class RenderError(Exception):
    """The document could not be rendered; the message is safe to show."""


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Serves `samverkan-static:` from the static files and data: URLs; refuses the rest."""

    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        if url.startswith(STATIC_SCHEME):
            return self._static(url)
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        self.refused.append(url)
        logger.warning("Report rendering refused to fetch %s", url[:200])
        raise RefusedURL(f"Refused: {url[:200]}")

    def _static(self, url: str) -> URLFetcherResponse:
        relative = url.removeprefix(STATIC_SCHEME).lstrip("/")
        if ".." in Path(relative).parts:
            self.refused.append(url)
            raise RefusedURL(f"Refused: {url[:200]}")
        found = finders.find(relative)
        if not found and settings.STATIC_ROOT:
            candidate = Path(settings.STATIC_ROOT, relative)
            found = str(candidate) if candidate.is_file() else None
        if not found:
            self.refused.append(url)
            raise RefusedURL(f"Not a static file: {relative}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, Path(found).read_bytes(), headers={"Content-Type": content_type}
        )


@dataclass(frozen=True)
class Rendered:
    """A document's bytes and the figures (JSON) it was printed from."""

    content: bytes
    figures: dict | None


def render_pdf(
    template_name: str, context: dict, fetcher: StaticOnlyFetcher | None = None
) -> bytes:
    """Render a document template to a tagged PDF/A-2u in Swedish."""
    fetcher = fetcher or StaticOnlyFetcher()
    with translation.override("sv"):
        html = without_bidi_controls(render_to_string(template_name, context))
    document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher)
    return document.write_pdf(**PDF_OPTIONS)


def _issue(template_name: str, context: dict, fetcher) -> Rendered:
    content = render_pdf(template_name, context, fetcher)
    with translation.override("sv"):
        return Rendered(content, figures.snapshot(context))


def board_report(portfolio, period: Period, fetcher=None) -> Rendered:
    with translation.override("sv"):
        context = selectors_board.board_report_data(portfolio, period)
    return _issue("reports/board_report.html", context, fetcher)


MEMO_BODY = "reports/_decision_memo_body.html"


def decision_memo(initiative, gate: str, decision=None, fetcher=None) -> Rendered:
    with translation.override("sv"):
        context = selectors.decision_memo_data(initiative, gate, decision)
    return _issue("reports/decision_memo.html", context, fetcher)


def decision_memo_html(initiative, gate: str) -> str:
    """The memo's own pages as HTML, for a document that carries memos (the kallelse):
    the same data and template as the issued memo, so a memo reads the same in both."""
    with translation.override("sv"):
        context = selectors.decision_memo_data(initiative, gate, None)
        return without_bidi_controls(render_to_string(MEMO_BODY, context))


def municipality_report(municipality, period: Period, user=None, fetcher=None) -> Rendered:
    with translation.override("sv"):
        context = selectors.municipality_report_data(municipality, period, user)
    return _issue("reports/municipality_report.html", context, fetcher)


# The bytes alone, for callers that keep no record (previews, tests, the benchmark).


def render_board_report(portfolio, period: Period, fetcher=None) -> bytes:
    return board_report(portfolio, period, fetcher).content


def render_decision_memo(initiative, gate: str, decision=None, fetcher=None) -> bytes:
    return decision_memo(initiative, gate, decision, fetcher).content


def render_municipality_report(municipality, period: Period, user=None, fetcher=None) -> bytes:
    return municipality_report(municipality, period, user, fetcher).content
