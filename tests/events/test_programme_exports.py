"""schedule.json and schedule.xml validate against the format's published schemas (tests/events/schemas)."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import jsonschema
import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from events import services
from events.models import Event

from .factories import EventFactory, RoomFactory, SessionFactory, SpeakerFactory, TrackFactory

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent / "schemas"


def _validate_json(content: bytes) -> dict:
    data = json.loads(content)
    schema = json.loads((SCHEMAS / "schema.json").read_text())
    validator = jsonschema.Draft6Validator(schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    return data


def _validate_xml(content: bytes) -> etree._Element:
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
    document = etree.fromstring(content)
    assert schema.validate(document), [str(error) for error in schema.error_log]
    return document


@pytest.fixture
def programme_event(db):
    event = EventFactory(
        slug="episode-9",
        title="Episode #9",
        time_zone="Europe/Paris",
        start=datetime(2031, 7, 30, 13, tzinfo=UTC),
        end=datetime(2031, 7, 31, 17, tzinfo=UTC),
    )
    data = TrackFactory(event=event, name="Data", colour="#1f6feb")
    hall = RoomFactory(event=event, name="Main hall")
    ada = SpeakerFactory(name="Ada Lovelace", bio="Wrote *notes*.")
    talk = SessionFactory(event=event, title="Opening talk", room=hall, track=data, slides_url="https://x.example/s")
    talk.speakers.add(ada)
    SessionFactory(event=event, title="Break", kind="break", start=event.start + timedelta(minutes=30))
    SessionFactory(event=event, title="Day two", room=hall, start=event.start + timedelta(days=1))
    return event


def test_schedule_json_is_valid_and_has_days_rooms_and_persons(client, programme_event):
    response = client.get(reverse("events:schedule_json", args=[programme_event.slug]))
    assert response["Content-Type"] == "application/json"
    conference = _validate_json(response.content)["schedule"]["conference"]
    assert (conference["acronym"], conference["daysCount"], conference["time_zone_name"]) == (
        "episode_9",
        2,
        "Europe/Paris",
    )
    first_day = conference["days"][0]
    assert first_day["date"] == "2031-07-30" and set(first_day["rooms"]) == {"Main hall", "Plenary"}
    (talk,) = first_day["rooms"]["Main hall"]
    session = programme_event.sessions.get(title="Opening talk")
    assert (talk["title"], talk["start"], talk["duration"], talk["track"], talk["code"]) == (
        "Opening talk",
        "15:00",
        "00:30",
        "Data",
        session.code,
    )
    assert uuid.UUID(talk["guid"]) and talk["persons"][0]["name"] == "Ada Lovelace"
    assert talk["links"] == [{"url": "https://x.example/s", "title": "Slides", "type": "slides"}]


def test_schedule_json_guid_stays_when_a_session_moves(client, programme_event, organizer):
    url = reverse("events:schedule_json", args=[programme_event.slug])
    before = json.loads(client.get(url).content)["schedule"]["conference"]["days"][0]["rooms"]["Main hall"][0]
    session = programme_event.sessions.get(title="Opening talk")
    services.update_session(
        session=session, actor=organizer, start=session.start + timedelta(hours=1), end=session.end + timedelta(hours=1)
    )
    after = json.loads(client.get(url).content)["schedule"]["conference"]["days"][0]["rooms"]["Main hall"][0]
    assert (after["guid"], after["start"]) == (before["guid"], "16:00")


def test_schedule_xml_is_valid_against_the_xsd(client, programme_event):
    response = client.get(reverse("events:schedule_xml", args=[programme_event.slug]))
    document = _validate_xml(response.content)
    assert [day.get("date") for day in document.findall("day")] == ["2031-07-30", "2031-07-31"]
    event = document.find("day/room[@name='Main hall']/event")
    assert (event.findtext("title"), event.findtext("start"), event.findtext("persons/person")) == (
        "Opening talk",
        "15:00",
        "Ada Lovelace",
    )


def test_draft_event_has_no_export(client):
    draft = EventFactory(is_published=False)
    assert client.get(reverse("events:schedule_json", args=[draft.slug])).status_code == 404


def test_the_demo_events_export_valid_schedules(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for event in Event.objects.published():
        if not event.sessions.exists():
            continue
        _validate_json(client.get(reverse("events:schedule_json", args=[event.slug])).content)
        _validate_xml(client.get(reverse("events:schedule_xml", args=[event.slug])).content)


def test_moved_session_keeps_its_uid_and_raises_its_sequence(client, programme_event, organizer):
    session = programme_event.sessions.get(title="Opening talk")
    url = reverse("events:session_ics", args=[programme_event.slug, session.code])

    def entry():
        response = client.get(url)
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        (item,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        return item

    before = entry()
    services.update_session(session=session, actor=organizer, title="Opening talk (renamed)")
    assert int(entry()["SEQUENCE"]) == int(before["SEQUENCE"]) == 0
    services.update_session(session=session, actor=organizer, room="Other room")
    after = entry()
    assert str(after["UID"]) == str(before["UID"]) == f"session-{session.pk}@{str(before['UID']).split('@')[1]}"
    assert int(after["SEQUENCE"]) == 1 and str(after["LOCATION"]) == "Other room"
    assert after.decoded("DTSTART") == session.start


def test_event_calendar_has_the_event_and_one_entry_per_session_but_breaks(client, programme_event):
    response = client.get(reverse("events:ics", args=[programme_event.slug]))
    items = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(i["SUMMARY"]) for i in items] == ["Episode #9", "Opening talk · Episode #9", "Day two · Episode #9"]
