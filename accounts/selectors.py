"""Reading people: whom the samordnare sees on the people pages and in the API."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from . import policies
from .models import Role, RoleAssignment, User
from .roles import is_in_force


def people_for(actor) -> QuerySet[User]:
    """Everyone in the municipalities the actor manages (privileged accounts too, shown
    read-only); nobody for anyone else. One query, roles prefetched."""
    return (
        User.objects.filter(municipality__in=policies.managed_municipalities(actor))
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related(
                    "portfolio", "program", "granted_by", "ended_by"
                ).order_by("role", "-granted_at", "-id"),
            )
        )
        .order_by("municipality__name", "last_name", "first_name", "username")
    )


def person_for(actor, pk: int) -> User:
    """One person the actor sees; anyone else does not exist for them (404)."""
    return people_for(actor).get(pk=pk)


def role_labels(person) -> list[str]:
    """The roles in force today; one for a portfolio or program names where it holds."""
    labels = dict(Role.choices)
    today = timezone.localdate()
    return [
        str(labels[a.role])
        if a.portfolio_id is None
        else f"{labels[a.role]} ({a.program or a.portfolio})"
        for a in person.role_assignments.all()
        if is_in_force(a, today)
    ]
