from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


COORDINATOR_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    (_("Personuppgifter"), {"fields": ("first_name", "last_name", "email")}),
    (_("Kommun"), {"fields": ("municipality", "title", "is_active")}),
)


def coordinator_municipality_ids(user):
    from municipalities.models import Municipality

    return Municipality.objects.filter(constellations__members=user.municipality_id).values("id")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """A samordnare manages the people of their own constellations' municipalities and
    never sees the fields that grant admin or superuser rights."""

    inlines = [RoleInline]
    list_display = ["username", "first_name", "last_name", "municipality", "title", "is_active"]
    list_filter = ["municipality__county", "is_active", "role_assignments__role"]
    list_select_related = ["municipality"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Kommun"), {"fields": ["municipality", "title"]}),)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return COORDINATOR_FIELDSETS
        return super().get_fieldsets(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            municipality__in=coordinator_municipality_ids(request.user), is_superuser=False
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality" and not request.user.is_superuser:
            from municipalities.models import Municipality

            kwargs["queryset"] = Municipality.objects.filter(
                id__in=coordinator_municipality_ids(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
