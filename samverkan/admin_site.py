from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.policies import uses_admin


class SamverkanAdminSite(admin.AdminSite):
    """The system administrator's tool. The admin bypasses the rules of the pages (who may
    manage whom, which roles a samordnare may grant), so nobody else reaches it; the
    samordnare works through the people and settings pages."""

    site_header = _("Samverkan – administration")
    site_title = _("Samverkan")
    index_title = _("Referensdata och användare")

    def has_permission(self, request):
        return uses_admin(request.user)


class ViewOnlyAdmin(admin.ModelAdmin):
    """Rows the admin may show but never add, change or delete: records kept by the
    services (history) or changed only through pages whose services validate and keep
    history, which the admin would bypass."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
