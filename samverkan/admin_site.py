from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.backends import is_coordinator


class SamverkanAdminSite(admin.AdminSite):
    site_header = _("Samverkan – administration")
    site_title = _("Samverkan")
    index_title = _("Referensdata och användare")

    def has_permission(self, request):
        return request.user.is_active and (request.user.is_staff or is_coordinator(request.user))
