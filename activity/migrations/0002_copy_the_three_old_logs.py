"""Copy the rows of the three logs of before (roles.AuditEntry, events.EventLogEntry,
newsletter.IssueEvent) into the one activity log, keeping who, when, what, which object and the
states. Each copied row keeps where it came from in ``data["legacy"]``, so running it again copies
nothing twice. The old tables are dropped by the next migration of each app.
"""

from django.db import migrations

ROLE_ACTIONS = {
    "applied": "roles.application.applied",
    "approved": "roles.application.approved",
    "declined": "roles.application.declined",
    "withdrawn": "roles.application.withdrawn",
    "granted": "roles.application.granted",
    "waitlisted": "roles.participation.waitlisted",
    "moved_up": "roles.participation.moved_up",
    "left": "roles.participation.left",
    "removed": "roles.participation.removed",
    "promoted": "roles.participation.promoted",
    "demoted": "roles.participation.demoted",
    "appointed": "roles.participation.appointed",
    "invited": "roles.invitation.sent",
    "invitation_resent": "roles.invitation.resent",
    "invitation_withdrawn": "roles.invitation.withdrawn",
    "invitation_accepted": "roles.invitation.accepted",
    "group_created": "working_groups.group.created",
    "group_updated": "working_groups.group.updated",
}
EVENT_ACTIONS = {
    "created": "events.event.created",
    "updated": "events.event.updated",
    "published": "events.event.published",
    "unpublished": "events.event.unpublished",
    "message sent": "events.event.message_sent",
    "session added": "events.session.added",
    "session updated": "events.session.updated",
    "session deleted": "events.session.deleted",
    "poster added": "events.poster.added",
    "poster deleted": "events.poster.deleted",
    "registration cancelled": "events.registration.cancelled",
}
ISSUE_STATES = {
    "drafted": ("", "draft"),
    "approved": ("draft", "approved"),
    "unapproved": ("approved", "draft"),
    "sending": ("approved", "sending"),
    "sent": ("sending", "sent"),
}
BATCH = 1000


def copy_old_logs(apps, schema_editor):
    ActivityLog = apps.get_model("activity", "ActivityLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    done = set(
        ActivityLog.objects.filter(data__has_key="legacy").values_list("data__legacy", flat=True).iterator()
    )
    types = {}

    def content_type(app_label, model):
        if (app_label, model) not in types:
            types[app_label, model] = ContentType.objects.get_or_create(app_label=app_label, model=model)[0]
        return types[app_label, model]

    rows = []

    def add(legacy, **fields):
        if legacy in done:
            return
        fields["data"]["legacy"] = legacy
        rows.append(ActivityLog(**fields))
        if len(rows) >= BATCH:
            ActivityLog.objects.bulk_create(rows)
            rows.clear()

    AuditEntry = apps.get_model("roles", "AuditEntry")
    for entry in AuditEntry.objects.select_related("role").order_by("pk").iterator():
        action = ROLE_ACTIONS.get(entry.action, f"roles.participation.{entry.action}")
        kind = action.split(".")[1]
        ids = {
            "application": entry.application_id,
            "participation": entry.participation_id,
            "invitation": entry.invitation_id,
        }
        if kind == "group":
            target = ("working_groups", "workinggroup", entry.working_group_id)
        else:
            target = ("roles", kind, ids[kind])
        data = {name: value for name, value in ids.items() if value is not None}
        if entry.role_id:
            data["role"] = entry.role.slug
        add(
            f"roles.auditentry:{entry.pk}",
            actor_id=entry.actor_id,
            action=action,
            content_type=content_type(target[0], target[1]) if target[2] else None,
            object_id=target[2],
            subject_id=entry.subject_id,
            working_group_id=entry.working_group_id,
            from_state=entry.from_state,
            to_state=entry.to_state,
            note=entry.note,
            data=data,
            created_at=entry.created_at,
        )

    EventLogEntry = apps.get_model("events", "EventLogEntry")
    for entry in EventLogEntry.objects.order_by("pk").iterator():
        action = EVENT_ACTIONS.get(entry.action, "events.event.updated")
        target_model, target_id = "event", entry.event_id
        detail = entry.detail.split()
        if action == "events.registration.cancelled" and len(detail) == 2 and detail[1].isdigit():
            target_model, target_id = "registration", int(detail[1])
        add(
            f"events.eventlogentry:{entry.pk}",
            actor_id=entry.actor_id,
            action=action,
            content_type=content_type("events", target_model),
            object_id=target_id,
            note=entry.detail if entry.action in EVENT_ACTIONS else f"{entry.action}: {entry.detail}",
            data={"event": entry.event_id},
            created_at=entry.created_at,
        )

    IssueEvent = apps.get_model("newsletter", "IssueEvent")
    for entry in IssueEvent.objects.order_by("pk").iterator():
        from_state, to_state = ISSUE_STATES.get(entry.action, ("", ""))
        add(
            f"newsletter.issueevent:{entry.pk}",
            actor_id=entry.actor_id,
            action=f"newsletter.issue.{entry.action}",
            content_type=content_type("newsletter", "issue"),
            object_id=entry.issue_id,
            from_state=from_state,
            to_state=to_state,
            note=entry.note,
            data={},
            created_at=entry.created_at,
        )
    ActivityLog.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("roles", "0002_application_invitation_auditentry_and_more"),
        ("events", "0003_constraint_messages"),
        ("newsletter", "0003_person_data_goes_with_the_account"),
    ]

    operations = [migrations.RunPython(copy_old_logs, migrations.RunPython.noop)]
