"""The upload figure: how long a worker is held by a hostile workbook, beside the time
to preview a normal file of EXCEL_IMPORT_MAX_ROWS rows (the peer).

Both go to the API preview as a coordinator of the largest portfolio would send them;
every answer's status is checked (the normal file 200, each hostile one 400), so a
figure is never the time of an error page.
"""

import uuid

from accounts.models import Role, User
from portfolio.models import Portfolio

from . import upload_files
from .client import HTTPError, Session
from .stats import summary

PEER_ROWS = 2000
HOSTILE = {
    # The attacker's file: ~50 kB that unpacks to ~25 MB of shared strings.
    "shared_strings_25mb": lambda: upload_files.huge_shared_strings(2_000_000),
    # Just under the unpacked limit, so the strings are counted until the budget.
    "shared_strings_9mb": lambda: upload_files.huge_shared_strings(700_000),
    "empty_cells_2m": lambda: upload_files.many_empty_cells(2_000_000),
    "value_in_column_xfd": lambda: upload_files.far_cells(2000, text="x"),
    "zip_bomb_29mb": lambda: upload_files.zip_bomb(29),
}


def coordinator_of(portfolio_id: int) -> User | None:
    """The dataset's samordnare whose municipality is in the portfolio's constellation."""
    portfolio = Portfolio.objects.get(pk=portfolio_id)
    return (
        User.objects.filter(
            role_assignments__role=Role.COORDINATOR,
            municipality__constellations=portfolio.constellation_id,
        )
        .order_by("pk")
        .first()
    )


def _multipart(content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="lista.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _timed(session: Session, path: str, content: bytes, expected: int, repeat: int) -> dict:
    body, content_type = _multipart(content)
    headers = {
        "Content-Type": content_type,
        "X-CSRFToken": session.cookies.get("csrftoken", ""),
        "Referer": f"http://{session.host}:{session.port}/",
    }
    timings = []
    for _ in range(repeat):
        status, _h, answer, ms = session.request("POST", path, body=body, headers=headers)
        if status != expected:
            raise HTTPError(f"POST {path} gav {status}, väntat {expected}: {answer[:300]!r}")
        timings.append(ms)
    return {"bytes": len(content), "http_status": expected, **summary(timings)}


def measure_uploads(session: Session, portfolio_id: int, repeat: int = 5) -> dict:
    """`session` is logged in as a coordinator of the portfolio."""
    path = f"/api/v1/portfolios/{portfolio_id}/excel-import/initiatives/preview/"
    session.get("/")  # a csrftoken cookie for the POSTs
    peer = _timed(session, path, upload_files.initiatives_file(PEER_ROWS), 200, repeat)
    hostile = {name: _timed(session, path, make(), 400, repeat) for name, make in HOSTILE.items()}
    worst = max(hostile.values(), key=lambda figure: figure["max_ms"])
    return {
        "status": "ok",
        "path": path,
        "peer": {"what": f"preview of {PEER_ROWS} new initiatives", **peer},
        "hostile": hostile,
        "worst_refusal_max_ms": worst["max_ms"],
        "worst_refusal_vs_peer": round(worst["median_ms"] / peer["median_ms"], 2),
    }
