"""Settings read from the environment.

Without any environment the application runs as the embedded local default: SQLite,
background jobs in process, DEBUG on. Production sets DJANGO_ENV=production and must
then provide everything samverkan/production.py names, or the process refuses to start.
"""

import os
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from accounts.oidc_config import OIDCConfigurationError, oidc_settings
from samverkan.environment import Environment
from samverkan.file_storage import default_storage_setting
from samverkan.production import half_configured
from samverkan.production import problems as production_problems

BASE_DIR = Path(__file__).resolve().parent.parent

# Every setting below is read through env (django-environ): empty means unset, and a
# value that does not parse stops the start naming its variable (samverkan/environment.py).
env = Environment()
PRODUCTION = env.str("DJANGO_ENV", default="local") == "production"
# Half a configuration (a bucket without keys, a mail host without its port) is refused
# in every mode; production asks for everything else too. Every problem is named at once.
_problems = (
    production_problems(os.environ, code_dir=BASE_DIR)
    if PRODUCTION
    else half_configured(os.environ)
)
if _problems:
    raise ImproperlyConfigured(
        (
            "DJANGO_ENV=production, but the configuration is incomplete or unsafe:\n- "
            if PRODUCTION
            else "The configuration is incomplete:\n- "
        )
        + "\n- ".join(_problems)
    )

SECRET_KEY = env.str("SECRET_KEY", default="local-development-only-not-secret")

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "django_prometheus",
    "samverkan.apps.SamverkanConfig",
    "accounts",
    "municipalities",
    "portfolio",
    "reports",
    "notifications",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "samverkan.request_id.RequestIdMiddleware",
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
    "accounts.language.PersonLanguageMiddleware",
    "samverkan.security.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "samverkan.security.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
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

# Tests only: a transactional test that restores the database from its snapshot
# (serialized_rollback) may follow one whose flush re-created the content types and
# permissions with new ids; those two apps are left out of the snapshot so the restore
# never inserts them a second time.
TEST_NON_SERIALIZED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]

DATABASES = {
    "default": {
        **env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        "CONN_MAX_AGE": env.int("DB_CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    }
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Page queries are short; PostgreSQL's JIT compiles the large dashboard queries for
    # ~120 ms and saves less than that. Off unless a deployment wants it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", env.str("PG_OPTIONS", default="-c jit=off")
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
_default_storage = default_storage_setting(os.environ)
STORAGES = {
    # Reports and exports: the local disk at MEDIA_ROOT, or S3-compatible object storage
    # that every machine reaches (samverkan/file_storage.py).
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# Without a broker, tasks run eagerly in the web process (the embedded default).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that accepts connections but never answers must fail a publish within seconds
# (the order is kept and sent again), not hang the request: every socket has a timeout.
# The read timeout stays above kombu's 1 s BRPOP wait, which the worker's reads include.
BROKER_SOCKET_TIMEOUT = env.float("BROKER_SOCKET_TIMEOUT", default=1.5)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_timeout": BROKER_SOCKET_TIMEOUT,
    "socket_connect_timeout": min(BROKER_SOCKET_TIMEOUT, 1.0),
}
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_SOCKET_TIMEOUT
# One quick retry covers a pooled connection that Redis closed; a hung broker costs two
# socket timeouts at most.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# The worker logs through LOGGING like the web process (JSON in production, with the
# request id of the click that started the job).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TIMEZONE = TIME_ZONE

# Reports (reports/tasks.py). The half-yearly board report runs on these month-day
# dates (it covers the half-year that ended before the date); agreement warnings go
# out when this many days remain before the last day for notice.
# Excel: larger uploads are refused; longer exports run as background jobs.
EXCEL_IMPORT_MAX_BYTES = env.int("EXCEL_IMPORT_MAX_BYTES", default=1024 * 1024)
EXCEL_IMPORT_MAX_ROWS = env.int("EXCEL_IMPORT_MAX_ROWS", default=2000)
# The work of reading an upload (portfolio/excel/workload.py): what its parts may
# unpack to, how far right a value may lie, and cells per allowed row (the budget of
# cells and shared strings is this times EXCEL_IMPORT_MAX_ROWS plus a few rows).
EXCEL_IMPORT_MAX_UNPACKED_BYTES = env.int(
    "EXCEL_IMPORT_MAX_UNPACKED_BYTES", default=10 * 1024 * 1024
)
EXCEL_IMPORT_MAX_COLUMNS = env.int("EXCEL_IMPORT_MAX_COLUMNS", default=100)
EXCEL_IMPORT_CELLS_PER_ROW = env.int("EXCEL_IMPORT_CELLS_PER_ROW", default=40)
# An import of more rows than this is applied by a background job (excel/import_jobs.py).
EXCEL_IMPORT_SYNC_MAX_ROWS = env.int("EXCEL_IMPORT_SYNC_MAX_ROWS", default=200)
EXCEL_SYNC_EXPORT_MAX_ROWS = env.int("EXCEL_SYNC_EXPORT_MAX_ROWS", default=2000)
# Attachments (portfolio/domain/file_types.py): a larger file is refused with a message.
# A request above SAMVERKAN_MAX_REQUEST_BYTES is refused before it is read, so this
# limit only counts below that one.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

REPORTS_TASK_TIME_LIMIT = env.int("REPORTS_TASK_TIME_LIMIT", default=300)
REPORTS_BOARD_REPORT_DATES = env.list("REPORTS_BOARD_REPORT_DATES", default=["01-15", "07-15"])
REPORTS_AGREEMENT_WARNING_DAYS = env.list(
    "REPORTS_AGREEMENT_WARNING_DAYS", cast=int, default=["90", "30", "7"]
)
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
    # Notifications (notifications/): the daily digest, the overdue reminders before
    # it, and a sweep that sends immediate e-mails whose job was lost.
    "overdue-reminders": {
        "task": "portfolio.overdue_reminders",
        "schedule": crontab(minute=30, hour=6),
    },
    "notification-digest": {
        "task": "notifications.digest",
        "schedule": crontab(minute=0, hour=7),
    },
    "notification-pending": {"task": "notifications.pending", "schedule": 600.0},
}
# A status report is overdue when an initiative in project, assignment or
# implementation has none from this many days; a measurement when an effect goal of an
# initiative in implementation or operation has none from this many days.
NOTIFICATIONS_STATUS_REPORT_DAYS = env.int("NOTIFICATIONS_STATUS_REPORT_DAYS", default=30)
NOTIFICATIONS_MEASUREMENT_DAYS = env.int("NOTIFICATIONS_MEASUREMENT_DAYS", default=182)

CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to a miss while Redis is down instead of failing the page.
            "BACKEND": "samverkan.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
                "socket_timeout": CACHE_SOCKET_TIMEOUT,
            },
            # After a failure the cache is bypassed this long, so a page pays one timeout.
            "SKIP_SECONDS": env.float("CACHE_SKIP_SECONDS", default=30.0),
            # Keys carry the database's name: several databases may share one Redis
            # (production and a benchmark, a test run's worker), and their row ids overlap.
            "KEY_PREFIX": env.str(
                "CACHE_KEY_PREFIX", default=Path(str(DATABASES["default"]["NAME"])).name
            ),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Mail goes to the SMTP server in EMAIL_HOST when one is set (always in production);
# without one it is printed.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or PRODUCTION
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)  # TLS from the start, usually port 465
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="samverkan@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The bearer token Prometheus sends to /metrics; without it the endpoint does not exist.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Seconds an SMTP server may take to connect or answer before the send fails, so a hung
# mail server cannot hold a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials gets 401 with WWW-Authenticate.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every view keeps these; an unknown query parameter is a 400 after the 401.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "samverkan.api_query.KnownQueryParameters",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "samverkan.api.FilterBackend",
        "samverkan.api.SearchFilter",
        "samverkan.api.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "samverkan.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "samverkan.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "samverkan.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Samverkan API",
    "DESCRIPTION": "Den gemensamma portföljen för samverkande kommuner.",
    # Bumped with every change that breaks a client (tests/test_api_schema_versions.py).
    "VERSION": "1.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CollaborationFormEnum": "municipalities.choices.CollaborationForm",
        "OrganisationKindEnum": "municipalities.choices.OrganisationKind",
        "GovernanceModeEnum": "municipalities.choices.GovernanceMode",
        "StageEnum": "portfolio.choices.Stage",
        "HealthEnum": "portfolio.choices.Health",
        "CostKindEnum": "portfolio.choices.CostKind",
        "CriterionKindEnum": "portfolio.choices.CriterionKind",
        "DecisionKindEnum": "portfolio.choices.DecisionKind",
        "ReportKindEnum": "reports.models.ReportKind",
        "NotificationKindEnum": "notifications.models.Kind",
        "NotificationModeEnum": "notifications.models.Mode",
        "ArchiveExportStatusEnum": "portfolio.models.ArchiveExportStatus",
        "ParticipationStatusEnum": "portfolio.choices.ParticipationStatus",
        "DecisionBodyEnum": "portfolio.choices.DecisionBody",
        "MatterEnum": "portfolio.choices.Matter",
        # Keeps the gate decision's outcome its name beside the agenda item's.
        "OutcomeEnum": "portfolio.choices.DecisionOutcome",
        "AgendaItemKindEnum": "portfolio.models.ItemKind",
        "AgendaItemOutcomeEnum": "portfolio.models.ItemOutcome",
        "MeetingStatusEnum": "portfolio.models.MeetingStatus",
        "OrderableReportKindEnum": "reports.models.ORDERABLE_KINDS",
        # The people API named it first (its `roles` list); the role grants keep that name.
        "RolesEnum": "accounts.models.Role",
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
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# Inactivity: a session ends after this many seconds without a request.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_FAILURE_VIEW = "samverkan.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
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
SAMVERKAN_MAX_REQUEST_BYTES = env.int("MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
SAMVERKAN_MAX_DOWNLOAD_BYTES = env.int("MAX_DOWNLOAD_BYTES", default=50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_PERMISSIONS = 0o640

# Lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from one
# address, that pair is refused for AXES_COOLOFF_MINUTES. Behind a proxy, set
# AXES_PROXY_COUNT so the client address is read from X-Forwarded-For; without it the
# header is ignored. samverkan.security.client_address resolves it for axes and the log.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False  # our own audit lines (samverkan.security) say it once, in one format
SAMVERKAN_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "samverkan.security.client_address"
# Never written anywhere axes logs or stores a request's parameters.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password",
    "old_password",
    "new_password1",
    "new_password2",
]

# Password change and reset (accounts/password_*.py): the change page checks the old
# password through the lockout above. Reset links are valid PASSWORD_RESET_TIMEOUT
# seconds; at most this many requests per address and per client address per hour.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)
PASSWORD_RESET_THROTTLE_SECONDS = 3600
PASSWORD_RESET_MAX_PER_ADDRESS = env.int("PASSWORD_RESET_MAX_PER_ADDRESS", default=3)
PASSWORD_RESET_MAX_PER_IP = env.int("PASSWORD_RESET_MAX_PER_IP", default=20)

# Optional single sign-on (OpenID Connect, e.g. Microsoft Entra ID): on only when the
# OIDC_* variables are set; accounts/oidc_config.py reads them, README lists them.
try:
    _oidc = oidc_settings(os.environ)
except OIDCConfigurationError as error:
    raise ImproperlyConfigured(str(error)) from None
OIDC_ENABLED = _oidc.pop("OIDC_ENABLED")
globals().update(_oidc)  # OIDC_RP_*, OIDC_OP_*: the names mozilla-django-oidc reads
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)  # seconds per call to the provider
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.MunicipalityOIDCBackend")

# Checks silenced on purpose, each with its reason (also listed in the README).
SILENCED_CHECKS_WITH_REASONS: dict[str, str] = {}
if PRODUCTION and not SECURE_SSL_REDIRECT and "SECURE_SSL_REDIRECT" in env:
    # Only when the operator turned it off in so many words: unset means on.
    SILENCED_CHECKS_WITH_REASONS["security.W008"] = (
        "SECURE_SSL_REDIRECT=false: TLS ends at the proxy, which redirects plain HTTP to "
        "HTTPS and says the original scheme in X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER)."
    )
SILENCED_SYSTEM_CHECKS = list(SILENCED_CHECKS_WITH_REASONS)

# Production logs JSON lines for a collector; the local default stays readable.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "samverkan.log_format.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "samverkan.log_format.JSONFormatter"},
    },
    "filters": {"request_id": {"()": "samverkan.request_id.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
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
