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


def vevent(event, *, stamp: datetime) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"event-{event.pk}@{_host()}")
    item.add("dtstamp", stamp)
    item.add("dtstart", event.start.astimezone(UTC))
    item.add("dtend", event.end.astimezone(UTC))
    item.add("summary", event.title)
    item.add("description", _description(event))
    item.add("url", f"{settings.SITE_URL}{event.get_absolute_url()}")
    location = event.place or event.stream_url
    if location:
        item.add("location", location)
    item.add("last-modified", event.updated_at.astimezone(UTC))
    return item


def build_calendar(events, *, name: str) -> bytes:
    """A VCALENDAR with one VEVENT per event (sessions should be prefetched)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for event in events:
        calendar.add_component(vevent(event, stamp=stamp))
    return calendar.to_ical()


def event_ics(event) -> str:
    """One event as iCalendar text (for a download or an e-mail attachment)."""
    return build_calendar([event], name=event.title).decode()
