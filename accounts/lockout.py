"""Failed sign-ins slow down the address that makes them, not the account's owner.

Failures are counted per (account, client address) pair. The first ``FREE_FAILURES`` cost nothing;
after that each failure doubles the wait before that pair may try again, up to ``MAX_DELAY``. The
owner signing in from another address is not slowed at all. allauth's own limits stay as the outer
bound (per address across accounts, and per account across addresses, see ACCOUNT_RATE_LIMITS);
when the per-account bound trips, the owner can still sign in with a code sent by e-mail, which
those limits do not touch. Counts live in the cache, so they hold across processes with Redis.
"""

import hashlib
import time

from django.core.cache import cache

FREE_FAILURES = 3
FIRST_DELAY = 2  # seconds after the first failure beyond the free ones
MAX_DELAY = 15 * 60
FORGET_AFTER = 24 * 3600  # a pair's count is dropped a day after its last failure


def _key(login: str, ip: str) -> str:
    digest = hashlib.sha256(f"{(login or '').strip().lower()}|{ip}".encode()).hexdigest()
    return f"signin-failures:{digest}"


def delay_for(failures: int) -> int:
    """Seconds a pair waits after ``failures`` failures: 0, then 2, 4, 8, … up to 15 minutes."""
    if failures <= FREE_FAILURES:
        return 0
    return min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - FREE_FAILURES - 1))


def wait_seconds(login: str, ip: str, *, now: float | None = None) -> int:
    """How long this pair must still wait before its next attempt is even checked (0: go ahead)."""
    failures, last = cache.get(_key(login, ip), (0, 0.0))
    remaining = last + delay_for(failures) - (now if now is not None else time.time())
    return max(0, int(remaining + 0.999))


def record_failure(login: str, ip: str, *, now: float | None = None) -> int:
    """Count one more failure of the pair; returns the pair's count."""
    key = _key(login, ip)
    failures, _ = cache.get(key, (0, 0.0))
    cache.set(key, (failures + 1, now if now is not None else time.time()), FORGET_AFTER)
    return failures + 1


def clear(login: str, ip: str) -> None:
    """A successful sign-in from the pair forgets its failures."""
    cache.delete(_key(login, ip))
