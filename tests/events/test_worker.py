"""The reminder job and the registration e-mail through a real Celery worker on Redis (PostgreSQL)."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from bigscience_portal.celery import app
from bigscience_portal.models import OutgoingEmail
from events import services, tasks
from tests.factories import UserFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        yield
    app.conf.task_always_eager = True


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_registration_email_goes_through_the_worker(worker):
    event = EventFactory(title="Through Redis")
    person = UserFactory()
    services.register_for_event(event=event, user=person)
    assert wait_for(lambda: OutgoingEmail.objects.filter(status="sent").count() == 1)
    assert [(m.to, m.subject) for m in mail.outbox] == [([person.email], "You are registered: Through Redis")]


def test_reminder_job_queued_twice_sends_once(worker):
    event = EventFactory(title="Soon", start=timezone.now() + timedelta(minutes=30))
    registration = RegistrationFactory(event=event)
    first, second = tasks.task_send_event_reminders.delay(), tasks.task_send_event_reminders.delay()
    assert wait_for(lambda: OutgoingEmail.objects.filter(status="sent").count() == 1)
    time.sleep(1)  # give a second copy the chance to appear if it ever would
    assert list(OutgoingEmail.objects.values_list("key", "to", "status")) == [
        (f"event-reminder-1h:{registration.pk}", registration.user.email, "sent")
    ]
    assert [m.subject for m in mail.outbox] == ["In 1 hour: Soon"]
    assert first.id != second.id
