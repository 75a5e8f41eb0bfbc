"""Events, their sessions, and the caller's registrations: ``/api/v1/events/``, ``/api/v1/sessions/``,
``/api/v1/me/registrations/``. Registration goes through ``events.services`` like the event page."""

import django_filters
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bigscience_portal.api import VerifiedForWrites

from . import services
from .models import Event, HostEvent, Registration, Session, Speaker

CURRENT = [Registration.Status.REGISTERED, Registration.Status.WAITING]


def visible_events(user):
    """What the event pages show this person: published events, and drafts for organizers."""
    return Event.objects.all() if user.has_perm("events.manage_events") else Event.objects.published()


# --- Events -----------------------------------------------------------------------------------


class HostEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = HostEvent
        fields = ["name", "start", "end", "place", "url"]


class EventSerializer(serializers.ModelSerializer):
    colocated_with = HostEventSerializer(read_only=True, allow_null=True, help_text="The event this one is part of.")
    working_groups = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    registered_count = serializers.IntegerField(read_only=True, help_text="Places taken.")
    waiting_count = serializers.IntegerField(read_only=True, help_text="People on the waiting list.")
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "description",
            "start",
            "end",
            "time_zone",
            "is_published",
            "place",
            "stream_url",
            "recording_url",
            "colocated_with",
            "registration_open",
            "registration_deadline",
            "capacity",
            "registered_count",
            "waiting_count",
            "working_groups",
            "page_url",
        ]


class EventFilter(django_filters.FilterSet):
    starts_after = django_filters.IsoDateTimeFilter(
        field_name="start", lookup_expr="gte", help_text="Events starting at or after this time (ISO 8601)."
    )
    starts_before = django_filters.IsoDateTimeFilter(
        field_name="start", lookup_expr="lt", help_text="Events starting before this time (ISO 8601)."
    )
    start_date = django_filters.DateFilter(
        field_name="start", lookup_expr="date", help_text="Events starting on this day (UTC)."
    )
    working_group = django_filters.CharFilter(
        field_name="working_groups__slug", help_text="Events for this working group (its slug)."
    )

    class Meta:
        model = Event
        fields = ["starts_after", "starts_before", "start_date", "working_group"]


def _registration_counts(status_value):
    return Count("registrations", filter=Q(registrations__session=None, registrations__status=status_value))


@extend_schema_view(list=extend_schema(summary="Events"), retrieve=extend_schema(summary="One event"))
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """The workshop's live events (drafts too, for organizers)."""

    serializer_class = EventSerializer
    lookup_field = "slug"
    filterset_class = EventFilter
    ordering_fields = ["start", "end", "title"]
    ordering = ["start", "pk"]

    def get_queryset(self):
        return (
            visible_events(self.request.user)
            .annotate(
                registered_count=_registration_counts("registered"), waiting_count=_registration_counts("waiting")
            )
            .select_related("colocated_with")
            .prefetch_related("working_groups")
            .distinct()
        )


# --- Sessions ---------------------------------------------------------------------------------


class SpeakerSerializer(serializers.ModelSerializer):
    affiliation = serializers.CharField(source="public_affiliation", read_only=True)

    class Meta:
        model = Speaker
        fields = ["code", "name", "affiliation"]


class SessionSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    speakers = SpeakerSerializer(many=True, read_only=True)
    registered_count = serializers.IntegerField(read_only=True, help_text="Places taken, when it has a capacity.")
    room = serializers.SerializerMethodField(help_text="The room's name; empty when none.")
    track = serializers.SerializerMethodField(help_text="The track's name; empty when none.")
    working_groups = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)

    def get_room(self, session) -> str:
        return session.room.name if session.room else ""

    def get_track(self, session) -> str:
        return session.track.name if session.track else ""

    class Meta:
        model = Session
        fields = [
            "id",
            "code",
            "event",
            "kind",
            "title",
            "abstract",
            "start",
            "end",
            "room",
            "track",
            "working_groups",
            "page_url",
            "speakers",
            "stream_url",
            "recording_url",
            "slides_url",
            "capacity",
            "registered_count",
        ]


class SessionFilter(django_filters.FilterSet):
    event = django_filters.CharFilter(field_name="event__slug", help_text="The event's slug.")
    kind = django_filters.ChoiceFilter(choices=Session.Kind.choices)
    starts_after = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt")
    track = django_filters.NumberFilter(
        field_name="track_id", min_value=1, max_value=2**31 - 1, help_text="A track's id."
    )
    working_group = django_filters.CharFilter(field_name="working_groups__slug", help_text="A working group's slug.")

    class Meta:
        model = Session
        fields = ["event", "kind", "starts_after", "starts_before", "track", "working_group"]


@extend_schema_view(list=extend_schema(summary="Sessions of events"), retrieve=extend_schema(summary="One session"))
class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Talks, panels, round tables and poster sessions of the events the caller may see."""

    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    ordering_fields = ["start", "title"]
    ordering = ["start", "room__order", "room__name", "pk"]

    def get_queryset(self):
        return (
            Session.objects.filter(event__in=visible_events(self.request.user))
            .select_related("event", "room", "track")
            .prefetch_related("working_groups")
            .annotate(registered_count=Count("registrations", filter=Q(registrations__status="registered")))
            .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("name")))
        )


# --- The caller's registrations ---------------------------------------------------------------


class RegistrationSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    session = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Registration
        fields = ["id", "event", "session", "status", "created_at", "promoted_at", "cancelled_at"]


class RegistrationDetailSerializer(RegistrationSerializer):
    waiting_position = serializers.SerializerMethodField(help_text="1 for the first person waiting; null otherwise.")

    class Meta(RegistrationSerializer.Meta):
        fields = [*RegistrationSerializer.Meta.fields, "waiting_position"]

    def get_waiting_position(self, registration) -> int | None:
        return services.waiting_position(registration)


class RegistrationCreateSerializer(serializers.Serializer):
    event = serializers.SlugField(help_text="The event's slug.")
    session = serializers.IntegerField(
        required=False, allow_null=True, help_text="A session of that event with its own capacity (a round table)."
    )


class RegistrationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Registration.Status.choices)
    event = django_filters.CharFilter(field_name="event__slug")

    class Meta:
        model = Registration
        fields = ["status", "event"]


@extend_schema_view(
    list=extend_schema(summary="Your registrations"),
    retrieve=extend_schema(summary="One of your registrations"),
    create=extend_schema(
        summary="Register for an event or one of its sessions",
        description="A full event or session puts you on its waiting list (status `waiting`). "
        "Registering again returns your current registration.",
        request=RegistrationCreateSerializer,
        responses={201: RegistrationDetailSerializer},
    ),
    cancel=extend_schema(
        summary="Cancel one of your registrations",
        description="Cancelling an event registration also cancels your registrations for its sessions.",
        request=None,
        responses={200: RegistrationDetailSerializer},
    ),
)
class MyRegistrationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The caller's registrations; others' registrations answer 404."""

    queryset = Registration.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = RegistrationSerializer
    permission_classes = [permissions.IsAuthenticated, VerifiedForWrites]
    filterset_class = RegistrationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]

    def get_serializer_class(self):
        return RegistrationSerializer if self.action == "list" else RegistrationDetailSerializer

    def get_queryset(self):
        return Registration.objects.filter(user=self.request.user).select_related("event", "session")

    def create(self, request):
        incoming = RegistrationCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        event = get_object_or_404(Event.objects.published(), slug=incoming.validated_data["event"])
        session_id = incoming.validated_data.get("session")
        if session_id is None:
            registration = services.register_for_event(event=event, user=request.user)
        else:
            session = get_object_or_404(Session, pk=session_id, event=event)
            registration = services.register_for_session(session=session, user=request.user)
        return Response(RegistrationDetailSerializer(registration).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        registration = services.cancel_registration(registration=self.get_object(), actor=request.user)
        return Response(RegistrationDetailSerializer(registration).data)


ROUTES = [
    ("events", EventViewSet, "event"),
    ("sessions", SessionViewSet, "session"),
    ("me/registrations", MyRegistrationViewSet, "my-registration"),
]


# The programme's endpoints (speakers, tracks, rooms, proposals) live in their own module.
from .programme_api import ROUTES as PROGRAMME_ROUTES  # noqa: E402

ROUTES += PROGRAMME_ROUTES
