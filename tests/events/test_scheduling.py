import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activity.models import ActivityLog
from events import services
from events.models import Event, Session
from events.selectors import schedule_conflicts
from tests.factories import UserFactory

from .factories import RegistrationFactory, SessionFactory, SpeakerFactory, in_days

pytestmark = pytest.mark.django_db


def event_fields(**overrides):
    start = in_days(20)
    return {
        "slug": "new-event",
        "title": "New event",
        "start": start,
        "end": start + timedelta(hours=2),
        "time_zone": "Europe/Paris",
        **overrides,
    }


def test_organizer_creates_an_event_logged_as_draft(organizer, group):
    event = services.create_event(actor=organizer, working_groups=[group], **event_fields())
    assert (event.is_published, event.created_by, list(event.working_groups.all())) == (False, organizer, [group])
    assert list(ActivityLog.objects.values_list("object_id", "actor", "action", "data")) == [
        (event.pk, organizer.pk, "events.event.created", {"event": event.pk})
    ]


@pytest.fixture
def outsiders(db, member, chair, advisor):
    from django.contrib.auth.models import AnonymousUser

    return [AnonymousUser(), UserFactory(), member, chair, advisor]


def test_everyone_but_organizers_is_refused_every_change(outsiders, event):
    session = SessionFactory(event=event)
    before = Event.objects.values_list("title", "is_published").get(pk=event.pk)
    for person in outsiders:
        attempts = [
            lambda p=person: services.create_event(actor=p, **event_fields()),
            lambda p=person: services.update_event(event=event, actor=p, title="Hijacked"),
            lambda p=person: services.set_event_published(event=event, actor=p, published=False),
            lambda p=person: services.create_session(event=event, actor=p, title="x", start=event.start, end=event.end),
            lambda p=person: services.update_session(session=session, actor=p, title="Hijacked"),
            lambda p=person: services.delete_session(session=session, actor=p),
            lambda p=person: services.send_event_message(event=event, actor=p, subject="s", body="b"),
        ]
        for attempt in attempts:
            with pytest.raises(PermissionDenied):
                attempt()
    assert Event.objects.values_list("title", "is_published").get(pk=event.pk) == before
    assert list(Event.objects.values_list("slug", flat=True)) == [event.slug]
    assert Session.objects.get().title == session.title
    assert not ActivityLog.objects.exists() and not event.messages.exists()


def test_end_before_start_is_refused_and_nothing_changes(organizer, event):
    with pytest.raises(ValidationError) as error:
        services.create_event(actor=organizer, **event_fields(end=in_days(19)))
    assert "The end must be after the start." in str(error.value)
    original_end = event.end
    with pytest.raises(ValidationError):
        services.update_event(event=event, actor=organizer, end=event.start - timedelta(hours=1))
    event.refresh_from_db()
    assert event.end == original_end
    assert list(Event.objects.all()) == [event]


def test_session_outside_the_event_is_refused(organizer, event):
    with pytest.raises(ValidationError) as error:
        services.create_session(
            event=event, actor=organizer, title="Late", start=event.end, end=event.end + timedelta(hours=1)
        )
    assert error.value.messages[0].startswith("The session must take place within the event")
    assert not Session.objects.exists()


def test_moving_an_event_away_from_its_sessions_is_refused(organizer, event):
    SessionFactory(event=event, title="Opening")
    with pytest.raises(ValidationError) as error:
        services.update_event(
            event=event, actor=organizer, start=event.start + timedelta(days=1), end=event.end + timedelta(days=1)
        )
    assert "Opening" in error.value.messages[0]
    start = event.start
    event.refresh_from_db()
    assert event.start == start


def test_capacity_below_registered_is_refused(organizer, event):
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    with pytest.raises(ValidationError) as error:
        services.update_event(event=event, actor=organizer, capacity=1)
    assert error.value.message_dict == {
        "capacity": ["2 people are already registered: the capacity cannot be below 2."]
    }
    event.refresh_from_db()
    assert event.capacity == 2


def test_session_capacity_below_registered_is_refused(organizer, event):
    table = SessionFactory(event=event, kind="round_table", capacity=2)
    RegistrationFactory(event=event, session=table)
    RegistrationFactory(event=event, session=table)
    with pytest.raises(ValidationError):
        services.update_session(session=table, actor=organizer, capacity=1)
    table.refresh_from_db()
    assert table.capacity == 2


def test_raising_capacity_moves_waiting_people_up(organizer, event, run_on_commit):
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waiting")
    with run_on_commit():
        services.update_event(event=event, actor=organizer, capacity=3)
    waiting.refresh_from_db()
    assert waiting.status == "registered"


def test_conflicts_name_double_booked_speakers_and_rooms(event):
    speaker = SpeakerFactory(name="Ada")
    first = SessionFactory(event=event, title="A", room="Main", start=event.start, end=event.start + timedelta(hours=1))
    second = SessionFactory(
        event=event,
        title="B",
        room="main",
        start=event.start + timedelta(minutes=30),
        end=event.start + timedelta(hours=1),
    )
    SessionFactory(
        event=event,
        title="C",
        room="Main",
        start=event.start + timedelta(hours=1),
        end=event.start + timedelta(hours=2),
    )
    first.speakers.add(speaker)
    second.speakers.add(speaker)
    Session.objects.filter(title="C").update(end=event.end + timedelta(hours=1))
    sessions = list(event.sessions.prefetch_related("speakers"))
    assert schedule_conflicts(event, sessions) == [
        "“C” lies outside the event's times.",
        "Room “Main” is booked twice: “A” and “B” overlap.",
        "Ada speaks in “A” and “B” at the same time.",
    ]


def test_posters_only_in_poster_sessions(organizer, event):
    talk = SessionFactory(event=event)
    with pytest.raises(ValidationError):
        services.add_poster(session=talk, actor=organizer, title="P")
    posters = SessionFactory(event=event, kind="poster_session")
    presenter = SpeakerFactory()
    poster = services.add_poster(session=posters, actor=organizer, title="P", presenters=[presenter])
    assert list(poster.presenters.all()) == [presenter]


def test_speaker_with_account_is_found_again(user):
    first = services.find_or_create_speaker(name="Someone", user=user)
    assert services.find_or_create_speaker(name="Other name", user=user) == first
    assert services.find_or_create_speaker(name="Guest", affiliation="X") == services.find_or_create_speaker(
        name="Guest", affiliation="X"
    )


def test_publish_and_unpublish_are_logged(organizer, event):
    services.set_event_published(event=event, actor=organizer, published=False)
    assert not Event.objects.get(pk=event.pk).is_published
    services.set_event_published(event=event, actor=organizer, published=True)
    assert list(ActivityLog.objects.order_by("pk").values_list("action", "from_state", "to_state")) == [
        ("events.event.unpublished", "published", "unpublished"),
        ("events.event.published", "unpublished", "published"),
    ]


def test_times_entered_in_paris_across_daylight_saving_are_stored_in_utc(organizer):
    """Entered in March (CET, UTC+1) for an event in April (CEST, UTC+2): stored at 12:00 UTC."""
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    start = datetime(2030, 4, 10, 14, 0, tzinfo=paris)
    event = services.create_event(actor=organizer, **event_fields(start=start, end=start + timedelta(hours=2)))
    event.refresh_from_db()
    assert event.start == datetime(2030, 4, 10, 12, 0, tzinfo=UTC)
    assert timezone.localtime(event.start, paris).utcoffset() == timedelta(hours=2)


def test_session_with_registrations_cannot_be_deleted(organizer, event):
    table = SessionFactory(event=event, title="Table", capacity=2)
    RegistrationFactory(event=event, session=table)
    with pytest.raises(ValidationError) as error:
        services.delete_session(session=table, actor=organizer)
    assert error.value.messages == [
        "1 person is registered for “Table”: cancel their places before deleting the session."
    ]
    assert Session.objects.filter(pk=table.pk).exists()
    empty = SessionFactory(event=event)
    services.delete_session(session=empty, actor=organizer)
    assert list(Session.objects.all()) == [table]
