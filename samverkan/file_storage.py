"""Where issued files (reports, exports) are kept: the default storage, from the environment.

Web, worker and beat may run on separate machines that share only PostgreSQL, Redis and
this storage, so every file goes through Django's storage API, never a local path.
Without STORAGE_BACKEND it is the local disk at MEDIA_ROOT (one machine, or a directory
every machine mounts); STORAGE_BACKEND=s3 is S3-compatible object storage through
django-storages. What production requires of these settings is in production.py.
"""

from collections.abc import Mapping

FILESYSTEM = "filesystem"
S3 = "s3"
BACKENDS = (FILESYSTEM, S3)
S3_REQUIRED = ("AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
S3_OPTIONAL = ("AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME", "AWS_LOCATION")


def backend_name(env: Mapping[str, str]) -> str:
    return (env.get("STORAGE_BACKEND") or FILESYSTEM).strip().lower()


def default_storage_setting(env: Mapping[str, str]) -> dict:
    """STORAGES["default"] for this environment."""
    backend = backend_name(env)
    if backend == FILESYSTEM:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend == S3:
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env.get("AWS_STORAGE_BUCKET_NAME", ""),
                "access_key": env.get("AWS_ACCESS_KEY_ID", ""),
                "secret_key": env.get("AWS_SECRET_ACCESS_KEY", ""),
                "endpoint_url": env.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": env.get("AWS_S3_REGION_NAME") or None,
                "location": env.get("AWS_LOCATION", ""),
                # Documents are private: downloads go through the application's views,
                # which check who may read them, never through a public bucket URL.
                "default_acl": "private",
                "querystring_auth": True,
                # A name in use gets a new one, as on disk: a job never replaces a file
                # another job's row points to.
                "file_overwrite": False,
            },
        }
    raise ValueError(f"STORAGE_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}.")
