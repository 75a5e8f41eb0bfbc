"""Calls, proposals and their review, placing, stars and reminders: exact state, e-mails, activity."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activity.models import ActivityLog
from events import programme_services as services
from events.models import Poster, Proposal, Session, Star
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

from .factories import CallFactory, EventFactory, SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(db):
    return CallFactory(event=EventFactory(title="Episode #2"), accepts_talks=True, accepts_posters=True)


def _propose(call, actor, group, run_on_commit, **overrides):
    fields = {"title": "Our dataset", "kind": "poster", "abstract": "A poster.", "length_minutes": 30}
    with run_on_commit():
        return services.submit_proposal(call=call, actor=actor, working_group=group, **{**fields, **overrides})


def test_save_call_opens_then_changes_it_with_activity_rows(organizer):
    event = EventFactory()
    deadline = event.start - timedelta(days=3)
    call = services.save_call(
        event=event, actor=organizer, accepts_talks=False, accepts_posters=True, deadline=deadline, text="Posters!"
    )
    services.save_call(
        event=event, actor=organizer, accepts_talks=True, accepts_posters=True, deadline=deadline, text="Both"
    )
    call.refresh_from_db()
    assert (call.kinds(), call.text) == (["talk", "poster"], "Both")
    assert list(ActivityLog.objects.order_by("pk").values_list("action", "note")) == [
        ("events.call.opened", "poster"),
        ("events.call.updated", "talk, poster"),
    ]


def test_save_call_is_refused_to_a_chair(chair):
    with pytest.raises(PermissionDenied):
        services.save_call(event=EventFactory(), actor=chair, deadline=timezone.now(), accepts_talks=True)


def test_member_proposes_for_their_group_and_proposer_and_speakers_are_told_once(call, member, group, run_on_commit):
    outside = SpeakerFactory(name="Guest Speaker", email="guest@example.org")
    with_account = SpeakerFactory(name="Has Account", user=UserFactory(email="speaker@example.org"))
    proposal = _propose(call, member, group, run_on_commit, title="Second", speakers=[outside, with_account])
    assert {(m.to[0], m.subject) for m in mail.outbox} == {
        (member.email, "Proposal received: Second"),
        ("guest@example.org", "Proposal received: Second"),
        ("speaker@example.org", "Proposal received: Second"),
    }
    mail.outbox.clear()
    with run_on_commit():
        services._tell(proposal, "submitted")  # telling the same step again sends nothing
    assert mail.outbox == []
    row = ActivityLog.objects.filter(object_id=proposal.pk, action="events.proposal.submitted").get()
    assert (row.actor, row.working_group, row.to_state) == (member, group, "submitted")


def test_proposal_by_someone_outside_the_group_is_refused_and_nothing_is_made(call, group, run_on_commit):
    other_chair = ParticipationFactory(role=RoleFactory(slug="chair"), working_group=WorkingGroupFactory()).user
    with pytest.raises(PermissionDenied, match="Only members of this working group"):
        _propose(call, other_chair, group, run_on_commit)
    assert (Proposal.objects.count(), len(mail.outbox), ActivityLog.objects.count()) == (0, 0, 0)


def test_proposal_after_the_deadline_is_refused(call, member, group, run_on_commit):
    with pytest.raises(ValidationError, match="deadline of this call has passed"):
        _propose(call, member, group, run_on_commit, now=call.deadline + timedelta(minutes=1))
    assert Proposal.objects.count() == 0


def test_proposal_of_a_kind_the_call_does_not_take_is_refused(member, group, run_on_commit):
    call = CallFactory(accepts_talks=False, accepts_posters=True)
    with pytest.raises(ValidationError, match="does not take proposals of that kind"):
        _propose(call, member, group, run_on_commit, kind="talk")
    assert Proposal.objects.count() == 0


def test_unverified_member_cannot_propose(call, group, run_on_commit):
    person = ParticipationFactory(
        user=UserFactory(verified=False), role=RoleFactory(slug="participant"), working_group=group
    ).user
    with pytest.raises(PermissionDenied):
        _propose(call, person, group, run_on_commit)


def test_changes_requested_then_resubmitted_then_accepted_each_told_once(call, member, group, organizer, run_on_commit):
    proposal = _propose(call, member, group, run_on_commit)
    with pytest.raises(ValidationError):
        services.decide_proposal(proposal=proposal, actor=organizer, decision="request_changes", note="")
    with run_on_commit():
        services.decide_proposal(proposal=proposal, actor=organizer, decision="request_changes", note="Shorter.")
    with run_on_commit():
        services.update_proposal(proposal=proposal, actor=member, abstract="Shorter.")
    with run_on_commit():
        services.decide_proposal(proposal=proposal, actor=organizer, decision="accept")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.revision, proposal.abstract) == ("accepted", 2, "Shorter.")
    assert [m.subject for m in mail.outbox] == [
        "Proposal received: Our dataset",
        "Changes requested: Our dataset",
        "Proposal resubmitted: Our dataset",
        "Proposal accepted: Our dataset",
    ]
    assert "Shorter." in mail.outbox[1].body
    assert list(
        ActivityLog.objects.filter(object_id=proposal.pk).order_by("pk").values_list("action", "from_state", "to_state")
    ) == [
        ("events.proposal.submitted", "", "submitted"),
        ("events.proposal.changes_requested", "submitted", "changes_requested"),
        ("events.proposal.updated", "changes_requested", "submitted"),
        ("events.proposal.accepted", "submitted", "accepted"),
    ]
    with pytest.raises(ValidationError, match="already decided"):
        services.decide_proposal(proposal=proposal, actor=organizer, decision="decline", note="No.")


def test_only_organizers_decide(call, member, chair, group, run_on_commit):
    proposal = _propose(call, member, group, run_on_commit)
    with pytest.raises(PermissionDenied):
        services.decide_proposal(proposal=proposal, actor=chair, decision="accept")
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_accepted_poster_is_placed_in_a_poster_session_with_its_group_and_presenters(
    call, member, group, organizer, run_on_commit
):
    presenter = SpeakerFactory(name="Pat Presenter")
    proposal = _propose(call, member, group, run_on_commit, speakers=[presenter])
    poster_session = SessionFactory(event=call.event, kind=Session.Kind.POSTER_SESSION, title="Posters")
    with pytest.raises(ValidationError, match="Only an accepted proposal"):
        services.place_proposal(proposal=proposal, actor=organizer, poster_session=poster_session)
    services.decide_proposal(proposal=proposal, actor=organizer, decision="accept")
    with run_on_commit():
        services.place_proposal(proposal=proposal, actor=organizer, poster_session=poster_session)
    poster = Poster.objects.get()
    assert (poster.session, poster.title, poster.working_group) == (poster_session, "Our dataset", group)
    assert list(poster.presenters.all()) == [presenter]
    assert list(poster_session.working_groups.all()) == [group]
    proposal.refresh_from_db()
    assert proposal.poster == poster
    assert mail.outbox[-1].subject == "In the programme: Our dataset"
    with pytest.raises(ValidationError, match="already in the programme"):
        services.place_proposal(proposal=proposal, actor=organizer, poster_session=poster_session)


def test_accepted_talk_becomes_a_session_of_its_length_in_the_room(call, member, group, organizer, run_on_commit):
    proposal = _propose(call, member, group, run_on_commit, kind="talk", length_minutes=25)
    services.decide_proposal(proposal=proposal, actor=organizer, decision="accept")
    start = call.event.start + timedelta(minutes=30)
    services.place_proposal(proposal=proposal, actor=organizer, start=start, room="Main hall")
    session = Session.objects.get()
    assert (session.start, session.end, session.room.name, session.kind) == (
        start,
        start + timedelta(minutes=25),
        "Main hall",
        "talk",
    )
    assert list(session.working_groups.all()) == [group]


def test_placing_a_talk_outside_the_event_is_refused_and_nothing_changes(call, member, group, organizer, run_on_commit):
    proposal = _propose(call, member, group, run_on_commit, kind="talk")
    services.decide_proposal(proposal=proposal, actor=organizer, decision="accept")
    with pytest.raises(ValidationError):
        services.place_proposal(proposal=proposal, actor=organizer, start=call.event.end)
    proposal.refresh_from_db()
    assert (Session.objects.count(), proposal.session_id) == (0, None)


def test_speaker_edits_their_own_profile_but_not_someone_elses():
    owner = UserFactory()
    mine = services.speaker_profile_for(user=owner)
    services.update_speaker_profile(speaker=mine, actor=owner, bio="Hello", orcid="0000-0002-1825-0097", show_bio=False)
    mine.refresh_from_db()
    assert (mine.bio, mine.public_bio, mine.orcid) == ("Hello", "", "0000-0002-1825-0097")
    with pytest.raises(PermissionDenied):
        services.update_speaker_profile(speaker=SpeakerFactory(), actor=owner, bio="Not mine")
    with pytest.raises(ValidationError):
        services.update_speaker_profile(speaker=mine, actor=owner, orcid="0000-0002-1825-0098")


def test_star_is_idempotent_and_unstar_removes_it(user):
    session = SessionFactory()
    services.star_session(session=session, user=user)
    services.star_session(session=session, user=user)
    assert Star.objects.filter(user=user).count() == 1
    services.star_session(session=session, user=user, starred=False)
    assert Star.objects.count() == 0


def test_reminders_go_once_before_starred_sessions_to_people_who_asked(run_on_commit):
    wants = UserFactory(profile={"session_reminders": True, "time_zone": "Europe/Paris"})
    does_not = UserFactory()
    soon = SessionFactory(title="Soon", event=EventFactory(start=timezone.now() + timedelta(minutes=40)))
    later = SessionFactory(title="Later", event=EventFactory(start=timezone.now() + timedelta(hours=5)))
    for person in (wants, does_not):
        for session in (soon, later):
            Star.objects.create(user=person, session=session)
    with run_on_commit():
        assert services.send_session_reminders() == 1
    with run_on_commit():
        assert services.send_session_reminders() == 0
    assert [(m.to, m.subject) for m in mail.outbox] == [([wants.email], "In 1 hour: Soon")]
