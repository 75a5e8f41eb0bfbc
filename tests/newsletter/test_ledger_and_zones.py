"""Organizers' per-recipient ledger, the recipients count before approval, and times in the reader's zone."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from newsletter import sending
from newsletter.models import Delivery
from tests.factories import (
    DeliveryFactory,
    IssueFactory,
    IssueItemFactory,
    SubscriptionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _ledger(client, issue, **params):
    return client.get(reverse("newsletter:issue_deliveries", args=[issue.pk]), params)


def test_the_ledger_lists_each_recipient_with_filters(client, organizer):
    issue = IssueFactory()
    DeliveryFactory(issue=issue, email="ada@example.org", status="sent", sent_at=timezone.now())
    DeliveryFactory(issue=issue, email="bob@example.org", status="failed", last_error="451 try later")
    DeliveryFactory(issue=issue, email="cy@example.org", status="bounced", last_error="550 no such user")
    DeliveryFactory(issue=IssueFactory(), email="other-issue@example.org")
    client.force_login(organizer)
    page = _ledger(client, issue).content.decode()
    assert all(e in page for e in ("ada@example.org", "bob@example.org", "cy@example.org"))
    assert "other-issue@example.org" not in page
    assert "3 recipients: 1 sent, 1 failed, 1 bounced." in page
    assert "Resend to the 1 failed" in page
    page = _ledger(client, issue, status="failed").content.decode()
    assert "bob@example.org" in page and "451 try later" in page and "ada@example.org" not in page
    page = _ledger(client, issue, q="CY@").content.decode()
    assert "cy@example.org" in page and "bob@example.org" not in page
    assert _ledger(client, issue, status="nonsense").status_code == 200


def test_the_ledger_is_refused_to_everyone_but_organizers(client, chair, advisor):
    issue = IssueFactory()
    DeliveryFactory(issue=issue, email="secret@example.org")
    for person in (chair, advisor, UserFactory()):
        client.force_login(person)
        response = _ledger(client, issue)
        assert response.status_code == 403 and b"secret@example.org" not in response.content
    client.logout()
    assert _ledger(client, issue).status_code == 302


def test_the_ledger_pages_with_a_way_to_the_last_and_constant_queries(client, organizer):
    issue = IssueFactory()
    DeliveryFactory(issue=issue)
    client.force_login(organizer)
    with CaptureQueriesContext(connection) as one:
        _ledger(client, issue)
    DeliveryFactory.create_batch(120, issue=issue, status="failed")
    with CaptureQueriesContext(connection) as many:
        page = _ledger(client, issue, status="failed").content.decode()
    assert len(many) == len(one), [q["sql"][:150] for q in many.captured_queries][-5:]
    assert "Page 1 of 3" in page and "status=failed&amp;page=3" in page


def test_resend_from_the_ledger_queues_the_failed_again(client, organizer):
    issue = IssueFactory(status="sent")
    failed = DeliveryFactory(issue=issue, status="failed")
    client.force_login(organizer)
    client.post(reverse("newsletter:issue_action", args=[issue.pk, "resend"]))
    failed.refresh_from_db()
    assert failed.status in (Delivery.Status.QUEUED, Delivery.Status.SENT)


def test_the_number_of_recipients_is_shown_before_approval(client, organizer, make_advisors):
    make_advisors(3)
    SubscriptionFactory()
    issue = IssueFactory(status="draft", sent_at=None, sending_started_at=None)
    IssueItemFactory(issue=issue)
    client.force_login(organizer)
    page = client.get(reverse("newsletter:issue_manage", args=[issue.pk])).content.decode()
    assert "Approving sends it to <strong>4 recipients</strong>" in page


def test_issue_emails_show_event_times_in_each_readers_zone(organizer, run_on_commit):
    paris = UserFactory(profile={"time_zone": "Europe/Paris"})
    issue = IssueFactory(status="sending")
    IssueItemFactory(issue=issue, kind="event", title="Launch", happens_at=datetime(2031, 7, 1, 13, 0, tzinfo=UTC))
    DeliveryFactory(issue=issue, email=paris.email, user=paris)
    DeliveryFactory(issue=issue, email="subscriber@example.org")
    DeliveryFactory(issue=issue, email=organizer.email, user=organizer)  # organizer's profile: UTC
    first, last = issue.deliveries.order_by("pk").values_list("pk", flat=True)[::2]
    sending.send_batch(issue.pk, first, last)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Tue 1 July, 15:00 Europe/Paris — Launch" in bodies[paris.email]
    assert "Tue 1 July, 13:00 UTC — Launch" in bodies["subscriber@example.org"]
    assert "Tue 1 July, 13:00 UTC — Launch" in bodies[organizer.email]
    html = next(m for m in mail.outbox if m.to == [paris.email]).alternatives[0][0]
    assert "15:00 Europe/Paris</strong>" in html
