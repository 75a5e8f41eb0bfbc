"""The real thing: a Celery worker on Redis sends an issue through a local SMTP server."""

import os
import signal
import time

import pytest
from django.db.models import Count
from django.utils import timezone

from bigscience_portal import outbox
from newsletter import services
from newsletter.models import Delivery, Issue
from roles.models import Participation
from tests.factories import IssueFactory, IssueItemFactory, RoleFactory

RECIPIENTS = int(os.environ.get("NEWSLETTER_WORKER_TEST_RECIPIENTS", "300"))


def _advisors(count: int) -> list[str]:
    """Many advisors fast: bulk inserts rather than factories."""
    from accounts.models import Profile, User

    role = RoleFactory(slug="advisor", committee__slug="steering")
    users = User.objects.bulk_create([User(email=f"advisor{n}@example.org") for n in range(count)])
    Profile.objects.bulk_create([Profile(user=u, display_name=f"Advisor {n}") for n, u in enumerate(users)])
    Participation.objects.bulk_create(
        [Participation(user=u, role=role, status="active", started_at=timezone.now()) for u in users]
    )
    return [u.email for u in users]


def _wait_for(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)
    return True


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_exactly_one_message_per_recipient(celery_worker_process, smtp_sink, organizer):
    emails = _advisors(RECIPIENTS)
    smtp_sink.handler.refuse = {"advisor7@example.org"}
    issue = IssueFactory(status="draft", scheduled_for=timezone.now())
    IssueItemFactory(issue=issue, title="On to the moon", body="2.5 million GPU hours <script>alert(1)</script>")

    started = time.monotonic()
    services.approve_issue(issue, actor=organizer)  # commits; the worker starts the fan-out

    assert _wait_for(lambda: Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT), "the issue was not sent"
    elapsed = time.monotonic() - started
    print(f"{RECIPIENTS} recipients in {elapsed:.1f}s: {RECIPIENTS / elapsed:.0f} messages/s")
    received = smtp_sink.recipients()
    assert len(received) == RECIPIENTS - 1
    assert sorted(received) == sorted(e for e in emails if e != "advisor7@example.org")
    assert dict(issue.deliveries.values_list("status").annotate(n=Count("pk")).order_by()) == {
        Delivery.Status.SENT: RECIPIENTS - 1,
        Delivery.Status.BOUNCED: 1,
    }
    _, message = smtp_sink.messages[0]
    assert message.is_multipart()
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(message["List-Unsubscribe"]).strip().startswith("<http")
    assert "<script" not in message.as_string()
    # Starting it again (beat, a double click) sends nothing more.
    from newsletter.tasks import task_start_sending_issue

    task_start_sending_issue.delay(issue.pk)
    time.sleep(2)
    assert len(smtp_sink.recipients()) == RECIPIENTS - 1


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_and_replaced_skips_nobody(celery_worker_process, smtp_sink, organizer):
    """SIGKILL the worker in the middle of the fan-out, start another, let beat resume the stalled batches.

    Nobody is skipped. Messages handed to SMTP but not yet marked sent when the worker died are sent
    again: at most ``MARK_EVERY`` per worker process (the documented window).
    """
    from newsletter import sending

    emails = _advisors(1500)
    issue = IssueFactory(status="draft", scheduled_for=timezone.now())
    IssueItemFactory(issue=issue)
    services.approve_issue(issue, actor=organizer)
    assert _wait_for(lambda: len(smtp_sink.messages) >= 300), "sending did not start"

    os.killpg(celery_worker_process.pid, signal.SIGKILL)
    celery_worker_process.wait()
    at_kill = len(smtp_sink.messages)
    assert at_kill < len(emails), "the worker finished before it was killed; raise the number of recipients"
    celery_worker_process.start_another()
    killed = time.monotonic()

    # In real time: the dead worker's leases run out (not renewed) and the sweep, as beat runs it, resumes them.
    def finished():
        sending.resume_stalled()
        return Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT

    assert _wait_for(finished, timeout=180), "the issue was not finished"
    resumed_after = time.monotonic() - killed
    assert resumed_after < outbox.LEASE.total_seconds() + 60
    received = smtp_sink.recipients()
    assert set(received) == set(emails)  # nobody skipped
    second_copies = len(received) - len(set(received))
    print(f"killed after {at_kill} messages; finished {resumed_after:.0f}s later; {second_copies} second copies")
    assert second_copies <= sending.MARK_EVERY * 2  # two worker processes (concurrency 2)
    assert set(issue.deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
