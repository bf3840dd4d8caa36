"""Writing reference-data history: one row per change, in the caller's transaction."""

from .models_history import ReferenceChange


def reference_change_record(
    *,
    subject: str,
    subject_id: int,
    subject_name: str,
    action: str,
    actor,
    reason: str = "",
    municipality=None,
    organisation=None,
    detail: str = "",
    effective_on=None,
) -> ReferenceChange:
    return ReferenceChange.objects.create(
        subject=subject,
        subject_id=subject_id,
        subject_name=subject_name[:200],
        action=action,
        municipality=municipality,
        organisation=organisation,
        detail=detail,
        effective_on=effective_on,
        reason=(reason or "")[:300],
        actor=actor if getattr(actor, "pk", None) else None,
    )
