"""The vocabulary of the activity log: every action a service records, with its label.

Actions are dotted and stable, ``<app>.<object>.<verb>``. The history pages offer these as filters;
``tests/activity`` checks that every action recorded by the code is listed here.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # roles: applications
    "roles.application.applied": _("Applied"),
    "roles.application.granted": _("Granted at once"),
    "roles.application.approved": _("Application approved"),
    "roles.application.declined": _("Application declined"),
    "roles.application.withdrawn": _("Application withdrawn"),
    # roles: participations
    "roles.participation.waitlisted": _("Put on the waiting list"),
    "roles.participation.moved_up": _("Moved up from the waiting list"),
    "roles.participation.left": _("Left"),
    "roles.participation.removed": _("Removed"),
    "roles.participation.promoted": _("Promoted to co-chair"),
    "roles.participation.demoted": _("Stepped down from chair to participant"),
    "roles.participation.appointed": _("Appointed chair"),
    # roles: invitations
    "roles.invitation.sent": _("Invited"),
    "roles.invitation.resent": _("Invitation resent"),
    "roles.invitation.withdrawn": _("Invitation withdrawn"),
    "roles.invitation.accepted": _("Invitation accepted"),
    # working groups
    "working_groups.group.created": _("Group created"),
    "working_groups.group.updated": _("Group page edited"),
    # events
    "events.event.created": _("Event created"),
    "events.event.updated": _("Event edited"),
    "events.event.published": _("Event published"),
    "events.event.unpublished": _("Event unpublished"),
    "events.event.deleted": _("Event deleted"),
    "events.event.message_sent": _("Message sent to the registered"),
    "events.session.added": _("Session added"),
    "events.session.updated": _("Session edited"),
    "events.session.deleted": _("Session deleted"),
    "events.poster.added": _("Poster added"),
    "events.poster.deleted": _("Poster deleted"),
    "events.registration.registered": _("Registered"),
    "events.registration.waitlisted": _("Put on the event's waiting list"),
    "events.registration.moved_up": _("Moved up from the event's waiting list"),
    "events.registration.cancelled": _("Registration cancelled"),
    # tokens
    "events.calendar_token.reset": _("Calendar address renewed"),
    "accounts.api_token.created": _("API token created"),
    "accounts.api_token.revoked": _("API token revoked"),
    # newsletter
    "newsletter.issue.drafted": _("Issue drafted"),
    "newsletter.issue.refreshed": _("Issue refreshed from the latest content"),
    "newsletter.issue.edited": _("Issue edited"),
    "newsletter.issue.test_sent": _("Test sent"),
    "newsletter.issue.approved": _("Issue approved"),
    "newsletter.issue.unapproved": _("Approval withdrawn"),
    "newsletter.issue.sending": _("Sending started"),
    "newsletter.issue.sent": _("Issue sent"),
    "newsletter.issue.resent": _("Failed deliveries queued again"),
    "newsletter.issue.reminded": _("Organizers reminded"),
    # accounts: organizer rights and the account itself
    "accounts.organizer.granted": _("Organizer rights granted"),
    "accounts.organizer.revoked": _("Organizer rights revoked"),
    "accounts.account.deleted": _("Account deleted"),
    "accounts.token.revoked_all": _("Every API token revoked (password changed)"),
    # events: the programme
    "events.speaker.created": _("Speaker added"),
    "events.speaker.updated": _("Speaker profile edited"),
    "events.track.saved": _("Track saved"),
    "events.room.saved": _("Room saved"),
    "events.call.opened": _("Call for proposals opened"),
    "events.call.updated": _("Call for proposals changed"),
    "events.host_event.created": _("Host event added"),
    "events.host_event.updated": _("Host event edited"),
    "events.proposal.submitted": _("Proposal submitted"),
    "events.proposal.updated": _("Proposal edited"),
    "events.proposal.accepted": _("Proposal accepted"),
    "events.proposal.declined": _("Proposal declined"),
    "events.proposal.changes_requested": _("Changes asked for a proposal"),
    "events.proposal.placed": _("Proposal placed in the programme"),
    # tasks
    "tasks.task.created": _("Task created"),
    "tasks.task.edited": _("Task edited"),
    "tasks.task.copied": _("Task copied"),
    "tasks.task.published": _("Task published"),
    "tasks.task.reopened": _("Task reopened"),
    "tasks.task.paused": _("Task paused"),
    "tasks.task.closed": _("Task closed"),
    "tasks.task.draft": _("Task back to draft"),
    "tasks.reviewer.named": _("Task reviewer named"),
    "tasks.reviewer.removed": _("Task reviewer removed"),
    "tasks.claim.created": _("Task claimed"),
    "tasks.claim.withdrawn": _("Claim given up"),
    "tasks.claim.reminded": _("Claim reminded"),
    "tasks.claim.released": _("Claim released"),
    "tasks.contribution.reported": _("Contribution reported"),
    "tasks.contribution.accepted": _("Contribution accepted"),
    "tasks.contribution.changes": _("Changes asked for a contribution"),
    "tasks.contribution.rejected": _("Contribution rejected"),
    "tasks.token.created": _("Group tool token created"),
    "tasks.token.revoked": _("Group tool token revoked"),
    # credit
    "credit.output.created": _("Output registered"),
    "credit.output.updated": _("Output edited"),
    "credit.contributor.added": _("Contributor added"),
    "credit.contributor.updated": _("Contributor edited"),
    "credit.contributor.moved": _("Contributor moved"),
    "credit.contributor.removed": _("Contributor removed"),
    "credit.contributor.confirmed": _("Credit confirmed"),
    "credit.settings.changed": _("Credit list visibility changed"),
}


def label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def choices() -> list[tuple[str, str]]:
    return [(action, str(text)) for action, text in ACTIONS.items()]
