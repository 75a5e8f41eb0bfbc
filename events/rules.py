"""Who may do what with events. Views, the API and templates ask these predicates."""

from django.utils import timezone

from roles.rules import is_organizer, is_verified


def can_manage_events(user) -> bool:
    """Create, edit, publish events and their sessions, message and export registrations."""
    return is_organizer(user)


def can_edit_event(user, event) -> bool:
    return is_organizer(user)


def can_view_event(user, event) -> bool:
    """Published events are public; drafts only for organizers."""
    return event.is_published or is_organizer(user)


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


def can_register(user, event, *, now=None) -> bool:
    return not registration_refusal(user, event, now=now)


def can_cancel_registration(user, registration) -> bool:
    """The person registered, or an organizer."""
    if not user or not user.is_authenticated:
        return False
    return registration.user_id == user.pk or is_organizer(user)
