"""Settings for building the image only: `collectstatic` writes the hashed static files
that production serves. It touches no database, broker or mail server, so it runs
without the configuration production insists on."""

import os

os.environ["DJANGO_ENV"] = "local"

from samverkan.settings import *  # noqa: E402, F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
