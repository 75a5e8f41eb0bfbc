"""iCalendar (RFC 5545) feeds, built with the icalendar package. Times are written in UTC."""

from datetime import UTC, datetime
from urllib.parse import urlparse

import icalendar
from django.conf import settings
from django.utils import timezone

PRODID = "-//BigScience workshop portal//Events//EN"


def _host() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def _description(event) -> str:
    lines = [event.description.strip()] if event.description.strip() else []
    if event.stream_url:
        lines.append(f"Stream: {event.stream_url}")
    host = event.colocated_with
    if host:
        when = ""
        if host.start:
            when = f"{host.start:%d %b %Y}" + (f"–{host.end:%d %b %Y}" if host.end and host.end != host.start else "")
        details = ", ".join(part for part in (when, host.place) if part)
        lines.append(
            f"Co-located with {host.name}" + (f" ({details})" if details else "") + (f" {host.url}" if host.url else "")
        )
    sessions = list(event.sessions.all())
    if sessions:
        lines.append("Schedule (UTC):")
        lines.extend(
            f"{s.start.astimezone(UTC):%H:%M}–{s.end.astimezone(UTC):%H:%M} {s.get_kind_display()}: {s.title}"
            for s in sessions
        )
    lines.append(f"{settings.SITE_URL}{event.get_absolute_url()}")
    return "\n".join(lines)


def one_line(text: str) -> str:
    """A value that must stay on one line (a title, a place): line breaks and runs of spaces become one space."""
    return " ".join((text or "").split())


def vevent(event, *, stamp: datetime) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"event-{event.pk}@{_host()}")
    item.add("dtstamp", stamp)
    item.add("dtstart", event.start.astimezone(UTC))
    item.add("dtend", event.end.astimezone(UTC))
    item.add("summary", one_line(event.title))
    item.add("description", _description(event))
    item.add("url", f"{settings.SITE_URL}{event.get_absolute_url()}")
    location = event.place or event.stream_url
    if location:
        item.add("location", one_line(location))
    item.add("last-modified", event.updated_at.astimezone(UTC))
    return item


def session_uid(session) -> str:
    """Stable across edits, so a calendar moves the entry instead of adding a second one."""
    return f"session-{session.pk}@{_host()}"


def session_vevent(session, *, stamp: datetime) -> icalendar.Event:
    """One session; ``session.event`` and ``session.room`` should be loaded with it."""
    event = session.event
    item = icalendar.Event()
    item.add("uid", session_uid(session))
    item.add("dtstamp", stamp)
    item.add("dtstart", session.start.astimezone(UTC))
    item.add("dtend", session.end.astimezone(UTC))
    item.add("summary", f"{session.title} · {event.title}")
    url = f"{settings.SITE_URL}{session.get_absolute_url()}"
    lines = [f"{session.get_kind_display()}"]
    speakers = [speaker.name for speaker in session.speakers.all()]
    if speakers:
        lines.append(", ".join(speakers))
    if session.abstract.strip():
        lines.append(session.abstract.strip())
    stream = session.stream_url or event.stream_url
    if stream:
        lines.append(f"Stream: {stream}")
    lines.append(url)
    item.add("description", "\n".join(lines))
    item.add("url", url)
    place = ", ".join(part for part in (session.room.name if session.room else "", event.place) if part)
    if place or stream:
        item.add("location", place or stream)
    item.add("sequence", session.sequence)
    item.add("last-modified", session.updated_at.astimezone(UTC))
    item.add("related-to", f"event-{event.pk}@{_host()}")
    return item


def build_calendar(events, *, name: str, sessions=()) -> bytes:
    """A VCALENDAR with one VEVENT per event (sessions should be prefetched) and one per session
    given in ``sessions`` (with their event, room and speakers loaded)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for event in events:
        calendar.add_component(vevent(event, stamp=stamp))
    for session in sessions:
        calendar.add_component(session_vevent(session, stamp=stamp))
    return calendar.to_ical()


def event_ics(event, *, with_sessions: bool = False) -> str:
    """One event as iCalendar text (for an e-mail attachment); with an entry per session for the
    event's calendar file (breaks left out). Sessions should be prefetched with room and speakers."""
    sessions = [s for s in event.sessions.all() if s.kind != "break"] if with_sessions else ()
    for session in sessions:
        session.event = event
    return build_calendar([event], name=event.title, sessions=sessions).decode()


def session_ics(session) -> str:
    """One session as iCalendar text: "add to my calendar" on the session page."""
    return build_calendar([], name=session.title, sessions=[session]).decode()
