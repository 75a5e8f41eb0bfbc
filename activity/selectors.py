"""Reads of the activity log: the history pages and the short logs on an event's or an issue's page."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .models import ActivityLog


def activity(*, group=None, action: str = "", person: str = "", since=None, until=None, working_group=None):
    """The log, newest first, in a fixed number of queries whatever its length.

    ``group`` limits to one group's part (a chair's view); ``working_group`` is the organizers' filter
    of the same. ``person`` matches the actor or the person concerned by e-mail or name; ``since`` and
    ``until`` are dates, both included.
    """
    entries = ActivityLog.objects.select_related("actor__profile", "subject__profile", "working_group")
    for scope in (group, working_group):
        if scope is not None:
            entries = entries.filter(working_group=scope)
    if action:
        entries = entries.filter(action=action)
    if person:
        entries = entries.filter(
            Q(actor__email__icontains=person)
            | Q(actor__profile__display_name__icontains=person)
            | Q(subject__email__icontains=person)
            | Q(subject__profile__display_name__icontains=person)
        )
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries.order_by("-created_at", "-pk")


def activity_of(obj, *, limit: int = 20) -> list[ActivityLog]:
    """The newest entries about one object (an event with its sessions, an issue)."""
    content_type = ContentType.objects.get_for_model(obj)
    about = Q(content_type=content_type, object_id=obj.pk) | Q(**{f"data__{content_type.model}": obj.pk})
    return list(
        ActivityLog.objects.filter(about).select_related("actor__profile").order_by("-created_at", "-pk")[:limit]
    )


def has_activity(obj, action: str) -> bool:
    """Whether this action was ever recorded about this object (a once-only step, say)."""
    content_type = ContentType.objects.get_for_model(obj)
    return ActivityLog.objects.filter(content_type=content_type, object_id=obj.pk, action=action).exists()
