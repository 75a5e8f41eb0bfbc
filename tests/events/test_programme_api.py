"""The programme's API lists keep a constant number of queries; proposals follow the pages' rule."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import WorkingGroupFactory

from .factories import EventFactory, ProposalFactory, RoomFactory, SessionFactory, SpeakerFactory, TrackFactory

pytestmark = pytest.mark.django_db
MANY = 6


def _get(url, user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=User.objects.get(pk=user.pk))
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def _constant(django_assert_num_queries, url, add_row, user=None):
    add_row()
    with CaptureQueriesContext(connection) as one:
        assert _get(url, user)["count"] == 1
    for _ in range(MANY):
        add_row()
    with django_assert_num_queries(len(one.captured_queries)):
        assert _get(url, user)["count"] == MANY + 1


def _session_with_speakers():
    session = SessionFactory(track=TrackFactory(), room="Hall")
    session.speakers.add(SpeakerFactory(), SpeakerFactory())
    session.working_groups.add(WorkingGroupFactory())


def test_sessions(django_assert_num_queries):
    _constant(django_assert_num_queries, "/api/v1/sessions/", _session_with_speakers)


def test_speakers(django_assert_num_queries):
    _constant(django_assert_num_queries, "/api/v1/speakers/", lambda: SessionFactory().speakers.add(SpeakerFactory()))


def test_tracks_and_rooms(django_assert_num_queries):
    _constant(django_assert_num_queries, "/api/v1/tracks/", TrackFactory)
    _constant(django_assert_num_queries, "/api/v1/rooms/", RoomFactory)


def test_proposals(django_assert_num_queries, organizer):
    def add():
        ProposalFactory().speakers.add(SpeakerFactory())

    _constant(django_assert_num_queries, "/api/v1/proposals/", add, user=organizer)


def test_proposals_of_another_group_are_not_listed_and_are_404(member, group):
    mine = ProposalFactory(working_group=group, title="Ours")
    theirs = ProposalFactory(title="Theirs")
    assert [p["title"] for p in _get("/api/v1/proposals/", member)["results"]] == ["Ours"]
    client = APIClient()
    client.force_authenticate(user=member)
    assert client.get(f"/api/v1/proposals/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/proposals/{mine.pk}/").status_code == 200
    assert APIClient().get("/api/v1/proposals/").status_code == 401


def test_speaker_api_shows_only_public_fields():
    speaker = SpeakerFactory(bio="Secret", show_bio=False, affiliation="Lab", email="hidden@example.org")
    SessionFactory().speakers.add(speaker)
    (row,) = _get("/api/v1/speakers/")["results"]
    assert (row["bio"], row["affiliation"], "email" in row) == ("", "Lab", False)


def test_draft_events_speakers_and_sessions_are_hidden():
    SessionFactory(event=EventFactory(is_published=False)).speakers.add(SpeakerFactory())
    assert (_get("/api/v1/speakers/")["count"], _get("/api/v1/sessions/")["count"]) == (0, 0)
