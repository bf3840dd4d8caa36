"""Log lines with UTC timestamps, as plain text or as JSON (LOG_FORMAT=json).

Kept apart from `samverkan.security` because logging is configured before the apps
are loaded, so this module may import nothing from Django's models.
"""

import json
import logging
import time


class UTCFormatter(logging.Formatter):
    """ISO 8601 timestamps in UTC (`2026-03-01T09:15:02.123Z`), whatever TIME_ZONE says."""

    converter = time.gmtime

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's own name
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"


class JSONFormatter(UTCFormatter):
    """One JSON object per line, for a log collector: time, level, logger, request id,
    message and, on failure, the traceback."""

    def format(self, record):
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
