"""What production needs before it may start.

In production (DJANGO_ENV=production) the settings refuse to load while anything here is
missing or unsafe, and name every problem at once, so an operator fixes the whole
configuration in one round instead of finding one gap per restart. The embedded local
default (no DJANGO_ENV) asks for none of it.
"""

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from samverkan import file_storage

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}  # noqa: S104 - names, not binds
# Backends that do not deliver mail: right for a developer, silent loss in production.
NON_DELIVERING_MAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
MIN_SECRET_LENGTH = 50
PORT_MISSING = "EMAIL_PORT is not set: name the mail server's port (587, 465 or 25)."


def problems(env: Mapping[str, str], *, code_dir: Path) -> list[str]:
    """Every missing or unsafe production setting, each as one line an operator acts on."""
    found = half_configured(env)
    found += _secret(env.get("SECRET_KEY", ""))
    found += _database(env.get("DATABASE_URL", ""))
    found += _broker(env.get("CELERY_BROKER_URL") or env.get("REDIS_URL", ""))
    found += _site(env.get("SITE_URL", ""))
    found += _hosts(env.get("ALLOWED_HOSTS", ""))
    found += _mail(env)
    found += _storage(env, code_dir)
    if env.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
        found.append("DEBUG must be off in production: it shows code and settings to visitors.")
    return found


def half_configured(env: Mapping[str, str]) -> list[str]:
    """Settings that work only together, given in part: refused in every mode, since the
    process would start and fail later, at the first mail or the first stored report."""
    return _mail_parts(env) + _storage_parts(env)


def _on(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _mail_parts(env: Mapping[str, str]) -> list[str]:
    found = []
    if env.get("EMAIL_HOST") and not env.get("EMAIL_PORT"):
        found.append(PORT_MISSING)
    if bool(env.get("EMAIL_HOST_USER")) != bool(env.get("EMAIL_HOST_PASSWORD")):
        found.append("EMAIL_HOST_USER and EMAIL_HOST_PASSWORD are set only together.")
    if _on(env, "EMAIL_USE_TLS") and _on(env, "EMAIL_USE_SSL"):
        found.append(
            "EMAIL_USE_TLS and EMAIL_USE_SSL are both on: set one (TLS: STARTTLS, usually "
            "port 587; SSL: TLS from the start, usually port 465)."
        )
    return found


def _storage_parts(env: Mapping[str, str]) -> list[str]:
    backend = file_storage.backend_name(env)
    if backend == file_storage.FILESYSTEM:
        return []
    if backend != file_storage.S3:
        return [f"STORAGE_BACKEND must be {' or '.join(file_storage.BACKENDS)}, not {backend!r}."]
    return [
        f"{name} is not set: STORAGE_BACKEND=s3 needs the bucket and both access keys."
        for name in file_storage.S3_REQUIRED
        if not env.get(name)
    ]


def _secret(value: str) -> list[str]:
    if not value:
        return ["SECRET_KEY is not set."]
    if len(value) < MIN_SECRET_LENGTH or len(set(value)) < 5:
        return [
            f"SECRET_KEY is too short or too simple: use at least {MIN_SECRET_LENGTH} "
            "random characters."
        ]
    return []


def _database(url: str) -> list[str]:
    if not url:
        return ["DATABASE_URL is not set: production runs on PostgreSQL."]
    if not url.startswith(("postgres://", "postgresql://")):
        return ["DATABASE_URL must point at PostgreSQL (postgres://…)."]
    return []


def _broker(url: str) -> list[str]:
    if not url:
        return [
            "REDIS_URL (or CELERY_BROKER_URL) is not set: background jobs would run inside "
            "the web process and the cache would not be shared between machines."
        ]
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return ["REDIS_URL must point at Redis (redis:// or rediss://)."]
    return []


def _site(url: str) -> list[str]:
    if not url:
        return ["SITE_URL is not set: links in e-mails would point nowhere."]
    parts = urlsplit(url)
    if parts.scheme != "https" or (parts.hostname or "") in LOCAL_HOSTS:
        return ["SITE_URL must be the public https:// address that e-mail links use."]
    return []


def _hosts(value: str) -> list[str]:
    hosts = [host.strip() for host in value.split(",") if host.strip()]
    if not hosts:
        return ["ALLOWED_HOSTS is not set: name the host names the site answers to."]
    if "*" in hosts:
        return ["ALLOWED_HOSTS must name the hosts, not '*'."]
    return []


def _mail(env: Mapping[str, str]) -> list[str]:
    backend = env.get("EMAIL_BACKEND", "") or SMTP_BACKEND
    if backend in NON_DELIVERING_MAIL:
        return [f"EMAIL_BACKEND {backend} does not deliver mail; use the SMTP backend."]
    if backend != SMTP_BACKEND:
        return []
    found = []
    if not env.get("EMAIL_HOST"):
        found.append("EMAIL_HOST is not set: reports and password links could not be sent.")
        if not env.get("EMAIL_PORT"):
            found.append(PORT_MISSING)  # with a host, half_configured says it
    if not env.get("DEFAULT_FROM_EMAIL"):
        found.append("DEFAULT_FROM_EMAIL is not set: name the sender of the product's mail.")
    return found


def _storage(env: Mapping[str, str], code_dir: Path) -> list[str]:
    backend = file_storage.backend_name(env)
    s3_settings = [n for n in (*file_storage.S3_REQUIRED, *file_storage.S3_OPTIONAL) if env.get(n)]
    if backend == file_storage.FILESYSTEM:
        if s3_settings:
            return [
                f"{', '.join(s3_settings)} set, but STORAGE_BACKEND is not s3: files would "
                "be kept on this machine's disk. Set STORAGE_BACKEND=s3 or remove them."
            ]
        return _media(env.get("MEDIA_ROOT", ""), code_dir)
    # Otherwise half_configured names a missing bucket or key, or an unknown backend.
    endpoint = env.get("AWS_S3_ENDPOINT_URL", "")
    if backend == file_storage.S3 and endpoint and urlsplit(endpoint).scheme != "https":
        return [
            "AWS_S3_ENDPOINT_URL must be https://: keys and documents would cross the "
            "network unencrypted."
        ]
    return []


def _media(value: str, code_dir: Path) -> list[str]:
    if not value:
        return [
            "MEDIA_ROOT is not set: issued reports and exports need a storage that every "
            "web and worker machine reaches."
        ]
    path = Path(value)
    if not path.is_absolute():
        return ["MEDIA_ROOT must be an absolute path."]
    if path.resolve().is_relative_to(code_dir.resolve()):
        return ["MEDIA_ROOT must lie outside the code directory, which a deploy replaces."]
    return []
