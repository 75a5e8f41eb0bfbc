"""The e-mail side of the benchmark and of the fault script, run inside Django.

``python -m bench.mailjob <command>`` prints one JSON line:

- ``ping``: waits until a Celery worker answers on the broker;
- ``send --recipients N [--times K]``: sends one newsletter issue to N recipients the way the
  portal does: an approved issue, and the job that sends it (``task_start_sending_issue``, which
  fans out batches to the worker) started K times. Without the newsletter app it falls back to
  the outbox: one ``OutgoingEmail`` row each, handed to the worker after commit;
- ``raw --tag T --port P``: sends the same messages straight through Django's SMTP backend on one
  connection, in this process: the ceiling the worker is compared with;
- ``status --tag T``: how many of the run's messages are queued, sending, sent, failed.

``--tag`` is the issue's id for the newsletter strategy, a key prefix for the outbox one.
"""

import argparse
import json
import os
import time
from datetime import timedelta

BODY_TEXT = "Hello {name},\n\n" + ("This fortnight in the workshop: news, progress and events. " * 40) + "\n"
BODY_HTML = "<p>Hello {name},</p>" + ("<p>This fortnight in the <strong>workshop</strong>: news and events.</p>" * 40)


def recipients(count: int) -> list[tuple[str, str]]:
    from accounts.models import User

    users = User.objects.order_by("pk").values_list("email", "profile__display_name")[:count]
    found = [(email, name or "reader") for email, name in users]
    # A workshop smaller than the run (e.g. --small): top it up with addresses nobody owns.
    found += [(f"reader{i}@bench.example.org", "reader") for i in range(len(found), count)]
    return found


def outbox_rows(count: int, tag: str):
    from bigscience_portal.models import OutgoingEmail

    rows = [
        OutgoingEmail(
            key=f"bench:{tag}:{i}",
            to=email,
            subject=f"[BigScience] Newsletter {tag}",
            body_text=BODY_TEXT.format(name=name),
            body_html=BODY_HTML.format(name=name),
            headers={"List-Unsubscribe": "<https://example.org/u>"},
        )
        for i, (email, name) in enumerate(recipients(count))
    ]
    return OutgoingEmail.objects.bulk_create(rows, batch_size=2000)


def has_newsletter() -> bool:
    import importlib.util

    return importlib.util.find_spec("newsletter.sending") is not None


def top_up_recipients(count: int) -> int:
    """Confirmed subscribers for addresses nobody owns, until the newsletter has ``count`` recipients."""
    from django.utils import timezone

    from newsletter.models import Subscription
    from newsletter.sending import recipients as newsletter_recipients

    have = len(newsletter_recipients())
    missing = count - have
    if missing > 0:
        now = timezone.now()
        Subscription.objects.bulk_create(
            [
                Subscription(email=f"subscriber{have + i}@bench.example.org", name=f"Reader {i}", confirmed_at=now)
                for i in range(missing)
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
    return len(newsletter_recipients())


def approved_issue():
    """An approved issue with a few items, due now: what an organizer's approval leaves behind."""
    from django.db.models import Max
    from django.utils import timezone

    from newsletter.models import Issue, IssueItem

    now = timezone.now()
    number = (Issue.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    issue = Issue.objects.create(
        number=number,
        title=f"BigScience newsletter #{number}",
        editorial="A word from the organizers. " * 10,
        status=Issue.Status.APPROVED,
        period_start=now - timedelta(days=14),
        period_end=now,
        scheduled_for=now,
        approved_at=now,
    )
    IssueItem.objects.bulk_create(
        [
            IssueItem(issue=issue, kind=kind, position=k, title=f"{kind} {k}", body=BODY_TEXT, url="/")
            for k, kind in enumerate(["news", "news", "progress", "progress", "event"])
        ]
    )
    return issue


def send_newsletter(count: int, times: int) -> dict:
    from newsletter.sending import MARK_EVERY
    from newsletter.tasks import task_start_sending_issue

    started = time.monotonic()
    total = top_up_recipients(count)
    issue = approved_issue()
    prepared = time.monotonic()
    for _ in range(times):
        task_start_sending_issue.delay(issue.pk)
    return {
        "strategy": "newsletter",
        "mark_every": MARK_EVERY,
        "tag": str(issue.pk),
        "recipients": total,
        "prepare_seconds": round(prepared - started, 2),
    }


def send(count: int, tag: str, times: int = 1) -> dict:
    if has_newsletter():
        return send_newsletter(count, times)
    return send_outbox(count, tag, times)


def send_outbox(count: int, tag: str, times: int) -> dict:
    from bigscience_portal.mail import enqueue_email

    started = time.monotonic()
    rows = outbox_rows(count, tag)
    prepared = time.monotonic()
    for _ in range(times):
        for row in rows:
            enqueue_email(row.pk)
    return {
        "strategy": "outbox",
        "tag": tag,
        "recipients": len(rows),
        "prepare_seconds": round(prepared - started, 2),
        "enqueue_seconds": round(time.monotonic() - prepared, 2),
    }


def raw_messages(tag: str):
    """The run's messages, built as the worker builds them, without the database bookkeeping."""
    if has_newsletter():
        from newsletter.models import Delivery, Issue
        from newsletter.sending import render_issue

        issue = Issue.objects.get(pk=int(tag))
        rendered = render_issue(issue)
        for email, name in Delivery.objects.filter(issue=issue).order_by("pk").values_list("email", "name"):
            yield rendered.personalise(issue.pk, email, name)
    else:
        from bigscience_portal.mail import build_message
        from bigscience_portal.models import OutgoingEmail

        for email in OutgoingEmail.objects.filter(key__startswith=f"bench:{tag}:").order_by("pk"):
            yield build_message(email)


def raw(tag: str, port: int, limit: int) -> dict:
    """Send the run's messages through Django's SMTP backend on one connection; time it."""
    from django.core.mail.backends.smtp import EmailBackend

    connection = EmailBackend(host="127.0.0.1", port=port, use_tls=False, fail_silently=False)
    started = time.monotonic()
    connection.open()
    sent, chunk = 0, []
    for index, message in enumerate(raw_messages(tag)):
        if index >= limit:
            break
        chunk.append(message)
        if len(chunk) == 500:
            sent += connection.send_messages(chunk)
            chunk = []
    sent += connection.send_messages(chunk)
    connection.close()
    return {"sent": sent, "seconds": round(time.monotonic() - started, 2)}


def status(tag: str) -> dict:
    from django.db.models import Count

    if has_newsletter():
        from newsletter.models import Delivery, Issue

        rows = Delivery.objects.filter(issue_id=int(tag))
        issue_status = Issue.objects.filter(pk=int(tag)).values_list("status", flat=True).first()
    else:
        from bigscience_portal.models import OutgoingEmail

        rows, issue_status = OutgoingEmail.objects.filter(key__startswith=f"bench:{tag}:"), None
    counts = {row["status"]: row["n"] for row in rows.values("status").annotate(n=Count("pk"))}
    return {"issue": issue_status, **counts}


def ping(timeout: float) -> dict:
    from bigscience_portal.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if app.control.ping(timeout=1.0):
                return {"ok": True}
        except Exception:  # noqa: BLE001, S110 - the broker may still be starting
            pass
        time.sleep(0.5)
    return {"ok": False}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["ping", "send", "raw", "status"])
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--tag", default="bench")
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--limit", type=int, default=5000, help="raw: send at most this many (a sample)")
    parser.add_argument("--times", type=int, default=1, help="start the sending job this many times")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bigscience_portal.settings")
    import django

    django.setup()
    if args.command == "ping":
        result = ping(args.timeout)
    elif args.command == "send":
        result = send(args.recipients, args.tag, args.times)
    elif args.command == "raw":
        result = raw(args.tag, args.port, args.limit)
    else:
        result = status(args.tag)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
