from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "first_name", "last_name", "municipality", "title", "is_active"]
    list_filter = ["municipality__county", "is_active", "role_assignments__role"]
    list_select_related = ["municipality"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Kommun"), {"fields": ["municipality", "title"]}),)
