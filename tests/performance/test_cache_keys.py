"""What a cached public page is keyed on: host, known query parameters in any order; nothing else."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from bigscience_portal import caching
from newsletter.models import NewsPost
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_ENABLED = True
    # The local-memory cache, whatever REDIS_URL says: _entries() counts in its own dict.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "keys"}}
    settings.ALLOWED_HOSTS = ["portal.example.org", "other.example.org", "testserver"]
    cache.clear()


def _entries() -> int:
    return sum(1 for key in cache._cache if ":public-page:" in key)  # the local-memory cache's own dict


def _post(slug):
    return NewsPost.objects.create(slug=slug, title=slug.title(), body="b", author=None)


def test_each_host_gets_its_own_copy(client):
    _post("first")
    assert b"First" in client.get("/news/", HTTP_HOST="portal.example.org").content
    _post("second")  # behind the cache's back: a copy for the first host is served to it
    assert b"Second" not in client.get("/news/", HTTP_HOST="portal.example.org").content
    assert b"Second" in client.get("/news/", HTTP_HOST="other.example.org").content
    assert _entries() == 2


def test_unknown_query_parameters_are_answered_but_never_stored(client):
    client.get("/news/")
    assert _entries() == 1
    for n in range(5):
        assert client.get(f"/news/?utm_source={n}").status_code == 200
    assert client.get("/news/?x=1&y=2").status_code == 200
    assert _entries() == 1
    _post("fresh")  # an uncached request renders what is there now
    assert b"Fresh" in client.get("/news/?utm_source=9").content


def test_known_api_parameters_in_any_order_share_one_entry(client):
    EventFactory(is_published=True)
    first = client.get("/api/v1/events/?ordering=start&page_size=10")
    second = client.get("/api/v1/events/?page_size=10&ordering=start")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert _entries() == 1
    client.get("/api/v1/events/?page_size=10&ordering=start&nonsense=1")
    assert _entries() == 1


def test_query_parameters_read_by_a_view_are_taken_from_its_class():
    from django.urls import resolve

    match = resolve("/api/v1/events/")
    names = caching.query_params_read_by(match.func, match.view_name)
    assert {"ordering", "page", "page_size"} <= names
    assert "nonsense" not in names
    page = resolve("/events/some-event/")
    assert caching.query_params_read_by(page.func, page.view_name) == {"tz"}


def test_every_cache_entry_expires_so_volatile_lru_may_evict_it(client, monkeypatch):
    timeouts = []
    original = cache.set
    monkeypatch.setattr(
        cache, "set", lambda key, value, timeout=None: (timeouts.append(timeout), original(key, value, timeout))
    )
    client.get("/news/")
    caching.bump()
    assert timeouts and all(isinstance(t, int) and t > 0 for t in timeouts)


def _settings_of(env: dict) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CELERY_BROKER_URL, s.CACHES['default'].get('LOCATION'), s.PUBLIC_PAGE_CACHE_ENABLED]))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "PYTEST", "PUBLIC_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "bigscience_portal.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "k" * 60,
            # production refuses to start without these (settings fail closed)
            "DJANGO_ALLOWED_HOSTS": "portal.example.org",
            "SITE_URL": "https://portal.example.org",
            "DATABASE_URL": "sqlite:////tmp/cache-keys-settings.sqlite3",
            "EMAIL_URL": "smtp://127.0.0.1:2525",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


@pytest.mark.parametrize(
    ("redis_url", "broker", "cache_location"),
    [
        ("redis://r.example:6379/0", "redis://r.example:6379/0", "redis://r.example:6379/1"),
        ("redis://r.example:6379/1", "redis://r.example:6379/1", "redis://r.example:6379/0"),
        ("redis://:pw@r.example:6380/15", "redis://:pw@r.example:6380/15", "redis://:pw@r.example:6380/14"),
        ("redis://r.example:6379", "redis://r.example:6379", "redis://r.example:6379/1"),
    ],
)
def test_cache_and_broker_use_separate_redis_databases(redis_url, broker, cache_location):
    result = _settings_of({"REDIS_URL": redis_url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f'["{broker}", "{cache_location}", true]'


def test_redis_cache_url_puts_the_cache_elsewhere():
    result = _settings_of({"REDIS_URL": "redis://r.example:6379/0", "REDIS_CACHE_URL": "redis://c.example:6379/0"})
    assert result.stdout.strip().splitlines()[-1] == '["redis://r.example:6379/0", "redis://c.example:6379/0", true]'


def test_without_redis_pages_are_not_cached_and_asking_for_it_is_refused():
    result = _settings_of({})
    assert result.stdout.strip().splitlines()[-1] == '["memory://", "portal", false]'
    refused = _settings_of({"PUBLIC_PAGE_CACHE": "true"})
    assert refused.returncode != 0
    assert "PUBLIC_PAGE_CACHE=true needs REDIS_URL" in refused.stderr
