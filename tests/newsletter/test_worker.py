"""The real thing: a Celery worker on Redis sends an issue through a local SMTP server."""

import os
import time

import pytest
from django.db.models import Count
from django.utils import timezone

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
