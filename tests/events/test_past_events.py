from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _past_event(**kwargs):
    start = timezone.now() - timedelta(days=3)
    return EventFactory(start=start, end=start + timedelta(hours=2), **kwargs)


def test_a_past_event_offers_no_registration_to_a_visitor(client):
    event = _past_event(recording_url="https://video.example.org/rec")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "This event is over: registration is closed." in page
    assert "Sign in to register" not in page
    assert reverse("events:register", args=[event.slug]) not in page
    assert "Add to my calendar" not in page
    assert 'href="https://video.example.org/rec">Watch the recording</a>' in page


def test_a_past_event_offers_neither_register_nor_cancel_to_the_registered(client):
    event = _past_event()
    person = UserFactory()
    Registration.objects.create(event=event, user=person, status=Registration.Status.REGISTERED)
    client.force_login(person)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "You had a place." in page
    assert reverse("events:cancel", args=[event.slug]) not in page
    assert reverse("events:register", args=[event.slug]) not in page


def test_a_running_event_does_not_ask_a_visitor_to_sign_in_to_register(client):
    start = timezone.now() - timedelta(minutes=30)
    event = EventFactory(start=start, end=start + timedelta(hours=3))
    page = client.get(event.get_absolute_url()).content.decode()
    assert "This event has already started: registration is closed." in page
    assert "Sign in to register" not in page


def test_an_upcoming_event_still_asks_a_visitor_to_sign_in(client):
    event = EventFactory()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Sign in to register" in page


def test_cancelling_a_registration_asks_first(client):
    event = EventFactory()
    person = UserFactory()
    Registration.objects.create(event=event, user=person, status=Registration.Status.REGISTERED)
    client.force_login(person)
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'data-confirm="Cancel your registration? Your place goes to the next person waiting' in page
