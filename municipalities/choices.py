from django.db import models
from django.utils.translation import gettext_lazy as _


class GovernanceMode(models.TextChoices):
    """Provan & Kenis' governance modes, as used in the V6 report."""

    SHARED = "shared", _("Delad styrning")
    LEAD_ORGANISATION = "lead", _("Ledande organisation")
    NETWORK_ADMINISTRATIVE = "nao", _("Nätverksadministrativ organisation")


class CollaborationForm(models.TextChoices):
    AGREEMENT = "avtalssamverkan", _("Avtalssamverkan")
    JOINT_COMMITTEE = "gemensam_namnd", _("Gemensam nämnd")
    FEDERATION = "kommunalforbund", _("Kommunalförbund")
    JOINT_COMPANY = "gemensamt_bolag", _("Gemensamt bolag, stiftelse eller förening")
    PURCHASING_CENTRE = "inkopscentral", _("Inköpscentral")
    INFORMAL = "informell", _("Informell samverkan")


class CollaborationLevel(models.IntegerChoices):
    """The Dalsland pre-study's five levels of collaboration."""

    SUPPORTIVE = 1, _("1. Stödjande")
    SUPPORTING = 2, _("2. Stöttande")
    CAPACITY = 3, _("3. Kapacitetssamverkan")
    SUSTAINING = 4, _("4. Upprätthållande")
    JOINT = 5, _("5. Gemensam")


COLLABORATION_LEVEL_DEFINITIONS = {
    CollaborationLevel.SUPPORTIVE: _(
        "Kommuner med likartad förmåga stärker varandra inom ett avgränsat område."
    ),
    CollaborationLevel.SUPPORTING: _(
        "En stark kommun lyfter kommuner med mindre förmåga (asymmetrisk samverkan)."
    ),
    CollaborationLevel.CAPACITY: _(
        "Likvärdiga kommuner samlar kapacitet och redundans inom ett avgränsat men kritiskt område."
    ),
    CollaborationLevel.SUSTAINING: _(
        "En kommun erbjuder en tjänst som de andra inte kan upprätthålla på egen hand."
    ),
    CollaborationLevel.JOINT: _(
        "Flera kommuner skapar något tillsammans; långsiktigt och med högt förtroende."
    ),
}


class ChangeSubject(models.TextChoices):
    """What a reference change concerns."""

    CONSTELLATION = "constellation", _("samverkanskonstellation")
    AGREEMENT = "agreement", _("avtal")
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class ChangeAction(models.TextChoices):
    MEMBER_ADDED = "member_added", _("kommun tillagd")
    MEMBER_REMOVED = "member_removed", _("kommun borttagen")
    PERSON_ADDED = "person_added", _("person tillagd")
    ROLE_GRANTED = "role_granted", _("roll tilldelad")
    ROLE_REVOKED = "role_revoked", _("roll borttagen")
    MOVED = "moved", _("flyttad till en annan kommun")
    ACTIVATED = "activated", _("konto aktiverat")
    DEACTIVATED = "deactivated", _("konto inaktiverat")
    AGREEMENT_ADDED = "agreement_added", _("avtal tillagt")
    AGREEMENT_CHANGED = "agreement_changed", _("avtal ändrat")
    PARTY_ADDED = "party_added", _("part tillagd")
    PARTY_REMOVED = "party_removed", _("part borttagen")
    ORGANISATION_ADDED = "org_added", _("organisation tillagd")
    ORGANISATION_REMOVED = "org_removed", _("organisation borttagen")
    CREATED = "created", _("skapad")
    CHANGED = "changed", _("ändrad")


class OrganisationKind(models.TextChoices):
    """Parties besides the municipalities."""

    FEDERATION = "kommunalforbund", _("Kommunalförbund")
    REGION = "region", _("Region")
    COUNTY_BOARD = "lansstyrelse", _("Länsstyrelse")
    COMPANY = "bolag", _("Bolag")
    UNIVERSITY = "larosate", _("Universitet eller högskola")
    OTHER = "annan", _("Annan organisation")
