"""The e-mail side of the benchmark and of the fault script, run inside Django.

``python -m bench.mailjob <command>`` prints one JSON line:

- ``ping``: waits until a Celery worker answers on the broker;
- ``send --recipients N [--tag T]``: queues one newsletter-sized message to each of N people the
  way the portal does (the newsletter's own sending service when it exists, else the outbox:
  one ``OutgoingEmail`` row each, handed to the worker after commit);
- ``raw --recipients N --port P --tag T``: sends the same messages straight through Django's SMTP
  backend on one connection, in this process: the ceiling the worker is compared with;
- ``status --tag T``: how many of the run's messages are queued, sending, sent, failed.
"""

import argparse
import json
import os
import time

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


def send(count: int, tag: str) -> dict:
    from bigscience_portal.mail import enqueue_email

    started = time.monotonic()
    rows = outbox_rows(count, tag)
    prepared = time.monotonic()
    for row in rows:
        enqueue_email(row.pk)
    return {
        "strategy": "outbox",
        "queued": len(rows),
        "prepare_seconds": round(prepared - started, 2),
        "enqueue_seconds": round(time.monotonic() - prepared, 2),
    }


def raw(count: int, tag: str, port: int) -> dict:
    from django.core.mail.backends.smtp import EmailBackend

    from bigscience_portal.mail import build_message
    from bigscience_portal.models import OutgoingEmail

    emails = list(OutgoingEmail.objects.filter(key__startswith=f"bench:{tag}:").order_by("pk")[:count])
    connection = EmailBackend(host="127.0.0.1", port=port, use_tls=False, fail_silently=False)
    started = time.monotonic()
    connection.open()
    sent = 0
    for start in range(0, len(emails), 500):
        sent += connection.send_messages([build_message(e, connection=connection) for e in emails[start : start + 500]])
    connection.close()
    return {"sent": sent, "seconds": round(time.monotonic() - started, 2)}


def status(tag: str) -> dict:
    from django.db.models import Count

    from bigscience_portal.models import OutgoingEmail

    counts = OutgoingEmail.objects.filter(key__startswith=f"bench:{tag}:").values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in counts}


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
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bigscience_portal.settings")
    import django

    django.setup()
    if args.command == "ping":
        result = ping(args.timeout)
    elif args.command == "send":
        result = send(args.recipients, args.tag)
    elif args.command == "raw":
        result = raw(args.recipients, args.tag, args.port)
    else:
        result = status(args.tag)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
