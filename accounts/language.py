"""The interface language is the person's choice, kept on their profile: chosen once in
the header, it follows them to every browser they sign in from."""

from django.conf import settings
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from .models import User


def chosen_language(code: str) -> str | None:
    return code if code in dict(settings.LANGUAGES) else None


def remember_language(user, code: str) -> None:
    """Keep the choice on the profile (it is the person's own: no version bump)."""
    language = chosen_language(code)
    if language and user.is_authenticated and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


def set_language(request):
    """Django's language switch, which also remembers the choice for a signed-in person."""
    response = django_set_language(request)
    if request.method == "POST":
        remember_language(request.user, request.POST.get("language", ""))
    return response


class PersonLanguageMiddleware:
    """A signed-in person's chosen language wins over the browser's and the cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = chosen_language(getattr(user, "language", "") or "") if user else None
        if language and user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
