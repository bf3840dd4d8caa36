"""Single sign-on settings read from the environment (imported by settings.py).

OpenID Connect is off unless OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET are set. The
provider's endpoints are given one by one, or derived from OIDC_ENTRA_TENANT_ID for
Microsoft Entra ID, which most municipalities use. README ("Drift och säkerhet") lists
every variable. This module imports nothing from Django's models.
"""

from collections.abc import Mapping

ENTRA_LOGIN = "https://login.microsoftonline.com"
ENTRA_USERINFO = "https://graph.microsoft.com/oidc/userinfo"
ENDPOINTS = (
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


class OIDCConfigurationError(ValueError):
    pass


def parse_domain_map(value: str) -> dict[str, str]:
    """`bengtsfors.se=1460, amal.se=1492` -> {"bengtsfors.se": "1460", "amal.se": "1492"}."""
    result = {}
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        domain, sep, code = item.partition("=")
        domain, code = domain.strip().lower().lstrip("@"), code.strip()
        if not sep or not domain or not (code.isdigit() and len(code) == 4):
            raise OIDCConfigurationError(
                f"OIDC_EMAIL_DOMAINS: {item!r} ska se ut som 'kommun.se=1460'."
            )
        result[domain] = code
    return result


ROLES = ("kommundirektor", "programledare", "it_chef", "initiativagare", "samordnare", "lasare")


def _pairs(value: str, variable: str, example: str) -> list[tuple[str, str]]:
    pairs = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        key, sep, target = item.partition("=")
        if not sep or not key.strip() or not target.strip():
            raise OIDCConfigurationError(f"{variable}: {item!r} ska se ut som '{example}'.")
        pairs.append((key.strip(), target.strip()))
    return pairs


def parse_group_roles(value: str) -> dict[str, frozenset[str]]:
    """`<group id>=kommundirektor, <group id>=it_chef` -> {group: {roles}}."""
    result: dict[str, set[str]] = {}
    for group, role in _pairs(value, "OIDC_GROUP_ROLES", "<grupp-id>=kommundirektor"):
        if role not in ROLES:
            raise OIDCConfigurationError(
                f"OIDC_GROUP_ROLES: {role!r} är ingen roll; välj bland {', '.join(ROLES)}."
            )
        result.setdefault(group, set()).add(role)
    return {group: frozenset(roles) for group, roles in result.items()}


def parse_tenant_map(value: str) -> dict[str, str]:
    """`<tenant id>=1460, <tenant id>=1492`: which Entra tenants may sign in, and the
    municipality each one is."""
    result = {}
    for tenant, code in _pairs(value, "OIDC_TENANTS", "<tenant-id>=1460"):
        if not (code.isdigit() and len(code) == 4):
            raise OIDCConfigurationError(f"OIDC_TENANTS: {code!r} är ingen kommunkod.")
        result[tenant.lower()] = code
    return result


def oidc_settings(environ: Mapping[str, str]) -> dict:
    """The Django settings for single sign-on; {"OIDC_ENABLED": False} when not configured."""
    client_id = environ.get("OIDC_RP_CLIENT_ID", "").strip()
    secret = environ.get("OIDC_RP_CLIENT_SECRET", "").strip()
    if not client_id or not secret:
        return {"OIDC_ENABLED": False}
    endpoints = {name: environ.get(name, "").strip() for name in ENDPOINTS}
    tenants = parse_tenant_map(environ.get("OIDC_TENANTS", ""))
    # Several municipalities' tenants sign in to one installation through Entra's
    # multi-tenant endpoints; OIDC_TENANTS lists the ones allowed.
    tenant = environ.get("OIDC_ENTRA_TENANT_ID", "").strip() or ("organizations" if tenants else "")
    if tenant:
        derived = {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{ENTRA_LOGIN}/{tenant}/oauth2/v2.0/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{ENTRA_LOGIN}/{tenant}/oauth2/v2.0/token",
            "OIDC_OP_USER_ENDPOINT": ENTRA_USERINFO,
            "OIDC_OP_JWKS_ENDPOINT": f"{ENTRA_LOGIN}/{tenant}/discovery/v2.0/keys",
        }
        endpoints = {name: endpoints[name] or derived[name] for name in ENDPOINTS}
    missing = [name for name, value in endpoints.items() if not value]
    if missing:
        raise OIDCConfigurationError(
            "OIDC is configured but these are missing: "
            + ", ".join(missing)
            + " (or set OIDC_ENTRA_TENANT_ID)."
        )
    domains = parse_domain_map(environ.get("OIDC_EMAIL_DOMAINS", ""))
    claim = environ.get("OIDC_MUNICIPALITY_CLAIM", "").strip()
    if not domains and not claim and not tenants:
        raise OIDCConfigurationError(
            "OIDC needs OIDC_MUNICIPALITY_CLAIM, OIDC_TENANTS or OIDC_EMAIL_DOMAINS to place "
            "users in a municipality."
        )
    return {
        "OIDC_ENABLED": True,
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": secret,
        "OIDC_RP_SIGN_ALGO": environ.get("OIDC_RP_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": environ.get("OIDC_RP_SCOPES", "openid email profile"),
        "OIDC_MUNICIPALITY_CLAIM": claim,
        "OIDC_EMAIL_DOMAINS": domains,
        "OIDC_TENANTS": tenants,
        "OIDC_GROUP_ROLES": parse_group_roles(environ.get("OIDC_GROUP_ROLES", "")),
        "OIDC_CREATE_USER": environ.get("OIDC_CREATE_USER", "true").lower() in {"1", "true", "yes"},
        "LOGIN_REDIRECT_URL_FAILURE": "/login/?sso=misslyckades",
        **endpoints,
    }
