"""Permissions that follow from a role rather than from per-user grants.

The samordnare (portfolio office) keeps reference data and users, so they may use the
admin for exactly those models; which rows they see is narrowed in the ModelAdmins.
"""

from .models import Role

COORDINATOR_PERMISSIONS = frozenset(
    {
        "municipalities.view_county",
        "municipalities.view_municipality",
        "municipalities.view_population",
        "municipalities.view_constellation",
        "municipalities.change_constellation",
        "municipalities.view_collaborationarea",
        "municipalities.add_collaborationarea",
        "municipalities.view_agreement",
        "municipalities.add_agreement",
        "municipalities.change_agreement",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_roleassignment",
        "accounts.add_roleassignment",
        "accounts.change_roleassignment",
        "accounts.delete_roleassignment",
    }
)


def is_coordinator(user) -> bool:
    return bool(user.is_active and user.is_authenticated and user.has_role(Role.COORDINATOR))


class RolePermissionBackend:
    """Grants the coordinator's permissions; authenticates nobody."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return is_coordinator(user_obj) and perm in COORDINATOR_PERMISSIONS

    def has_module_perms(self, user_obj, app_label):
        return is_coordinator(user_obj) and any(
            p.startswith(f"{app_label}.") for p in COORDINATOR_PERMISSIONS
        )

    def get_user(self, user_id):
        return None
