"""Settings of the test suite: the development configuration, asked for explicitly, plus test-only switches.

Production stays the default of ``bigscience_portal.settings``; these switches live here, not there.
Child processes a test starts (a Celery worker, a second server process) inherit the environment set
here, so they run in development mode and on the same Redis database as the test process.
"""

import os

# The suite runs with the development defaults (SQLite under var/, a development secret key, no HTTPS
# redirect) unless DATABASE_URL / REDIS_URL point it at PostgreSQL and Redis.
os.environ["DJANGO_DEBUG"] = "true"

# Parallel test processes (pytest-xdist gw0, gw1, ...) each take their own pair of Redis databases (the broker's
# and, one beside it, the cache's): REDIS_URL's pair, then the pairs below it (15 and 14, 13 and 12, ...), so a
# cache flush or a broker queue of one does not reach another.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if os.environ.get("REDIS_URL") and _worker.startswith("gw") and not os.environ.get("PORTAL_REDIS_PER_TEST_WORKER"):
    _base, _, _db = os.environ["REDIS_URL"].rpartition("/")
    _db = int(_db) if _db.isdigit() else 0
    os.environ["REDIS_URL"] = f"{_base}/{(_db - 2 * int(_worker[2:])) % 16}"
    os.environ["PORTAL_REDIS_PER_TEST_WORKER"] = "1"

from bigscience_portal.settings import *  # noqa: E402, F403

# Pages are built from data the tests create behind their back: no whole-page cache (its own tests turn it on).
PUBLIC_PAGE_CACHE_ENABLED = False
# A task that fails in-process fails the test.
CELERY_TASK_EAGER_PROPAGATES = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
