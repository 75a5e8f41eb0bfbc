"""Keep the site answering when Redis hangs or dies: short timeouts and a circuit per Redis server.

A Redis that crashed refuses connections at once, but one that hangs (stopped with SIGSTOP, swapping,
a full network buffer) accepts them and never answers: every cache or broker call then waits for its
socket timeout. The circuit makes that wait happen once: the first call that fails (refused, reset or
timed out) opens the circuit of that server (host and port) for ``OPEN_SECONDS`` in this process, and
until then the cache and the broker do not ask it at all:

- the cache (``CircuitBreakerClient``, django-redis' client class) answers as a miss, and writes are
  dropped, as ``IGNORE_EXCEPTIONS`` does for a refused connection;
- ``publish()`` does not hand the task to the broker and returns False; what the task would have done
  is found later by a sweep (the e-mail outbox, the newsletter's deliveries, event messages).

After ``OPEN_SECONDS`` the next call tries again (and opens the circuit again if it fails). The circuit
is per process: each web process and worker pays for at most one timeout per ``OPEN_SECONDS``.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger(__name__)

OPEN_SECONDS = 10.0
FAILURES = (redis.ConnectionError, redis.TimeoutError, OSError)


class CircuitOpen(redis.ConnectionError):
    """Raised instead of asking a Redis server that failed a moment ago."""


class Circuit:
    """Open (do not ask) for ``OPEN_SECONDS`` after a failure; closed otherwise."""

    def __init__(self, name: str):
        self.name = name
        self._open_until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self, error: BaseException | None = None) -> None:
        with self._lock:
            was_open = self.is_open()
            self._open_until = time.monotonic() + OPEN_SECONDS
        if not was_open:
            logger.warning("Redis %s failed (%r): not asked again for %ss", self.name, error, OPEN_SECONDS)

    def close(self) -> None:
        self._open_until = 0.0


_circuits: dict[str, Circuit] = {}
_circuits_lock = threading.Lock()


def circuit_for(host: str | None, port: int | str | None) -> Circuit:
    name = f"{host or 'localhost'}:{port or 6379}"
    with _circuits_lock:
        return _circuits.setdefault(name, Circuit(name))


def circuit_for_url(url: str) -> Circuit:
    parts = urlsplit(url)
    return circuit_for(parts.hostname, parts.port)


def reset_all() -> None:
    """Close every circuit (tests)."""
    with _circuits_lock:
        for circuit in _circuits.values():
            circuit.close()


class CircuitConnection(redis.Connection):
    """A redis-py connection that opens its server's circuit when a call fails or times out."""

    @property
    def circuit(self) -> Circuit:
        return circuit_for(self.host, self.port)

    def connect(self, *args, **kwargs):
        if self.circuit.is_open():
            raise CircuitOpen(f"Redis {self.circuit.name} failed a moment ago")
        try:
            return super().connect(*args, **kwargs)
        except FAILURES as exc:
            self.circuit.trip(exc)
            raise

    def send_packed_command(self, *args, **kwargs):
        try:
            return super().send_packed_command(*args, **kwargs)
        except FAILURES as exc:
            self.circuit.trip(exc)
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except FAILURES as exc:
            self.circuit.trip(exc)
            raise


class CircuitBreakerClient(DefaultClient):
    """django-redis client that does not ask a server whose circuit is open: the call is a miss."""

    def __init__(self, server, params, backend):
        options = dict(params.get("OPTIONS", {}))
        options["CONNECTION_POOL_KWARGS"] = {
            **options.get("CONNECTION_POOL_KWARGS", {}),
            "connection_class": CircuitConnection,
        }
        super().__init__(server, {**params, "OPTIONS": options}, backend)

    def _check_circuit(self, index: int) -> None:
        circuit = circuit_for_url(self._server[index])
        if circuit.is_open():
            raise ConnectionInterrupted(connection=None) from CircuitOpen(f"Redis {circuit.name} failed a moment ago")

    def get_client(self, write: bool = True, tried: list[int] | None = None):
        client, _ = self.get_client_with_index(write=write, tried=tried)
        return client

    def get_client_with_index(self, write: bool = True, tried: list[int] | None = None):
        client, index = super().get_client_with_index(write=write, tried=tried)
        self._check_circuit(index)
        return client, index


def broker_available() -> bool:
    """False while the broker's circuit is open (it failed a moment ago); True with tasks in-process."""
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL.startswith("redis"):
        return True
    return not circuit_for_url(settings.CELERY_BROKER_URL).is_open()


def publish(task, *args, **kwargs) -> bool:
    """Queue a Celery task; never raises for a broker that is down or hung. Returns whether it was queued.

    Call it only for work that a sweep finds again when it was not queued (the outbox, the newsletter's
    deliveries, an event message's recipients): the caller has already committed what must be done.
    With tasks in-process (no ``REDIS_URL``) the task runs now and its errors propagate as usual.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER or getattr(task.app.conf, "task_always_eager", False):
        task.delay(*args, **kwargs)
        return True
    if not broker_available():
        logger.info("Broker circuit open: %s not queued now; its sweep will run it", task.name)
        return False
    try:
        task.delay(*args, **kwargs)
    except Exception as exc:  # kombu raises many kinds; the sweep recovers from any of them
        circuit_for_url(settings.CELERY_BROKER_URL).trip(exc)
        logger.warning("Could not queue %s; its sweep will run it", task.name, exc_info=True)
        return False
    return True
