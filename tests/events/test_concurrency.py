"""Many people registering at the same instant never exceed the capacity (PostgreSQL, real transactions)."""

import threading

import pytest
from django.db import close_old_connections

from events import services
from events.models import Registration
from tests.factories import UserFactory

from .factories import EventFactory, SessionFactory


def _race(target, people) -> list:
    barrier = threading.Barrier(len(people))
    errors = []

    def run(person):
        try:
            barrier.wait()
            target(person)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_capacity():
    event = EventFactory(capacity=5)
    people = [UserFactory() for _ in range(20)]
    errors = _race(lambda p: services.register_for_event(event=event, user=p), people)
    assert errors == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert sorted(statuses).count("registered") == 5
    assert statuses.count("waiting") == 15


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_session_registrations_never_exceed_session_capacity():
    event = EventFactory()
    table = SessionFactory(event=event, kind="round_table", capacity=3)
    people = [UserFactory() for _ in range(12)]
    for person in people:
        services.register_for_event(event=event, user=person)
    errors = _race(lambda p: services.register_for_session(session=table, user=p), people)
    assert errors == []
    assert Registration.objects.filter(session=table, status="registered").count() == 3
    assert Registration.objects.filter(session=table, status="waiting").count() == 9


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_same_person_clicking_twice_at_once_gets_one_registration():
    event = EventFactory(capacity=5)
    person = UserFactory()
    errors = _race(lambda p: services.register_for_event(event=event, user=p), [person] * 6)
    assert errors == []
    assert Registration.objects.filter(event=event, user=person).count() == 1
