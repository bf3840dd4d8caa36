"""Carrying an uploaded file from the preview to the confirmation.

The file travels back with the confirmation as a signed token bound to the user, the
portfolio and the kind of import, so nothing is stored between the two steps and a
token cannot be replayed by someone else or against another portfolio. The confirm
step reads and checks the file again from scratch.
"""

import base64

from django.core import signing
from django.utils.translation import gettext as _

from .reader import FileRefused

SALT = "portfolio.excel.import"
MAX_AGE_SECONDS = 3600


def pack(
    content: bytes, *, user_id: int, portfolio_id: int, kind: str, sheet: str = "", rows: int = 0
) -> str:
    return signing.dumps(
        {
            "u": user_id,
            "p": portfolio_id,
            "k": kind,
            "s": sheet,
            "n": rows,
            "c": base64.b64encode(content).decode("ascii"),
        },
        salt=SALT,
        compress=True,
    )


def unpack(token: str, *, user_id: int, portfolio_id: int, kind: str) -> tuple[bytes, str, int]:
    """(content, sheet name, rows in the preview); FileRefused when the token is old,
    altered or not yours."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise FileRefused(_("Förhandsgranskningen är för gammal. Ladda upp filen igen.")) from None
    except signing.BadSignature:
        raise FileRefused(
            _("Förhandsgranskningen kunde inte läsas. Ladda upp filen igen.")
        ) from None
    if (data.get("u"), data.get("p"), data.get("k")) != (user_id, portfolio_id, kind):
        raise FileRefused(_("Förhandsgranskningen hör inte till den här importen."))
    return base64.b64decode(data["c"]), data.get("s", ""), int(data.get("n", 0))
