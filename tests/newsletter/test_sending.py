"""Recipients, the fan-out in batches, exactly one copy each whatever fails, and the e-mail itself."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from bigscience_portal import outbox
from newsletter import sending, services, tokens
from newsletter.models import Delivery, Issue, Subscription
from newsletter.tasks import task_send_newsletter_batch, task_start_sending_issue
from roles.models import Participation
from tests.activity.rows import activity_about
from tests.factories import IssueFactory, IssueItemFactory, SubscriptionFactory, UserFactory

from .backends import FlakyBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.newsletter.backends.FlakyBackend"
    FlakyBackend.reset()
    yield FlakyBackend
    FlakyBackend.reset()


def _recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def _deliveries(issue) -> dict:
    return dict(issue.deliveries.values_list("email", "status"))


def test_recipients_are_active_advisors_and_confirmed_subscribers_minus_stopped(make_advisors):
    advisor, stopped, bounced, ended = make_advisors(4)
    SubscriptionFactory(email=stopped.email, user=stopped, unsubscribed_at=timezone.now())
    SubscriptionFactory(email=bounced.email, user=bounced, bounced_at=timezone.now())
    Participation.objects.filter(user=ended).update(status="ended", ended_at=timezone.now())
    subscriber = SubscriptionFactory(email="Reader@Example.org")
    SubscriptionFactory(email="pending@example.org", confirmed_at=None)
    SubscriptionFactory(email="gone@example.org", unsubscribed_at=timezone.now())
    SubscriptionFactory(email=advisor.email, user=advisor)  # an advisor who also subscribed: one copy
    UserFactory()  # a plain account: no newsletter

    assert {(r.email, r.name) for r in sending.recipients()} == {
        (advisor.email, advisor.display_name),
        ("reader@example.org", subscriber.name),
    }


def test_approved_issue_reaches_each_recipient_once_personalised_multipart(
    approved_issue, make_advisors, run_on_commit
):
    readers = make_advisors(3)
    with run_on_commit():
        assert sending.start_sending(approved_issue.pk) == 3

    approved_issue.refresh_from_db()
    assert approved_issue.status == Issue.Status.SENT
    assert _recipients(mail.outbox) == sorted(u.email for u in readers)
    assert set(_deliveries(approved_issue).values()) == {"sent"}
    by_address = {m.to[0]: m for m in mail.outbox}
    for reader in readers:
        message = by_address[reader.email]
        assert message.subject == approved_issue.title
        assert f"Hello {reader.display_name}," in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert f"Hello {reader.display_name}," in html
        token = tokens.unsubscribe_token(reader.email)
        assert message.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL}/news/unsubscribe/{token}/>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        reader_link = f"{approved_issue.get_absolute_url()}?r={tokens.reader_token(approved_issue.pk, reader.email)}"
        assert reader_link in message.body and reader_link in html


def test_a_script_in_a_news_item_never_reaches_the_email(approved_issue, make_advisors, run_on_commit):
    make_advisors(1)
    with run_on_commit():
        sending.start_sending(approved_issue.pk)
    (message,) = mail.outbox
    assert "2.5 million GPU hours" in message.body
    assert "<script" not in message.body
    assert "<script" not in message.alternatives[0][0]
    assert "alert(1)" not in message.alternatives[0][0]


def test_a_name_is_escaped_in_the_html(approved_issue, make_advisors, run_on_commit):
    (reader,) = make_advisors(1)
    reader.profile.display_name = "Ada <b>Lovelace</b>"
    reader.profile.save()
    with run_on_commit():
        sending.start_sending(approved_issue.pk)
    html = mail.outbox[0].alternatives[0][0]
    assert "Hello Ada &lt;b&gt;Lovelace&lt;/b&gt;," in html
    assert "Hello Ada <b>Lovelace</b>," in mail.outbox[0].body


def test_the_sending_job_run_twice_sends_once(approved_issue, make_advisors, run_on_commit):
    readers = make_advisors(4)
    with run_on_commit():
        assert task_start_sending_issue.delay(approved_issue.pk).get() == 4
        assert task_start_sending_issue.delay(approved_issue.pk).get() == 0
    assert _recipients(mail.outbox) == sorted(u.email for u in readers)
    assert approved_issue.deliveries.count() == 4


def test_a_batch_task_run_twice_sends_once(approved_issue, make_advisors):
    readers = make_advisors(5)
    _start_without_fanout(approved_issue)
    first, last = _id_range(approved_issue)

    assert task_send_newsletter_batch.delay(approved_issue.pk, first, last).get()["sent"] == 5
    assert task_send_newsletter_batch.delay(approved_issue.pk, first, last).get()["claimed"] == 0
    assert _recipients(mail.outbox) == sorted(u.email for u in readers)


def test_a_batch_uses_one_smtp_connection(approved_issue, make_advisors, flaky):
    make_advisors(6)
    _start_without_fanout(approved_issue)
    sending.send_batch(approved_issue.pk, *_id_range(approved_issue))
    assert flaky.opened == 1
    assert len(mail.outbox) == 6


def test_a_batch_failing_half_way_then_retried_sends_each_remaining_recipient_once(
    approved_issue, make_advisors, flaky
):
    readers = make_advisors(6)
    _start_without_fanout(approved_issue)
    flaky.fail_after = 2

    with pytest.raises(outbox.RetryLater):
        sending.send_batch(approved_issue.pk, *_id_range(approved_issue), job_id="job-1")

    statuses = _deliveries(approved_issue)
    assert sorted(statuses.values()) == ["queued"] * 4 + ["sent"] * 2
    assert approved_issue.deliveries.filter(status="queued").exclude(last_error="").count() == 4
    flaky.fail_after = None
    result = sending.send_batch(approved_issue.pk, *_id_range(approved_issue), job_id="job-1")  # Celery's retry

    assert result["sent"] == 4
    assert _recipients(mail.outbox) == sorted(u.email for u in readers)
    assert set(_deliveries(approved_issue).values()) == {"sent"}
    approved_issue.refresh_from_db()
    assert approved_issue.status == Issue.Status.SENT


def test_transient_failures_give_up_after_the_last_attempt(approved_issue, make_advisors, flaky):
    make_advisors(2)
    _start_without_fanout(approved_issue)
    flaky.fail_after = 0
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        with pytest.raises(outbox.RetryLater):
            sending.send_batch(approved_issue.pk, *_id_range(approved_issue))
    assert sending.send_batch(approved_issue.pk, *_id_range(approved_issue))["failed"] == 2  # no retry left
    assert list(approved_issue.deliveries.values_list("status", "attempts")) == [("failed", 5), ("failed", 5)]
    approved_issue.refresh_from_db()
    assert approved_issue.status == Issue.Status.SENT  # done: organizers see 2 failed and can resend


def test_a_refused_address_is_marked_bounced_and_left_out_of_the_next_issue(
    approved_issue, make_advisors, flaky, organizer, run_on_commit
):
    kept, refused = make_advisors(2)
    flaky.refuse = {refused.email}
    with run_on_commit():
        sending.start_sending(approved_issue.pk)
    assert _deliveries(approved_issue) == {kept.email: "sent", refused.email: "bounced"}
    assert Subscription.objects.get(user=refused).bounced_at is not None
    assert {r.email for r in sending.recipients()} == {kept.email}


def test_claims_of_a_live_worker_are_not_taken_but_stale_ones_are(approved_issue, make_advisors):
    readers = make_advisors(3)
    _start_without_fanout(approved_issue)
    first, last = _id_range(approved_issue)
    now = timezone.now()
    # Another worker renewed its claim on the batch 20 seconds ago: it is alive and sending it.
    approved_issue.deliveries.update(status="sending", claimed_by="worker-a", claimed_at=now - timedelta(seconds=20))
    assert sending.send_batch(approved_issue.pk, first, last, job_id="worker-b")["claimed"] == 0
    assert mail.outbox == []
    # Killed: once the lease ran out (not renewed) the rows are taken over, and everyone gets the issue once.
    later = now + outbox.LEASE
    assert sending.send_batch(approved_issue.pk, first, last, job_id="worker-b", now=later)["sent"] == 3
    assert _recipients(mail.outbox) == sorted(u.email for u in readers)


def test_a_redelivered_batch_resumes_its_own_claims_at_once(approved_issue, make_advisors):
    readers = make_advisors(4)
    _start_without_fanout(approved_issue)
    first, last = _id_range(approved_issue)
    # The worker running task "job-7" was killed after marking two rows sent.
    rows = list(approved_issue.deliveries.order_by("pk"))
    Delivery.objects.filter(pk__in=[r.pk for r in rows[:2]]).update(status="sent", sent_at=timezone.now())
    Delivery.objects.filter(pk__in=[r.pk for r in rows[2:]]).update(
        status="sending", claimed_by="job-7", claimed_at=timezone.now()
    )
    # Redis redelivers the unacknowledged task with the same id.
    assert sending.send_batch(approved_issue.pk, first, last, job_id="job-7")["sent"] == 2
    assert _recipients(mail.outbox) == sorted(r.email for r in rows[2:])
    assert sorted(r.email for r in rows) == sorted(u.email for u in readers)


def test_resume_stalled_requeues_batches_the_broker_never_ran(approved_issue, make_advisors, run_on_commit):
    readers = make_advisors(3)
    _start_without_fanout(approved_issue)
    assert sending.resume_stalled() == 0  # fresh rows: their tasks may still be on the way
    assert sending.resume_stalled(now=timezone.now() + outbox.LEASE + timedelta(seconds=1)) == 1
    assert _recipients(mail.outbox) == sorted(u.email for u in readers)


def test_organizers_resend_the_failed_deliveries_only(approved_issue, make_advisors, organizer, run_on_commit):
    ok, failed, bounced = make_advisors(3)
    _start_without_fanout(approved_issue)
    approved_issue.deliveries.filter(email=ok.email).update(status="sent")
    approved_issue.deliveries.filter(email=failed.email).update(status="failed", attempts=5)
    approved_issue.deliveries.filter(email=bounced.email).update(status="bounced")
    Issue.objects.filter(pk=approved_issue.pk).update(status="sent")

    with run_on_commit():
        assert sending.resend_failed(approved_issue, actor=organizer) == 1
    assert _recipients(mail.outbox) == [failed.email]
    assert _deliveries(approved_issue) == {ok.email: "sent", failed.email: "sent", bounced.email: "bounced"}
    assert activity_about(approved_issue, "actor", action="newsletter.issue.resent") == [organizer.pk]


def test_resending_is_refused_to_a_non_organizer(approved_issue, advisor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        sending.resend_failed(approved_issue, actor=advisor)


def test_a_send_test_goes_to_the_organizer_alone(approved_issue, make_advisors, organizer, run_on_commit):
    make_advisors(2)
    with run_on_commit():
        services.send_test_issue(approved_issue, actor=organizer)
    (message,) = mail.outbox
    assert message.to == [organizer.email]
    assert message.subject == f"[Test] {approved_issue.title}"
    assert "This is a test" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert approved_issue.deliveries.count() == 0


def test_tasks_return_when_the_issue_is_gone():
    assert task_start_sending_issue.delay(999999).get() == 0
    assert task_send_newsletter_batch.delay(999999, 1, 10).get() == {"missing": 1}
    assert mail.outbox == []


def test_a_batch_costs_the_same_queries_for_few_and_many_recipients(
    approved_issue, make_advisors, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(outbox, "MARK_EVERY", 1000)
    make_advisors(60)
    _start_without_fanout(approved_issue)
    ids = list(approved_issue.deliveries.order_by("pk").values_list("pk", flat=True))
    # issue, claim, read claimed rows, items, mark sent, "anything left?" (the last rows stay queued)
    with django_assert_num_queries(6):
        sending.send_batch(approved_issue.pk, ids[0], ids[4])
    with django_assert_num_queries(6):
        sending.send_batch(approved_issue.pk, ids[5], ids[54])
    assert len(mail.outbox) == 55


def _start_without_fanout(issue):
    """Create the deliveries as start_sending does, without running the batch tasks."""
    assert sending.start_sending(issue.pk) > 0


def _id_range(issue):
    ids = issue.deliveries.order_by("pk").values_list("pk", flat=True)
    return ids.first(), ids.last()


def test_an_issue_without_recipients_is_marked_sent(approved_issue, run_on_commit):
    with run_on_commit():
        assert sending.start_sending(approved_issue.pk) == 0
    approved_issue.refresh_from_db()
    assert approved_issue.status == Issue.Status.SENT
    assert mail.outbox == []


def test_only_approved_issues_start(make_advisors):
    make_advisors(1)
    draft = IssueFactory(status="draft")
    IssueItemFactory(issue=draft)
    assert sending.start_sending(draft.pk) == 0
    assert draft.deliveries.count() == 0


def test_site_relative_links_become_absolute_in_the_email(make_advisors, organizer, run_on_commit):
    make_advisors(1)
    issue = IssueFactory(status="draft", scheduled_for=timezone.now(), editorial="See [the events](/events/).")
    IssueItemFactory(issue=issue, body="The program is on the [events page](/events/).")
    with run_on_commit():
        services.approve_issue(issue, actor=organizer)
    html = mail.outbox[0].alternatives[0][0]
    assert 'href="/events/"' not in html
    assert html.count(f'href="{settings.SITE_URL}/events/"') == 2
