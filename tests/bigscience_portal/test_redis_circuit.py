"""A hung Redis (SIGSTOP: it accepts connections and never answers) does not take the site down.

The cache and the broker have short socket timeouts, and after one failure the circuit of that
server stops asking it for a few seconds (bigscience_portal/availability.py).
"""

import time

import pytest
from django.core.cache import cache

from bigscience_portal import availability
from newsletter.models import NewsPost

pytestmark = [pytest.mark.django_db, pytest.mark.redis_server]


def _redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "portal-test",
            "OPTIONS": {
                "CLIENT_CLASS": "bigscience_portal.availability.CircuitBreakerClient",
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }


@pytest.fixture
def redis_cache(settings, throwaway_redis):
    server = throwaway_redis()
    settings.CACHES = _redis_cache(server.url(1))
    availability.reset_all()
    yield server
    availability.reset_all()


def _timed(call):
    started = time.monotonic()
    value = call()
    return value, time.monotonic() - started


def test_a_hung_cache_costs_one_timeout_then_is_not_asked(redis_cache):
    cache.set("k", "v", 60)
    assert cache.get("k") == "v"
    redis_cache.hang()
    first, first_s = _timed(lambda: cache.get("k"))
    rest = [_timed(lambda: cache.get("k")) for _ in range(20)]
    assert first is None and 0.9 <= first_s < 2
    assert [value for value, _ in rest] == [None] * 20
    assert sum(seconds for _, seconds in rest) < 0.1
    assert cache.set("other", "x", 60) is None  # dropped, not raised


def test_the_cache_is_asked_again_after_the_circuit_opened(redis_cache, monkeypatch):
    monkeypatch.setattr(availability, "OPEN_SECONDS", 0.5)
    cache.set("k", "v", 60)
    redis_cache.hang()
    assert cache.get("k") is None
    redis_cache.resume()
    assert cache.get("k") is None  # still open: not asked
    time.sleep(0.6)
    assert cache.get("k") == "v"


def test_a_crashed_cache_is_not_asked_again_either(redis_cache):
    redis_cache.stop()
    assert cache.get("k") is None
    circuit = availability.circuit_for("127.0.0.1", redis_cache.port)
    assert circuit.is_open()


def test_public_pages_answer_quickly_from_a_hung_cache(redis_cache, client, settings):
    settings.PUBLIC_PAGE_CACHE_ENABLED = True
    NewsPost.objects.create(slug="hello", title="Hello", body="b")
    assert client.get("/news/").status_code == 200
    redis_cache.hang()
    timings = [_timed(lambda p=path: client.get(p)) for path in ["/news/", "/events/", "/groups/", "/news/", "/"] * 2]
    assert [response.status_code for response, _ in timings] == [200] * 10
    assert sum(seconds for _, seconds in timings) < 4  # one socket timeout, then no waiting
    assert b"Hello" in timings[0][0].content


class _Task:
    name = "tests.task"

    def __init__(self, error=None):
        self.calls, self.error = [], error
        self.app = type("App", (), {"conf": type("Conf", (), {"task_always_eager": False})()})()

    def delay(self, *args):
        self.calls.append(args)
        if self.error:
            raise self.error


def test_publish_never_raises_and_stops_asking_a_failed_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    availability.reset_all()
    failing = _Task(error=OSError("Connection refused"))
    assert availability.publish(failing, 1) is False
    assert availability.publish(failing, 2) is False
    assert failing.calls == [(1,)]  # the second was not even tried
    assert availability.broker_available() is False
    availability.reset_all()
    working = _Task()
    assert availability.publish(working, 3) is True
    assert working.calls == [(3,)]


def test_publish_runs_the_task_in_process_without_a_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    task = _Task()
    assert availability.publish(task, 7) is True
    assert task.calls == [(7,)]
