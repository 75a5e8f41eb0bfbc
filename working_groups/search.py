"""Working groups in the header's search."""

from django.utils.translation import gettext_lazy as _

from bigscience_portal.search import SearchResult, match, register, snippet

from .models import WorkingGroup


def search_groups(query: str, limit: int) -> list[SearchResult]:
    groups = match(WorkingGroup.objects.all(), query, ["name", "short_description", "description"])
    if not groups.query.order_by:
        groups = groups.order_by("name")
    return [
        SearchResult(
            title=g.name, url=g.get_absolute_url(), snippet=snippet(g.short_description or g.description, query)
        )
        for g in groups.only("name", "slug", "short_description", "description")[:limit]
    ]


register(kind="groups", label=_("Working groups"), search=search_groups, order=10)
