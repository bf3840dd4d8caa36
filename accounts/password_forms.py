"""Django's password forms, with the old password checked through the lockout and the
reset request handed to `password_services`."""

from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from . import password_services


class LockoutPasswordChangeForm(auth_forms.PasswordChangeForm):
    """The old password goes through authenticate() with the request, so a wrong one is a
    failed login for django-axes (same username/address count and the same lockout), and
    a locked-out pair cannot try at all. Django's own form only calls check_password()."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(
            self.request, username=self.user.get_username(), password=old_password
        )
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class PasswordResetForm(auth_forms.PasswordResetForm):
    def save(self, request=None, **kwargs):
        # Django's options (domain, templates, token generator) are set in one place,
        # password_services and its mail, so the link is the welcome mail's link.
        password_services.password_reset_request(email=self.cleaned_data["email"], request=request)
