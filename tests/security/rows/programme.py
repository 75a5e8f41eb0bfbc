"""The programme's pages: sessions, speakers, exports, the call and its proposals, the agenda.

The world's proposal comes from the member of ``world.group``: its chair and the organizers see
it too; anyone else (another group's chair, a visitor) gets the same 404 as for a missing one.
"""

from ..url_table import API_SIGNED_IN, LOGIN, ORGANIZERS, Row, api_only, everyone, only, signed_in
from ..write_table import ACTIVITY, WriteRow, who


def _event(world):
    return {"slug": world.objects["event"].slug}


def _session(world):
    session = world.objects["session"]
    return {"slug": session.event.slug, "code": session.code}


def _session_page(world):
    session = world.objects["session"]
    return {"slug": session.event.slug, "code": session.code, "title": session.slug}


def _proposal(world):
    return {"slug": world.objects["event"].slug, "pk": world.objects["proposal"].pk}


def _speaker(world):
    return {"code": world.objects["speaker"].code}


PROPOSERS = ("member", "chair", "other_chair")  # verified members of a working group
SEE_PROPOSAL = ("member", "chair", "organizer")

ROWS = [
    Row("events:programme", everyone(200), kwargs=_event),
    Row("events:programme_css", everyone(200), kwargs=_event),
    Row("events:tracks_rooms", ORGANIZERS, kwargs=_event),
    Row("events:schedule_json", everyone(200), kwargs=_event),
    Row("events:schedule_xml", everyone(200), kwargs=_event),
    Row("events:speakers", everyone(200), kwargs=_event),
    Row(
        "events:session_short",
        lambda world: everyone("→" + world.objects["session"].get_absolute_url()),
        kwargs=_session,
    ),
    Row("events:session_detail", everyone(200), kwargs=_session_page),
    Row("events:session_ics", everyone(200), kwargs=_session),
    Row("events:session_star", everyone(405), kwargs=_session),
    Row("events:speaker_detail", everyone(200), kwargs=_speaker),
    Row("events:my_speaker_profile", signed_in(200)),
    Row("events:my_agenda", signed_in(200)),
    Row("events:call", everyone(200), kwargs=_event),
    Row("events:call_edit", ORGANIZERS, kwargs=_event),
    Row("events:proposal_create", only(PROPOSERS, 200, 403), kwargs=_event),
    Row("events:proposals", signed_in(200), kwargs=_event),
    Row("events:proposal_detail", only(SEE_PROPOSAL, 200, 404, anonymous=404), kwargs=_proposal),
    # the proposer (member) and the group's chair may change it; organizers decide but do not edit
    Row(
        "events:proposal_edit",
        only(("member", "chair"), 200, 404, organizer=403, anonymous=404),
        kwargs=_proposal,
    ),
    Row("events:proposal_decide", everyone(405), kwargs=_proposal),
    Row("events:proposal_place", everyone(405), kwargs=_proposal),
    # the API
    Row("speaker-list", everyone(200)),
    Row("speaker-detail", everyone(200), kwargs=_speaker),
    Row("track-list", everyone(200)),
    Row("track-detail", everyone(200), kwargs=lambda world: {"pk": world.objects["track"].pk}),
    Row("room-list", everyone(200)),
    Row("room-detail", everyone(200), kwargs=lambda world: {"pk": world.objects["room"].pk}),
    Row("proposal-list", API_SIGNED_IN),
    Row("proposal-detail", api_only(SEE_PROPOSAL), kwargs=lambda world: {"pk": world.objects["proposal"].pk}),
]


def build(world) -> None:
    from datetime import timedelta

    from events.models import Call, Proposal, Room, Track
    from tests.events.factories import SpeakerFactory

    event = world.objects["event"]
    session = world.objects["session"]
    world.objects["track"] = Track.objects.create(event=event, name="Data", colour="#1f6feb")
    world.objects["room"] = Room.objects.create(event=event, name="Main hall")
    session.track, session.room = world.objects["track"], world.objects["room"]
    session.save()
    speaker = SpeakerFactory(name="Ada Speaker")
    session.speakers.add(speaker)
    world.objects["speaker"] = speaker
    call = Call.objects.create(event=event, deadline=event.start - timedelta(days=1), text="Propose!")
    world.objects["call"] = call
    world.objects["proposal"] = Proposal.objects.create(
        call=call,
        working_group=world.group,
        proposer=world.people["member"],
        title="Data governance in practice",
        kind=Proposal.Kind.TALK,
        abstract="How we decide.",
    )


# --- writes ---------------------------------------------------------------------------------------
# Organizers run the programme (tracks, rooms, the call, decisions, placing); members of a working
# group propose; anyone signed in stars sessions and keeps a speaker profile.


SIGNED_IN_PEOPLE = ("unverified", "volunteer", "member", "chair", "other_chair", "advisor", "organizer")


def _proposal_page(world, person=None) -> str:
    return f"→/events/launch-event/proposals/{world.objects['proposal'].pk}/"


def _session_page_url(world, person=None) -> str:
    return "→" + world.objects["session"].get_absolute_url()


WRITES = [
    WriteRow(
        "events:tracks_rooms",
        ("post",),
        only(("organizer",), "→/events/launch-event/programme/tracks-and-rooms/", 403),
        changes=who(("organizer",), ("events.Room", ACTIVITY)),
        data={"kind": "room", "name": "Side room", "colour": "#336699", "order": "2"},
        kwargs=_event,
    ),
    WriteRow(
        # Starring is personal: every signed-in person may; visitors are asked to sign in first.
        "events:session_star",
        ("post",),
        {**dict.fromkeys(SIGNED_IN_PEOPLE, _session_page_url), "anonymous": LOGIN},
        changes=who(SIGNED_IN_PEOPLE, ("events.Star",)),
        kwargs=_session,
    ),
    WriteRow("events:my_speaker_profile", ("post",), signed_in(200)),  # empty form: errors, nothing saved
    WriteRow("events:call_edit", ("post",), ORGANIZERS, kwargs=_event),  # empty form: errors
    WriteRow("events:proposal_create", ("post",), only(PROPOSERS, 200, 403), kwargs=_event),  # empty form
    WriteRow(
        "events:proposal_edit",
        ("post",),
        only(("member", "chair"), 200, 404, organizer=403, anonymous=404),  # empty form: errors
        kwargs=_proposal,
    ),
    WriteRow(
        # Only organizers decide; the proposer and their chair see the proposal but are refused; to
        # anyone else it does not exist.
        "events:proposal_decide",
        ("post",),
        {**only(SEE_PROPOSAL, 403, 404), "organizer": _proposal_page},
        changes=who(("organizer",), ("events.Proposal", ACTIVITY, "bigscience_portal.OutgoingEmail")),
        data={"decision": "accept"},
        kwargs=_proposal,
    ),
    WriteRow(
        # Placing needs a day and a room: without them the organizer is sent back with a message.
        "events:proposal_place",
        ("post",),
        {**only(SEE_PROPOSAL, 403, 404), "organizer": _proposal_page},
        kwargs=_proposal,
    ),
]
