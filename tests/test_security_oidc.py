"""Optional single sign-on: set by environment variables, users placed in their municipality."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import SuspiciousOperation

from accounts.models import User
from accounts.oidc import MunicipalityOIDCBackend, municipality_for_claims
from accounts.oidc_config import OIDCConfigurationError, oidc_settings, parse_domain_map
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
ENTRA = {
    "OIDC_RP_CLIENT_ID": "client-id",
    "OIDC_RP_CLIENT_SECRET": "client-secret",
    "OIDC_ENTRA_TENANT_ID": "tenant-1",
    "OIDC_EMAIL_DOMAINS": "bengtsfors.se=1460, amal.se=1492",
}


def test_single_sign_on_is_off_without_its_variables():
    assert oidc_settings({}) == {"OIDC_ENABLED": False}
    assert oidc_settings({"OIDC_RP_CLIENT_ID": "x"}) == {"OIDC_ENABLED": False}


def test_entra_endpoints_are_derived_from_the_tenant():
    config = oidc_settings(ENTRA)
    assert config["OIDC_ENABLED"]
    assert config["OIDC_OP_AUTHORIZATION_ENDPOINT"] == (
        "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/authorize"
    )
    assert config["OIDC_OP_JWKS_ENDPOINT"].endswith("/tenant-1/discovery/v2.0/keys")
    assert config["OIDC_EMAIL_DOMAINS"] == {"bengtsfors.se": "1460", "amal.se": "1492"}
    assert config["OIDC_RP_SIGN_ALGO"] == "RS256"


def test_a_half_configured_provider_refuses_to_start():
    with pytest.raises(OIDCConfigurationError, match="OIDC_OP_TOKEN_ENDPOINT"):
        oidc_settings({**ENTRA, "OIDC_ENTRA_TENANT_ID": ""})
    with pytest.raises(OIDCConfigurationError, match="municipality"):
        oidc_settings({**ENTRA, "OIDC_EMAIL_DOMAINS": ""})
    with pytest.raises(OIDCConfigurationError):
        parse_domain_map("bengtsfors.se:1460")


@pytest.fixture
def sso(settings):
    for name, value in oidc_settings({**ENTRA, "OIDC_MUNICIPALITY_CLAIM": "kommunkod"}).items():
        setattr(settings, name, value)
    return MunicipalityOIDCBackend()


@pytest.mark.django_db
def test_municipality_comes_from_the_claim_before_the_email_domain(sso):
    assert municipality_for_claims({"email": "a@amal.se", "kommunkod": "1460"}).code == "1460"
    assert municipality_for_claims({"email": "A@AMAL.SE"}).code == "1492"
    assert municipality_for_claims({"email": "a@example.com"}) is None


@pytest.mark.django_db
def test_a_new_person_gets_an_account_in_their_municipality_and_no_roles(sso):
    claims = {"email": "Anna.Berg@Bengtsfors.se", "given_name": "Anna", "family_name": "Berg"}
    assert sso.verify_claims(claims)
    person = sso.create_user(claims)
    assert person.municipality.code == "1460"
    assert person.email == "anna.berg@bengtsfors.se"
    assert person.get_full_name() == "Anna Berg"
    assert person.roles == frozenset()
    assert not person.has_usable_password()


@pytest.mark.django_db
def test_an_existing_account_is_found_by_email_and_kept_up_to_date(sso):
    person = factories.user("1460", username="anna")
    person.email = "anna.berg@amal.se"
    person.save()
    claims = {"email": "ANNA.BERG@amal.se", "given_name": "Anna", "family_name": "Berg"}
    [found] = sso.filter_users_by_claims(claims)
    assert found == person
    sso.update_user(found, claims)
    person.refresh_from_db()
    assert person.municipality.code == "1492"
    assert person.last_name == "Berg"


@pytest.mark.django_db
def test_a_person_outside_every_mapped_municipality_is_refused(sso):
    assert not sso.verify_claims({"email": "someone@example.com"})
    assert not sso.verify_claims({"name": "No Mail"})


@pytest.mark.django_db
def test_refused_claims_create_no_account(sso, monkeypatch):
    monkeypatch.setattr(sso, "get_userinfo", lambda *a: {"email": "x@example.com"})
    with pytest.raises(SuspiciousOperation):
        sso.get_or_create_user("access", "id", {})
    assert not User.objects.filter(email="x@example.com").exists()


def test_with_the_variables_set_the_login_page_offers_single_sign_on():
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    env.update(ENTRA)
    script = (
        "import django, os;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'samverkan.settings');"
        "django.setup();"
        "from django.conf import settings; from django.urls import reverse;"
        "print(reverse('oidc_authentication_init'));"
        "print(settings.AUTHENTICATION_BACKENDS[-1])"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/oidc/authenticate/", "accounts.oidc.MunicipalityOIDCBackend"]


@pytest.mark.django_db
def test_without_the_variables_the_login_page_has_no_single_sign_on(client):
    page = client.get("/login/").content.decode()
    assert "single sign-on" not in page


# Roles from the identity provider's groups, and several municipalities' tenants.

TENANTS = {
    **ENTRA,
    "OIDC_ENTRA_TENANT_ID": "",
    "OIDC_EMAIL_DOMAINS": "",
    "OIDC_TENANTS": "AAAA-1460=1460, bbbb-1492=1492",
    "OIDC_GROUP_ROLES": "g-kd=kommundirektor, g-it=it_chef, g-both=it_chef, g-both=lasare",
}


@pytest.fixture
def tenants(settings):
    for name, value in oidc_settings(TENANTS).items():
        setattr(settings, name, value)
    return MunicipalityOIDCBackend()


def test_several_tenants_use_entras_multi_tenant_endpoints():
    config = oidc_settings(TENANTS)
    assert "/organizations/oauth2/v2.0/authorize" in config["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    assert config["OIDC_TENANTS"] == {"aaaa-1460": "1460", "bbbb-1492": "1492"}
    assert config["OIDC_GROUP_ROLES"]["g-both"] == frozenset({"it_chef", "lasare"})
    with pytest.raises(OIDCConfigurationError, match="ingen roll"):
        oidc_settings({**TENANTS, "OIDC_GROUP_ROLES": "g=kung"})
    with pytest.raises(OIDCConfigurationError, match="kommunkod"):
        oidc_settings({**TENANTS, "OIDC_TENANTS": "t=Åmål"})


def test_the_role_names_of_the_group_map_are_the_products_roles():
    from accounts.models import Role
    from accounts.oidc_config import ROLES

    assert set(ROLES) == set(Role.values)


def _claims(tenant, email, groups=()):
    return {
        "email": email,
        "given_name": "Anna",
        "family_name": "Berg",
        "tid": tenant,
        "iss": f"https://login.microsoftonline.com/{tenant}/v2.0",
        "groups": list(groups),
    }


@pytest.mark.django_db
def test_two_tenants_sign_in_each_to_its_own_municipality(tenants):
    bengtsfors = _claims("aaaa-1460", "anna@bengtsfors.se", ["g-kd"])
    amal = _claims("bbbb-1492", "olle@amal.se", ["g-it"])
    assert tenants.verify_claims(bengtsfors) and tenants.verify_claims(amal)
    anna = tenants.create_user(bengtsfors)
    olle = tenants.create_user(amal)
    assert (anna.municipality.code, olle.municipality.code) == ("1460", "1492")
    assert anna.roles == {"kommundirektor"} and olle.roles == {"it_chef"}
    # A tenant not listed, or a token whose issuer is not the tenant's, is refused.
    assert not tenants.verify_claims(_claims("cccc-other", "eve@example.com"))
    forged = {**bengtsfors, "iss": "https://login.microsoftonline.com/cccc-other/v2.0"}
    assert not tenants.verify_claims(forged)


@pytest.mark.django_db
def test_groups_decide_the_mapped_roles_at_each_sign_in(tenants):
    from accounts.models import RoleAssignment, User
    from municipalities.models_history import ReferenceChange

    person = tenants.create_user(_claims("aaaa-1460", "anna@bengtsfors.se", ["g-kd"]))
    # The samordnare also made her programledare: not a role the groups decide.
    RoleAssignment.objects.create(user=person, role="programledare")
    tenants.update_user(person, _claims("aaaa-1460", "anna@bengtsfors.se", ["g-both"]))
    assert User.objects.get(pk=person.pk).roles == {"programledare", "it_chef", "lasare"}
    tenants.update_user(person, _claims("aaaa-1460", "anna@bengtsfors.se", []))
    assert User.objects.get(pk=person.pk).roles == {"programledare"}
    # A role the groups take away ends; its record stays as history.
    ended = RoleAssignment.objects.filter(user=person, ends_on__isnull=False)
    assert set(ended.values_list("role", flat=True)) == {"kommundirektor", "it_chef", "lasare"}
    recorded = ReferenceChange.objects.filter(subject_id=person.pk)
    assert recorded.filter(action="role_granted").count() == 3  # kd, it_chef, lasare
    assert recorded.filter(action="role_revoked").count() == 3


@pytest.mark.django_db
def test_the_tenant_and_groups_come_from_the_verified_id_token(tenants, monkeypatch):
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend

    monkeypatch.setattr(
        OIDCAuthenticationBackend, "get_userinfo", lambda self, a, i, p: {"email": "a@b.se"}
    )
    payload = {"tid": "aaaa-1460", "iss": "x", "groups": ["g-kd"], "email": "other@x.se"}
    claims = tenants.get_userinfo("access", "id", payload)
    assert claims == {"email": "a@b.se", "tid": "aaaa-1460", "iss": "x", "groups": ["g-kd"]}
