"""The newsletter goes through the same outbox: SMTP answers, leases and the sweep."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bigscience_portal import outbox
from newsletter import sending
from newsletter.models import Delivery, Issue
from newsletter.tasks import task_send_newsletter_batch, task_sweep_newsletter
from tests.bigscience_portal.smtp_backends import ScriptedBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def scripted(settings):
    settings.EMAIL_BACKEND = "tests.bigscience_portal.smtp_backends.ScriptedBackend"
    ScriptedBackend.reset()
    yield ScriptedBackend
    ScriptedBackend.reset()


def _started(issue) -> tuple[int, int]:
    assert sending.start_sending(issue.pk) > 0  # on_commit fan-out not run: no test transaction commits
    ids = list(issue.deliveries.order_by("pk").values_list("pk", flat=True))
    return ids[0], ids[-1]


def _statuses(issue) -> dict:
    return dict(issue.deliveries.values_list("email", "status"))


def test_a_rejected_message_fails_alone_and_the_others_go_out(approved_issue, make_advisors, scripted):
    readers = make_advisors(3)
    rejected = readers[1].email
    scripted.answers = {rejected: smtplib.SMTPDataError(554, b"5.7.1 Rejected")}
    result = sending.send_batch(approved_issue.pk, *_started(approved_issue))
    assert (result["sent"], result["failed"]) == (2, 1)
    assert _statuses(approved_issue) == {r.email: ("failed" if r.email == rejected else "sent") for r in readers}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers if r.email != rejected)
    assert approved_issue.deliveries.get(email=rejected).last_error.startswith("(554")


def test_a_refused_authentication_fails_the_batch_and_is_not_retried(approved_issue, make_advisors, scripted):
    readers = make_advisors(3)
    scripted.on_open = smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication failed")
    first, last = _started(approved_issue)
    assert sending.send_batch(approved_issue.pk, first, last)["failed"] == 3
    assert _statuses(approved_issue) == {r.email: "failed" for r in readers}
    approved_issue.refresh_from_db()
    assert approved_issue.status == Issue.Status.SENT  # done: organizers see 3 failed and can resend
    scripted.reset()
    assert sending.send_batch(approved_issue.pk, first, last)["claimed"] == 0
    assert mail.outbox == []


def test_a_temporary_answer_requeues_the_rest_with_backoff(approved_issue, make_advisors, scripted):
    make_advisors(3)
    first, last = _started(approved_issue)
    second = approved_issue.deliveries.order_by("pk")[1].email  # sent in order of the rows
    scripted.answers = {second: smtplib.SMTPDataError(421, b"4.7.0 Try again later")}
    with pytest.raises(outbox.RetryLater) as raised:
        sending.send_batch(approved_issue.pk, first, last)
    assert raised.value.countdown == 30
    statuses = _statuses(approved_issue)
    assert sorted(statuses.values()) == ["queued", "queued", "sent"]
    later = timezone.now() + timedelta(seconds=25)
    assert all(d.queued_at > later for d in approved_issue.deliveries.filter(status="queued"))


def test_the_batch_task_is_safe_to_run_twice_and_returns_for_a_missing_issue(approved_issue, make_advisors, scripted):
    make_advisors(2)
    first, last = _started(approved_issue)
    assert task_send_newsletter_batch.apply(args=[approved_issue.pk, first, last]).get()["sent"] == 2
    assert task_send_newsletter_batch.apply(args=[approved_issue.pk, first, last]).get()["claimed"] == 0
    assert len(mail.outbox) == 2
    assert task_send_newsletter_batch.apply(args=[987654, 1, 2]).get() == {"missing": 1}


def test_the_sweep_resumes_a_dead_workers_batch_once_its_lease_ran_out(approved_issue, make_advisors, scripted):
    readers = make_advisors(3)
    _started(approved_issue)
    deliveries = approved_issue.deliveries.all()
    deliveries.update(status="sending", claimed_by="dead", claimed_at=timezone.now() - timedelta(seconds=20))
    assert sending.resume_stalled() == 0  # the lease still runs: the worker may be alive
    deliveries.update(claimed_at=timezone.now() - outbox.LEASE - timedelta(seconds=1))  # not renewed: dead
    assert sending.resume_stalled() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)


def test_the_sweep_leaves_queued_batches_of_an_issue_being_sent(approved_issue, make_advisors, scripted):
    make_advisors(4)
    _started(approved_issue)
    now = timezone.now()
    rows = list(approved_issue.deliveries.order_by("pk"))
    # A live worker is on the first two; the other two wait in the broker's queue behind them.
    Delivery.objects.filter(pk__in=[r.pk for r in rows[:2]]).update(status="sending", claimed_by="live", claimed_at=now)
    Delivery.objects.filter(pk__in=[r.pk for r in rows[2:]]).update(queued_at=now - timedelta(minutes=2))
    assert sending.resume_stalled(now=now + timedelta(seconds=10)) == 0
    assert mail.outbox == []


def test_the_sweep_starts_an_approved_issue_whose_start_was_lost(approved_issue, make_advisors, scripted):
    readers = make_advisors(2)
    result = task_sweep_newsletter.apply().get()
    assert result["started"] == [approved_issue.pk]
    approved_issue.refresh_from_db()
    assert approved_issue.status == Issue.Status.SENDING
    assert _statuses(approved_issue) == {r.email: "queued" for r in readers}
