"""Read the activity log back in tests: exact rows, oldest first."""

from activity.models import ActivityLog

RELATED = ("application", "participation", "invitation", "event")


def activity_rows(*fields, **filters) -> list[tuple]:
    """``(action, from_state, to_state)`` (or the ``fields`` given) of the matching rows, oldest first.

    ``application=``, ``participation=``, ``invitation=`` and ``event=`` match the ids each row keeps in
    ``data``; other filters are ActivityLog lookups.
    """
    for name in RELATED:
        if name in filters:
            filters[f"data__{name}"] = filters.pop(name).pk
    fields = fields or ("action", "from_state", "to_state")
    return list(ActivityLog.objects.filter(**filters).order_by("pk").values_list(*fields))


def activity_about(obj, *fields, **filters) -> list:
    """The rows whose object is ``obj`` (an issue, an event), oldest first; one field gives a flat list."""
    from django.contrib.contenttypes.models import ContentType

    rows = ActivityLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, **filters
    ).order_by("pk")
    if len(fields) == 1:
        return list(rows.values_list(fields[0], flat=True))
    return list(rows.values_list(*(fields or ("action", "from_state", "to_state"))))
