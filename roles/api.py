"""Roles, applications and participations: ``/api/v1/roles/``, ``/api/v1/me/applications/``,
``/api/v1/me/participations/``, ``/api/v1/applications/`` (review) and ``/api/v1/participations/``
(a group's roster, removal). Every change goes through ``roles.services``; who may act is asked
of ``roles.rules``. What the caller may not see answers 404, like what does not exist.
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bigscience_portal.api import VerifiedForWrites
from working_groups.models import WorkingGroup

from . import rules, selectors, services
from .models import Application, Participation, Role


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


# --- Serializers shared by the caller's and the reviewers' views ------------------------------


class PersonSerializer(serializers.Serializer):
    display_name = serializers.CharField()
    affiliation = serializers.CharField(source="profile.affiliation", default="")
    country = serializers.CharField(source="profile.country.code", default="", allow_null=True)


class ApplicationSerializer(serializers.ModelSerializer):
    role = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    working_group = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Application
        fields = ["id", "role", "working_group", "motivation", "status", "review_note", "created_at", "decided_at"]


class ReviewApplicationSerializer(ApplicationSerializer):
    applicant = PersonSerializer(source="user")
    languages = serializers.SerializerMethodField(help_text="ISO 639 codes of the languages the applicant speaks.")
    expertise = serializers.CharField(source="user.profile.expertise", default="")

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "applicant", "languages", "expertise"]

    def get_languages(self, application) -> list[str]:
        profile = getattr(application.user, "profile", None)
        return [language.code for language in profile.languages.all()] if profile else []


class ParticipationSerializer(serializers.ModelSerializer):
    role = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    working_group = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Participation
        fields = ["id", "role", "working_group", "status", "started_at", "ended_at", "end_reason"]


class RosterEntrySerializer(ParticipationSerializer):
    member = PersonSerializer(source="user")

    class Meta(ParticipationSerializer.Meta):
        fields = [*ParticipationSerializer.Meta.fields, "member"]


class ApplySerializer(serializers.Serializer):
    role = serializers.SlugRelatedField(slug_field="slug", queryset=Role.objects.all())
    working_group = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=WorkingGroup.objects.all(),
        required=False,
        allow_null=True,
        help_text="Needed for the participant and chair roles.",
    )
    motivation = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, data):
        # The same required field as the application form of the role's page.
        if data["role"].needs_working_group and not data.get("working_group"):
            raise serializers.ValidationError(
                {"working_group": f"Choose the working group you apply to as {data['role'].name}."}
            )
        return data


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "decline"])
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Sent to the applicant."
    )


class RemovalSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="The member receives it by e-mail; it is kept in the history."
    )


# --- The caller's applications and participations ---------------------------------------------


class ChairSerializer(serializers.Serializer):
    chair = serializers.BooleanField(help_text="true: make this participant a co-chair; false: a chair steps down.")


class StatusFilter(django_filters.FilterSet):
    working_group = django_filters.CharFilter(field_name="working_group__slug", help_text="The group's slug.")
    role = django_filters.CharFilter(field_name="role__slug", help_text="The role's slug.")


class ApplicationFilter(StatusFilter):
    status = django_filters.ChoiceFilter(choices=Application.Status.choices)

    class Meta:
        model = Application
        fields = ["status", "working_group", "role"]


class ParticipationFilter(StatusFilter):
    status = django_filters.ChoiceFilter(choices=Participation.Status.choices)

    class Meta:
        model = Participation
        fields = ["status", "working_group", "role"]


@extend_schema_view(
    list=extend_schema(summary="Your applications"),
    retrieve=extend_schema(summary="One of your applications"),
    create=extend_schema(
        summary="Apply for a role",
        description="The attendant role is granted at once (status `approved`). Refused with 409 when you "
        "already hold the role or have a pending application for it, when the group is closed, or when "
        "your profile lacks what an application needs.",
        request=ApplySerializer,
        responses={201: ApplicationSerializer},
    ),
    withdraw=extend_schema(
        summary="Withdraw a pending application", request=None, responses={200: ApplicationSerializer}
    ),
)
class MyApplicationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Application.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = ApplicationSerializer
    permission_classes = [permissions.IsAuthenticated, VerifiedForWrites]
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at", "decided_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return Application.objects.filter(user=self.request.user).select_related("role", "working_group")

    def create(self, request):
        incoming = ApplySerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        application = services.submit_application(user=request.user, **incoming.validated_data)
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = services.withdraw_application(self.get_object(), actor=request.user)
        return Response(ApplicationSerializer(application).data)


@extend_schema_view(
    list=extend_schema(summary="Your roles: held, waiting and ended"),
    retrieve=extend_schema(summary="One of your participations"),
    leave=extend_schema(
        summary="Leave a role (or its waiting list)",
        description="Refused with 409 for the last chair of a group, or a role already ended.",
        request=None,
        responses={200: ParticipationSerializer},
    ),
)
class MyParticipationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Participation.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = ParticipationSerializer
    permission_classes = [permissions.IsAuthenticated, VerifiedForWrites]
    filterset_class = ParticipationFilter
    ordering_fields = ["started_at"]
    ordering = ["-started_at", "-pk"]

    def get_queryset(self):
        return Participation.objects.filter(user=self.request.user).select_related("role", "working_group")

    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        participation = services.leave_role(self.get_object(), actor=request.user)
        return Response(ParticipationSerializer(participation).data)


# --- Reviewers and chairs --------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Applications you may review",
        description="Pending applications the caller may decide: for a group's chairs, their groups' "
        "participant applications; for organizers, every pending application. Oldest first.",
    ),
    retrieve=extend_schema(summary="One application you may review"),
    decide=extend_schema(
        summary="Approve or decline an application",
        description="The applicant is e-mailed. An application already decided answers 409.",
        request=DecisionSerializer,
        responses={200: ReviewApplicationSerializer},
    ),
)
class ReviewApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Application.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = ReviewApplicationSerializer
    permission_classes = [permissions.IsAuthenticated, VerifiedForWrites]
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at"]
    ordering = ["created_at", "pk"]

    def get_queryset(self):
        user = self.request.user
        applications = (
            Application.objects.select_related("role", "working_group", "user__profile")
            .prefetch_related("user__profile__languages")
            .order_by("created_at", "pk")
        )
        if self.action == "list":
            applications = applications.filter(status=Application.Status.PENDING)
        if not rules.is_organizer(user):
            applications = applications.filter(working_group__in=rules.chaired_group_ids(user))
        return applications

    def list(self, request):
        reviewable = [
            a for a in self.filter_queryset(self.get_queryset()) if request.user.has_perm("roles.review_application", a)
        ]
        page = self.paginate_queryset(reviewable)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        application = super().get_object()
        if not self.request.user.has_perm("roles.review_application", application):
            raise NotFound()
        return application

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        incoming = DecisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        application = services.decide_application(
            self.get_object(),
            approve=incoming.validated_data["decision"] == "approve",
            actor=request.user,
            note=incoming.validated_data["note"],
        )
        return Response(ReviewApplicationSerializer(application).data)


@extend_schema_view(
    list=extend_schema(
        summary="Rosters of the groups you manage",
        description="Current members and waiting lists of the groups the caller chairs (every group for "
        "organizers); filter by `working_group`.",
    ),
    retrieve=extend_schema(summary="One member of a group you manage"),
    remove=extend_schema(
        summary="Remove a member from a group",
        description="Chairs remove participants of their group; only organizers remove a chair, never "
        "the last one (409). The member is e-mailed the reason.",
        request=RemovalSerializer,
        responses={200: RosterEntrySerializer},
    ),
    chair=extend_schema(
        summary="Make a participant a co-chair, or a chair a participant",
        description="Organizers promote and demote; a chair may step down themself, never the last one "
        "(409). Answers the new participation.",
        request=ChairSerializer,
        responses={200: RosterEntrySerializer},
    ),
)
class RosterViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Participation.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = RosterEntrySerializer
    permission_classes = [permissions.IsAuthenticated, VerifiedForWrites]
    filterset_class = ParticipationFilter
    ordering_fields = ["started_at"]
    ordering = ["working_group__name", "status", "-role__order", "started_at", "pk"]

    def get_queryset(self):
        user = self.request.user
        members = Participation.objects.filter(status__in=selectors.CURRENT, working_group__isnull=False)
        if not rules.is_organizer(user):
            members = members.filter(working_group__in=rules.chaired_group_ids(user))
        return members.select_related("role", "working_group", "user__profile")

    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        incoming = RemovalSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        participation = services.remove_member(
            self.get_object(), actor=request.user, reason=incoming.validated_data["reason"]
        )
        return Response(RosterEntrySerializer(participation).data)

    @action(detail=True, methods=["post"])
    def chair(self, request, pk=None):
        incoming = ChairSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        participation = services.set_chair(
            self.get_object(), actor=request.user, chair=incoming.validated_data["chair"]
        )
        return Response(RosterEntrySerializer(participation).data)


ROUTES = [
    ("roles", RoleViewSet, "role"),
    ("me/applications", MyApplicationViewSet, "my-application"),
    ("me/participations", MyParticipationViewSet, "my-participation"),
    ("applications", ReviewApplicationViewSet, "application"),
    ("participations", RosterViewSet, "participation"),
]
