from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Event, Poster, Registration

pytestmark = pytest.mark.django_db


def test_demo_has_the_2021_events_and_an_upcoming_one():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    kickoff = Event.objects.get(slug="kick-off-2021")
    assert kickoff.start.date().isoformat() == "2021-04-28" and "youtube.com" in kickoff.stream_url
    episode_1 = Event.objects.get(slug="episode-1")
    assert episode_1.colocated_with.name == "The second ELLIS NLP workshop"
    poster_sessions = episode_1.sessions.filter(kind="poster_session")
    assert [s.room.name for s in poster_sessions] == ["Poster hall A", "Poster hall B"]
    assert poster_sessions[0].start == poster_sessions[1].start  # in parallel: two columns of the grid
    posters = Poster.objects.filter(session__event=episode_1)
    assert posters.count() == 12 and posters.filter(working_group=None).count() == 0
    assert episode_1.call.proposals.filter(status="accepted", poster__isnull=False).count() == 12
    episode_3 = Event.objects.get(slug="episode-3-neurips-2021")
    assert (episode_3.start, episode_3.end) == (
        datetime(2021, 12, 8, 18, tzinfo=UTC),
        datetime(2021, 12, 8, 21, tzinfo=UTC),
    )
    sessions = list(episode_3.sessions.order_by("start", "room"))
    assert [s.title for s in sessions if s.kind == "round_table"] == [
        "Ethical and legal scholarship",
        "Modeling: architecture and scaling",
        "Modeling: multilinguality",
        "Prompt engineering",
        "Engineering and scaling",
        "Carbon footprint",
    ]
    assert (sessions[0].title, sessions[-1].title) == ("Opening", "Closing")
    assert [s.name for s in sessions[0].speakers.all()] == ["Thomas Wolf"]
    assert sorted(s.name for s in episode_3.sessions.get(title="Carbon footprint").speakers.all()) == [
        "Sasha Luccioni",
        "Sylvain Viguier",
    ]
    assert all((s.end - s.start).total_seconds() == 1800 for s in sessions)
    assert all(episode_3.start <= s.start and s.end <= episode_3.end for s in sessions)
    upcoming = Event.objects.upcoming().get()
    assert upcoming.start > timezone.now() and upcoming.registration_open
    assert Registration.objects.filter(event=upcoming, status="registered").count() < upcoming.capacity


def test_demo_programme_loads_twice_to_the_same_rows():
    from events.models import Call, Proposal, Room, Session, Speaker, Star, Track

    def counts():
        return [m.objects.count() for m in (Call, Proposal, Room, Session, Speaker, Star, Track, Poster)]

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
