"""Roles (public): ``/api/v1/roles/``. Applications and membership actions grow here as roles' services land."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from .models import Role


class RoleSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Role
        fields = [
            "slug",
            "name",
            "committee",
            "summary",
            "description",
            "time_commitment",
            "needs_working_group",
            "reviewed_by",
        ]


@extend_schema_view(
    list=extend_schema(summary="The four roles"),
    retrieve=extend_schema(summary="One role"),
)
class RoleViewSet(viewsets.ReadOnlyModelViewSet):
    """The ways to take part in the workshop, who reviews them, and their time commitment."""

    queryset = Role.objects.select_related("committee").order_by("order")
    serializer_class = RoleSerializer
    lookup_field = "slug"
    filter_backends = []


ROUTES = [("roles", RoleViewSet, "role")]
