"""Fixtures shared by the whole suite, and the guard that makes CI fail on a skipped suite.

Tests that need PostgreSQL, Redis, a real Celery worker or Chromium carry a marker; they skip
with a printed reason when the service is absent, except when PORTAL_FORBID_SKIPS=1 (set by
.ci/run), where any skip fails the run.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection

from roles.rules import ORGANIZERS_GROUP

from .factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

FORBID_SKIPS = os.environ.get("PORTAL_FORBID_SKIPS") == "1"
_skipped: list[str] = []


def _redis_reachable() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_collection_modifyitems(config, items):
    is_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    redis_ok = None
    for item in items:
        if "postgres" in item.keywords and not is_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://..."))
        if "redis" in item.keywords or "celery_worker" in item.keywords:
            redis_ok = _redis_reachable() if redis_ok is None else redis_ok
            if not redis_ok:
                item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://... to a running server"))
        if "celery_worker" in item.keywords and not is_postgres:
            item.add_marker(pytest.mark.skip(reason="a real worker shares the test database: needs PostgreSQL"))
        if "browser" in item.keywords and not shutil.which("chromium"):
            item.add_marker(pytest.mark.skip(reason="needs Debian's Chromium: apt-get install -y chromium"))


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if FORBID_SKIPS and _skipped and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if FORBID_SKIPS and _skipped:
        terminalreporter.write_line(
            f"PORTAL_FORBID_SKIPS=1 and {len(_skipped)} test(s) skipped: this run fails.", red=True
        )


@pytest.fixture(autouse=True)
def _isolated_services(settings):
    """Tasks run in-process and e-mail goes to mail.outbox, whatever the environment says."""
    from django.core.cache import cache

    from bigscience_portal.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    cache.clear()
    yield
    app.conf.task_always_eager = eager
    cache.clear()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Use as a context manager: callbacks registered inside run when it exits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organizer(db):
    person = UserFactory(is_staff=True)
    person.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    return person


@pytest.fixture
def group(db):
    return WorkingGroupFactory()


@pytest.fixture
def chair(group):
    return ParticipationFactory(role=RoleFactory(slug="chair"), working_group=group).user


@pytest.fixture
def member(group):
    return ParticipationFactory(role=RoleFactory(slug="participant"), working_group=group).user


@pytest.fixture
def advisor(db):
    return ParticipationFactory(role=RoleFactory(slug="advisor", committee__slug="steering")).user


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"
