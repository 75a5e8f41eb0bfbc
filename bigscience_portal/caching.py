"""Whole-page caching of the public pages for visitors, with invalidation on every write.

``PublicPageCacheMiddleware`` serves the views named in ``settings.PUBLIC_PAGE_CACHE_VIEWS``
from the cache to anonymous visitors. A cached copy is keyed by the scheme and host (pages hold
absolute links), the path, the query parameters the view reads (sorted), the visitor's time-zone
cookie (times are shown in it), the language the page is written in (LocaleMiddleware's choice from
the language cookie and Accept-Language), Accept, and the current *content version*. A query parameter the
view does not read (``?utm_source=``, a random string) is not a new entry: such a request is
answered by the view and not stored. The parameters a view reads are the API's filters, ordering
and pagination (from the view class), plus ``PUBLIC_PAGE_CACHE_QUERY_PARAMS`` for the pages. Any successful
write request (POST, PUT, PATCH, DELETE answered below 400: a form, the API, the admin) gives
the content a new version after the response, so the next visitor sees the change; code that
changes public data outside a request (a Celery task, a command) calls ``bump()``. Entries also
expire after ``PUBLIC_PAGE_CACHE_SECONDS``, which bounds what a lost bump (the cache was down
at that moment) or a change of time ("upcoming" becoming "past") can leave stale.

Never cached: signed-in people, API calls with a token, requests with pending flash messages, responses other than
200, responses that set a cookie, modified the session or used the CSRF token (their HTML
holds a per-visitor token). With ``IGNORE_EXCEPTIONS`` on the Redis cache, a cache outage
means every request renders the page: slower, never wrong.
"""

import hashlib
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

VERSION_KEY = "public-pages:version"
# Every key written here expires, so a Redis with ``maxmemory-policy volatile-lru`` (see the README)
# may evict any of them and never the broker's queues; a lost version only means a fresh one.
VERSION_SECONDS = 7 * 24 * 3600
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def enabled() -> bool:
    return getattr(settings, "PUBLIC_PAGE_CACHE_ENABLED", True)


def bump() -> None:
    """Give the public content a new version: every cached page is out of date from now on."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, VERSION_SECONDS)


def current_version() -> str:
    """The content version; a missing one (evicted, or never set) is created, never reused."""
    version = cache.get(VERSION_KEY)
    if version is None:
        fresh = uuid.uuid4().hex
        cache.add(VERSION_KEY, fresh, VERSION_SECONDS)
        version = cache.get(VERSION_KEY) or fresh
    return version


def query_params_read_by(view_func, view_name: str) -> frozenset[str]:
    """The query parameters a cached view reads: the API's from its class, the pages' from settings."""
    names = set(getattr(settings, "PUBLIC_PAGE_CACHE_QUERY_PARAMS", {}).get(view_name, ()))
    view_class = getattr(view_func, "cls", None)  # a DRF view
    if view_class is not None:
        filterset = getattr(view_class, "filterset_class", None)
        if filterset is not None:
            names.update(filterset.base_filters)
        names.update(getattr(view_class, "filterset_fields", None) or ())
        if getattr(view_class, "ordering_fields", None):
            names.add("ordering")
        pagination = getattr(view_class, "pagination_class", None)
        if pagination is not None:
            names.update(
                n for n in (pagination.page_query_param, getattr(pagination, "page_size_query_param", None)) if n
            )
    return frozenset(names)


def normalised_query(request, known: frozenset[str]) -> str | None:
    """The query string in one order; None when it holds a parameter the view does not read."""
    pairs = []
    for name, values in request.GET.lists():
        if name not in known:
            return None
        pairs.extend((name, value) for value in values)
    return urlencode(sorted(pairs))


def page_key(request, version: str, query: str = "") -> str:
    """Scheme and host, path, normalised query, time zone (times are shown in it), language, Accept (the API's format)."""
    varies = "|".join(
        (
            request.scheme,
            request.get_host(),
            request.COOKIES.get("tz", ""),
            translation.get_language() or "",
            request.META.get("HTTP_ACCEPT", ""),
        )
    )
    digest = hashlib.sha256(f"{varies}|{request.path}?{query}".encode()).hexdigest()
    return f"public-page:{version}:{digest}"


def _visitor_may_share(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated or "HTTP_AUTHORIZATION" in request.META:
        return False  # an API token is authenticated inside the view, after this check
    return len(get_messages(request)) == 0  # pending messages are shown once, to this visitor only


def _shareable(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )


class PublicPageCacheMiddleware:
    """Place last in MIDDLEWARE: it needs the user and messages, and stores the view's own output."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in UNSAFE_METHODS and response.status_code < 400 and enabled():
            bump()
        key = getattr(request, "_public_page_key", None)
        if key and _shareable(request, response):
            # Only the view's own headers are here (this middleware is innermost); the outer
            # middleware adds security headers, cookies and CSP to every response, cached or not.
            entry = (response.content, dict(response.headers))
            cache.set(key, entry, getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 300))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if not enabled() or match is None or match.view_name not in settings.PUBLIC_PAGE_CACHE_VIEWS:
            return None
        if not _visitor_may_share(request):
            return None
        query = normalised_query(request, query_params_read_by(view_func, match.view_name))
        if query is None:
            return None  # answered by the view, not stored: no entry per made-up query string
        key = page_key(request, current_version(), query)
        entry = cache.get(key)
        if entry is not None:
            content, headers = entry
            return HttpResponse(content, headers=headers)
        request._public_page_key = key
        return None
