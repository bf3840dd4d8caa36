from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class SamverkanConfig(AppConfig):
    """The project package as an app, so its signal receivers and checks are registered."""

    name = "samverkan"
    verbose_name = "Samverkan"

    def ready(self):
        from . import checks, request_id, security  # noqa: F401 - imported for their registrations


class SamverkanAdminConfig(AdminConfig):
    default_site = "samverkan.admin_site.SamverkanAdminSite"
