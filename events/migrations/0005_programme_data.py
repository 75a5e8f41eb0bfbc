"""Data step of the programme: a stable code for every session and speaker, and the free-text
room names of existing sessions turned into rooms of their event (same name, same sessions)."""

import secrets

from django.db import migrations

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ3456789"


def _codes(model):
    taken = set(model.objects.exclude(code=None).values_list("code", flat=True))
    for row in model.objects.filter(code=None).only("pk"):
        code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        while code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        taken.add(code)
        model.objects.filter(pk=row.pk).update(code=code)


def forwards(apps, schema_editor):
    Session = apps.get_model("events", "Session")
    Speaker = apps.get_model("events", "Speaker")
    Room = apps.get_model("events", "Room")
    _codes(Session)
    _codes(Speaker)
    rooms = {}
    for session in Session.objects.exclude(room="").order_by("event_id", "start", "pk"):
        name = session.room.strip()[:100]
        key = (session.event_id, name.lower())
        if key not in rooms:
            order = sum(1 for other in rooms if other[0] == session.event_id)
            rooms[key] = Room.objects.create(event_id=session.event_id, name=name, order=order)
        Session.objects.filter(pk=session.pk).update(room_ref=rooms[key])


def backwards(apps, schema_editor):
    Session = apps.get_model("events", "Session")
    for session in Session.objects.exclude(room_ref=None).select_related("room_ref"):
        Session.objects.filter(pk=session.pk).update(room=session.room_ref.name)


class Migration(migrations.Migration):
    dependencies = [("events", "0004_programme")]

    operations = [migrations.RunPython(forwards, backwards)]
