"""News posts and sent newsletter issues: ``/api/v1/news/``, ``/api/v1/newsletter-issues/``."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from .models import NewsPost


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


ROUTES = [("news", NewsPostViewSet, "news-post")]
