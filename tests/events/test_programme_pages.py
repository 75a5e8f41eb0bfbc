"""Programme pages: what each person sees, filters, the grid, stars and overlaps, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Poster, Proposal, Session, Star
from tests.factories import ParticipationFactory, RoleFactory, WorkingGroupFactory

from .factories import (
    CallFactory,
    EventFactory,
    ProposalFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [s.title for s in response.context["sessions"]]


def test_programme_filters_by_track_and_by_working_group(client):
    event = EventFactory()
    data, model = TrackFactory(event=event, name="Data"), TrackFactory(event=event, name="Model")
    group = WorkingGroupFactory(slug="metadata")
    a = SessionFactory(event=event, title="A", track=data)
    SessionFactory(event=event, title="B", track=model, start=event.start + timedelta(minutes=30))
    posters = SessionFactory(
        event=event, title="Posters", kind="poster_session", start=event.start + timedelta(hours=1)
    )
    Poster.objects.create(session=posters, title="P", working_group=group)
    a.working_groups.add(WorkingGroupFactory(slug="other"))
    url = reverse("events:programme", args=[event.slug])
    assert _titles(client.get(url)) == ["A", "B", "Posters"]
    assert _titles(client.get(url, {"track": data.pk})) == ["A"]
    assert _titles(client.get(url, {"group": "metadata"})) == ["Posters"]
    assert _titles(client.get(url, {"group": "other", "track": model.pk})) == []
    assert client.get(url, {"track": "nonsense", "view": "grid"}).status_code == 200


def test_grid_has_a_column_per_room_and_a_longer_session_spans_rows(client):
    event = EventFactory()
    hall, side = RoomFactory(event=event, name="Hall", order=0), RoomFactory(event=event, name="Side", order=1)
    SessionFactory(event=event, title="Long", room=hall, end=event.start + timedelta(hours=1))
    SessionFactory(event=event, title="Short 1", room=side)
    SessionFactory(event=event, title="Short 2", room=side, start=event.start + timedelta(minutes=30))
    SessionFactory(event=event, title="Lunch", kind="break", start=event.start + timedelta(hours=1))
    grid = client.get(reverse("events:programme", args=[event.slug]), {"view": "grid"}).context["grid"]
    assert grid["columns"] == ["Hall", "Side", None]
    (day,) = grid["days"]
    shape = [
        [None if cell is None else ([s.title for s in cell["sessions"]], cell["rowspan"]) for cell in row["cells"]]
        for row in day["rows"]
    ]
    assert shape == [
        [(["Long"], 2), (["Short 1"], 1), ([], 1)],
        [None, (["Short 2"], 1), ([], 1)],
        [([], 1), ([], 1), (["Lunch"], 1)],
    ]


def test_session_page_has_speakers_posters_with_anchors_and_a_calendar_link(client):
    session = SessionFactory(title="Posters of the groups", kind="poster_session")
    session.speakers.add(SpeakerFactory(name="Bea Bio", bio="Works on **data**.", photo_url="", affiliation="Lab"))
    poster = Poster.objects.create(
        session=session, title="A poster", working_group=WorkingGroupFactory(name="Metadata")
    )
    page = client.get(session.get_absolute_url()).content.decode()
    assert f'id="poster-{poster.pk}"' in page and "<strong>data</strong>" in page
    assert ">BB</span>" in page  # no photo: initials
    assert reverse("events:session_ics", args=[session.event.slug, session.code]) in page
    wrong_slug = reverse("events:session_detail", args=[session.event.slug, session.code, "old-title"])
    assert client.get(wrong_slug)["Location"] == session.get_absolute_url()


def test_draft_events_sessions_are_not_found_by_visitors(client, organizer):
    session = SessionFactory(event=EventFactory(is_published=False))
    assert client.get(session.get_absolute_url()).status_code == 404
    client.force_login(organizer)
    assert client.get(session.get_absolute_url()).status_code == 200


def test_speaker_page_shows_only_what_the_speaker_made_public(client):
    speaker = SpeakerFactory(
        name="Quiet Person",
        affiliation="Secret Lab",
        bio="Private bio",
        orcid="0000-0002-1825-0097",
        show_affiliation=False,
        show_bio=False,
        show_links=False,
    )
    SessionFactory(title="Their talk").speakers.add(speaker)
    page = client.get(speaker.get_absolute_url()).content.decode()
    assert "Their talk" in page
    assert [word for word in ("Secret Lab", "Private bio", "0000-0002-1825-0097") if word in page] == []


def test_speaker_only_named_in_a_proposal_has_no_public_page(client):
    speaker = SpeakerFactory(name="Not yet on stage")
    ProposalFactory().speakers.add(speaker)
    assert client.get(speaker.get_absolute_url()).status_code == 404


def test_own_speaker_profile_is_made_on_first_save_and_edits_what_is_public(client, user):
    client.force_login(user)
    url = reverse("events:my_speaker_profile")
    assert client.get(url).status_code == 200 and not user.speaker_records.exists()
    response = client.post(url, {"name": "Me", "orcid": "0000-0002-1825-0098", "show_bio": "on"})
    assert "not a valid ORCID iD" in response.content.decode() and not user.speaker_records.exists()
    client.post(url, {"name": "Me", "bio": "Hi", "orcid": "https://orcid.org/0000-0002-1825-0097"})
    speaker = user.speaker_records.get()
    assert (speaker.name, speaker.bio, speaker.orcid, speaker.show_bio) == ("Me", "Hi", "0000-0002-1825-0097", False)


def test_starring_two_overlapping_sessions_warns_and_the_agenda_lists_the_overlap(client, user):
    event = EventFactory()
    first = SessionFactory(event=event, title="Round table 1", end=event.start + timedelta(minutes=45))
    second = SessionFactory(event=event, title="Round table 2", start=event.start + timedelta(minutes=30))
    client.force_login(user)
    client.post(reverse("events:session_star", args=[event.slug, first.code]), follow=True)
    response = client.post(reverse("events:session_star", args=[event.slug, second.code]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "“Round table 2” is in your agenda. It overlaps with: “Round table 1”."
    ]
    agenda = client.get(reverse("events:my_agenda"))
    assert [(a.title, b.title) for a, b in agenda.context["overlaps"]] == [("Round table 1", "Round table 2")]
    assert set(Star.objects.values_list("user", "session")) == {(user.pk, first.pk), (user.pk, second.pk)}


def test_star_refuses_an_outside_next_address(client, user):
    session = SessionFactory()
    client.force_login(user)
    response = client.post(
        reverse("events:session_star", args=[session.event.slug, session.code]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == session.get_absolute_url()


def test_personal_feed_includes_starred_sessions(client, user):
    import icalendar

    from events.services import calendar_token_for

    session = SessionFactory(title="Starred one")
    SessionFactory(title="Not starred", event=session.event)
    Star.objects.create(user=user, session=session)
    token = calendar_token_for(user=user).token
    items = icalendar.Calendar.from_ical(client.get(reverse("events:personal_feed", args=[token])).content).walk(
        "VEVENT"
    )
    assert [str(i["SUMMARY"]) for i in items] == [f"Starred one · {session.event.title}"]


# --- Proposals: who sees what ---------------------------------------------------------------------


def _without_nonces(content: bytes) -> bytes:
    import re

    return re.sub(rb'(nonce|value)="[^"]*"', b"", content)


@pytest.fixture
def proposal(member, group):
    return ProposalFactory(working_group=group, proposer=member, title="Hidden work")


def test_proposal_is_the_same_404_as_a_missing_one_for_another_group_and_visitors(client, proposal):
    event = proposal.call.event
    url = reverse("events:proposal_detail", args=[event.slug, proposal.pk])
    missing = reverse("events:proposal_detail", args=[event.slug, proposal.pk + 1000])
    outsider = ParticipationFactory(role=RoleFactory(slug="chair"), working_group=WorkingGroupFactory()).user
    anonymous = (client.get(url).status_code, client.get(missing).status_code)
    client.force_login(outsider)
    other_group = client.get(url)
    assert anonymous == (404, 404) and other_group.status_code == 404
    assert _without_nonces(other_group.content) == _without_nonces(client.get(missing).content)
    assert "Hidden work" not in client.get(reverse("events:proposals", args=[event.slug])).content.decode()


def test_group_chair_and_organizer_see_the_proposal(client, proposal, chair, organizer):
    url = reverse("events:proposal_detail", args=[proposal.call.event.slug, proposal.pk])
    for person in (chair, organizer):
        client.force_login(person)
        assert "Hidden work" in client.get(url).content.decode()


def test_chair_proposes_a_poster_through_the_page(client, chair, group):
    call = CallFactory(accepts_talks=False)
    client.force_login(chair)
    url = reverse("events:proposal_create", args=[call.event.slug])
    response = client.post(
        url,
        {
            "working_group": group.pk,
            "kind": "poster",
            "title": "Our poster",
            "abstract": "What we did",
            "speakers_text": f"{chair.email}\nGuest Person, Some Lab, guest@example.org",
            "length_minutes": 30,
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("events:proposal_detail", args=[call.event.slug, proposal.pk])
    assert sorted((s.name, s.email, s.user_id) for s in proposal.speakers.all()) == sorted(
        [(chair.display_name, "", chair.pk), ("Guest Person", "guest@example.org", None)]
    )
    talk = client.post(
        url, {"working_group": group.pk, "kind": "talk", "title": "T", "abstract": "A", "length_minutes": 20}
    )
    assert talk.status_code == 200 and Proposal.objects.count() == 1  # the call takes no talks


def test_proposing_is_refused_to_someone_in_no_group(client, user):
    call = CallFactory()
    client.force_login(user)
    assert client.get(reverse("events:proposal_create", args=[call.event.slug])).status_code == 403


# --- Query counts: the same at one row and at many ------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _fill(event, sessions: int, speakers: int):
    people = [SpeakerFactory() for _ in range(speakers)]
    rooms = [RoomFactory(event=event, name=f"Room {i}") for i in range(3)]
    tracks = [TrackFactory(event=event, name=f"Track {i}") for i in range(2)]
    groups = [WorkingGroupFactory() for _ in range(3)]
    made = Session.objects.bulk_create(
        [
            Session(
                event=event,
                title=f"S {i}",
                abstract="Some *markdown*.",
                start=event.start + timedelta(minutes=5 * (i % 30)),
                end=event.start + timedelta(minutes=5 * (i % 30) + 20),
                room=rooms[i % 3],
                track=tracks[i % 2],
            )
            for i in range(sessions)
        ]
    )
    through = Session.speakers.through
    pairs = {(s.pk, people[(i + k) % speakers].pk) for i, s in enumerate(made) for k in (0, 1)}
    through.objects.bulk_create([through(session_id=session, speaker_id=speaker) for session, speaker in pairs])
    groups_through = Session.working_groups.through
    groups_through.objects.bulk_create(
        [groups_through(session_id=s.pk, workinggroup_id=groups[i % 3].pk) for i, s in enumerate(made)]
    )
    return made


@pytest.mark.parametrize("view", ["list", "grid"])
def test_programme_page_queries_do_not_grow_with_150_sessions_and_130_speakers(client, user, view):
    small, large = EventFactory(), EventFactory()
    _fill(small, 1, 1)
    _fill(large, 150, 130)
    client.force_login(user)
    url = lambda event: reverse("events:programme", args=[event.slug]) + f"?view={view}"  # noqa: E731
    assert _count(client, url(small)) == _count(client, url(large))


def test_speakers_page_queries_do_not_grow(client):
    small, large = EventFactory(), EventFactory()
    _fill(small, 1, 1)
    _fill(large, 150, 130)
    url = lambda event: reverse("events:speakers", args=[event.slug])  # noqa: E731
    assert _count(client, url(small)) == _count(client, url(large))


def test_exports_queries_do_not_grow(client):
    small, large = EventFactory(), EventFactory()
    _fill(small, 1, 1)
    _fill(large, 150, 130)
    for name in ("events:schedule_json", "events:schedule_xml", "events:ics"):
        assert _count(client, reverse(name, args=[small.slug])) == _count(client, reverse(name, args=[large.slug])), (
            name
        )


def test_proposals_page_queries_do_not_grow_with_300_proposals(client, organizer):
    small, large = CallFactory(), CallFactory()
    groups = [WorkingGroupFactory() for _ in range(5)]
    speaker = SpeakerFactory()
    ProposalFactory(call=small, working_group=groups[0]).speakers.add(speaker)
    made = Proposal.objects.bulk_create(
        [
            Proposal(
                call=large, working_group=groups[i % 5], title=f"P {i}", kind="talk", abstract="x", proposer=organizer
            )
            for i in range(300)
        ]
    )
    through = Proposal.speakers.through
    through.objects.bulk_create([through(proposal_id=p.pk, speaker_id=speaker.pk) for p in made])
    client.force_login(organizer)
    url = lambda call: reverse("events:proposals", args=[call.event.slug])  # noqa: E731
    assert _count(client, url(small)) == _count(client, url(large))
    assert len(client.get(url(large)).context["proposals"]) == 300


def test_agenda_queries_do_not_grow(client, user):
    event = EventFactory()
    made = _fill(event, 150, 130)
    client.force_login(user)
    Star.objects.create(user=user, session=made[0])
    one = _count(client, reverse("events:my_agenda"))
    Star.objects.bulk_create([Star(user=user, session=s) for s in made[1:]])
    assert _count(client, reverse("events:my_agenda")) == one


def test_organizer_adds_and_renames_a_room_and_a_bad_colour_changes_nothing(client, organizer):
    event = EventFactory()
    client.force_login(organizer)
    url = reverse("events:tracks_rooms", args=[event.slug])
    client.post(url, {"kind": "room", "name": "Main hall", "colour": "#112233", "order": 1})
    room = event.rooms.get()
    client.post(url, {"kind": "room", "pk": room.pk, "name": "Big hall", "colour": "#445566", "order": 2})
    room.refresh_from_db()
    assert (room.name, room.colour, room.order) == ("Big hall", "#445566", 2)
    response = client.post(url, {"kind": "track", "name": "Data", "colour": "red", "order": 0}, follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == "A colour as #RRGGBB."
    assert not event.tracks.exists()
    other = RoomFactory()
    assert (
        client.post(
            url, {"kind": "room", "pk": other.pk, "name": "Stolen", "colour": "#000000", "order": 0}
        ).status_code
        == 404
    )


def test_tracks_and_rooms_page_is_refused_to_a_chair(client, chair):
    client.force_login(chair)
    assert client.get(reverse("events:tracks_rooms", args=[EventFactory().slug])).status_code == 403
