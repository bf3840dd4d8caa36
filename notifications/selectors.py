"""Reading notifications: always one person's own."""

from django.db.models import BooleanField, ExpressionWrapper, Q

from .models import Kind, Mode, Notification, NotificationPreference


def inbox(user):
    """The person's notifications, unread first, newest first within each."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notification.objects.filter(recipient=user)
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-id")
    )


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preference_modes(user_ids, kind: str) -> dict[int, str]:
    """The chosen mode per person for one kind; a person without a choice is absent."""
    return dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "mode"
        )
    )


def preferences(user) -> dict[str, str]:
    """Every kind with the person's mode (immediate where they have not chosen)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    return {kind: chosen.get(kind, Mode.IMMEDIATE) for kind in Kind.values}
