"""Events, sessions and registrations: read-only here. Organizers schedule events and sessions on the site's
pages (``events.services``: capacities, times inside the event, waiting lists); the admin offers publishing
and unpublishing, which call the same service."""

from django.contrib import admin

from bigscience_portal.admin import ReadOnlyAdmin, ReadOnlyTabularInline, run_service

from . import services
from .models import CalendarToken, Event, EventMessage, HostEvent, Poster, Registration, Session, Speaker


class SessionInline(ReadOnlyTabularInline):
    model = Session
    fields = ["kind", "title", "start", "end", "room", "capacity"]
    show_change_link = True


@admin.register(HostEvent)
class HostEventAdmin(ReadOnlyAdmin):
    """The events portal events are co-located with; organizers add and edit them on the site's hosts page."""

    list_display = ["name", "start", "end", "place", "url"]
    search_fields = ["name", "place"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    actions = ["publish", "unpublish"]
    list_display = ["title", "start", "end", "time_zone", "is_published", "registration_open", "capacity"]
    list_filter = ["is_published", "registration_open"]
    search_fields = ["title", "slug"]
    autocomplete_fields = ["colocated_with"]
    inlines = [SessionInline]
    date_hierarchy = "start"

    @admin.action(description="Publish the selected events")
    def publish(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda event: services.set_event_published(event=event, actor=request.user, published=True),
            "event(s) published",
        )

    @admin.action(description="Unpublish the selected events")
    def unpublish(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda event: services.set_event_published(event=event, actor=request.user, published=False),
            "event(s) unpublished",
        )


class PosterInline(ReadOnlyTabularInline):
    model = Poster


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "event", "kind", "start", "end", "room", "capacity"]
    list_filter = ["kind", "event"]
    search_fields = ["title"]
    list_select_related = ["event"]
    inlines = [PosterInline]


@admin.register(Speaker)
class SpeakerAdmin(ReadOnlyAdmin):
    list_display = ["name", "affiliation", "user"]
    search_fields = ["name", "affiliation"]


@admin.register(Poster)
class PosterAdmin(ReadOnlyAdmin):
    list_display = ["title", "session"]
    list_select_related = ["session"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    """Registrations change through the site, so capacity and the waiting list hold."""

    list_display = ["user", "event", "session", "status", "created_at", "cancelled_at"]
    list_filter = ["status", "event"]
    list_select_related = ["user", "event", "session"]
    search_fields = ["user__email"]


@admin.register(EventMessage)
class EventMessageAdmin(ReadOnlyAdmin):
    list_display = ["subject", "event", "author", "created_at", "recipient_count"]
    list_select_related = ["event", "author"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at"]
    exclude = ["token"]  # a secret: its existence is shown, never its value
