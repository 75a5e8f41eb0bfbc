"""Factories for the events app."""

from datetime import UTC, datetime, timedelta

import factory
from django.utils import timezone

from events.models import Event, Poster, Registration, Session, Speaker
from tests.factories import UserFactory


def in_days(days: float, hour: int = 15) -> datetime:
    return (timezone.now() + timedelta(days=days)).astimezone(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Event {n}")
    description = "A live event."
    start = factory.LazyFunction(lambda: in_days(10))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=3))
    time_zone = "UTC"
    is_published = True
    stream_url = "https://stream.example.org/live"
    registration_open = True


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")
    affiliation = "Somewhere"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    kind = Session.Kind.TALK
    title = factory.Sequence(lambda n: f"Session {n}")
    start = factory.LazyAttribute(lambda o: o.event.start)
    end = factory.LazyAttribute(lambda o: o.start + timedelta(minutes=30))

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # Tests name rooms as text, as organizers type them; the event's Room is found or made.
        if isinstance(kwargs.get("room"), str):
            from events.services import room_of

            kwargs["room"] = room_of(kwargs["event"], kwargs["room"])
        return kwargs


class PosterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Poster

    session = factory.SubFactory(SessionFactory, kind=Session.Kind.POSTER_SESSION)
    title = factory.Sequence(lambda n: f"Poster {n}")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.REGISTERED


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Track"

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Track {n}")
    colour = "#1f6feb"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Room"

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Room {n}")


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Call"

    event = factory.SubFactory(EventFactory)
    deadline = factory.LazyAttribute(lambda o: o.event.start - timedelta(days=2))
    text = "Propose your work."


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Proposal"

    call = factory.SubFactory(CallFactory)
    working_group = factory.SubFactory("tests.factories.WorkingGroupFactory")
    title = factory.Sequence(lambda n: f"Proposal {n}")
    kind = "talk"
    abstract = "What we did."
