"""Password change and reset pages: Django's own views with the lockout, the throttle
and the audit lines of `password_forms` and `password_services`."""

from django.contrib.auth import logout
from django.contrib.auth import views as auth_views

from . import password_services
from .password_forms import LockoutPasswordChangeForm, PasswordResetForm


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = LockoutPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        # An account that signs in only with single sign-on has no password here.
        local = self.request.user.has_usable_password()
        return super().get_context_data(local_account=local, **kwargs)

    def post(self, request, *args, **kwargs):
        if not request.user.has_usable_password():
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        password_services.password_changed(user=form.user, request=self.request)
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(self.request, "axes_locked_out", False):
            # Whoever guessed the old password too often loses the session too; axes'
            # middleware then answers with the lockout page instead of this one.
            logout(self.request)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        password_services.password_reset_done(user=form.user, request=self.request)
        return response
