"""Events and their sessions in the header's search (published events only)."""

from django.utils.translation import gettext_lazy as _

from bigscience_portal.search import SearchResult, match, register, snippet

from .models import Event, Session


def search_events(query: str, limit: int) -> list[SearchResult]:
    events = match(Event.objects.published(), query, ["title", "description", "place"])
    if not events.query.order_by:
        events = events.order_by("-start")
    return [
        SearchResult(
            title=e.title,
            url=e.get_absolute_url(),
            snippet=" — ".join(filter(None, [e.start.date().isoformat(), snippet(e.description, query)])),
        )
        for e in events.only("title", "slug", "start", "description")[:limit]
    ]


def search_sessions(query: str, limit: int) -> list[SearchResult]:
    sessions = match(Session.objects.filter(event__is_published=True), query, ["title", "abstract", "room__name"])
    if not sessions.query.order_by:
        sessions = sessions.order_by("-start")
    return [
        SearchResult(
            title=s.title,
            url=f"{s.event.get_absolute_url()}#session-{s.pk}",
            snippet=" — ".join(filter(None, [s.event.title, snippet(s.abstract, query)])),
        )
        for s in sessions.select_related("event")[:limit]
    ]


register(kind="events", label=_("Events"), search=search_events, order=30)
register(kind="sessions", label=_("Sessions"), search=search_sessions, order=40)
