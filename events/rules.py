"""Who may do what with events; built on the predicates of ``roles.rules``.

``registration_refusal`` is not a permission but the reason someone cannot register now (the page
shows it, the service raises it): it depends on the event's state as much as on the person, and a
superuser (to whom ``has_perm`` always says yes) must not register for a closed event either.
"""

import rules
from django.utils import timezone

from roles.rules import is_organizer, is_verified, owns

SIGN_IN_TO_REGISTER = "Sign in to register."


def registration_refusal(user, event, *, now=None) -> str:
    """Why this person cannot register now, or "" when they can."""
    now = now or timezone.now()
    if not event.is_published:
        return "This event is not published."
    if not event.registration_open:
        return "Registration is closed."
    if now >= event.registration_closes_at:
        return (
            "Registration has closed."
            if now < event.start
            else "This event has already started: registration is closed."
        )
    if not user or not user.is_authenticated:
        return SIGN_IN_TO_REGISTER
    if not is_verified(user):
        return "Verify your e-mail address to register."
    return ""


# Create, edit, publish events and their sessions, message and export registrations.
rules.add_perm("events.manage_events", is_organizer)
rules.add_perm("events.edit_event", is_organizer)
rules.add_perm("events.cancel_registration", owns | is_organizer)


from . import programme_rules  # noqa: E402, F401  (registers the programme's permissions)
