"""Whole-page caching of the public pages for visitors, with invalidation on every write.

``PublicPageCacheMiddleware`` serves the views named in ``settings.PUBLIC_PAGE_CACHE_VIEWS``
from the cache to anonymous visitors. A cached copy is keyed by the address, the visitor's
time-zone cookie (times are shown in it) and the current *content version*. Any successful
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

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "public-pages:version"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def enabled() -> bool:
    return getattr(settings, "PUBLIC_PAGE_CACHE_ENABLED", True)


def bump() -> None:
    """Give the public content a new version: every cached page is out of date from now on."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def current_version() -> str:
    """The content version; a missing one (evicted, or never set) is created, never reused."""
    version = cache.get(VERSION_KEY)
    if version is None:
        fresh = uuid.uuid4().hex
        cache.add(VERSION_KEY, fresh, None)
        version = cache.get(VERSION_KEY) or fresh
    return version


def page_key(request, version: str) -> str:
    """Address, time zone (times are shown in it) and Accept (the API negotiates its format)."""
    varies = "|".join((request.COOKIES.get("tz", ""), request.META.get("HTTP_ACCEPT", "")))
    digest = hashlib.sha256(f"{varies}|{request.get_full_path()}".encode()).hexdigest()
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
        key = page_key(request, current_version())
        entry = cache.get(key)
        if entry is not None:
            content, headers = entry
            return HttpResponse(content, headers=headers)
        request._public_page_key = key
        return None
