from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events import services
from events.models import Registration
from tests.activity.rows import activity_rows
from tests.factories import UserFactory

from .factories import EventFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db
R = Registration.Status


def statuses(event, session=None):
    return {
        (r.user.email, r.status)
        for r in Registration.objects.filter(event=event, session=session).select_related("user")
    }


def test_register_gives_a_place_and_emails_an_ics(event, run_on_commit):
    person = UserFactory()
    with run_on_commit():
        registration = services.register_for_event(event=event, user=person)
    assert registration.status == R.REGISTERED
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert mail.outbox[0].subject == f"You are registered: {event.title}"
    ((filename, content, mimetype),) = mail.outbox[0].attachments
    assert (filename, mimetype) == (f"{event.slug}.ics", "text/calendar")
    assert "BEGIN:VEVENT" in content and event.title in content


def test_register_when_full_puts_on_waiting_list(event, run_on_commit):
    people = [UserFactory() for _ in range(4)]
    with run_on_commit():
        result = [services.register_for_event(event=event, user=p).status for p in people]
    assert result == [R.REGISTERED, R.REGISTERED, R.WAITING, R.WAITING]
    assert [m.subject for m in mail.outbox][2:] == [f"Waiting list: {event.title}"] * 2
    assert "number 2 on the waiting list" in mail.outbox[3].body


def test_register_twice_returns_the_same_registration(event):
    person = UserFactory()
    first = services.register_for_event(event=event, user=person)
    assert services.register_for_event(event=event, user=person) == first
    assert Registration.objects.filter(user=person).count() == 1


def test_cancel_frees_the_place_and_first_waiting_moves_up_and_is_emailed(event, run_on_commit):
    a, b, c, d = (UserFactory() for _ in range(4))
    regs = [services.register_for_event(event=event, user=p) for p in (a, b, c, d)]
    mail.outbox.clear()
    with run_on_commit():
        services.cancel_registration(registration=regs[0], actor=a)
    assert statuses(event) == {
        (a.email, R.CANCELLED),
        (b.email, R.REGISTERED),
        (c.email, R.REGISTERED),
        (d.email, R.WAITING),
    }
    assert [(m.to, m.subject) for m in mail.outbox] == [([c.email], f"A place freed up: {event.title}")]
    assert mail.outbox[0].attachments[0][0] == f"{event.slug}.ics"


def test_cancel_by_someone_else_is_refused_and_changes_nothing(event, member, chair):
    registration = RegistrationFactory(event=event)
    for intruder in (member, chair, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.cancel_registration(registration=registration, actor=intruder)
    registration.refresh_from_db()
    assert registration.status == R.REGISTERED


def test_organizer_can_cancel_someone_and_it_is_logged(event, organizer):
    registration = RegistrationFactory(event=event)
    services.cancel_registration(registration=registration, actor=organizer)
    registration.refresh_from_db()
    assert registration.status == R.CANCELLED
    assert activity_rows("actor", "action", "subject", "from_state", "to_state", event=event) == [
        (organizer.pk, "events.registration.cancelled", registration.user_id, "registered", "cancelled")
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"registration_open": False}, "Registration is closed."),
        ({"is_published": False}, "This event is not published."),
        ({"registration_deadline": timezone.now() - timedelta(hours=1)}, "Registration has closed."),
    ],
)
def test_register_refused_when_closed(change, message):
    event = EventFactory(**change)
    with pytest.raises(ValidationError) as error:
        services.register_for_event(event=event, user=UserFactory())
    assert error.value.messages == [message]
    assert not Registration.objects.exists()


def test_unverified_account_cannot_register(event):
    with pytest.raises(ValidationError) as error:
        services.register_for_event(event=event, user=UserFactory(verified=False))
    assert error.value.messages == ["Verify your e-mail address to register."]


def test_session_registration_needs_event_place_and_respects_session_capacity(event, run_on_commit):
    table = SessionFactory(event=event, kind="round_table", capacity=1)
    a, b = UserFactory(), UserFactory()
    with pytest.raises(ValidationError) as error:
        services.register_for_session(session=table, user=a)
    assert error.value.messages == ["Register for the event first; then you can choose a round table."]
    services.register_for_event(event=event, user=a)
    services.register_for_event(event=event, user=b)
    assert services.register_for_session(session=table, user=a).status == R.REGISTERED
    waiting = services.register_for_session(session=table, user=b)
    assert waiting.status == R.WAITING
    mail.outbox.clear()
    event_registration = Registration.objects.get(event=event, user=a, session=None)
    with run_on_commit():
        services.cancel_registration(registration=event_registration, actor=a)
    assert statuses(event, table) == {(a.email, R.CANCELLED), (b.email, R.REGISTERED)}
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([b.email], f"A place freed up: {table.title} at {event.title}")
    ]


def test_session_without_capacity_needs_no_registration(event):
    talk = SessionFactory(event=event)
    person = UserFactory()
    services.register_for_event(event=event, user=person)
    with pytest.raises(ValidationError):
        services.register_for_session(session=talk, user=person)
