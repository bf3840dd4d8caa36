"""Who may manage whom: the one place for people and role administration.

A samordnare manages the people of the municipalities in their own constellations (the
members of every constellation their municipality belongs to), and only their
operational roles. What decides for a municipality or for the collaboration (the
kommundirektör and samordnare roles), staff and superuser accounts, and one's own
account are changed only by a system administrator (superuser), who acts on the
decision the governance names. No one sets another person's password: a new person
chooses their own through a link sent by e-mail.
"""

from django.db.models import QuerySet

from municipalities.models import Municipality

from .models import Role

# Roles that decide for a municipality (kommundirektör) or widen who may manage whom
# (samordnare): granting one is never the samordnare's to do.
PRIVILEGED_ROLES = frozenset({Role.DIRECTOR, Role.COORDINATOR})
GRANTABLE_ROLES = tuple(role for role in Role.values if role not in PRIVILEGED_ROLES)


def is_coordinator(user) -> bool:
    # People are managed for the whole constellation: a samordnare of one portfolio
    # only is not the constellation's.
    return bool(
        user.is_active and user.is_authenticated and user.holds_everywhere(Role.COORDINATOR)
    )


def coordinates(user, constellation) -> bool:
    """The portfolio office of a constellation: a samordnare whose municipality belongs
    to it (None: of some constellation, to be named later). It starts the constellation's
    portfolios and registers its agreements."""
    if not user.is_authenticated or not user.holds_everywhere(Role.COORDINATOR):
        return False
    if constellation is None:
        return True
    return constellation.members.filter(pk=user.municipality_id).exists()


def managed_municipalities(actor) -> QuerySet[Municipality]:
    """The municipalities whose people the actor manages: every member of every
    constellation the actor's own municipality belongs to."""
    if not is_coordinator(actor) or actor.municipality_id is None:
        return Municipality.objects.none()
    return Municipality.objects.filter(constellations__members=actor.municipality_id).distinct()


def can_manage_people(actor) -> bool:
    return is_coordinator(actor) and actor.municipality_id is not None


def is_privileged(person) -> bool:
    return bool(person.is_superuser or person.is_staff or PRIVILEGED_ROLES & person.roles)


def can_manage_person(actor, person) -> bool:
    """The samordnare may change this person (names, e-mail, title, municipality,
    operational roles, active) through the people pages and API."""
    return person.pk in manageable(actor, [person])


def manageable(actor, people) -> set[int]:
    """The ids of those among people whom the actor may change; one query however
    many people are asked about."""
    if not can_manage_people(actor):
        return set()
    managed = set(managed_municipalities(actor).values_list("pk", flat=True))
    return {
        person.pk
        for person in people
        if person.pk != actor.pk and not is_privileged(person) and person.municipality_id in managed
    }


def grantable_roles(actor) -> tuple[str, ...]:
    return GRANTABLE_ROLES if can_manage_people(actor) else ()


def uses_admin(user) -> bool:
    """The admin site bypasses these rules, so only a system administrator reaches it."""
    return bool(user.is_active and user.is_superuser)
