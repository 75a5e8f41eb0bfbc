"""Writes for events: scheduling, registration with capacity and waiting list, messages, reminders.

Every function checks permission through the rule book (``user.has_perm``), runs in one
transaction, records each change of events, sessions, registrations and the calendar token in the
activity log and queues e-mail through the outbox (after commit).
Registration capacity holds under concurrency because every change of registrations locks the
event row first (``select_for_update``).
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activity.services import record
from bigscience_portal.availability import publish
from bigscience_portal.mail import queue_email

from . import rules
from .calendar import event_ics
from .models import CalendarToken, Event, EventMessage, HostEvent, Poster, Registration, Session, Speaker

CURRENT = [Registration.Status.REGISTERED, Registration.Status.WAITING]
# The wording is lazy: it is written in each recipient's language when their e-mail is rendered.
REMINDERS = (("24h", timedelta(hours=24), _("24 hours")), ("1h", timedelta(hours=1), _("1 hour")))
# In the order the admin shows them; services accept exactly these (plus working groups).
EVENT_FIELDS = (
    "slug",
    "title",
    "description",
    "start",
    "end",
    "time_zone",
    "is_published",
    "stream_url",
    "place",
    "colocated_with",
    "registration_open",
    "capacity",
    "registration_deadline",
    "recording_url",
)
SESSION_FIELDS = {
    "kind",
    "title",
    "abstract",
    "start",
    "end",
    "room",
    "stream_url",
    "recording_url",
    "slides_url",
    "capacity",
    "track",
}
# A change of any of these moves the session in calendars: its iCalendar SEQUENCE grows.
SESSION_MOVING_FIELDS = ("start", "end", "room_id")


def _require(allowed: bool, message: str = "Only organizers can change events.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def _log(event: Event, actor, action: str, detail: str = "", *, obj=None, subject=None, from_state="", to_state=""):
    """One row of the activity log about this event (``data.event`` ties sessions and registrations to it)."""
    record(
        actor=actor,
        action=f"events.{action}",
        obj=obj if obj is not None else event,
        subject=subject,
        from_state=from_state,
        to_state=to_state,
        note=detail[:300],
        data={"event": event.pk},
    )


def _people(count: int) -> str:
    return "1 person is" if count == 1 else f"{count} people are"


def _unknown(fields: dict, allowed) -> None:
    extra = set(fields) - set(allowed)
    if extra:
        raise TypeError(f"Unknown fields: {', '.join(sorted(extra))}")


# --- Organizers: events -------------------------------------------------------------------------


HOST_EVENT_FIELDS = ("name", "start", "end", "place", "url")


def save_host_event(*, actor, host: HostEvent | None = None, **fields) -> HostEvent:
    """Create (``host=None``) or change an event that portal events are co-located with.

    Side effects: an activity-log row.
    """
    _require(actor.has_perm("events.manage_events"))
    _unknown(fields, HOST_EVENT_FIELDS)
    with transaction.atomic():
        if host is None:
            host, verb = HostEvent(**fields), "created"
        else:
            host, verb = HostEvent.objects.select_for_update().get(pk=host.pk), "updated"
            for name, value in fields.items():
                setattr(host, name, value)
        host.full_clean()
        host.save()
        record(actor=actor, action=f"events.host_event.{verb}", obj=host, note=host.name)
    return host


def create_event(*, actor, working_groups=(), **fields) -> Event:
    """Create an event (unpublished unless ``is_published=True``). Side effects: a log entry."""
    _require(actor.has_perm("events.manage_events"))
    _unknown(fields, EVENT_FIELDS)
    with transaction.atomic():
        event = Event(created_by=actor, **fields)
        _check_event_times(event)
        event.full_clean()
        event.save()
        event.working_groups.set(working_groups)
        _log(event, actor, "event.created", event.title)
    return event


def update_event(*, event: Event, actor, working_groups=None, **fields) -> Event:
    """Change an event's fields. Refuses a capacity below the number registered and times that
    would leave sessions outside the event. Side effects: a log entry; more places move people up
    from the waiting list; a recording link added after the event is announced (once)."""
    _require(actor.has_perm("events.edit_event", event))
    _unknown(fields, EVENT_FIELDS)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        had_recording = bool(event.recording_url)
        for name, value in fields.items():
            setattr(event, name, value)
        _check_event_times(event)
        event.full_clean()
        _check_capacity(event, event.capacity, session=None)
        _check_sessions_inside(event)
        event.save()
        if working_groups is not None:
            event.working_groups.set(working_groups)
        _log(event, actor, "event.updated", ", ".join(sorted(fields)))
        _fill_from_waiting_list(event, session=None, actor=actor)
        if event.recording_url and not had_recording and event.is_over():
            from .tasks import task_announce_recording

            transaction.on_commit(lambda: task_announce_recording.delay(event.pk))
    return event


def set_event_published(*, event: Event, actor, published: bool) -> Event:
    """Publish or unpublish an event. Side effects: a log entry."""
    _require(actor.has_perm("events.edit_event", event))
    with transaction.atomic():
        Event.objects.filter(pk=event.pk).update(is_published=published, updated_at=timezone.now())
        event.is_published = published
        _log(
            event,
            actor,
            "event.published" if published else "event.unpublished",
            from_state="unpublished" if published else "published",
            to_state="published" if published else "unpublished",
        )
    return event


def delete_event(*, event: Event, actor) -> None:
    """Delete an event that nobody registered for; otherwise unpublish it instead."""
    _require(actor.has_perm("events.edit_event", event))
    if event.registrations.exists():
        raise ValidationError(_("People registered for this event: unpublish it instead of deleting it."))
    with transaction.atomic():
        _log(event, actor, "event.deleted", event.title)
        event.delete()


def _check_event_times(event: Event) -> None:
    if event.start and event.end and event.end <= event.start:
        raise ValidationError({"end": "The end must be after the start."})
    if event.registration_deadline and event.end and event.registration_deadline > event.end:
        raise ValidationError({"registration_deadline": "The registration deadline must be before the event ends."})


def _check_capacity(event: Event, capacity, *, session) -> None:
    if capacity is None:
        return
    taken = _registered(event, session).count()
    if capacity < taken:
        field = "capacity"
        raise ValidationError({field: f"{_people(taken)} already registered: the capacity cannot be below {taken}."})


def _check_sessions_inside(event: Event) -> None:
    outside = event.sessions.exclude(start__gte=event.start, end__lte=event.end)
    names = [s.title for s in outside[:3]]
    if names:
        raise ValidationError(
            f"These sessions would fall outside the event's new times: {', '.join(names)}. Move them first."
        )


# --- Organizers: sessions, speakers, posters ----------------------------------------------------


def create_session(*, event: Event, actor, speakers=(), room=None, working_groups=(), **fields) -> Session:
    """Add a session to an event; it must lie inside the event. ``room`` is a Room of the event
    or a room name (a new name makes a new room). Side effects: a log entry."""
    _require(actor.has_perm("events.edit_event", event))
    _unknown(fields, SESSION_FIELDS)
    with transaction.atomic():
        session = Session(event=event, room=room_of(event, room), **fields)
        _validate_session(session)
        session.save()
        session.speakers.set(speakers)
        session.working_groups.set(working_groups)
        _log(event, actor, "session.added", session.title, obj=session)
    return session


_UNCHANGED = object()


def update_session(
    *, session: Session, actor, speakers=None, room=_UNCHANGED, working_groups=None, **fields
) -> Session:
    """Change a session; refuses times outside the event and a capacity below those registered.
    Side effects: a log entry; a new time or room raises the session's calendar SEQUENCE."""
    _require(actor.has_perm("events.edit_event", session.event))
    _unknown(fields, SESSION_FIELDS)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=session.event_id)
        session = Session.objects.get(pk=session.pk)
        before = [getattr(session, name) for name in SESSION_MOVING_FIELDS]
        for name, value in fields.items():
            setattr(session, name, value)
        if room is not _UNCHANGED:
            session.room = room_of(event, room)
        if [getattr(session, name) for name in SESSION_MOVING_FIELDS] != before:
            session.sequence += 1
        _validate_session(session)
        _check_capacity(event, session.capacity, session=session)
        session.save()
        if speakers is not None:
            session.speakers.set(speakers)
        if working_groups is not None:
            session.working_groups.set(working_groups)
        _log(event, actor, "session.updated", session.title, obj=session)
        if session.capacity is not None:
            _fill_from_waiting_list(event, session=session, actor=actor)
    return session


def delete_session(*, session: Session, actor) -> None:
    """Delete a session nobody holds a place in (deleting would silently drop their places)."""
    _require(actor.has_perm("events.edit_event", session.event))
    taken = session.registrations.filter(status__in=CURRENT).count()
    if taken:
        raise ValidationError(
            f"{_people(taken)} registered for “{session.title}”: cancel their places before deleting the session."
        )
    with transaction.atomic():
        _log(session.event, actor, "session.deleted", session.title, obj=session)
        session.delete()


def room_of(event: Event, room):
    """The event's Room for ``room``: a Room, a name (created when new, matched without case) or empty."""
    from .models import Room

    if room is None or isinstance(room, Room):
        if room is not None and room.event_id != event.pk:
            raise ValidationError({"room": _("This room belongs to another event.")})
        return room
    name = str(room).strip()[:100]
    if not name:
        return None
    found = Room.objects.filter(event=event, name__iexact=name).first()
    if found:
        return found
    return Room.objects.create(event=event, name=name, order=Room.objects.filter(event=event).count())


def _validate_session(session: Session) -> None:
    event = session.event
    if session.start and session.end and session.end <= session.start:
        raise ValidationError({"end": "The end must be after the start."})
    session.full_clean()
    if session.start < event.start or session.end > event.end:
        raise ValidationError(
            "The session must take place within the event "
            f"({_local(event.start, event)} – {_local(event.end, event)}, {event.time_zone})."
        )


def _local(moment: datetime, event: Event) -> str:
    return moment.astimezone(event.zone).strftime("%d %b %Y %H:%M")


def find_or_create_speaker(*, name: str, affiliation: str = "", user=None, email: str = "") -> Speaker:
    """The speaker with this account (or, without one, this name and affiliation), created if new.
    ``email`` (never shown) is kept for a speaker without an account who had none on file."""
    name = name.strip()
    if not name:
        raise ValidationError(_("A speaker needs a name."))
    if user is not None:
        speaker = Speaker.objects.filter(user=user).first()
        if speaker:
            return speaker
        return Speaker.objects.create(name=name, affiliation=affiliation, user=user)
    speaker, _created = Speaker.objects.get_or_create(name=name, affiliation=affiliation.strip(), user=None)
    if email and not speaker.email:
        speaker.email = email
        speaker.save(update_fields=["email", "updated_at"])
    return speaker


def add_poster(*, session: Session, actor, title: str, abstract: str = "", presenters=(), working_group=None) -> Poster:
    """Add a poster, with its presenters, to a poster session."""
    _require(actor.has_perm("events.edit_event", session.event))
    if session.kind != Session.Kind.POSTER_SESSION:
        raise ValidationError(_("Posters belong in a poster session."))
    with transaction.atomic():
        poster = Poster(session=session, title=title, abstract=abstract, working_group=working_group)
        poster.full_clean()
        poster.save()
        poster.presenters.set(presenters)
        _log(session.event, actor, "poster.added", title, obj=poster)
    return poster


def delete_poster(*, poster: Poster, actor) -> None:
    _require(actor.has_perm("events.edit_event", poster.session.event))
    with transaction.atomic():
        _log(poster.session.event, actor, "poster.deleted", poster.title, obj=poster)
        poster.delete()


# --- Everyone: registration ---------------------------------------------------------------------


def _registered(event: Event, session):
    return Registration.objects.filter(event=event, session=session, status=Registration.Status.REGISTERED)


def _has_room(event: Event, session) -> bool:
    capacity = session.capacity if session is not None else event.capacity
    return capacity is None or _registered(event, session).count() < capacity


def register_for_event(*, event: Event, user) -> Registration:
    """Register the person, or put them on the waiting list when the event is full.

    Idempotent: a current registration is returned as it is. Side effects: an e-mail (with the
    event as an .ics attachment when a place is given) after commit.
    """
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        refusal = rules.registration_refusal(user, event)
        if refusal:
            raise ValidationError(refusal)
        existing = Registration.objects.filter(event=event, session=None, user=user, status__in=CURRENT).first()
        if existing:
            return existing
        status = Registration.Status.REGISTERED if _has_room(event, None) else Registration.Status.WAITING
        registration = Registration.objects.create(event=event, user=user, status=status)
        _log_registered(registration, user)
        _notify_registration(registration)
    return registration


def register_for_session(*, session: Session, user) -> Registration:
    """Register for one session that has its own capacity (a round table); needs a place at the event."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=session.event_id)
        session = Session.objects.get(pk=session.pk)
        refusal = rules.registration_refusal(user, event)
        if refusal:
            raise ValidationError(refusal)
        if session.capacity is None:
            raise ValidationError(
                _("This session needs no registration of its own: registering for the event is enough.")
            )
        if not _registered(event, None).filter(user=user).exists():
            raise ValidationError(_("Register for the event first; then you can choose a round table."))
        existing = Registration.objects.filter(session=session, user=user, status__in=CURRENT).first()
        if existing:
            return existing
        status = Registration.Status.REGISTERED if _has_room(event, session) else Registration.Status.WAITING
        registration = Registration.objects.create(event=event, session=session, user=user, status=status)
        _log_registered(registration, user)
        _notify_registration(registration)
    return registration


def _log_registered(registration: Registration, user) -> None:
    waiting = registration.status == Registration.Status.WAITING
    _log(
        registration.event,
        user,
        "registration.waitlisted" if waiting else "registration.registered",
        registration.session.title if registration.session_id else "",
        obj=registration,
        subject=user,
        to_state=registration.status,
    )


def cancel_registration(*, registration: Registration, actor) -> Registration:
    """Cancel a registration (the person themself or an organizer).

    Side effects: the first person waiting moves up and is e-mailed; cancelling the event
    registration also cancels the person's session registrations in it.
    """
    if not actor.has_perm("events.cancel_registration", registration):
        raise PermissionDenied(_("You can only cancel your own registration."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_related("session").get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return registration
        _cancel(registration, actor=actor, event=event)
        _fill_from_waiting_list(event, session=registration.session, actor=actor)
        if registration.session_id is None:
            for other in Registration.objects.filter(
                event=event, user=registration.user_id, session__isnull=False, status__in=CURRENT
            ).select_related("session"):
                _cancel(other, actor=actor, event=event)
                _fill_from_waiting_list(event, session=other.session, actor=actor)

    return registration


def _cancel(registration: Registration, *, actor, event: Event) -> None:
    _log(
        event,
        actor,
        "registration.cancelled",
        registration.session.title if registration.session_id else "",
        obj=registration,
        subject=registration.user,
        from_state=registration.status,
        to_state=Registration.Status.CANCELLED,
    )
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])


def _fill_from_waiting_list(event: Event, *, session, actor) -> list[Registration]:
    """Move people up from the waiting list while there is room (the event row is locked)."""
    promoted = []
    waiting = Registration.objects.filter(event=event, session=session, status=Registration.Status.WAITING)
    for registration in waiting.order_by("created_at", "pk").select_related("user__profile", "session"):
        if not _has_room(event, session):
            break
        registration.status = Registration.Status.REGISTERED
        registration.promoted_at = timezone.now()
        registration.save(update_fields=["status", "promoted_at"])
        _log(
            event,
            actor,
            "registration.moved_up",
            session.title if session else "",
            obj=registration,
            subject=registration.user,
            from_state=Registration.Status.WAITING,
            to_state=Registration.Status.REGISTERED,
        )
        _queue_for(registration, "event_promoted", key=f"event-promoted:{registration.pk}", with_ics=True)
        promoted.append(registration)
    return promoted


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person on the waiting list; None when not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    ahead = (
        Registration.objects.filter(
            event_id=registration.event_id, session_id=registration.session_id, status=Registration.Status.WAITING
        )
        .filter(created_at__lte=registration.created_at)
        .exclude(created_at=registration.created_at, pk__gt=registration.pk)
    )
    return ahead.count()


# --- E-mail -------------------------------------------------------------------------------------


def _queue_for(registration: Registration, template: str, *, key: str, with_ics: bool = False, extra=None):
    """Queue one e-mail to the registered person, with times in their own time zone."""
    user = registration.user
    event = registration.event
    zone_name = getattr(getattr(user, "profile", None), "time_zone", None) or "UTC"
    context = {
        "event": event,
        "registration": registration,
        "session": registration.session,
        "user": user,
        "zone_name": zone_name,
        **(extra or {}),
    }
    attachments = None
    if with_ics:
        attachments = [{"filename": f"{event.slug}.ics", "content": event_ics(event), "mimetype": "text/calendar"}]
    with timezone.override(zone_name):
        return queue_email(template=template, to=user.email, context=context, key=key, attachments=attachments)


def _notify_registration(registration: Registration) -> None:
    if registration.status == Registration.Status.REGISTERED:
        _queue_for(registration, "event_registered", key=f"event-registered:{registration.pk}", with_ics=True)
    else:
        _queue_for(
            registration,
            "event_waiting",
            key=f"event-waiting:{registration.pk}",
            extra={"position": waiting_position(registration)},
        )


def send_event_message(*, event: Event, actor, subject: str, body: str, include_waiting: bool = False) -> EventMessage:
    """Record a message to everyone registered; the e-mails (one per person) go out through Celery."""
    _require(actor.has_perm("events.edit_event", event))
    if not subject.strip() or not body.strip():
        raise ValidationError(_("A message needs a subject and a text."))
    with transaction.atomic():
        message = EventMessage.objects.create(
            event=event, author=actor, subject=subject.strip(), body=body, include_waiting=include_waiting
        )
        _log(event, actor, "event.message_sent", message.subject, obj=message)
        from .tasks import task_deliver_event_message

        # With the broker away the message is still recorded: the sweep delivers it (pending_event_messages).
        transaction.on_commit(lambda: publish(task_deliver_event_message, message.pk))
    return message


def pending_event_messages(*, now: datetime | None = None, older_than: timedelta = timedelta(seconds=30)):
    """Messages recorded but never delivered (their task did not reach the broker, or was lost)."""
    now = now or timezone.now()
    return EventMessage.objects.select_related("event").filter(recipient_count=None, created_at__lt=now - older_than)


def deliver_event_message(*, message: EventMessage) -> int:
    """Queue the message's e-mail for each person registered (once each); returns how many."""
    statuses = CURRENT if message.include_waiting else [Registration.Status.REGISTERED]
    registrations = Registration.objects.filter(event=message.event, session=None, status__in=statuses)
    count = 0
    with transaction.atomic():
        for registration in registrations.select_related("user__profile", "event"):
            _queue_for(
                registration,
                "event_message",
                key=f"event-message:{message.pk}:{registration.user_id}",
                extra={"message": message},
            )
            count += 1
        EventMessage.objects.filter(pk=message.pk).update(recipient_count=count)
    return count


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Queue the 24-hour and 1-hour reminders that are due; each goes once per person (outbox key)."""
    from bigscience_portal.models import OutgoingEmail

    now = now or timezone.now()
    queued = 0
    for label, ahead, wording in REMINDERS:
        window = Registration.objects.filter(
            session=None,
            status=Registration.Status.REGISTERED,
            event__is_published=True,
            event__start__gt=now,
            event__start__lte=now + ahead,
        )
        if label == "24h":
            window = window.filter(event__start__gt=now + timedelta(hours=1))
        registrations = list(window.select_related("event", "user__profile"))
        keys = {f"event-reminder-{label}:{r.pk}" for r in registrations}
        sent = set(OutgoingEmail.objects.filter(key__in=keys).values_list("key", flat=True))
        for registration in registrations:
            key = f"event-reminder-{label}:{registration.pk}"
            if key in sent:
                continue
            with transaction.atomic():
                if _queue_for(registration, "event_reminder", key=key, extra={"wording": wording}):
                    queued += 1
    return queued


def announce_recording(*, event: Event, now: datetime | None = None) -> int:
    """E-mail the recording link to everyone registered, once; returns how many were queued."""
    now = now or timezone.now()
    if not event.recording_url or not event.is_over(now):
        return 0
    queued = 0
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        registrations = Registration.objects.filter(event=event, session=None, status=Registration.Status.REGISTERED)
        for registration in registrations.select_related("user__profile", "event"):
            if _queue_for(registration, "event_recording", key=f"event-recording:{event.pk}:{registration.user_id}"):
                queued += 1
        if event.recording_announced_at is None:
            Event.objects.filter(pk=event.pk).update(recording_announced_at=now)
    return queued


def due_recording_announcements(*, now: datetime | None = None) -> list[int]:
    """Events over, with a recording link, not yet announced."""
    now = now or timezone.now()
    return list(
        Event.objects.published()
        .filter(end__lt=now, recording_announced_at__isnull=True)
        .exclude(recording_url="")
        .values_list("pk", flat=True)
    )


# --- Calendar token -----------------------------------------------------------------------------


def calendar_token_for(*, user) -> CalendarToken:
    """The person's calendar token, created the first time it is needed."""
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


def reset_calendar_token(*, user) -> CalendarToken:
    """Give the person a new secret; the old feed address stops working at once."""
    if not user or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to manage your calendar feed."))
    with transaction.atomic():
        token, created = CalendarToken.objects.get_or_create(user=user)
        if not created:
            token.token = CalendarToken._meta.get_field("token").default()
            token.created_at = timezone.now()
            token.save(update_fields=["token", "created_at"])
            record(actor=user, action="events.calendar_token.reset", obj=token, subject=user)
    return token
