"""Deployment checks Django does not make itself; run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def security_checks(app_configs, **kwargs):
    errors = []
    middleware = settings.MIDDLEWARE
    if "csp.middleware.CSPMiddleware" not in middleware or not getattr(
        settings, "CONTENT_SECURITY_POLICY", None
    ):
        errors.append(
            Warning(
                "No enforced Content-Security-Policy.",
                hint="Add csp.middleware.CSPMiddleware and set CONTENT_SECURITY_POLICY.",
                id="samverkan.W001",
            )
        )
    if "axes.middleware.AxesMiddleware" not in middleware or not settings.AXES_ENABLED:
        errors.append(
            Warning(
                "Login attempts are not limited.",
                hint="Enable django-axes (AXES_ENABLED and its middleware).",
                id="samverkan.W002",
            )
        )
    if "cache" in settings.SESSION_ENGINE:
        errors.append(
            Warning(
                "Sessions live in the cache; a Redis outage would log everybody out or fail.",
                hint="Use django.contrib.sessions.backends.db.",
                id="samverkan.W003",
            )
        )
    for alias, database in settings.DATABASES.items():
        if database.get("CONN_MAX_AGE") and not database.get("CONN_HEALTH_CHECKS"):
            errors.append(
                Warning(
                    f"Database {alias!r} keeps connections without health checks; after a "
                    "database restart requests would fail until the process restarts.",
                    hint="Set CONN_HEALTH_CHECKS = True.",
                    id="samverkan.W004",
                )
            )
    for name in ("SessionExpiryMiddleware", "RefusedAccessLogMiddleware"):
        if f"samverkan.security.{name}" not in middleware:
            errors.append(
                Warning(
                    f"samverkan.security.{name} is not installed.",
                    id="samverkan.W005",
                )
            )
    return errors
