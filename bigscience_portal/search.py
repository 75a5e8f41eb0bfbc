"""The header's search: a registry of providers, one per kind of thing, each app registering its own.

An app adds a ``search.py`` module that calls ``register(...)`` at import; the portal imports every app's
``search`` module when it starts (``PortalConfig.ready``). A provider is a function ``(query, limit)`` that
returns at most ``limit`` ``SearchResult`` for what the *public* may see, in a fixed number of queries
whatever the number of matches. ``match(queryset, query, fields)`` does the matching: PostgreSQL full-text
search (``websearch`` syntax, English stemming, ranked) in production, every word ``icontains`` on SQLite.

No index is added: the workshop's tables hold thousands of rows at most, which PostgreSQL reads and
matches in a few milliseconds (not measured here); a GIN expression index per table would be the
next step if a table grew to hundreds of thousands.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
PER_KIND = 5


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    snippet: str = ""


@dataclass(frozen=True)
class Provider:
    kind: str  # a stable name, e.g. "groups"
    label: str  # the heading of its results, translated
    search: Callable[[str, int], list[SearchResult]]
    order: int = 100


_providers: dict[str, Provider] = {}


def register(*, kind: str, label, search: Callable[[str, int], list[SearchResult]], order: int = 100) -> None:
    """Add (or replace, on a re-import) the provider of one kind of result."""
    _providers[kind] = Provider(kind=kind, label=label, search=search, order=order)


def providers() -> list[Provider]:
    return sorted(_providers.values(), key=lambda p: (p.order, p.kind))


def clean_query(raw: str | None) -> str:
    """The words of the query, at most MAX_WORDS and MAX_QUERY_LENGTH characters; "" when nothing is left."""
    words = re.sub(r"[\x00-\x1f]", " ", raw or "").split()[:MAX_WORDS]
    return " ".join(words)[:MAX_QUERY_LENGTH].strip()


def search_all(query: str, *, per_kind: int = PER_KIND) -> list[tuple[Provider, list[SearchResult]]]:
    """Each provider's results for the query, in the providers' order; kinds without results left out."""
    query = clean_query(query)
    if not query:
        return []
    found = []
    for provider in providers():
        results = provider.search(query, per_kind)[:per_kind]
        if results:
            found.append((provider, results))
    return found


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def match(queryset: QuerySet, query: str, fields: list[str], *, weights: list[str] | None = None) -> QuerySet:
    """The rows of ``queryset`` whose ``fields`` match ``query``, best first on PostgreSQL."""
    if uses_full_text():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = None
        for i, field in enumerate(fields):
            part = SearchVector(field, weight=(weights or ["A", "B", "C", "D"])[min(i, 3)], config="english")
            vector = part if vector is None else vector + part
        search_query = SearchQuery(query, search_type="websearch", config="english")
        # Filter with the match operator (@@): ts_rank alone gives a tiny positive rank to non-matches.
        return (
            queryset.annotate(_search_vector=vector, _search_rank=SearchRank(vector, search_query))
            .filter(_search_vector=search_query)
            .order_by("-_search_rank", "pk")
        )
    condition = Q()
    for word in query.split():
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return queryset.filter(condition)


def snippet(text: str, query: str, *, width: int = 160) -> str:
    """A stretch of ``text`` around the first word of the query it contains (plain text, no Markdown marks)."""
    plain = " ".join(re.sub(r"[#*_`>\[\]]", "", text or "").split())
    if len(plain) <= width:
        return plain
    lower = plain.lower()
    at = min((lower.find(w.lower()) for w in query.split() if w.lower() in lower), default=0)
    start = max(0, at - width // 3)
    piece = plain[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(plain) else "")
