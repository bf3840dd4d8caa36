"""Settings read from the environment.

Without any environment the application runs as the embedded local default: SQLite,
background jobs in process, DEBUG on. Production sets DJANGO_ENV=production and must
then provide SECRET_KEY, or the process refuses to start.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from accounts.oidc_config import oidc_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "local") == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    SECRET_KEY = "local-development-only-not-secret"  # noqa: S105

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "samverkan.apps.SamverkanAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "samverkan.apps.SamverkanConfig",
    "accounts",
    "municipalities",
    "portfolio",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that may refuse a request, so every refusal is logged.
    "samverkan.security.RefusedAccessLogMiddleware",
    "samverkan.security.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "samverkan.security.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused for lockout into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samverkan.urls"
WSGI_APPLICATION = "samverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Page queries are short; PostgreSQL's JIT compiles the large dashboard queries for
    # ~120 ms and saves less than that. Off unless a deployment wants it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", os.environ.get("PG_OPTIONS", "-c jit=off")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/address before any password is checked.
    "samverkan.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.RolePermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
NODE_MODULES_DIR = BASE_DIR / "node_modules"
if NODE_MODULES_DIR.exists():
    # Front-end libraries come from npm; only the files we serve are exposed.
    STATICFILES_DIRS.append(("vendor", NODE_MODULES_DIR))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# Without a broker, tasks run eagerly in the web process (the embedded default).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TIMEZONE = TIME_ZONE

# Reports (reports/tasks.py). The half-yearly board report runs on these month-day
# dates (it covers the half-year that ended before the date); agreement warnings go
# out when this many days remain before the last day for notice.
# Excel: larger uploads are refused; longer exports run as background jobs.
EXCEL_IMPORT_MAX_BYTES = int(os.environ.get("EXCEL_IMPORT_MAX_BYTES", str(1024 * 1024)))
EXCEL_IMPORT_MAX_ROWS = int(os.environ.get("EXCEL_IMPORT_MAX_ROWS", "2000"))
EXCEL_SYNC_EXPORT_MAX_ROWS = int(os.environ.get("EXCEL_SYNC_EXPORT_MAX_ROWS", "2000"))

REPORTS_TASK_TIME_LIMIT = int(os.environ.get("REPORTS_TASK_TIME_LIMIT", "300"))
REPORTS_BOARD_REPORT_DATES = env_list("REPORTS_BOARD_REPORT_DATES", "01-15,07-15")
REPORTS_AGREEMENT_WARNING_DAYS = [
    int(days) for days in env_list("REPORTS_AGREEMENT_WARNING_DAYS", "90,30,7")
]
CELERY_BEAT_SCHEDULE = {
    **{
        f"board-report-{month_day}": {
            "task": "reports.board_reports_half_year",
            "schedule": crontab(
                minute=0,
                hour=6,
                month_of_year=int(month_day.split("-")[0]),
                day_of_month=int(month_day.split("-")[1]),
            ),
        }
        for month_day in REPORTS_BOARD_REPORT_DATES
    },
    "agreement-notice-warnings": {
        "task": "reports.agreement_notice_warnings",
        "schedule": crontab(minute=0, hour=7),
    },
    "resend-queued-reports": {"task": "reports.resend_queued", "schedule": 300.0},
}

if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to a miss while Redis is down instead of failing the page.
            "BACKEND": "samverkan.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            # Keys carry the database's name: several databases may share one Redis
            # (production and a benchmark, a test run's worker), and their row ids overlap.
            "KEY_PREFIX": os.environ.get(
                "CACHE_KEY_PREFIX", Path(str(DATABASES["default"]["NAME"])).name
            ),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "samverkan@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials gets 401 with WWW-Authenticate.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "samverkan.api.FilterBackend",
        "samverkan.api.SearchFilter",
        "samverkan.api.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "samverkan.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "samverkan.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Samverkan API",
    "DESCRIPTION": "Den gemensamma portföljen för samverkande kommuner.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CollaborationFormEnum": "municipalities.choices.CollaborationForm",
        "StageEnum": "portfolio.choices.Stage",
        "HealthEnum": "portfolio.choices.Health",
        "CostKindEnum": "portfolio.choices.CostKind",
        "CriterionKindEnum": "portfolio.choices.CriterionKind",
        "DecisionKindEnum": "portfolio.choices.DecisionKind",
        "ReportKindEnum": "reports.models.ReportKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "samverkan.api.document_error_responses",
        "samverkan.schema_links.add_links",
    ],
}

# --- Security (README: "Drift och säkerhet") -------------------------------------------
# Sessions live in the database, never in the cache: a Redis outage logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Absolute lifetime: a session ends this many seconds after login, however active.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
# Inactivity: a session ends after this many seconds without a request.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp 4): no inline script without the request's nonce,
# nothing from other origins, no framing. Enforced in production; reported only in local
# use, so a page that would break shows up in the browser console during development.
CSP_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    CONTENT_SECURITY_POLICY = CSP_POLICY
else:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = CSP_POLICY

# Request and file size limits. Uploads (Excel) above the limit are refused with 413
# before they are read; downloads larger than the limit are not served.
SAMVERKAN_MAX_REQUEST_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
SAMVERKAN_MAX_DOWNLOAD_BYTES = int(os.environ.get("MAX_DOWNLOAD_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_PERMISSIONS = 0o640

# Lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from one
# address, that pair is refused for AXES_COOLOFF_MINUTES. Behind a proxy, set
# AXES_PROXY_COUNT so the client address is read from X-Forwarded-For.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False  # our own audit lines (samverkan.security) say it once, in one format
if os.environ.get("AXES_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# Optional single sign-on (OpenID Connect, e.g. Microsoft Entra ID): on only when the
# OIDC_* variables are set; accounts/oidc_config.py reads them, README lists them.
_oidc = oidc_settings(os.environ)
OIDC_ENABLED = _oidc.pop("OIDC_ENABLED")
globals().update(_oidc)  # OIDC_RP_*, OIDC_OP_*: the names mozilla-django-oidc reads
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.MunicipalityOIDCBackend")

# Checks silenced on purpose, each with its reason (also listed in the README).
SILENCED_CHECKS_WITH_REASONS: dict[str, str] = {}
SILENCED_SYSTEM_CHECKS = list(SILENCED_CHECKS_WITH_REASONS)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "samverkan.log_format.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "samverkan.security": {"level": "INFO"},
        # Libraries that may log request details at DEBUG never do so here.
        "axes": {"level": "WARNING"},
        "mozilla_django_oidc": {"level": "INFO"},
        "urllib3": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
