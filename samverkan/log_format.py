"""Log lines with UTC timestamps.

Kept apart from `samverkan.security` because logging is configured before the apps
are loaded, so this module may import nothing from Django's models.
"""

import logging
import time


class UTCFormatter(logging.Formatter):
    """ISO 8601 timestamps in UTC (`2026-03-01T09:15:02.123Z`), whatever TIME_ZONE says."""

    converter = time.gmtime

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's own name
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"
