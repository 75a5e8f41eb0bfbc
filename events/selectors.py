"""Reads for event pages and feeds: a fixed number of queries whatever the number of rows."""

from datetime import UTC
from itertools import combinations

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from bigscience_portal.exports import csv_text
from roles.models import Participation

from .models import CalendarToken, Event, Poster, Registration, Session, Speaker

CURRENT = [Registration.Status.REGISTERED, Registration.Status.WAITING]


def _sessions_prefetch():
    posters = Prefetch(
        "posters",
        queryset=Poster.objects.prefetch_related(Prefetch("presenters", queryset=Speaker.objects.order_by("name"))),
    )
    sessions = (
        Session.objects.annotate(registered_count=Count("registrations", filter=Q(registrations__status="registered")))
        .select_related("room", "track")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("name")), posters)
        .order_by("start", "room__order", "room__name", "pk")
    )
    return Prefetch("sessions", queryset=sessions)


def event_list_data(*, include_drafts: bool = False, now=None) -> dict:
    """Upcoming and past published events (and, for organizers, the drafts)."""
    now = now or timezone.now()
    events = Event.objects.select_related("colocated_with")
    data = {"upcoming": list(events.upcoming(now=now)), "past": list(events.past(now=now))}
    data["drafts"] = list(events.filter(is_published=False).order_by("start")) if include_drafts else []
    return data


def upcoming_events(*, limit: int = 3, now=None) -> list[Event]:
    """The next published events, for the home page."""
    return list(Event.objects.select_related("colocated_with").upcoming(now=now)[:limit])


def event_for_page(queryset, slug: str) -> Event:
    """The event with its sessions, speakers and posters prefetched, and its registered count."""
    from django.shortcuts import get_object_or_404

    queryset = queryset.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__session=None, registrations__status="registered")
        ),
        waiting_count=Count("registrations", filter=Q(registrations__session=None, registrations__status="waiting")),
    ).prefetch_related(_sessions_prefetch(), "working_groups")
    return get_object_or_404(queryset.select_related("colocated_with"), slug=slug)


def registrations_of(user, event: Event) -> dict:
    """{None: the event registration, session_id: session registration} for current ones."""
    if not user.is_authenticated:
        return {}
    rows = Registration.objects.filter(event=event, user=user, status__in=CURRENT)
    return {row.session_id: row for row in rows}


def schedule_conflicts(event: Event, sessions) -> list[str]:
    """Warnings for the schedule editor: a speaker or a room booked twice at once, a session outside the event."""
    warnings = []
    for session in sessions:
        if session.start < event.start or session.end > event.end:
            warnings.append(f"“{session.title}” lies outside the event's times.")
    for first, second in combinations(sessions, 2):
        if not (first.start < second.end and second.start < first.end):
            continue
        if first.room_id and first.room_id == second.room_id:
            warnings.append(f"Room “{first.room}” is booked twice: “{first.title}” and “{second.title}” overlap.")
        others = {s.pk for s in second.speakers.all()}
        for speaker in (s for s in first.speakers.all() if s.pk in others):
            warnings.append(f"{speaker.name} speaks in “{first.title}” and “{second.title}” at the same time.")
    return warnings


def registrations_for_export(event: Event):
    return (
        Registration.objects.filter(event=event)
        .select_related("user__profile", "session")
        .order_by("session__start", "status", "created_at", "pk")
    )


def registrations_csv(event: Event) -> str:
    """Every registration of the event (and its sessions), one row each (spreadsheet-safe cells)."""
    header = [
        "name",
        "email",
        "affiliation",
        "country",
        "session",
        "status",
        "registered at (UTC)",
        "cancelled at (UTC)",
    ]
    rows = (
        [
            row.user.display_name,
            row.user.email,
            getattr(getattr(row.user, "profile", None), "affiliation", ""),
            str(getattr(getattr(row.user, "profile", None), "country", "") or ""),
            row.session.title if row.session else "",
            row.status,
            _utc(row.created_at),
            _utc(row.cancelled_at),
        ]
        for row in registrations_for_export(event)
    )
    return csv_text(header=header, rows=rows)


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment else ""


def personal_feed_events(user) -> list[Event]:
    """Published events the person registered for (or waits for), and events of their working groups."""
    group_ids = Participation.objects.filter(
        user=user, status=Participation.Status.ACTIVE, working_group__isnull=False
    ).values("working_group_id")
    registered = Registration.objects.filter(user=user, session=None, status__in=CURRENT).values("event_id")
    return list(
        Event.objects.published()
        .filter(Q(pk__in=registered) | Q(working_groups__in=group_ids))
        .distinct()
        .select_related("colocated_with")
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("start", "pk")))
        .order_by("start")
    )


def feed_events():
    """All published events, for the public feed."""
    return (
        Event.objects.published()
        .select_related("colocated_with")
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("start", "pk")))
    )


def calendar_token_of(user):
    """The person's calendar token, or None before they asked for a feed address (reads only)."""
    from .models import CalendarToken

    return CalendarToken.objects.filter(user=user).first()


def export_for(user) -> dict:
    """What the events app holds about a person, for the data export (the calendar secret itself is left out)."""
    from .models import Proposal, Star

    token = CalendarToken.objects.filter(user=user).values("created_at").first()
    return {
        "registrations": list(
            Registration.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values(
                "event__slug", "event__title", "session__title", "status", "created_at", "promoted_at", "cancelled_at"
            )
        ),
        "calendar_token": {"exists": token is not None, "created_at": token["created_at"] if token else None},
        "speaker_records": list(Speaker.objects.filter(user=user).order_by("pk").values("name", "affiliation")),
        "starred_sessions": [
            {"event": s.session.event.slug, "session": s.session.code, "title": s.session.title}
            for s in Star.objects.filter(user=user).select_related("session__event")
        ],
        "speaker_profiles": [
            {
                "code": s.code,
                "name": s.name,
                "affiliation": s.affiliation,
                "bio": s.bio,
                "photo_url": s.photo_url,
                "website_url": s.website_url,
                "links": s.links,
                "orcid": s.orcid,
            }
            for s in Speaker.objects.filter(user=user)
        ],
        "proposals": [
            {"event": p.call.event.slug, "title": p.title, "kind": p.kind, "status": p.status}
            for p in Proposal.objects.filter(proposer=user).select_related("call__event")
        ],
    }
