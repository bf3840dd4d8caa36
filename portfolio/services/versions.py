"""Optimistic versions kept under a row lock.

A write reads the row it changes FOR UPDATE, compares the version the editor saw and
bumps it in the same transaction, so two simultaneous corrections are serialised: the
second one either sees the first one's result (no version given) or is refused as
stale. History rows written under the lock therefore chain exactly.
"""

from django.utils.translation import gettext_lazy as _

from .errors import StaleVersionError


def lock_at_version(model, pk: int, version: int | None):
    """The stored row, locked until the transaction ends.

    `version` is what the editor saw; another one means someone saved since, and the
    write is refused (StaleVersionError, 409). None: the caller saw no version (an
    internal caller), the lock alone keeps the history exact.
    """
    current = model.objects.select_for_update().filter(pk=pk).first()
    if current is None:
        raise StaleVersionError(
            _("Någon annan har tagit bort posten sedan du hämtade den. Ladda om sidan.")
        )
    check_version(current, version)
    return current


def check_version(current, version: int | None) -> None:
    """`current` is a row the caller has already locked."""
    if version is not None and current.version != version:
        raise StaleVersionError()
