"""The public page cache: served to visitors only, invalidated by every write, never shared wrongly."""

import pytest
from django.core.cache import cache

from bigscience_portal import caching
from newsletter.models import NewsPost

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.performance.urls")]


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_ENABLED = True
    settings.PUBLIC_PAGE_CACHE_VIEWS = ["perf-page", "perf-form", "perf-missing"]
    cache.clear()


def _post(slug):
    return NewsPost.objects.create(slug=slug, title=slug, body="b")


def test_visitor_gets_the_cached_copy_without_queries(client, django_assert_num_queries):
    _post("one")
    assert client.get("/page/").content == b"posts=1 user=False"
    _post("two")  # changed behind the cache's back (no request, no bump): the copy is served
    with django_assert_num_queries(0):
        assert client.get("/page/").content == b"posts=1 user=False"


def test_a_successful_write_request_invalidates_every_page(client):
    client.get("/page/")
    assert client.post("/write/").status_code == 200
    assert client.get("/page/").content == b"posts=1 user=False"


def test_a_refused_write_changes_nothing_and_keeps_the_cache(client):
    client.get("/page/")
    version = caching.current_version()
    assert client.post("/write/", {"fail": "1"}).status_code == 400
    assert caching.current_version() == version


def test_bump_from_code_invalidates(client):
    client.get("/page/")
    _post("from-a-task")
    caching.bump()
    assert client.get("/page/").content == b"posts=1 user=False"


def test_signed_in_people_never_get_the_visitors_copy(client):
    from tests.factories import UserFactory

    client.get("/page/")
    client.force_login(UserFactory())
    assert client.get("/page/").content == b"posts=0 user=True"
    client.logout()
    assert client.get("/page/").content == b"posts=0 user=False"


def test_api_token_requests_bypass_the_cache(client):
    client.get("/page/")
    _post("new")
    assert client.get("/page/", HTTP_AUTHORIZATION="Token abc").content == b"posts=1 user=False"


def test_time_zone_cookie_gets_its_own_copy(client):
    client.get("/page/")
    _post("new")
    client.cookies["tz"] = "Asia/Tokyo"
    assert client.get("/page/").content == b"posts=1 user=False"


def test_pages_with_a_csrf_token_are_not_shared(client):
    first = client.get("/form/").content
    other = type(client)()
    assert other.get("/form/").content != first


def test_errors_are_not_cached(client):
    assert client.get("/missing/").content == b"gone posts=0"
    _post("new")
    assert client.get("/missing/").content == b"gone posts=1"


def test_pending_messages_bypass_the_cache(client):
    client.get("/page/")
    _post("new")
    client.get("/flash/")
    assert client.get("/page/").content == b"posts=1 user=False"


def test_views_not_listed_are_never_cached(client, settings):
    settings.PUBLIC_PAGE_CACHE_VIEWS = []
    client.get("/page/")
    _post("new")
    assert client.get("/page/").content == b"posts=1 user=False"


def test_disabled_cache_renders_every_time(client, settings):
    settings.PUBLIC_PAGE_CACHE_ENABLED = False
    client.get("/page/")
    _post("new")
    assert client.get("/page/").content == b"posts=1 user=False"


def test_an_evicted_version_is_never_reused(client):
    client.get("/page/")
    old = caching.current_version()
    cache.delete(caching.VERSION_KEY)
    assert caching.current_version() != old


def test_a_cached_copy_still_carries_the_security_headers(client, django_assert_num_queries):
    client.get("/page/", secure=True)
    with django_assert_num_queries(0):  # served from the cache
        cached = client.get("/page/", secure=True)
    assert cached.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in cached.headers["Content-Security-Policy"]
    assert cached.headers["X-Content-Type-Options"] == "nosniff"
