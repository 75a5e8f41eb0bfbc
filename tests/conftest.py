"""Fixtures shared by the whole suite, and the guard that makes CI fail on a skipped suite.

Tests that need PostgreSQL, Redis, a real Celery worker or Chromium carry a marker; they skip
with a printed reason when the service is absent, except when PORTAL_FORBID_SKIPS=1 (set by
.ci/run), where any skip fails the run.
"""

import importlib
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


def pytest_sessionstart(session):
    """Pages are checked in French too: compile the catalogues when `make test` did not (a direct pytest run)."""
    from bigscience_portal.translations import compile_all

    compile_all()


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
        if "redis_server" in item.keywords and not shutil.which("redis-server"):
            item.add_marker(pytest.mark.skip(reason="needs the redis-server binary: apt-get install -y redis-server"))
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


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Every test that uses the database starts from it as `migrate` leaves it, reference data included.

    A transactional test (live server, real worker, races) empties every table when it ends, taking the
    committees, roles and Organizers group of roles/migrations/0003_reference_data with it; the migration's
    own function puts them back for the tests that follow in the same process.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "_django_db_helper" not in request.fixturenames:
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps

    from roles.models import Role

    if not Role.objects.exists():
        importlib.import_module("roles.migrations.0003_reference_data").add_reference_data(apps, None)
        importlib.import_module("roles.migrations.0005_french_versions").add_french_texts(apps, None)


@pytest.fixture
def throwaway_redis(tmp_path):
    """Start Redis servers of the test's own on free ports (never a shared one): ``start()`` returns one."""
    from .redis_server import RedisServer

    servers = []

    def start() -> RedisServer:
        servers.append(RedisServer(tmp_path).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


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


class _SinkHandler:
    """Collects every message an SMTP client hands over; refuses the addresses in ``refuse``."""

    def __init__(self):
        import threading

        self.lock = threading.Lock()
        self.messages: list = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_sink():
    """A real SMTP server on a free loopback port. ``sink.messages`` is a list of (recipients, EmailMessage);
    ``sink.email_url`` is what EMAIL_URL needs; ``sink.handler.refuse`` holds addresses answered with 550."""
    import socket
    from types import SimpleNamespace

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = _SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    sink = SimpleNamespace(
        host="127.0.0.1",
        port=port,
        handler=handler,
        messages=handler.messages,
        email_url=f"smtp://127.0.0.1:{port}",
        recipients=lambda: [address for rcpts, _ in handler.messages for address in rcpts],
    )
    yield sink
    controller.stop()


@pytest.fixture
def celery_worker_process(transactional_db, smtp_sink):
    """A real ``celery -A bigscience_portal worker`` on the test's PostgreSQL database and Redis.

    Mark the test ``@pytest.mark.celery_worker`` and ``@pytest.mark.django_db(transaction=True)``
    so the worker sees committed rows. Its e-mail goes to ``smtp_sink``. Tasks the test queues go
    to the worker (eager mode is off for this test). Yields the ``subprocess.Popen`` (in its own
    process group); ``worker.start_another()`` starts one more, e.g. after killing the first.
    """
    import subprocess
    import sys
    import time
    from pathlib import Path
    from urllib.parse import quote

    from bigscience_portal.celery import app

    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    database_url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    app.conf.task_always_eager = False
    app.control.purge()  # messages left by an earlier, interrupted run would run against this database
    root = Path(settings.BASE_DIR)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": smtp_sink.email_url,
        "DJANGO_SETTINGS_MODULE": "bigscience_portal.settings",
        "PYTHONPATH": str(root),
    }
    log = open(root / "var" / "celery-worker-test.log", "w")  # noqa: SIM115 - closed at teardown
    started = []

    def start():
        """Start a worker (its own process group, so a test may kill it whole) and wait until it answers."""
        worker = subprocess.Popen(
            [str(Path(sys.executable).with_name("celery")), "-A", "bigscience_portal", "worker", "--loglevel=INFO",
             "--concurrency=2", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"test-{os.getpid()}-{len(started)}@%h"],
            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        started.append(worker)
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The Celery worker did not start; see {log.name}")
        worker.start_another = start
        return worker

    try:
        yield start()
    finally:
        for worker in started:
            if worker.poll() is None:
                worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, 9)
                worker.wait()
        log.close()
        app.conf.task_always_eager = True
