"""The process environment, read and typed through django-environ (settings.py).

Three rules of this project on top of django-environ's reader:

- A variable set to the empty string counts as unset, so its default applies: compose
  files pass `${X:-}`, and `SECURE_SSL_REDIRECT=` must not turn the redirect off.
- A value is taken as written. django-environ reads a value that starts with `$` as the
  name of another variable; a password or key may well start with `$`.
- A value that does not parse (`EMAIL_PORT=smtp`, `DEBUG=ja`) stops the start with a
  message naming the variable, never a traceback, and never a silent default.
"""

import os
from collections.abc import Mapping

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


class Environment(environ.Env):
    def __init__(self, variables: Mapping[str, str] | None = None):
        super().__init__()
        source = os.environ if variables is None else variables
        self.ENVIRON = {name: value for name, value in source.items() if value.strip()}

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        value = self.ENVIRON.get(var)
        if value is None:
            if default is self.NOTSET:
                raise ImproperlyConfigured(f"{var} is not set.")
            if not parse_default or default is None:
                return default
            value = default
        if cast is bool and value.strip().lower() not in TRUE | FALSE:
            raise ImproperlyConfigured(f"{var}={value!r}: write true or false.")
        try:
            return self.parse_value(value, cast)
        except (TypeError, ValueError):
            raise ImproperlyConfigured(f"{var}={value!r} is not a valid value.") from None

    def list(self, var, cast=None, default=environ.Env.NOTSET):
        """Comma-separated, spaces around items ignored: `a.se, b.se`."""
        items = super().list(var, default=default)
        items = [item.strip() for item in items if item.strip()]
        if cast is None:
            return items
        try:
            return [cast(item) for item in items]
        except (TypeError, ValueError):
            raise ImproperlyConfigured(f"{var}: {items!r} is not a valid list.") from None

    def db_url(self, var="DATABASE_URL", default=environ.Env.NOTSET, engine=None):
        try:
            return super().db_url(var, default=default, engine=engine)
        except (KeyError, TypeError, ValueError):
            raise ImproperlyConfigured(
                f"{var} is not a database URL (postgres://user:password@host:5432/name)."
            ) from None
