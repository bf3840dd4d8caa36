"""Row-level access: what a user may see.

A user sees the portfolios of the constellations their municipality belongs to and
nothing else. Every list and every detail, in pages, API, reports and exports, goes
through these functions; a forbidden object answers like a missing one (404).
"""

from django.db.models import Q, QuerySet

from municipalities.models import Agreement, Constellation, Municipality

from ..models import Initiative, Portfolio


def visible_constellations(user) -> QuerySet[Constellation]:
    if not user.is_authenticated:
        return Constellation.objects.none()
    if user.is_superuser:
        return Constellation.objects.all()
    if user.municipality_id is None:
        return Constellation.objects.none()
    return Constellation.objects.filter(members=user.municipality_id)


def visible_municipalities(user) -> QuerySet[Municipality]:
    """The user's own municipality and the members of their constellations: whose
    economy the user may look up. (Names and codes of all municipalities are reference
    data; their figures are not.)"""
    if not user.is_authenticated:
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(
        Q(pk=user.municipality_id)
        | Q(
            pk__in=Constellation.members.through.objects.filter(
                constellation__in=visible_constellations(user).values("id")
            ).values("municipality_id")
        )
    )


def visible_portfolios(user) -> QuerySet[Portfolio]:
    if not user.is_authenticated:
        return Portfolio.objects.none()
    if user.is_superuser:
        return Portfolio.objects.all()
    return Portfolio.objects.filter(constellation__in=visible_constellations(user).values("id"))


def visible_initiatives(user) -> QuerySet[Initiative]:
    return Initiative.objects.filter(portfolio__in=visible_portfolios(user).values("id"))


def visible_agreements(user) -> QuerySet[Agreement]:
    """Agreements of the user's constellations, and those their municipality is a party
    to (a region's agreement with one of them, say)."""
    queryset = Agreement.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    party_of = Agreement.parties.through.objects.filter(
        municipality_id=user.municipality_id
    ).values("agreement_id")
    return queryset.filter(
        Q(constellation__in=visible_constellations(user).values("id")) | Q(pk__in=party_of)
    )
