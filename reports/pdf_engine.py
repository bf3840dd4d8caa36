"""WeasyPrint, or a message that says what the machine lacks.

WeasyPrint is a Python package but draws with system libraries (Pango, HarfBuzz,
fontconfig) that pip cannot install. Without them the import fails deep inside cffi;
a fresh machine should instead hear, at start, which packages to install.
"""

from django.core.exceptions import ImproperlyConfigured

MISSING_LIBRARIES = (
    "PDF documents need the system libraries Pango and HarfBuzz and a font, which pip "
    "cannot install. On Debian or Ubuntu: apt-get install libpango-1.0-0 "
    "libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core "
    "(see README, 'What the machine needs'). WeasyPrint said: {error}"
)

try:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse
except OSError as exc:
    raise ImproperlyConfigured(MISSING_LIBRARIES.format(error=exc)) from exc

__all__ = ["HTML", "URLFetcher", "URLFetcherResponse"]
