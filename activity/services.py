"""Writes to the one activity log. Every service that changes domain state calls ``record``."""

from django.contrib.contenttypes.models import ContentType

from .models import ActivityLog


def record(
    *,
    actor,
    action: str,
    obj=None,
    subject=None,
    working_group=None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict | None = None,
) -> ActivityLog:
    """Write one row of the activity log, inside the caller's transaction.

    ``actor`` is the user who acted (None for the system: a beat job, a migration); ``obj`` the
    object changed; ``subject`` the person the change concerns; ``working_group`` the group whose
    chairs may see the row. Side effects: none beyond the row.
    """
    from .actions import ACTIONS

    if action not in ACTIONS:
        raise ValueError(f"Unknown activity action {action!r}: add it to activity.actions.ACTIONS.")
    return ActivityLog.objects.create(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        subject=subject,
        working_group=working_group,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        note=note,
        data=data or {},
    )
