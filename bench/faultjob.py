"""The Django side of the fault script: ``python -m bench.faultjob <command>`` prints one JSON line.

- ``registrations --rounds R --parallel P --capacity C``: R events of capacity C; each gets P
  registrations at the same instant (threads released by a barrier, each on its own database
  connection), five of them (``--repeats``) a second attempt by the same person;
- ``register --count K --tag T``: K people (addresses starting with T) register for an event (what a
  page does): each registration queues an e-mail through the outbox; run while Redis is down;
- ``outbox --prefix P --tag T``: the outbox rows of the people whose address starts with T and whose
  key starts with P, by status, and their addresses;
- ``fortnight``: fourteen days pass: the issue in preparation is marked sent, the newsletter's
  history moves 14 days into the past, and a news post appears;
- ``issues``: every newsletter issue with its number, status and period;
- ``api-people --count K --tag T``: K people, each with an API token, and an event to register for
  through the API (what the fault script POSTs while Redis is away); their addresses start with T;
- ``session``: a signed-in person's session cookie and an API token (to poll signed-in pages and the API).
"""

import argparse
import json
import os
import threading
import time
from datetime import timedelta


def make_people(count: int, prefix: str) -> list:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from accounts.models import Profile, User

    unusable = make_password(None)  # these people never log in
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{i}-{time.time_ns()}@faults.example.org", password=unusable) for i in range(count)]
    )
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
    Profile.objects.bulk_create([Profile(user=u, display_name=f"Person {u.pk}") for u in users])
    return users


def make_event(slug: str, capacity: int | None):
    from django.utils import timezone

    from events.models import Event

    start = timezone.now() + timedelta(days=30)
    return Event.objects.create(
        slug=slug, title=slug, start=start, end=start + timedelta(hours=2), is_published=True, capacity=capacity
    )


def registration_round(event, users: list, attempts: list) -> dict:
    """All attempts at once; then what the database holds."""
    from django.db import connection
    from django.db.models import Count

    from events.models import Registration
    from events.services import register_for_event

    barrier, errors = threading.Barrier(len(attempts)), []

    def attempt(user):
        try:
            barrier.wait()
            register_for_event(event=event, user=user)
        except Exception as exc:  # noqa: BLE001 - every failure is a finding, counted below
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    current = Registration.objects.filter(event=event, session=None).exclude(status="cancelled")
    per_user = current.values("user").annotate(n=Count("pk")).filter(n__gt=1).count()
    return {
        "registered": current.filter(status="registered").count(),
        "waiting": current.filter(status="waiting").count(),
        "people": len(users),
        "duplicates": per_user,
        "errors": errors[:3],
        "error_count": len(errors),
    }


def registrations(rounds: int, parallel: int, capacity: int, repeats: int = 5) -> dict:
    distinct = parallel - repeats
    users = make_people(distinct, "registrant")
    attempts = users + users[:repeats]
    results = []
    for index in range(rounds):
        event = make_event(f"capacity-round-{index}-{time.time_ns()}", capacity)
        results.append(registration_round(event, users, attempts))
    return {"capacity": capacity, "attempts_per_round": parallel, "distinct_people": distinct, "rounds": results}


def register(count: int, tag: str) -> dict:
    from events.services import register_for_event

    event = make_event(f"{tag}-{time.time_ns()}", None)
    timings = []
    for user in make_people(count, tag):
        started = time.monotonic()
        register_for_event(event=event, user=user)
        timings.append(time.monotonic() - started)
    return {"registrations": count, "slowest_s": round(max(timings), 2), "mean_s": round(sum(timings) / count, 2)}


def outbox(prefix: str, tag: str) -> dict:
    """The outbox rows of the people made by ``register`` and ``api-people`` (their addresses start with the tag)."""
    from bigscience_portal.models import OutgoingEmail

    rows = list(OutgoingEmail.objects.filter(key__startswith=prefix, to__startswith=tag).values_list("to", "status"))
    statuses: dict = {}
    for _, status in rows:
        statuses[status] = statuses.get(status, 0) + 1
    return {"statuses": statuses, "addresses": sorted(to.lower() for to, _ in rows)}


def fortnight() -> dict:
    from django.db.models import F
    from django.utils import timezone

    from newsletter.models import Issue, NewsPost

    now, shift = timezone.now(), timedelta(days=14)
    Issue.objects.filter(status__in=["draft", "approved", "sending"]).update(
        status="sent", sending_started_at=now, sent_at=now
    )
    for field in ("sending_started_at", "sent_at", "period_start", "period_end", "scheduled_for", "approved_at"):
        Issue.objects.filter(**{f"{field}__isnull": False}).update(**{field: F(field) - shift})
    NewsPost.objects.update(published_at=F("published_at") - shift)
    NewsPost.objects.create(slug=f"fortnight-{time.time_ns()}", title="Something new", body="News.", published_at=now)
    return issues()


def issues() -> dict:
    from newsletter.models import Issue

    rows = Issue.objects.order_by("number").values_list("number", "status", "period_end")
    return {"issues": [[n, s, str(p)] for n, s, p in rows]}


def api_people(count: int, tag: str) -> dict:
    from accounts.tokens import create_token

    event = make_event(f"{tag}-api-{time.time_ns()}", None)
    users = make_people(count, f"{tag}-api")
    tokens = [create_token(user=user, name="faults")[1] for user in users]
    return {"event": event.slug, "tokens": tokens, "addresses": sorted(u.email.lower() for u in users)}


def session() -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.tokens import create_token

    (user,) = make_people(1, "signed-in")
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
        "token": create_token(user=user, name="f")[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "command",
        choices=["registrations", "register", "outbox", "fortnight", "issues", "api-people", "session"],
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--parallel", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--prefix", default="event-registered:")
    parser.add_argument("--tag", default="outage", help="register, api-people, outbox: the people's addresses start so")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bigscience_portal.settings")
    import django

    django.setup()
    commands = {
        "registrations": lambda: registrations(args.rounds, args.parallel, args.capacity, args.repeats),
        "register": lambda: register(args.count, args.tag),
        "outbox": lambda: outbox(args.prefix, args.tag),
        "fortnight": fortnight,
        "issues": issues,
        "api-people": lambda: api_people(args.count, args.tag),
        "session": session,
    }
    print(json.dumps(commands[args.command]()))


if __name__ == "__main__":
    main()
