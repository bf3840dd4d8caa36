"""The system administrator's view of people. Only a superuser reaches the admin
(`accounts.policies.uses_admin`); even they never set another person's password, and
every save names why, in the audit log."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.security import audit

from .models import RoleAssignment, User
from .roles import in_force
from .tasks import send_choose_password_link

REASON_HELP = _("Varför (beslutet eller ärendet). Det loggas med ditt namn.")


class RoleInline(admin.TabularInline):
    """Roles end (`ends_on`) rather than disappear: the record is the role's history."""

    model = RoleAssignment
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ["role", "portfolio", "program", "starts_on", "ends_on", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]


def _roles_in_force(person) -> set[str]:
    return {g.role for g in in_force(person.role_assignments.all(), timezone.localdate())}


class PersonAdminForm(forms.ModelForm):
    reason = forms.CharField(label=_("Motivering"), max_length=300, help_text=REASON_HELP)

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "municipality",
            "title",
            "is_active",
            "is_staff",
            "is_superuser",
        ]

    def save(self, commit=True):
        user = super().save(commit=False)
        if user.pk is None:
            # The person chooses their own password through the e-mailed link.
            user.set_unusable_password()
        if commit:
            user.save()
        return user


PERSON_FIELDSETS = (
    (None, {"fields": ("username", "reason")}),
    (_("Personuppgifter"), {"fields": ("first_name", "last_name", "email")}),
    (_("Kommun"), {"fields": ("municipality", "title")}),
    (_("Behörighet"), {"fields": ("is_active", "is_staff", "is_superuser")}),
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    form = PersonAdminForm
    add_form = PersonAdminForm
    fieldsets = PERSON_FIELDSETS
    add_fieldsets = PERSON_FIELDSETS
    list_display = ["username", "first_name", "last_name", "municipality", "title", "is_active"]
    list_filter = ["municipality__county", "is_active", "role_assignments__role"]
    list_select_related = ["municipality"]
    actions = ["send_password_link"]

    def user_change_password(self, request, id, form_url=""):
        if str(request.user.pk) != str(id):
            raise PermissionDenied(
                _("Ingen sätter någon annans lösenord: skicka en länk att välja lösenord.")
            )
        return super().user_change_password(request, id, form_url)

    @admin.action(description=_("Skicka länk för att välja lösenord"))
    def send_password_link(self, request, queryset):
        for user in queryset:
            transaction.on_commit(lambda pk=user.pk: send_choose_password_link.delay(pk))
            audit(
                "people.password_link_sent",
                request,
                actor=request.user.get_username(),
                person=user.get_username(),
            )
        self.message_user(request, _("Länkarna skickas."), messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        request._people_before = (
            {}
            if obj.pk is None
            else {
                "roles": _roles_in_force(obj),
                **User.objects.filter(pk=obj.pk)
                .values("municipality_id", "is_active", "is_staff", "is_superuser")
                .get(),
            }
        )
        if change:
            # A samordnare's page opened before this save is now outdated.
            obj.version += 1
        super().save_model(request, obj, form, change)
        if not change:
            transaction.on_commit(lambda: send_choose_password_link.delay(obj.pk))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        person = form.instance
        before = getattr(request, "_people_before", {})
        after_roles = _roles_in_force(person)
        changes = {
            "granted": sorted(after_roles - before.get("roles", set())),
            "revoked": sorted(before.get("roles", set()) - after_roles),
        }
        for name in ("municipality_id", "is_active", "is_staff", "is_superuser"):
            if name in before and before[name] != getattr(person, name):
                changes[name] = getattr(person, name)
        reason = form.cleaned_data["reason"]
        transaction.on_commit(
            lambda: audit(
                "people.admin_saved" if change else "people.admin_created",
                request,
                actor=request.user.get_username(),
                person=person.get_username(),
                reason=reason,
                **{k: ",".join(v) if isinstance(v, list) else v for k, v in changes.items()},
            )
        )
