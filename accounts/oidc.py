"""Single sign-on with OpenID Connect (mozilla-django-oidc), e.g. Microsoft Entra ID.

Installed only when the OIDC_* variables are set (`accounts.oidc_config`). A person who
signs in is matched to an existing account by e-mail; otherwise an account is created
without roles, which the portfolio office then assigns. The municipality comes from a
claim holding the four-digit municipality code (OIDC_MUNICIPALITY_CLAIM) or from the
e-mail domain (OIDC_EMAIL_DOMAINS); a person who maps to no municipality is refused,
because an account outside every municipality would see nothing and belong nowhere.
"""

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from municipalities.models import Municipality
from samverkan.security import audit


def _email(claims: dict) -> str:
    for name in ("email", "upn", "preferred_username"):
        value = (claims.get(name) or "").strip()
        if "@" in value:
            return value.lower()
    return ""


def municipality_for_claims(claims: dict) -> Municipality | None:
    claim = settings.OIDC_MUNICIPALITY_CLAIM
    code = str(claims.get(claim) or "").strip() if claim else ""
    if not code:
        domain = _email(claims).rpartition("@")[2]
        code = settings.OIDC_EMAIL_DOMAINS.get(domain, "")
    if not code:
        return None
    return Municipality.objects.filter(code=code).first()


class MunicipalityOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        if not _email(claims):
            audit("login.sso_refused", reason="ingen e-postadress")
            return False
        if municipality_for_claims(claims) is None:
            audit("login.sso_refused", username=_email(claims), reason="okänd kommun")
            return False
        return True

    def filter_users_by_claims(self, claims):
        email = _email(claims)
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):
        email = _email(claims)
        username = email
        if self.UserModel.objects.filter(username__iexact=username).exists():
            # A local account already holds the name; the SSO account gets its own.
            username = f"{email}.sso"
        return self.UserModel.objects.create_user(
            username=username,
            email=email,
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
            municipality=municipality_for_claims(claims),
        )

    def update_user(self, user, claims):
        municipality = municipality_for_claims(claims)
        changed = []
        for field, value in (
            ("first_name", (claims.get("given_name") or "")[:150]),
            ("last_name", (claims.get("family_name") or "")[:150]),
        ):
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
        if municipality is not None and user.municipality_id != municipality.pk:
            user.municipality = municipality
            changed.append("municipality")
        if changed:
            user.save(update_fields=changed)
        return user
