"""Production settings: `check --deploy` passes and the headers a browser relies on are sent."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from samverkan.checks import security_checks

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-test-only-secret-that-is-long-and-random-enough-4f9c2e7a1b8d3c6e5f0a9b7c",
    "ALLOWED_HOSTS": "samverkan.example.se,testserver",
    # Settings only; nothing here connects to these services.
    "DATABASE_URL": "postgres://samverkan@db.invalid:5432/samverkan",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "SITE_URL": "https://samverkan.example.se",
    "EMAIL_HOST": "smtp.example.se",
    "EMAIL_PORT": "587",
    "DEFAULT_FROM_EMAIL": "samverkan@example.se",
    "MEDIA_ROOT": "/srv/samverkan/media",
}


def _run_in_production(code: list[str], **extra_env: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "SECURE_", "REDIS_", "CELERY_", "AXES_"))
    }
    env.update(PRODUCTION_ENV, **extra_env)
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, *code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = _run_in_production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_passes_behind_a_proxy_that_redirects_to_https():
    """README: SECURE_SSL_REDIRECT=false when TLS ends at the proxy and it redirects."""
    result = _run_in_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECURE_SSL_REDIRECT="false",
        AXES_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr


SILENCED_SCRIPT = """
import django, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
django.setup()
from django.conf import settings
print(json.dumps([settings.SILENCED_SYSTEM_CHECKS, settings.SECURE_PROXY_SSL_HEADER]))
"""


@pytest.mark.parametrize(
    ("redirect", "silenced"),
    [(None, []), ("true", []), ("false", ["security.W008"])],
)
def test_the_https_redirect_check_is_silenced_only_when_the_operator_turns_it_off(
    redirect, silenced
):
    extra = {"SECURE_SSL_REDIRECT": redirect} if redirect is not None else {}
    result = _run_in_production(["-c", SILENCED_SCRIPT], **extra)
    assert result.returncode == 0, result.stderr
    checks, proxy_header = json.loads(result.stdout.strip().splitlines()[-1])
    assert checks == silenced
    assert proxy_header == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_without_the_proxy_statement_a_missing_redirect_still_fails_the_deploy_check():
    """An empty value is no statement: the redirect stays on and nothing is silenced."""
    result = _run_in_production(
        ["-c", SILENCED_SCRIPT.replace("SILENCED_SYSTEM_CHECKS", "SECURE_SSL_REDIRECT")],
        SECURE_SSL_REDIRECT="",
    )
    assert json.loads(result.stdout.strip().splitlines()[-1])[0] is True


HEADERS_SCRIPT = """
import django, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
django.setup()
from django.test import Client, override_settings
# The hashed static manifest exists only after collectstatic; these headers do not depend on it.
storages = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
with override_settings(STORAGES=storages):
    client = Client()
    plain = client.get("/login/")
    secure = client.get("/login/", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="samverkan.example.se")
cookie = secure.cookies.get("csrftoken")
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "status": secure.status_code,
    "headers": dict(secure.headers),
    "csrf_cookie_secure": bool(cookie and cookie["secure"]),
}))
"""


@pytest.fixture(scope="module")
def production_login_page():
    result = _run_in_production(["-c", HEADERS_SCRIPT])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected_to_https(production_login_page):
    assert production_login_page["plain_status"] == 301
    assert production_login_page["plain_location"].startswith("https://")


def test_https_behind_the_proxy_is_served_with_the_security_headers(production_login_page):
    headers = production_login_page["headers"]
    assert production_login_page["status"] == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert production_login_page["csrf_cookie_secure"]


def test_production_enforces_a_strict_content_security_policy(production_login_page):
    policy = production_login_page["headers"]["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";")) if part
    )
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_local_use_reports_the_same_policy_without_enforcing_it(client):
    response = client.get("/login/")
    assert "Content-Security-Policy" not in response.headers
    assert "default-src 'self'" in response.headers["Content-Security-Policy-Report-Only"]


def test_deploy_check_flags_a_missing_content_security_policy(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "csp.middleware.CSPMiddleware"]
    assert "samverkan.W001" in {e.id for e in security_checks(None)}


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_deploy_check_flags_sessions_in_the_cache_and_unchecked_connections(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    settings.DATABASES = {
        "default": {
            **settings.DATABASES["default"],
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": False,
        }
    }
    ids = {e.id for e in security_checks(None)}
    assert {"samverkan.W003", "samverkan.W004"} <= ids


def test_deploy_check_flags_missing_lockout(settings):
    settings.AXES_ENABLED = False
    assert "samverkan.W002" in {e.id for e in security_checks(None)}


def test_every_silenced_check_has_a_written_reason_in_settings_and_readme():
    reasons = django_settings.SILENCED_CHECKS_WITH_REASONS
    assert set(django_settings.SILENCED_SYSTEM_CHECKS) == set(reasons)
    readme = (ROOT / "README.md").read_text()
    for check_id, reason in reasons.items():
        assert len(reason.strip()) > 20, check_id
        assert check_id in readme, f"{check_id} is silenced but not explained in the README"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


PDF_BASE = "reports/document_base.html"


def _pdf_only(path) -> bool:
    """Documents WeasyPrint turns into PDF never reach a browser, so no CSP applies."""
    return path.as_posix().endswith(PDF_BASE) or f'{{% extends "{PDF_BASE}" %}}' in path.read_text()


def _project_templates():
    for path in ROOT.rglob("*.html"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {".venv", "node_modules", "staticfiles", "htmlcov"}:
            continue
        if "templates" in parts and not _pdf_only(path):
            yield path


def test_the_pdf_exemption_covers_only_the_documents():
    exempt = sorted(p.name for p in ROOT.rglob("*.html") if "templates" in p.parts and _pdf_only(p))
    assert exempt == [
        "agenda.html",
        "board_report.html",
        "decision_memo.html",
        "document_base.html",
        "minutes.html",
        "municipality_report.html",
    ]


def test_templates_need_nothing_the_policy_forbids():
    """An inline script, event handler or style attribute would be blocked in production."""
    offenders = []
    for path in _project_templates():
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, STYLE_ATTRIBUTE):
            offenders += [
                f"{path.relative_to(ROOT)}: {m.group(0)[:60]}" for m in pattern.finditer(text)
            ]
    assert not offenders, "\n".join(offenders)


@pytest.mark.django_db
def test_uploads_above_the_limit_are_refused_before_they_are_read(client, settings):
    settings.SAMVERKAN_MAX_REQUEST_BYTES = 1024
    body = b"x" * 2048
    api = client.post("/api/v1/initiatives/", body, content_type="application/octet-stream")
    assert api.status_code == 413
    assert "för stora" in api.json()["detail"]
    page = client.post("/login/", body, content_type="application/octet-stream")
    assert page.status_code == 413


@pytest.mark.django_db
def test_downloads_above_the_limit_are_not_served(client, settings, tmp_path):
    from django.http import FileResponse

    from samverkan.security import RequestSizeLimitMiddleware

    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF" + b"0" * 4096)
    settings.SAMVERKAN_MAX_DOWNLOAD_BYTES = 1024
    middleware = RequestSizeLimitMiddleware(
        lambda request: FileResponse(big.open("rb"), as_attachment=True, filename="rapport.pdf")
    )
    request = client.get("/login/").wsgi_request
    assert middleware(request).status_code == 413
    settings.SAMVERKAN_MAX_DOWNLOAD_BYTES = 10_000
    allowed = middleware(request)
    assert allowed.status_code == 200
    allowed.close()


def test_upload_memory_limits_are_set():
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert django_settings.SAMVERKAN_MAX_REQUEST_BYTES <= 20 * 1024 * 1024
