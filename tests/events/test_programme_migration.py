"""The data step of the programme migrations: free-text rooms become rooms, every row gets a code."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("events", "0003_constraint_messages")]
AFTER = [("events", "0006_programme_rooms")]


def test_existing_room_names_become_rooms_and_sessions_and_speakers_get_codes():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Event, Session, Speaker = (old.get_model("events", name) for name in ("Event", "Session", "Speaker"))
    start = datetime(2031, 1, 1, 10, tzinfo=UTC)
    event = Event.objects.create(slug="old", title="Old", start=start, end=start + timedelta(hours=3))
    for title, room in (("A", "Main"), ("B", "main "), ("C", "Side"), ("D", "")):
        Session.objects.create(event=event, title=title, start=start, end=start + timedelta(minutes=30), room=room)
    Speaker.objects.create(name="Old speaker")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Session, Speaker, Room = (new.get_model("events", name) for name in ("Session", "Speaker", "Room"))
    assert {(s.title, s.room.name if s.room_id else None) for s in Session.objects.all()} == {
        ("A", "Main"),
        ("B", "Main"),
        ("C", "Side"),
        ("D", None),
    }
    assert list(Room.objects.order_by("order").values_list("name", flat=True)) == ["Main", "Side"]
    codes = list(Session.objects.values_list("code", flat=True)) + list(Speaker.objects.values_list("code", flat=True))
    assert len(set(codes)) == 5 and all(len(code) == 6 for code in codes)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
