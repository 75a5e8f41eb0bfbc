"""Work queued after a commit is never lost when the broker is down or hung, and the person who
acted gets their page: e-mails wait in the outbox, event messages and the newsletter's start are
found by their sweeps. A Redis of the test's own is stopped (or hung), people act, Redis comes
back, the sweeps run as beat runs them, and the messages are counted.
"""

import time
from datetime import timedelta

import pytest
import redis
from django.core import mail
from django.utils import timezone
from kombu import pools

from bigscience_portal import availability
from bigscience_portal import mail as portal_mail
from bigscience_portal.celery import app
from bigscience_portal.models import OutgoingEmail
from events import services as event_services
from events.models import EventMessage, Registration
from newsletter import sending
from newsletter import services as newsletter_services
from newsletter.models import Issue
from tests.events.factories import EventFactory
from tests.factories import IssueFactory, IssueItemFactory, ParticipationFactory, RoleFactory, UserFactory

pytestmark = [pytest.mark.redis_server, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker(throwaway_redis, settings):
    """Tasks go to a real Redis broker of this test's own (not run in-process)."""
    server = throwaway_redis()
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = server.url(0)
    app.conf.broker_url, app.conf.task_always_eager = server.url(0), False
    app._pool = app.amqp._producer_pool = None
    availability.reset_all()
    yield server
    if app._pool is not None:
        app._pool.force_close_all()
    pools.reset()  # kombu keeps pools per connection: none of this test's may be reused
    # reset() closed every pool, the ones from before this test too: later tests get new ones
    app._pool = app.amqp._producer_pool = None
    app.conf.broker_url, app.conf.task_always_eager = saved
    availability.reset_all()


def _run_sweeps_as_beat_does():
    """Beat's sweeps, a minute later, with tasks in-process."""
    app.conf.task_always_eager = True
    later = timezone.now() + timedelta(minutes=1)
    pending = event_services.pending_event_messages(now=later)
    assert sum(event_services.deliver_event_message(message=m) for m in pending) == 2
    sending.sweep(now=later)
    portal_mail.flush_outbox(now=later)


@pytest.mark.parametrize("outage", ["stopped", "hung"])
def test_nothing_is_lost_while_the_broker_is_away(broker, client, organizer, outage):
    event = EventFactory(capacity=10)
    attendee = UserFactory()
    client.force_login(attendee)
    already = UserFactory()
    event_services.register_for_event(event=event, user=already)  # broker up: its e-mail task is queued
    queued_before = redis.Redis.from_url(broker.url(0)).llen("celery")
    assert queued_before == 1
    role = RoleFactory(slug="advisor", committee__slug="steering")
    advisors = [ParticipationFactory(role=role).user for _ in range(2)]
    issue = IssueFactory(status="draft", scheduled_for=timezone.now() - timedelta(minutes=1))
    IssueItemFactory(issue=issue)

    broker.stop() if outage == "stopped" else broker.hang()
    started = time.monotonic()
    response = client.post(f"/events/{event.slug}/register/")
    first_s = time.monotonic() - started
    assert response.status_code == 302  # their page, not a 500
    assert Registration.objects.get(event=event, user=attendee).status == "registered"
    message = event_services.send_event_message(event=event, actor=organizer, subject="Room change", body="Room 2.")
    newsletter_services.approve_issue(issue, actor=organizer)
    print(f"first request while the broker is {outage}: {first_s:.2f}s")
    assert first_s < 4  # a few socket timeouts at most, once: then the circuit answers at once
    assert mail.outbox == []
    assert OutgoingEmail.objects.filter(to=attendee.email, status="queued").count() == 1
    assert EventMessage.objects.get(pk=message.pk).recipient_count is None
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.APPROVED

    broker.restart() if outage == "stopped" else broker.resume()
    availability.reset_all()
    tasks_in_broker = redis.Redis.from_url(broker.url(0)).llen("celery")
    if outage == "stopped":
        assert tasks_in_broker == 0  # the restarted Redis lost the task queued before: the outbox did not
    else:
        # A hung Redis may still act on what was written to its socket before the timeout: a worker would
        # find those rows sent (claims), never send them twice.
        assert tasks_in_broker >= 1
    _run_sweeps_as_beat_does()

    received = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert len(received) == len(set(received))  # each message once
    per_person = {}
    for to, _ in received:
        per_person[to] = per_person.get(to, 0) + 1
    # Both registered people: their confirmation (the one queued before the outage too: a restarted
    # Redis lost its task, the outbox did not) and the organizers' message; each advisor: the issue.
    assert per_person == {attendee.email: 2, already.email: 2, **{a.email: 1 for a in advisors}}
    assert sorted(to for to, subject in received if "Room change" in subject) == sorted([attendee.email, already.email])
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT
    assert EventMessage.objects.get(pk=message.pk).recipient_count == 2
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
