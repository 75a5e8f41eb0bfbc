from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse

from events import services
from events.models import CalendarToken
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

from .factories import EventFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def parse(response) -> list:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = response.content.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2:] == [b"END:VCALENDAR", b""]
    assert all(len(line) <= 75 for line in lines), "RFC 5545 folds lines at 75 octets"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert (str(calendar["VERSION"]), str(calendar["PRODID"])) == ("2.0", "-//BigScience workshop portal//Events//EN")
    events = calendar.walk("VEVENT")
    for item in events:  # the properties RFC 5545 requires of every VEVENT
        assert {"UID", "DTSTAMP", "DTSTART"} <= set(item.keys())
    return events


def test_event_feed_is_valid_and_in_utc(client):
    event = EventFactory(
        title="Episode #3",
        start=datetime(2031, 12, 8, 18, tzinfo=UTC),
        end=datetime(2031, 12, 8, 21, tzinfo=UTC),
        time_zone="Europe/Paris",
        stream_url="https://s.example.org/live",
    )
    opening = SessionFactory(event=event, title="Opening", start=event.start, end=event.start + timedelta(minutes=30))
    item, session_item = parse(client.get(reverse("events:ics", args=[event.slug])))
    assert str(session_item["UID"]) == f"session-{opening.pk}@{str(item['UID']).split('@')[1]}"
    assert str(session_item["SUMMARY"]) == "Opening · Episode #3"
    assert str(item["SUMMARY"]) == "Episode #3"
    assert item.decoded("DTSTART") == datetime(2031, 12, 8, 18, tzinfo=UTC)
    assert item.decoded("DTEND") == datetime(2031, 12, 8, 21, tzinfo=UTC)
    assert str(item["LOCATION"]) == "https://s.example.org/live"
    assert "18:00–18:30 Talk: Opening" in str(item["DESCRIPTION"])
    assert str(item["UID"]) == f"event-{event.pk}@testserver" or str(item["UID"]).startswith(f"event-{event.pk}@")


def test_public_feed_lists_published_events_only(client):
    published = [EventFactory(title="One"), EventFactory(title="Two")]
    EventFactory(title="Draft", is_published=False)
    items = parse(client.get(reverse("events:public_feed")))
    assert {str(i["SUMMARY"]) for i in items} == {e.title for e in published}


def test_personal_feed_has_my_registrations_and_my_groups_events_only(client):
    person = UserFactory()
    group = WorkingGroupFactory()
    ParticipationFactory(user=person, role=RoleFactory(slug="participant"), working_group=group)
    mine = RegistrationFactory(user=person, event=EventFactory(title="Registered")).event
    waiting = RegistrationFactory(user=person, status="waiting", event=EventFactory(title="Waiting")).event
    RegistrationFactory(user=person, status="cancelled", event=EventFactory(title="Cancelled"))
    group_event = EventFactory(title="Group event")
    group_event.working_groups.add(group)
    EventFactory(title="Other group").working_groups.add(WorkingGroupFactory())
    RegistrationFactory(event=EventFactory(title="Someone else's"))
    EventFactory(title="Draft of my group", is_published=False).working_groups.add(group)
    token = services.calendar_token_for(user=person).token
    items = parse(client.get(reverse("events:personal_feed", args=[token])))
    assert {str(i["SUMMARY"]) for i in items} == {mine.title, waiting.title, group_event.title}


def test_calendar_page_makes_the_address_only_on_post(client):
    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("events:my_calendar")).content.decode()
    assert "Make my private feed address" in page and not CalendarToken.objects.exists()
    response = client.post(reverse("events:my_calendar_reset"), follow=True)
    token = CalendarToken.objects.get(user=person).token
    page = response.content.decode()
    assert f"/events/feed/{token}.ics" in page and "Your private calendar feed address is ready" in page


def test_resetting_the_token_kills_the_old_address(client):
    person = UserFactory()
    old = services.calendar_token_for(user=person).token
    client.force_login(person)
    page = client.get(reverse("events:my_calendar")).content.decode()
    assert f"/events/feed/{old}.ics" in page
    client.post(reverse("events:my_calendar_reset"))
    new = CalendarToken.objects.get(user=person).token
    assert new != old
    client.logout()
    assert client.get(reverse("events:personal_feed", args=[old])).status_code == 404
    assert client.get(reverse("events:personal_feed", args=[new])).status_code == 200


def test_calendar_page_needs_sign_in(client):
    assert client.get(reverse("events:my_calendar")).status_code == 302
    assert client.post(reverse("events:my_calendar_reset")).status_code == 302
    assert not CalendarToken.objects.exists()


def test_personal_feed_keeps_a_constant_query_count(client, django_assert_num_queries):
    person = UserFactory()
    token = services.calendar_token_for(user=person).token
    url = reverse("events:personal_feed", args=[token])

    def grow(n):
        for _ in range(n):
            event = RegistrationFactory(user=person).event
            SessionFactory(event=event)

    grow(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    grow(5)
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(url)


def test_registration_email_attachment_parses(run_on_commit):
    from django.core import mail

    event = EventFactory(title="With attachment")
    with run_on_commit():
        services.register_for_event(event=event, user=UserFactory())
    ((_, content, _),) = mail.outbox[0].attachments
    (item,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(item["SUMMARY"]) == "With attachment"
    assert item.decoded("DTSTART") == event.start
