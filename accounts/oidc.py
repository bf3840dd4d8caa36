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

from .people import roles_from_groups


def _email(claims: dict) -> str:
    for name in ("email", "upn", "preferred_username"):
        value = (claims.get(name) or "").strip()
        if "@" in value:
            return value.lower()
    return ""


def _tenant(claims: dict) -> str:
    return str(claims.get("tid") or "").strip().lower()


def municipality_for_claims(claims: dict) -> Municipality | None:
    """From the municipality claim, else the person's tenant, else the e-mail domain."""
    claim = settings.OIDC_MUNICIPALITY_CLAIM
    code = str(claims.get(claim) or "").strip() if claim else ""
    if not code:
        code = getattr(settings, "OIDC_TENANTS", {}).get(_tenant(claims), "")
    if not code:
        domain = _email(claims).rpartition("@")[2]
        code = settings.OIDC_EMAIL_DOMAINS.get(domain, "")
    if not code:
        return None
    return Municipality.objects.filter(code=code).first()


def tenant_refusal(claims: dict) -> str:
    """Why a sign-in from this tenant is refused ("" if it is allowed).

    With several tenants, Entra's multi-tenant endpoint lets any organisation's users
    sign in; only the listed tenants may, and the token's issuer must be that tenant's."""
    tenants = getattr(settings, "OIDC_TENANTS", {})
    if not tenants:
        return ""
    tenant = _tenant(claims)
    if tenant not in tenants:
        return "okänd organisation"
    if claims.get("iss") != f"https://login.microsoftonline.com/{tenant}/v2.0":
        return "utfärdaren hör inte till organisationen"
    return ""


def roles_for_claims(claims: dict) -> frozenset[str] | None:
    """The roles the person's groups give (None: roles are not taken from groups)."""
    mapping = getattr(settings, "OIDC_GROUP_ROLES", {})
    if not mapping:
        return None
    groups = claims.get("groups") or []
    if isinstance(groups, str):
        groups = [groups]
    return frozenset(role for group in groups for role in mapping.get(str(group), ()))


class MunicipalityOIDCBackend(OIDCAuthenticationBackend):
    def get_userinfo(self, access_token, id_token, payload):
        """The provider's userinfo, with the tenant, issuer and groups of the verified ID
        token (Entra's userinfo endpoint does not carry them)."""
        claims = dict(super().get_userinfo(access_token, id_token, payload))
        for name in ("tid", "iss", "groups"):
            if name in (payload or {}) and name not in claims:
                claims[name] = payload[name]
        return claims

    def verify_claims(self, claims):
        refused = tenant_refusal(claims)
        if refused:
            audit("login.sso_refused", username=_email(claims), reason=refused)
            return False
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
        person = self.UserModel.objects.create_user(
            username=username,
            email=email,
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
            municipality=municipality_for_claims(claims),
        )
        self._roles(person, claims)
        return person

    def _roles(self, person, claims) -> None:
        roles = roles_for_claims(claims)
        if roles is not None:
            roles_from_groups(
                person=person,
                roles=roles,
                managed=frozenset().union(*settings.OIDC_GROUP_ROLES.values()),
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
        self._roles(user, claims)
        return user
