"""The programme in the REST API: ``/api/v1/speakers/``, ``/api/v1/tracks/``, ``/api/v1/rooms/``
and ``/api/v1/proposals/`` (the proposals the caller may see: the same rule as the pages).
Sessions are in ``events.api``."""

import django_filters
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from .api import visible_events
from .models import Poster, Proposal, Room, Session, Speaker, Track
from .programme_selectors import visible_proposals


class PublicSpeakerSerializer(serializers.ModelSerializer):
    """What the speaker chose to make public."""

    affiliation = serializers.CharField(source="public_affiliation", read_only=True)
    bio = serializers.CharField(source="public_bio", read_only=True, help_text="Markdown.")
    photo_url = serializers.CharField(source="public_photo_url", read_only=True)
    links = serializers.ListField(source="public_links", child=serializers.CharField(), read_only=True)
    orcid = serializers.CharField(source="public_orcid", read_only=True)
    sessions = serializers.SerializerMethodField(help_text="Codes of their sessions.")
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Speaker
        fields = ["code", "name", "affiliation", "bio", "photo_url", "links", "orcid", "sessions", "page_url"]

    def get_sessions(self, speaker) -> list[str]:
        return [session.code for session in speaker.sessions.all()]


class SpeakerFilter(django_filters.FilterSet):
    event = django_filters.CharFilter(method="in_event", help_text="Speakers of this event (its slug).")

    class Meta:
        model = Speaker
        fields = ["event"]

    def in_event(self, queryset, name, value):
        return queryset.filter(Q(sessions__event__slug=value) | Q(posters__session__event__slug=value)).distinct()


@extend_schema_view(list=extend_schema(summary="Speakers"), retrieve=extend_schema(summary="One speaker"))
class SpeakerViewSet(viewsets.ReadOnlyModelViewSet):
    """People who speak or present at the events the caller may see."""

    serializer_class = PublicSpeakerSerializer
    lookup_field = "code"
    filterset_class = SpeakerFilter
    ordering_fields = ["name"]
    ordering = ["name", "pk"]

    def get_queryset(self):
        events = visible_events(self.request.user)
        sessions = Session.objects.filter(event__in=events).order_by("start", "pk")
        return (
            Speaker.objects.filter(
                Q(sessions__event__in=events) | Q(posters__in=Poster.objects.filter(session__event__in=events))
            )
            .distinct()
            .prefetch_related(Prefetch("sessions", queryset=sessions))
        )


class TrackSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Track
        fields = ["id", "event", "name", "colour", "order"]


class RoomSerializer(TrackSerializer):
    class Meta(TrackSerializer.Meta):
        model = Room


class EventSlugFilter(django_filters.FilterSet):
    event = django_filters.CharFilter(field_name="event__slug", help_text="The event's slug.")


class TrackFilter(EventSlugFilter):
    class Meta:
        model = Track
        fields = ["event"]


class RoomFilter(EventSlugFilter):
    class Meta:
        model = Room
        fields = ["event"]


@extend_schema_view(list=extend_schema(summary="Tracks"), retrieve=extend_schema(summary="One track"))
class TrackViewSet(viewsets.ReadOnlyModelViewSet):
    """The tracks of the events the caller may see."""

    serializer_class = TrackSerializer
    filterset_class = TrackFilter
    ordering = ["event__start", "order", "name"]

    def get_queryset(self):
        return Track.objects.filter(event__in=visible_events(self.request.user)).select_related("event")


@extend_schema_view(list=extend_schema(summary="Rooms"), retrieve=extend_schema(summary="One room"))
class RoomViewSet(TrackViewSet):
    """The rooms of the events the caller may see."""

    serializer_class = RoomSerializer
    filterset_class = RoomFilter

    def get_queryset(self):
        return Room.objects.filter(event__in=visible_events(self.request.user)).select_related("event")


class ProposalSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(source="call.event", slug_field="slug", read_only=True)
    working_group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    speakers = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    session = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Once placed: its session's code."
    )
    poster = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="Once placed: its poster.")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "event",
            "working_group",
            "title",
            "kind",
            "abstract",
            "speakers",
            "length_minutes",
            "needs",
            "status",
            "note",
            "session",
            "poster",
            "created_at",
            "updated_at",
        ]


class ProposalFilter(django_filters.FilterSet):
    event = django_filters.CharFilter(field_name="call__event__slug")
    working_group = django_filters.CharFilter(field_name="working_group__slug")
    status = django_filters.ChoiceFilter(choices=Proposal.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Proposal.Kind.choices)

    class Meta:
        model = Proposal
        fields = ["event", "working_group", "status", "kind"]


@extend_schema_view(list=extend_schema(summary="Proposals"), retrieve=extend_schema(summary="One proposal"))
class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Proposals to events' calls: organizers see all; others their groups' and their own (404 otherwise)."""

    queryset = Proposal.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = ProposalSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ProposalFilter
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return (
            visible_proposals(self.request.user)
            .select_related("call__event", "working_group", "session")
            .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("name")))
        )


ROUTES = [
    ("speakers", SpeakerViewSet, "speaker"),
    ("tracks", TrackViewSet, "track"),
    ("rooms", RoomViewSet, "room"),
    ("proposals", ProposalViewSet, "proposal"),
]
