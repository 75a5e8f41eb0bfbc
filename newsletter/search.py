"""Published news in the header's search."""

from django.utils.translation import gettext_lazy as _

from bigscience_portal.search import SearchResult, match, register, snippet

from .models import NewsPost


def search_news(query: str, limit: int) -> list[SearchResult]:
    posts = match(NewsPost.objects.published(), query, ["title", "body"])
    return [
        SearchResult(
            title=p.title,
            url=p.get_absolute_url(),
            snippet=" — ".join(filter(None, [p.published_at.date().isoformat(), snippet(p.body, query)])),
        )
        for p in posts.only("title", "slug", "published_at", "body")[:limit]
    ]


register(kind="news", label=_("News"), search=search_news, order=50)
