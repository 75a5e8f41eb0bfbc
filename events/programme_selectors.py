"""Reads for the programme pages: a fixed number of queries whatever the number of sessions,
speakers and proposals."""

from collections import defaultdict
from datetime import date, datetime
from itertools import combinations

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Event, Poster, Proposal, Room, Session, Speaker, Star

SPEAKERS = Prefetch("speakers", queryset=Speaker.objects.order_by("name"))


def sessions_with_details(queryset=None):
    """Sessions with their event, room, track, speakers, groups and posters loaded (a few queries)."""
    posters = Prefetch(
        "posters",
        queryset=Poster.objects.select_related("working_group").prefetch_related(
            Prefetch("presenters", queryset=Speaker.objects.order_by("name"))
        ),
    )
    return (
        (queryset if queryset is not None else Session.objects.all())
        .select_related("event", "room", "track")
        .prefetch_related(SPEAKERS, "working_groups", posters)
        .order_by("start", "room__order", "room__name", "pk")
    )


def programme(event: Event, *, track: str = "", group: str = "") -> list[Session]:
    """The event's sessions, filtered by a track's id and a working group's slug (empty: all)."""
    queryset = Session.objects.filter(event=event)
    if track:
        queryset = queryset.filter(track_id=track) if track.isdigit() else queryset.none()
    if group:
        queryset = queryset.filter(Q(working_groups__slug=group) | Q(posters__working_group__slug=group)).distinct()
    return list(sessions_with_details(queryset))


def programme_filters(event: Event) -> dict:
    """The tracks and working groups one can filter the programme by (two queries)."""
    from working_groups.models import WorkingGroup

    groups = (
        WorkingGroup.objects.filter(Q(sessions__event=event) | Q(posters__session__event=event))
        .distinct()
        .order_by("name")
    )
    return {"tracks": list(event.tracks.all()), "groups": list(groups)}


def days_of(sessions, zone) -> list[date]:
    return sorted({s.start.astimezone(zone).date() for s in sessions})


def grid(sessions, rooms: list[Room], zone) -> list[dict]:
    """The programme as one table per day: a column per room, a row per start time.

    Each row is ``{"time": datetime, "cells": [cell or None]}``; a cell is ``{"sessions": [...],
    "rowspan": n}``, and None where a longer session above already covers the column. Sessions
    without a room go in a last column "Everywhere" (plenary, breaks)."""
    used_rooms = [room for room in rooms if any(s.room_id == room.pk for s in sessions)]
    columns = [room.pk for room in used_rooms]
    if any(s.room_id is None for s in sessions):
        columns.append(None)
    by_day = defaultdict(list)
    for session in sessions:
        by_day[session.start.astimezone(zone).date()].append(session)
    days = []
    for day in sorted(by_day):
        day_sessions = by_day[day]
        slots = sorted({s.start for s in day_sessions})
        covered_until = dict.fromkeys(columns)
        open_cell = {}
        rows = []
        for slot in slots:
            cells = []
            for column in columns:
                starting = [s for s in day_sessions if s.start == slot and s.room_id == column]
                until = covered_until[column]
                if until is not None and slot < until:
                    open_cell[column]["sessions"].extend(starting)  # an overlap in one room: shown together
                    cells.append(None)
                    continue
                if not starting:
                    cells.append({"sessions": [], "rowspan": 1})
                    continue
                end = max(s.end for s in starting)
                cell = {"sessions": starting, "rowspan": sum(1 for t in slots if slot <= t < end)}
                covered_until[column], open_cell[column] = end, cell
                cells.append(cell)
            rows.append({"time": slot, "cells": cells})
        days.append({"date": day, "rows": rows})
    headers = [room.name for room in used_rooms] + ([None] if None in columns else [])
    return {"columns": headers, "days": days}


def session_for_page(event_slug: str, code: str, *, include_drafts: bool) -> Session:
    events = Event.objects.all() if include_drafts else Event.objects.published()
    queryset = Session.objects.filter(event__in=events, event__slug=event_slug)
    return get_object_or_404(sessions_with_details(queryset), code=code)


def event_speakers(event: Event) -> list[Speaker]:
    """Everyone who speaks or presents a poster at the event, each with their sessions there."""
    in_event = Q(sessions__event=event) | Q(posters__session__event=event)
    return list(
        Speaker.objects.filter(in_event)
        .distinct()
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.filter(event=event).select_related("event")),
            Prefetch("posters", queryset=Poster.objects.filter(session__event=event).select_related("session__event")),
        )
    )


def speaker_for_page(code: str, *, include_drafts: bool) -> Speaker:
    """A speaker with their sessions and posters across (published) events, newest first."""
    events = Event.objects.all() if include_drafts else Event.objects.published()
    sessions = Session.objects.filter(event__in=events).select_related("event", "room").order_by("-start")
    posters = (
        Poster.objects.filter(session__event__in=events).select_related("session__event").order_by("-session__start")
    )
    return get_object_or_404(
        Speaker.objects.prefetch_related(
            Prefetch("sessions", queryset=sessions), Prefetch("posters", queryset=posters)
        ),
        code=code,
    )


def speaker_has_public_presence(speaker: Speaker) -> bool:
    return bool(list(speaker.sessions.all()) or list(speaker.posters.all()))


# --- Proposals ----------------------------------------------------------------------------------


def visible_proposals(user):
    """Proposals this person may see: all for organizers; their groups' and their own for others."""
    from roles.models import Participation
    from roles.rules import is_organizer

    queryset = Proposal.objects.all()
    if is_organizer(user):
        return queryset
    if not user or not user.is_authenticated:
        return queryset.none()
    groups = Participation.objects.filter(
        user=user, status=Participation.Status.ACTIVE, working_group__isnull=False
    ).values("working_group_id")
    return queryset.filter(Q(working_group__in=groups) | Q(proposer=user))


def proposals_for_page(user, event: Event, *, status: str = "", kind: str = "", group: str = "") -> list[Proposal]:
    queryset = visible_proposals(user).filter(call__event=event)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if group:
        queryset = queryset.filter(working_group__slug=group)
    return list(
        queryset.select_related("working_group", "proposer__profile", "session", "poster__session")
        .prefetch_related(SPEAKERS)
        .order_by("status", "-created_at", "-pk")
    )


def proposal_for_page(user, event: Event, pk: int) -> Proposal:
    """The proposal, or the same 404 as a missing one for anyone who may not see it."""
    return get_object_or_404(
        visible_proposals(user)
        .filter(call__event=event)
        .select_related("call__event", "working_group", "proposer__profile", "session__event", "poster__session__event")
        .prefetch_related(SPEAKERS),
        pk=pk,
    )


# --- The personal agenda ------------------------------------------------------------------------


def starred_ids(user, sessions=None) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    queryset = Star.objects.filter(user=user)
    if sessions is not None:
        queryset = queryset.filter(session__in=[s.pk for s in sessions])
    return set(queryset.values_list("session_id", flat=True))


def agenda(user, *, now: datetime | None = None, include_past: bool = False) -> list[Session]:
    """The person's starred sessions of published events, in time order."""
    queryset = Session.objects.filter(stars__user=user, event__is_published=True)
    if not include_past:
        queryset = queryset.filter(end__gte=now or timezone.now())
    return list(sessions_with_details(queryset))


def overlaps(sessions) -> list[tuple[Session, Session]]:
    """Pairs of sessions that run at the same time (sessions in time order)."""
    found = []
    for first, second in combinations(sorted(sessions, key=lambda s: (s.start, s.pk)), 2):
        if first.start < second.end and second.start < first.end:
            found.append((first, second))
    return found


def starred_feed_sessions(user) -> list[Session]:
    """Starred sessions for the personal calendar feed (with event, room and speakers)."""
    return list(sessions_with_details(Session.objects.filter(stars__user=user, event__is_published=True)))
