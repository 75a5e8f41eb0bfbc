"""Guided tasks in the API: ``/api/v1/tasks/`` (public), ``/api/v1/me/task-claims/``,
``/api/v1/me/contributions/``, ``/api/v1/task-contributions/`` (review), and the two endpoints a
working group's own tool calls with a group token: ``/api/v1/tool/contributions/`` (report for a
person) and ``/api/v1/tool/claims/`` (read the group's claims).

Every change goes through ``tasks.services``; who may act is asked of the ``tasks.*`` rules. What
the caller may not see answers 404, like what does not exist. A group token works only on those
two endpoints, for its own group and the one action it was made for.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, mixins, permissions, serializers, status, viewsets
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.models import Language
from bigscience_portal.api import VerifiedForWrites

from . import selectors, services
from .models import Claim, Contribution, GroupToken, Task

# --- Serializers ------------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    working_group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    languages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    skills = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    done = serializers.IntegerField(read_only=True, help_text="Accepted items, or people with accepted work.")
    remaining = serializers.IntegerField(read_only=True)
    missing_languages = serializers.SerializerMethodField(
        help_text="ISO 639 codes of the task's languages with no accepted work yet."
    )
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "working_group",
            "title",
            "summary",
            "guidelines",
            "status",
            "level",
            "unit",
            "amount_needed",
            "done",
            "remaining",
            "active_claims",
            "languages",
            "missing_languages",
            "skills",
            "deadline",
            "work_url",
            "how_to_report",
            "over_report",
            "published_at",
            "page_url",
        ]

    def get_missing_languages(self, task) -> list[str]:
        missing = getattr(task, "missing_languages", None)
        if missing is None:
            missing = selectors.board_page([task])[0].missing_languages
        return [language.code for language in missing]


class ClaimSerializer(serializers.ModelSerializer):
    task = serializers.PrimaryKeyRelatedField(read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "task", "task_title", "status", "created_at", "last_report_at", "ended_at"]


class ClaimCreateSerializer(serializers.Serializer):
    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.exclude(status=Task.Status.DRAFT))
    become_attendant = serializers.BooleanField(
        default=False, help_text="Needed when you hold no role yet: claiming makes you a Workshop Attendant."
    )


class ContributionSerializer(serializers.ModelSerializer):
    language = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Contribution
        fields = [
            "id",
            "task",
            "claim",
            "items",
            "language",
            "link",
            "note",
            "status",
            "review_note",
            "created_at",
            "reviewed_at",
        ]


class ReviewContributionSerializer(ContributionSerializer):
    contributor = serializers.CharField(source="user.display_name", read_only=True)

    class Meta(ContributionSerializer.Meta):
        fields = [*ContributionSerializer.Meta.fields, "contributor"]


class ReportSerializer(serializers.Serializer):
    items = serializers.IntegerField(min_value=1, max_value=1_000_000)
    language = serializers.SlugRelatedField(
        slug_field="code", queryset=Language.objects.all(), required=False, allow_null=True, default=None
    )
    link = serializers.URLField(required=False, allow_blank=True, default="", max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class MyReportSerializer(ReportSerializer):
    claim = serializers.IntegerField(help_text="One of your active claims.")


class ToolReportSerializer(ReportSerializer):
    task = serializers.IntegerField(help_text="A task of the token's group.")
    person = serializers.EmailField(help_text="The e-mail address of the person's account; they claimed the task.")


class ContributionDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "changes", "reject"])
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Needed for changes and reject."
    )


# --- Public tasks -----------------------------------------------------------------------------


class TaskFilter(django_filters.FilterSet):
    working_group = django_filters.CharFilter(field_name="working_group__slug", help_text="The group's slug.")
    language = django_filters.CharFilter(field_name="languages__code", help_text="An ISO 639 code.")
    skill = django_filters.CharFilter(field_name="skills__slug", help_text="A skill's slug.")
    status = django_filters.ChoiceFilter(choices=[c for c in Task.Status.choices if c[0] != Task.Status.DRAFT])
    level = django_filters.ChoiceFilter(choices=Task.Level.choices)

    class Meta:
        model = Task
        fields = ["working_group", "language", "skill", "status", "level"]


@extend_schema_view(list=extend_schema(summary="Guided tasks"), retrieve=extend_schema(summary="One guided task"))
class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Published tasks (open, paused, closed) of every group, newest first; drafts are not shown."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = ["published_at", "deadline"]
    ordering = ["-published_at", "-pk"]

    def get_queryset(self):
        return selectors._with_needs(Task.objects.filter(status__in=selectors.PUBLIC_STATUSES)).distinct()

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(selectors.board_page(page), many=True).data)


# --- The caller's claims and contributions -------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Your task claims"),
    retrieve=extend_schema(summary="One of your task claims"),
    create=extend_schema(
        summary="Claim a task",
        description="Refused with 409 when the task is paused or closed, full, already claimed by you, or "
        "when you hold no role and did not set `become_attendant`.",
        request=ClaimCreateSerializer,
        responses={201: ClaimSerializer},
    ),
    release=extend_schema(summary="Give up a claim", request=None, responses={200: ClaimSerializer}),
)
class MyClaimViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Claim.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = ClaimSerializer
    permission_classes = [permissions.IsAuthenticated, VerifiedForWrites]
    filterset_fields = ["status"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return Claim.objects.filter(user=self.request.user).select_related("task")

    def create(self, request):
        incoming = ClaimCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        claim = services.claim_task(
            incoming.validated_data["task"],
            user=request.user,
            become_attendant=incoming.validated_data["become_attendant"],
        )
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return Response(ClaimSerializer(services.release_claim(self.get_object(), actor=request.user)).data)


@extend_schema_view(
    list=extend_schema(summary="Your contributions"),
    retrieve=extend_schema(summary="One of your contributions"),
    create=extend_schema(
        summary="Report a contribution on one of your claims",
        description="Above what the task still needs, the report is capped or refused (409), as the task says.",
        request=MyReportSerializer,
        responses={201: ContributionSerializer},
    ),
)
class MyContributionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Contribution.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = ContributionSerializer
    permission_classes = [permissions.IsAuthenticated, VerifiedForWrites]
    filterset_fields = ["status", "task"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return Contribution.objects.filter(user=self.request.user).select_related("language")

    def create(self, request):
        incoming = MyReportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        claim = Claim.objects.filter(pk=data.pop("claim"), user=request.user).first()
        if claim is None:
            raise exceptions.ValidationError({"claim": [_("Not one of your claims.")]})
        contribution = services.report_contribution(claim, actor=request.user, **data)
        return Response(ContributionSerializer(contribution).data, status=status.HTTP_201_CREATED)


# --- Review -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Contributions you may review",
        description="Contributions to the tasks of the groups you chair (every group for organizers) and "
        "of the tasks you were named to review; your own are left out. Filter by `status` and `task`.",
    ),
    retrieve=extend_schema(summary="One contribution you may review"),
    decide=extend_schema(
        summary="Accept, ask for changes or reject",
        description="The contributor is e-mailed. Already reviewed: 409.",
        request=ContributionDecisionSerializer,
        responses={200: ReviewContributionSerializer},
    ),
)
class ReviewContributionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Contribution.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = ReviewContributionSerializer
    permission_classes = [permissions.IsAuthenticated, VerifiedForWrites]
    filterset_fields = ["status", "task"]
    ordering = ["created_at", "pk"]

    def get_queryset(self):
        from roles import rules as role_rules
        from working_groups.models import WorkingGroup

        user = self.request.user
        contributions = Contribution.objects.exclude(user=user).select_related(
            "language", "user__profile", "task__working_group"
        )
        if role_rules.is_organizer(user):
            return contributions
        groups = [g.pk for g in WorkingGroup.objects.only("pk") if role_rules.can_manage_group(user, g)]
        reviewed = list(user.tasks_to_review.values_list("task_id", flat=True))
        from django.db.models import Q

        return contributions.filter(Q(task__working_group__in=groups) | Q(task__in=reviewed))

    def get_object(self):
        contribution = super().get_object()
        if not self.request.user.has_perm("tasks.review_contribution", contribution):
            raise NotFound()
        return contribution

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        incoming = ContributionDecisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        contribution = services.review_contribution(self.get_object(), actor=request.user, **incoming.validated_data)
        return Response(ReviewContributionSerializer(contribution).data)


# --- A group's own tool, with a group token -----------------------------------------------------


class GroupTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer bsg_...``: a token made on a group's task page, for one action."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in ("bearer", "token"):
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header: send “Bearer <token>”."))
        token = services.authenticate_group_token(parts[1].decode("ascii", errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked group token."))
        return AnonymousUser(), token

    def authenticate_header(self, request):
        return 'Bearer realm="group-tools"'


class GroupTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tasks.api.GroupTokenAuthentication"
    name = "groupToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A working group's tool token (bsg_…), made on the group's task page for one action.",
        }


def _scoped_to(action_name: str):
    class HasScopedToken(permissions.BasePermission):
        message = _("This token may not do this.")

        def has_permission(self, request, view):
            token = request.auth
            if not isinstance(token, GroupToken):
                raise exceptions.NotAuthenticated(_("Send a group token: Authorization: Bearer bsg_…"))
            return token.action == action_name

    return HasScopedToken


class ToolReportView(generics.GenericAPIView):
    """Report work done by a person on a task of the token's group; they must have claimed it."""

    authentication_classes = [GroupTokenAuthentication]
    permission_classes = [_scoped_to(GroupToken.Action.REPORT)]
    serializer_class = ToolReportSerializer

    @extend_schema(
        summary="Report a contribution for a person (group token)",
        description="Needs a group token made for reporting contributions. A task of another group answers "
        "404; a person with no active claim on the task, a paused or closed task, or too many items: 409.",
        request=ToolReportSerializer,
        responses={201: ContributionSerializer},
    )
    def post(self, request):
        incoming = ToolReportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        token = request.auth
        task = Task.objects.filter(pk=data.pop("task"), working_group_id=token.working_group_id).first()
        if task is None:
            raise NotFound(_("No such task in this token's working group."))
        person = get_user_model().objects.filter(email__iexact=data.pop("person"), is_active=True).first()
        if person is None:
            raise exceptions.ValidationError({"person": [_("No account uses this e-mail address.")]})
        contribution = services.report_for_person(token=token, task=task, user=person, **data)
        return Response(ContributionSerializer(contribution).data, status=status.HTTP_201_CREATED)


class ToolClaimSerializer(ClaimSerializer):
    person = serializers.EmailField(source="user.email", read_only=True)

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "person"]


@extend_schema_view(get=extend_schema(summary="The active claims on the group's tasks (group token)"))
class ToolClaimListView(generics.ListAPIView):
    """Who is working on which task of the token's group, so the tool can let them in."""

    authentication_classes = [GroupTokenAuthentication]
    permission_classes = [_scoped_to(GroupToken.Action.READ_CLAIMS)]
    serializer_class = ToolClaimSerializer
    filter_backends = []

    def get_queryset(self):
        return (
            Claim.objects.filter(task__working_group_id=self.request.auth.working_group_id, status=Claim.Status.ACTIVE)
            .select_related("task", "user")
            .order_by("pk")
        )


ROUTES = [
    ("tasks", TaskViewSet, "task"),
    ("me/task-claims", MyClaimViewSet, "my-task-claim"),
    ("me/contributions", MyContributionViewSet, "my-contribution"),
    ("task-contributions", ReviewContributionViewSet, "task-contribution"),
]
URLS = [
    path("tool/contributions/", ToolReportView.as_view(), name="tool-contribution-report"),
    path("tool/claims/", ToolClaimListView.as_view(), name="tool-claim-list"),
]
