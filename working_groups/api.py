"""Working groups and their public members: ``/api/v1/working-groups/``."""

import django_filters
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.filters import OrderingFilter

from roles.models import Participation

from .models import WorkingGroup


class LinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()


class WorkingGroupSerializer(serializers.ModelSerializer):
    links = LinkSerializer(many=True, read_only=True)
    member_count = serializers.IntegerField(read_only=True, help_text="Active participants and chairs.")
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = WorkingGroup
        fields = [
            "slug",
            "name",
            "short_description",
            "description",
            "guidelines",
            "links",
            "is_open",
            "capacity",
            "member_count",
            "page_url",
            "created_at",
            "updated_at",
        ]


class PublicMemberSerializer(serializers.Serializer):
    display_name = serializers.CharField(source="user.profile.display_name")
    affiliation = serializers.CharField(source="user.profile.affiliation")
    country = serializers.CharField(source="user.profile.country.code", allow_null=True)
    role = serializers.CharField(source="role.slug", help_text="participant or chair")
    since = serializers.DateTimeField()


class WorkingGroupFilter(django_filters.FilterSet):
    is_open = django_filters.BooleanFilter(help_text="true: open to applications; false: closed.")

    class Meta:
        model = WorkingGroup
        fields = ["is_open"]


@extend_schema_view(
    list=extend_schema(summary="Working groups"),
    retrieve=extend_schema(summary="One working group"),
)
class WorkingGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """The working groups of the Organization Committee."""

    serializer_class = WorkingGroupSerializer
    lookup_field = "slug"
    filterset_class = WorkingGroupFilter
    ordering_fields = ["name", "created_at", "member_count"]
    ordering = ["name"]

    def get_queryset(self):
        active = Q(participations__status=Participation.Status.ACTIVE)
        return WorkingGroup.objects.annotate(member_count=Count("participations__user", filter=active, distinct=True))


@extend_schema_view(
    list=extend_schema(
        summary="A group's public members",
        description="Active participants and chairs who chose to appear in the directory; others are not listed.",
        parameters=[OpenApiParameter("group_slug", str, OpenApiParameter.PATH, description="The group's slug.")],
    )
)
class PublicMemberViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Participation.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = PublicMemberSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["since"]
    ordering = ["since", "pk"]

    def get_queryset(self):
        group = get_object_or_404(WorkingGroup, slug=self.kwargs["group_slug"])
        return (
            Participation.objects.filter(
                working_group=group, status=Participation.Status.ACTIVE, user__profile__show_in_directory=True
            )
            .select_related("user__profile", "role")
            .annotate(since=F("started_at"))
        )


ROUTES = [
    ("working-groups", WorkingGroupViewSet, "working-group"),
    (r"working-groups/(?P<group_slug>[^/.]+)/members", PublicMemberViewSet, "working-group-member"),
]
