"""``make run``'s embedded SQLite takes a burst of registrations: nobody is refused "database is locked".

Real threads on a real SQLite file (not the in-memory test database, which one connection shares),
in a process of its own with the embedded default settings: WAL, a busy timeout, IMMEDIATE writes.
"""

import json
import os
import subprocess
import sys

from django.conf import settings


def _embedded_env(database: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "PYTEST", "DJANGO_"))}
    env.update(DATABASE_URL=f"sqlite:///{database}", EMAIL_URL="dummymail://", DJANGO_DEBUG="true")
    return env


def test_twenty_simultaneous_registrations_on_sqlite_are_all_answered_and_capacity_holds(tmp_path):
    env = _embedded_env(tmp_path / "burst.sqlite3")
    run = {"cwd": settings.BASE_DIR, "env": env, "capture_output": True, "text": True, "timeout": 300}
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], **run)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    args = ["registrations", "--rounds", "3", "--parallel", "20", "--capacity", "10", "--repeats", "0"]
    burst = subprocess.run([sys.executable, "-m", "bench.faultjob", *args], **run)
    assert burst.returncode == 0, burst.stderr[-2000:]
    result = json.loads(burst.stdout.strip().splitlines()[-1])
    assert (
        result["rounds"]
        == [{"registered": 10, "waiting": 10, "people": 20, "duplicates": 0, "errors": [], "error_count": 0}] * 3
    )
