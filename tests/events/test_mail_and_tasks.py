from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bigscience_portal.models import OutgoingEmail
from events import services, tasks
from events.models import Event, EventMessage
from tests.factories import UserFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def sent(prefix=""):
    return sorted((m.to[0], m.subject) for m in mail.outbox if m.subject.startswith(prefix))


def test_message_goes_once_to_each_registered_person_and_is_recorded(organizer, event, run_on_commit):
    a, b = RegistrationFactory(event=event), RegistrationFactory(event=event)
    RegistrationFactory(event=event, status="waiting")
    RegistrationFactory(event=event, status="cancelled")
    RegistrationFactory()  # another event's
    with run_on_commit():
        message = services.send_event_message(event=event, actor=organizer, subject="Room change", body="Hall B now.")
    assert sent() == sorted(
        [(a.user.email, f"Room change ({event.title})"), (b.user.email, f"Room change ({event.title})")]
    )
    assert "Hall B now." in mail.outbox[0].body
    message.refresh_from_db()
    assert (message.recipient_count, message.author) == (2, organizer)
    assert set(OutgoingEmail.objects.values_list("key", flat=True)) == {
        f"event-message:{message.pk}:{a.user_id}",
        f"event-message:{message.pk}:{b.user_id}",
    }


def test_message_task_twice_sends_once(organizer, event, run_on_commit):
    RegistrationFactory(event=event)
    message = EventMessage.objects.create(event=event, author=organizer, subject="Hello", body="Text")
    with run_on_commit():
        tasks.task_deliver_event_message(message.pk)
        tasks.task_deliver_event_message(message.pk)
    assert len(mail.outbox) == 1


def test_message_task_missing_message_does_nothing():
    assert tasks.task_deliver_event_message(999999) == 0
    assert not OutgoingEmail.objects.exists()


def test_empty_message_is_refused(organizer, event):
    with pytest.raises(Exception, match="subject and a text"):
        services.send_event_message(event=event, actor=organizer, subject=" ", body="x")
    assert not EventMessage.objects.exists()


def test_reminders_24h_and_1h_each_once_with_stream_link(run_on_commit):
    start = datetime(2031, 3, 1, 18, 0, tzinfo=UTC)
    event = EventFactory(start=start, end=start + timedelta(hours=2), stream_url="https://stream.example.org/x")
    registration = RegistrationFactory(event=event)
    RegistrationFactory(event=event, status="waiting")
    with run_on_commit():
        assert services.send_due_reminders(now=start - timedelta(hours=25)) == 0
        assert services.send_due_reminders(now=start - timedelta(hours=23)) == 1
        assert services.send_due_reminders(now=start - timedelta(hours=22)) == 0
        assert services.send_due_reminders(now=start - timedelta(minutes=50)) == 1
        assert services.send_due_reminders(now=start - timedelta(minutes=40)) == 0
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        (registration.user.email, f"In 24 hours: {event.title}"),
        (registration.user.email, f"In 1 hour: {event.title}"),
    ]
    assert all("https://stream.example.org/x" in m.body for m in mail.outbox)


def test_reminder_across_daylight_saving_change_uses_utc_and_local_time(run_on_commit):
    """Registered in winter (Paris UTC+1); the event is after the switch to summer time (UTC+2)."""
    start = datetime(2031, 3, 30, 12, 0, tzinfo=UTC)  # 14:00 in Paris, the day DST starts (02:00 → 03:00)
    event = EventFactory(start=start, end=start + timedelta(hours=2), time_zone="Europe/Paris")
    person = UserFactory(profile={"time_zone": "Europe/Paris"})
    registration = RegistrationFactory(event=event, user=person, created_at=datetime(2031, 1, 10, 9, 0, tzinfo=UTC))
    with run_on_commit():
        # 24 h before in UTC is 29 March 12:00 UTC = 13:00 Paris winter time; not 23 h or 25 h.
        assert services.send_due_reminders(now=start - timedelta(hours=24, minutes=1)) == 0
        assert services.send_due_reminders(now=start - timedelta(hours=24)) == 1
    assert registration.user.email == mail.outbox[0].to[0]
    assert "Sunday 30 March 2031, 14:00 – 16:00 (Europe/Paris)" in mail.outbox[0].body


def test_reminder_task_twice_sends_once(run_on_commit):
    event = EventFactory(start=timezone.now() + timedelta(hours=20))
    RegistrationFactory(event=event)
    with run_on_commit():
        tasks.task_send_event_reminders()
        tasks.task_send_event_reminders()
    assert len(mail.outbox) == 1


def test_reminder_task_for_a_deleted_event_sends_nothing(run_on_commit):
    event = EventFactory(start=timezone.now() + timedelta(hours=20))
    RegistrationFactory(event=event)
    event.delete()
    with run_on_commit():
        assert tasks.task_send_event_reminders() == 0
    assert mail.outbox == []


def test_recording_added_after_the_event_is_sent_once(organizer, run_on_commit):
    event = EventFactory(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=2) + timedelta(hours=2)
    )
    a = RegistrationFactory(event=event)
    RegistrationFactory(event=event, status="cancelled")
    with run_on_commit():
        services.update_event(event=event, actor=organizer, recording_url="https://video.example.org/rec")
    assert sent() == [(a.user.email, f"The recording of {event.title} is online")]
    assert "https://video.example.org/rec" in mail.outbox[0].body
    with run_on_commit():
        tasks.task_announce_recording(event.pk)
        tasks.task_send_event_reminders()
        services.update_event(event=event, actor=organizer, title="Renamed")
    assert len(mail.outbox) == 1
    assert Event.objects.get(pk=event.pk).recording_announced_at is not None


def test_recording_of_a_missing_event_does_nothing():
    assert tasks.task_announce_recording(999999) == 0


def test_recording_set_before_the_event_is_announced_by_beat_after_it(organizer, run_on_commit):
    event = EventFactory(start=timezone.now() + timedelta(days=1), recording_url="https://video.example.org/rec")
    RegistrationFactory(event=event)
    with run_on_commit():
        tasks.task_send_event_reminders()
    assert not any(m.subject.startswith("The recording") for m in mail.outbox)
    Event.objects.filter(pk=event.pk).update(
        start=timezone.now() - timedelta(hours=3), end=timezone.now() - timedelta(hours=1)
    )
    with run_on_commit():
        tasks.task_send_event_reminders()
        tasks.task_send_event_reminders()
    assert len([m for m in mail.outbox if m.subject.startswith("The recording")]) == 1
