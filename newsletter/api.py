"""News posts and sent newsletter issues: ``/api/v1/news/``, ``/api/v1/newsletter-issues/``."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bigscience_portal.api import VerifiedForWrites

from . import selectors, services
from .models import Feedback, Issue, IssueItem, NewsPost


class NewsPostSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField(help_text="The author's display name; null when unknown.")
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = NewsPost
        fields = ["slug", "title", "body", "author", "published_at", "updated_at", "page_url"]

    def get_author(self, post) -> str | None:
        return post.author.display_name if post.author_id else None


@extend_schema_view(list=extend_schema(summary="News posts"), retrieve=extend_schema(summary="One news post"))
class NewsPostViewSet(viewsets.ReadOnlyModelViewSet):
    """Published workshop news, newest first; ``body`` is Markdown."""

    serializer_class = NewsPostSerializer
    lookup_field = "slug"
    filterset_fields = []
    ordering_fields = ["published_at", "title"]
    ordering = ["-published_at", "-pk"]

    def get_queryset(self):
        return NewsPost.objects.published().select_related("author__profile")


# --- Sent newsletter issues and feedback on them ----------------------------------------------


class IssueItemSerializer(serializers.ModelSerializer):
    working_group = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = IssueItem
        fields = ["id", "kind", "position", "title", "body", "url", "happens_at", "working_group"]


class IssueSerializer(serializers.ModelSerializer):
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Issue
        fields = ["number", "title", "editorial", "period_start", "period_end", "sent_at", "is_public", "page_url"]


class IssueDetailSerializer(IssueSerializer):
    items = IssueItemSerializer(many=True, read_only=True, source="included_items")

    class Meta(IssueSerializer.Meta):
        fields = [*IssueSerializer.Meta.fields, "items"]


class FeedbackCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=4000, help_text="Your answer to the organizers (and the group's chairs).")
    item = serializers.IntegerField(required=False, allow_null=True, help_text="An item of this issue, to answer it.")


class FeedbackSerializer(serializers.ModelSerializer):
    issue = serializers.IntegerField(source="issue.number", read_only=True)
    item = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Feedback
        fields = ["id", "issue", "item", "body", "created_at"]


NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="The issue's number.")


@extend_schema_view(
    list=extend_schema(
        summary="Sent newsletter issues",
        description="Every sent issue for members (advisors, participants, chairs) and organizers; the public ones for everyone else.",
    ),
    retrieve=extend_schema(summary="One sent issue, with its items", parameters=[NUMBER]),
    feedback=extend_schema(
        summary="Leave feedback on an issue",
        description="Advisors and organizers may answer a sent issue, or one of its items.",
        parameters=[NUMBER],
        request=FeedbackCreateSerializer,
        responses={201: FeedbackSerializer},
    ),
)
class IssueViewSet(viewsets.ReadOnlyModelViewSet):
    """The newsletter's archive: issues that were sent, newest first; drafts answer 404."""

    queryset = Issue.objects.none()  # the schema's model; requests use get_queryset
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["number", "sent_at"]
    ordering = ["-number"]
    filterset_fields = []

    def get_serializer_class(self):
        return IssueSerializer if self.action == "list" else IssueDetailSerializer

    def get_queryset(self):
        issues = selectors.sent_issues_for(self.request.user)
        if self.action != "list":
            included = IssueItem.objects.filter(included=True).select_related("working_group")
            issues = issues.prefetch_related(Prefetch("items", queryset=included, to_attr="included_items"))
        return issues

    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated, VerifiedForWrites])
    def feedback(self, request, number=None):
        issue = self.get_object()
        incoming = FeedbackCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        item = None
        if incoming.validated_data.get("item") is not None:
            item = next((i for i in issue.included_items if i.pk == incoming.validated_data["item"]), None)
            if item is None:
                raise serializers.ValidationError({"item": "No such item in this issue."})
        feedback = services.leave_feedback(
            issue=issue, body=incoming.validated_data["body"], actor=request.user, item=item
        )
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)


ROUTES = [("news", NewsPostViewSet, "news-post"), ("newsletter-issues", IssueViewSet, "newsletter-issue")]
