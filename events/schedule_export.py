"""The programme in the "schedule" formats of the frab family (schedule.json and schedule.xml),
read by conference apps (Giggity, EventFahrplan…) and video pipelines; pretalx writes them too.

Identifiers are stable: a session's guid is a UUID made from the site address and the session's
id, so a re-import updates an entry instead of adding one.
"""

import uuid
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.utils.text import slugify
from lxml import etree

FORMAT_VERSION = "1.0"
NO_ROOM = "Plenary"
SCHEMA_URL = "https://c3voc.de/schedule/schema.json"


def _guid(kind: str, pk) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/{kind}/{pk}"))


def _hhmm(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def acronym(event) -> str:
    """The event's slug in the shape the format wants (no hyphens, at least four characters)."""
    value = event.slug.replace("-", "_")
    return value if len(value) >= 4 else f"{value}____"[:4]


def _person(speaker) -> dict:
    person = {"name": speaker.name, "code": speaker.code, "guid": _guid("speakers", speaker.pk)}
    if speaker.public_bio:
        person["biography"] = speaker.public_bio
    if speaker.public_photo_url:
        person["avatar"] = speaker.public_photo_url
    return person


def _links(session) -> list[dict]:
    links = []
    if session.slides_url:
        links.append({"url": session.slides_url, "title": "Slides", "type": "slides"})
    if session.recording_url:
        links.append({"url": session.recording_url, "title": "Recording", "type": "media"})
    return links


def _slug(event, session) -> str:
    return f"{acronym(event)}-{session.pk}-{slugify(session.title)[:50] or 'session'}"


def _days(event, sessions) -> list[dict]:
    zone = event.zone
    by_day = defaultdict(list)
    for session in sessions:
        by_day[session.start.astimezone(zone).date()].append(session)
    return [(day, by_day[day]) for day in sorted(by_day)]


def schedule_data(event, sessions, tracks, rooms) -> dict:
    """The programme as a schedule.json document (sessions with room, track and speakers loaded)."""
    zone = event.zone
    site = settings.SITE_URL
    days = []
    for index, (day, day_sessions) in enumerate(_days(event, sessions), start=1):
        by_room = defaultdict(list)
        for session in day_sessions:
            start = session.start.astimezone(zone)
            room = session.room.name if session.room else NO_ROOM
            by_room[room].append(
                {
                    "guid": _guid("sessions", session.pk),
                    "code": session.code,
                    "id": session.pk,
                    "date": start.isoformat(),
                    "start": start.strftime("%H:%M"),
                    "end": session.end.astimezone(zone).isoformat(),
                    "duration": _hhmm(session.end - session.start),
                    "room": room,
                    "slug": _slug(event, session),
                    "url": f"{site}{session.get_absolute_url()}",
                    "title": session.title,
                    "subtitle": "",
                    "track": session.track.name if session.track else None,
                    "type": session.kind,
                    "language": "en",
                    "abstract": session.abstract,
                    "description": "",
                    "persons": [_person(speaker) for speaker in session.speakers.all()],
                    "links": _links(session),
                }
            )
        first = min(s.start for s in day_sessions).astimezone(zone)
        last = max(s.end for s in day_sessions).astimezone(zone)
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": first.isoformat(),
                "day_end": last.isoformat(),
                "rooms": dict(by_room),
            }
        )
    room_names = [room.name for room in rooms] + ([NO_ROOM] if any(s.room_id is None for s in sessions) else [])
    conference = {
        "acronym": acronym(event),
        "title": event.title,
        "description": event.description,
        "start": event.start.astimezone(zone).date().isoformat(),
        "end": event.end.astimezone(zone).date().isoformat(),
        "daysCount": len(days),
        "timeslot_duration": "00:05",
        "time_zone_name": event.time_zone,
        "url": f"{site}{event.get_absolute_url()}",
        "tracks": [
            {"name": track.name, "slug": slugify(track.name) or f"track-{track.pk}", "color": track.colour}
            for track in tracks
        ],
        "rooms": [{"name": name, "guid": _guid(f"events/{event.pk}/rooms", name)} for name in room_names],
        "days": days,
    }
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": "BigScience workshop portal", "version": FORMAT_VERSION},
        "schedule": {"version": event.updated_at.isoformat(), "base_url": f"{site}/", "conference": conference},
    }


def _sub(parent, tag: str, text=None, **attributes):
    element = etree.SubElement(parent, tag, {k: str(v) for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = str(text)
    return element


def schedule_xml(data: dict) -> bytes:
    """The same programme as schedule.xml (built from :func:`schedule_data`)."""
    conference = data["schedule"]["conference"]
    root = etree.Element("schedule")
    _sub(root, "generator", name=data["generator"]["name"], version=data["generator"]["version"])
    _sub(root, "version", data["schedule"]["version"])
    head = _sub(root, "conference")
    for tag, key in (("title", "title"), ("acronym", "acronym"), ("start", "start"), ("end", "end")):
        _sub(head, tag, conference[key])
    _sub(head, "days", conference["daysCount"])
    _sub(head, "timeslot_duration", conference["timeslot_duration"])
    _sub(head, "base_url", data["schedule"]["base_url"])
    _sub(head, "url", conference["url"])
    _sub(head, "time_zone_name", conference["time_zone_name"])
    for track in conference["tracks"]:
        _sub(head, "track", track["name"], name=track["name"], color=track["color"], slug=_xml_slug(track["slug"]))
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = _sub(
            root, "day", date=day["date"], start=day["day_start"], end=day["day_end"], index=day["index"]
        )
        for room_name, items in day["rooms"].items():
            room_element = _sub(day_element, "room", name=room_name, guid=guids.get(room_name))
            for item in items:
                element = _sub(room_element, "event", guid=item["guid"], id=item["id"], code=item["code"])
                for tag in ("room", "title", "subtitle", "type", "date", "start", "duration", "abstract", "slug"):
                    _sub(element, tag, item[tag])
                _sub(element, "track", item["track"] or "")
                persons = _sub(element, "persons")
                for person in item["persons"]:
                    _sub(persons, "person", person["name"], guid=person["guid"])
                _sub(element, "language", item["language"])
                _sub(element, "description", item["description"])
                links = _sub(element, "links")
                for link in item["links"]:
                    _sub(links, "link", link["title"], href=link["url"], type=link["type"])
                _sub(element, "url", item["url"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _xml_slug(slug: str) -> str | None:
    """The XML format wants a track slug to start with a letter; leave it out otherwise."""
    return slug if slug[:1].isalpha() and len(slug) >= 2 and slug == slug.lower() else None
