"""One entry point for the four kinds of import, used by the pages and the API."""

from django.utils.translation import gettext_lazy as _

from .book_import import portfolio_import
from .book_preview import KIND as PORTFOLIO
from .book_preview import can_import_portfolio, portfolio_preview
from .entries_import import COSTS, TIME, can_import_entries, entries_import, entries_preview
from .importer import KIND as INITIATIVES
from .importer import can_import_initiatives, initiatives_import, initiatives_preview
from .preview import ImportResult, Preview

KIND_LABELS = {
    INITIATIVES: _("Initiativ"),
    COSTS: _("Kostnader"),
    TIME: _("Tidsinsatser (timmar)"),
    PORTFOLIO: _("Hela portföljen med historik (initiativ, deltagande, beslut, status)"),
}


def allowed_kinds(user, portfolio) -> list[str]:
    kinds = []
    if can_import_initiatives(user, portfolio):
        kinds.append(INITIATIVES)
    if can_import_entries(user, portfolio):
        kinds += [COSTS, TIME]
    if can_import_portfolio(user, portfolio):
        kinds.append(PORTFOLIO)
    return kinds


def import_preview(*, actor, portfolio, kind: str, content: bytes, sheet_name=None) -> Preview:
    if kind == PORTFOLIO:
        return portfolio_preview(actor=actor, portfolio=portfolio, content=content)
    if kind == INITIATIVES:
        return initiatives_preview(
            actor=actor, portfolio=portfolio, content=content, sheet_name=sheet_name
        )
    return entries_preview(
        actor=actor, portfolio=portfolio, kind=kind, content=content, sheet_name=sheet_name
    )


def import_apply(*, actor, portfolio, kind: str, content: bytes, sheet_name=None) -> ImportResult:
    if kind == PORTFOLIO:
        return portfolio_import(actor=actor, portfolio=portfolio, content=content)
    if kind == INITIATIVES:
        return initiatives_import(
            actor=actor, portfolio=portfolio, content=content, sheet_name=sheet_name
        )
    return entries_import(
        actor=actor, portfolio=portfolio, kind=kind, content=content, sheet_name=sheet_name
    )
