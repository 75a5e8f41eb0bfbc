import copy

from django import forms
from django.contrib import admin, messages

from . import services
from .models import CalendarToken, Event, EventLogEntry, EventMessage, HostEvent, Poster, Registration, Session, Speaker


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["kind", "title", "start", "end", "room", "capacity"]
    show_change_link = True


class EventAdminForm(forms.ModelForm):
    """The same rules as the site: no capacity below those registered, sessions inside the event."""

    class Meta:
        model = Event
        fields = [*services.EVENT_FIELDS, "working_groups"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not self.errors:
            probe = copy.copy(self.instance)
            probe.start, probe.end = cleaned["start"], cleaned["end"]
            try:
                services._check_capacity(probe, cleaned.get("capacity"), session=None)
                services._check_sessions_inside(probe)
            except forms.ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        return cleaned


@admin.register(HostEvent)
class HostEventAdmin(admin.ModelAdmin):
    """The events portal events are co-located with; saved through the service (which logs the change)."""

    list_display = ["name", "start", "end", "place", "url"]
    search_fields = ["name", "place"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.HOST_EVENT_FIELDS}
        saved = services.save_host_event(host=obj if change else None, actor=request.user, **fields)
        obj.pk = saved.pk


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    actions = ["publish", "unpublish"]
    list_display = ["title", "start", "end", "time_zone", "is_published", "registration_open", "capacity"]
    list_filter = ["is_published", "registration_open"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["working_groups"]
    autocomplete_fields = ["colocated_with"]
    inlines = [SessionInline]
    date_hierarchy = "start"

    @admin.action(description="Publish the selected events")
    def publish(self, request, queryset):
        for event in queryset:
            services.set_event_published(event=event, actor=request.user, published=True)
        messages.success(request, f"{queryset.count()} event(s) published.")

    @admin.action(description="Unpublish the selected events")
    def unpublish(self, request, queryset):
        for event in queryset:
            services.set_event_published(event=event, actor=request.user, published=False)
        messages.success(request, f"{queryset.count()} event(s) unpublished.")


class PosterInline(admin.TabularInline):
    model = Poster
    extra = 0
    filter_horizontal = ["presenters"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "kind", "start", "end", "room", "capacity"]
    list_filter = ["kind", "event"]
    search_fields = ["title"]
    list_select_related = ["event"]
    filter_horizontal = ["speakers"]
    inlines = [PosterInline]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "user"]
    search_fields = ["name", "affiliation"]
    raw_id_fields = ["user"]


@admin.register(Poster)
class PosterAdmin(admin.ModelAdmin):
    list_display = ["title", "session"]
    list_select_related = ["session"]
    filter_horizontal = ["presenters"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only: registrations change through the site so capacity and the waiting list hold."""

    list_display = ["user", "event", "session", "status", "created_at", "cancelled_at"]
    list_filter = ["status", "event"]
    list_select_related = ["user", "event", "session"]
    search_fields = ["user__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EventMessage)
class EventMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "event", "author", "created_at", "recipient_count"]
    list_select_related = ["event", "author"]
    readonly_fields = ["recipient_count"]


@admin.register(EventLogEntry)
class EventLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "actor", "action", "detail"]
    list_select_related = ["event", "actor"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    exclude = ["token"]
    raw_id_fields = ["user"]
