"""Writes for the programme: calls for proposals, proposals and their review, placing accepted
proposals, speaker profiles, starred sessions and their reminders.

Every function checks permission with the ``rules`` permissions of ``events.programme_rules``,
runs in one transaction, records the change in the activity log and queues e-mail through the
outbox after commit, each with a key so that it goes out once.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activity.services import record
from bigscience_portal.mail import queue_email

from . import services
from .models import Call, Event, Proposal, Room, Session, Speaker, Star, Track

CALL_FIELDS = {"accepts_talks", "accepts_posters", "deadline", "text", "is_open"}
PROPOSAL_FIELDS = {"title", "kind", "abstract", "length_minutes", "needs"}
SPEAKER_FIELDS = {
    "name",
    "affiliation",
    "bio",
    "photo_url",
    "website_url",
    "links",
    "orcid",
    "show_affiliation",
    "show_bio",
    "show_photo",
    "show_links",
}
REMINDER_AHEAD = timedelta(hours=1)


def _require(user, perm: str, obj=None, message="") -> None:
    if not user or not user.has_perm(perm, obj):
        raise PermissionDenied(message or _("You may not do this."))


def _unknown(fields: dict, allowed) -> None:
    extra = set(fields) - set(allowed)
    if extra:
        raise TypeError(f"Unknown fields: {', '.join(sorted(extra))}")


# --- Calls --------------------------------------------------------------------------------------


def save_call(*, event: Event, actor, **fields) -> Call:
    """Open (or change) the event's call for proposals. Side effects: an activity row."""
    _require(actor, "events.manage_call", event, _("Only organizers run calls for proposals."))
    _unknown(fields, CALL_FIELDS)
    with transaction.atomic():
        call = Call.objects.select_for_update().filter(event=event).first()
        created = call is None
        call = call or Call(event=event)
        for name, value in fields.items():
            setattr(call, name, value)
        if call.deadline and call.deadline > event.end:
            raise ValidationError({"deadline": _("The deadline must be before the event ends.")})
        call.full_clean()
        call.save()
        record(
            actor=actor,
            action="events.call.opened" if created else "events.call.updated",
            obj=call,
            to_state="open" if call.is_open else "closed",
            note=", ".join(call.kinds()),
        )
    return call


# --- Proposals ----------------------------------------------------------------------------------


def _refusal(call: Call, kind: str, now: datetime) -> str:
    if not call.is_open:
        return _("This call for proposals is closed.")
    if now >= call.deadline:
        return _("The deadline of this call has passed: proposals are no longer taken.")
    if kind not in call.kinds():
        return _("This call does not take proposals of that kind.")
    return ""


def submit_proposal(
    *, call: Call, actor, working_group, speakers=(), now: datetime | None = None, **fields
) -> Proposal:
    """A member (chair or participant) proposes a talk or a poster on behalf of their working group.

    Refused after the deadline, for a kind the call does not take, or by someone outside the group.
    Side effects: an activity row; an e-mail to the proposer and each speaker with an address.
    """
    _unknown(fields, PROPOSAL_FIELDS)
    _require(
        actor,
        "events.propose_for_group",
        working_group,
        _("Only members of this working group can propose on its behalf."),
    )
    refusal = _refusal(call, fields.get("kind", ""), now or timezone.now())
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        proposal = Proposal(call=call, working_group=working_group, proposer=actor, **fields)
        proposal.full_clean()
        proposal.save()
        proposal.speakers.set(speakers)
        record(
            actor=actor,
            action="events.proposal.submitted",
            obj=proposal,
            subject=actor,
            working_group=working_group,
            to_state=proposal.status,
            note=proposal.title,
        )
        _tell(proposal, "submitted")
    return proposal


def update_proposal(*, proposal: Proposal, actor, speakers=None, now: datetime | None = None, **fields) -> Proposal:
    """The proposer or a chair of the group changes a proposal still under review; after a request
    for changes this resubmits it. Side effects: an activity row; e-mails on resubmission."""
    _unknown(fields, PROPOSAL_FIELDS)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("call", "working_group").get(pk=proposal.pk)
        _require(actor, "events.change_proposal", proposal, _("This proposal cannot be changed now."))
        refusal = _refusal(proposal.call, fields.get("kind", proposal.kind), now or timezone.now())
        if refusal:
            raise ValidationError(refusal)
        before = proposal.status
        for name, value in fields.items():
            setattr(proposal, name, value)
        if before == Proposal.Status.CHANGES_REQUESTED:
            proposal.status = Proposal.Status.SUBMITTED
            proposal.revision += 1
        proposal.full_clean()
        proposal.save()
        if speakers is not None:
            proposal.speakers.set(speakers)
        record(
            actor=actor,
            action="events.proposal.updated",
            obj=proposal,
            subject=proposal.proposer,
            working_group=proposal.working_group,
            from_state=before,
            to_state=proposal.status,
            note=proposal.title,
        )
        if before != proposal.status:
            _tell(proposal, "resubmitted")
    return proposal


DECISIONS = {
    "accept": Proposal.Status.ACCEPTED,
    "decline": Proposal.Status.DECLINED,
    "request_changes": Proposal.Status.CHANGES_REQUESTED,
}


def decide_proposal(*, proposal: Proposal, actor, decision: str, note: str = "") -> Proposal:
    """An organizer accepts, declines or asks for changes, with a note (needed for the last two).

    Side effects: an activity row; an e-mail to the proposer and the speakers (once per decision).
    """
    _require(actor, "events.decide_proposal", proposal, _("Only organizers decide on proposals."))
    if decision not in DECISIONS:
        raise ValidationError(_("Unknown decision."))
    note = (note or "").strip()
    if decision != "accept" and not note:
        raise ValidationError({"note": _("Say why in a note: the proposers will read it.")})
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update().select_related("call__event", "working_group").get(pk=proposal.pk)
        )
        if proposal.status not in (Proposal.Status.SUBMITTED, Proposal.Status.CHANGES_REQUESTED):
            raise ValidationError(_("This proposal was already decided."))
        before = proposal.status
        proposal.status = DECISIONS[decision]
        proposal.note = note
        proposal.save(update_fields=["status", "note", "updated_at"])
        record(
            actor=actor,
            action=f"events.proposal.{proposal.status}",
            obj=proposal,
            subject=proposal.proposer,
            working_group=proposal.working_group,
            from_state=before,
            to_state=proposal.status,
            note=note,
        )
        _tell(proposal, proposal.status)
    return proposal


def place_proposal(
    *, proposal: Proposal, actor, start: datetime | None = None, room=None, poster_session: Session | None = None
) -> Proposal:
    """Put an accepted proposal in the programme: a talk becomes a session at ``start`` in ``room``
    (its wanted length), a poster joins ``poster_session``. Speakers and the group come along.

    Side effects: the session or poster, activity rows, an e-mail to proposer and speakers.
    """
    _require(actor, "events.place_proposal", proposal, _("Only organizers place proposals."))
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update().select_related("call__event", "working_group").get(pk=proposal.pk)
        )
        if proposal.status != Proposal.Status.ACCEPTED:
            raise ValidationError(_("Only an accepted proposal can be placed."))
        if proposal.is_placed:
            raise ValidationError(_("This proposal is already in the programme."))
        event = proposal.call.event
        speakers = list(proposal.speakers.all())
        if proposal.kind == Proposal.Kind.POSTER:
            if poster_session is None or poster_session.event_id != event.pk:
                raise ValidationError({"poster_session": _("Choose a poster session of this event.")})
            proposal.poster = services.add_poster(
                session=poster_session,
                actor=actor,
                title=proposal.title,
                abstract=proposal.abstract,
                presenters=speakers,
                working_group=proposal.working_group,
            )
            poster_session.working_groups.add(proposal.working_group)
        else:
            if start is None:
                raise ValidationError({"start": _("Choose when the talk starts.")})
            proposal.session = services.create_session(
                event=event,
                actor=actor,
                kind=Session.Kind.TALK,
                title=proposal.title,
                abstract=proposal.abstract,
                start=start,
                end=start + timedelta(minutes=proposal.length_minutes),
                room=room,
                speakers=speakers,
                working_groups=[proposal.working_group],
            )
        proposal.save(update_fields=["session", "poster", "updated_at"])
        record(
            actor=actor,
            action="events.proposal.placed",
            obj=proposal,
            subject=proposal.proposer,
            working_group=proposal.working_group,
            from_state="accepted",
            to_state="placed",
            note=str(proposal.session or proposal.poster.session),
        )
        _tell(proposal, "placed")
    return proposal


def _recipients(proposal: Proposal) -> list[tuple[str, str]]:
    """(e-mail, name) of the proposer and each speaker with an address, each address once."""
    people = []
    if proposal.proposer_id:
        people.append((proposal.proposer.email, proposal.proposer.display_name))
    for speaker in proposal.speakers.select_related("user"):
        address = speaker.user.email if speaker.user_id else speaker.email
        if address:
            people.append((address, speaker.name))
    seen, unique = set(), []
    for address, name in people:
        if address.lower() not in seen:
            seen.add(address.lower())
            unique.append((address, name))
    return unique


def _tell(proposal: Proposal, step: str) -> None:
    event = proposal.call.event
    for address, name in _recipients(proposal):
        queue_email(
            template="proposal_update",
            to=address,
            context={"proposal": proposal, "event": event, "step": step, "name": name},
            key=f"proposal-{step}:{proposal.pk}:{proposal.revision}:{address.lower()}",
        )


# --- Tracks and rooms ---------------------------------------------------------------------------


def save_named(*, model, event: Event, actor, instance=None, name: str, colour: str = "#6b7280", order: int = 0):
    """Create or change a track or a room of the event. Side effects: an activity row."""
    if model not in (Track, Room):
        raise TypeError("Tracks and rooms only.")
    if not actor.has_perm("events.edit_event", event):
        raise PermissionDenied(_("Only organizers change the programme."))
    with transaction.atomic():
        item = instance or model(event=event)
        item.name, item.colour, item.order = name.strip(), colour, order
        item.full_clean()
        item.save()
        label = model.__name__.lower()
        record(actor=actor, action=f"events.{label}.saved", obj=item, note=item.name)
    return item


# --- Speakers -----------------------------------------------------------------------------------


def update_speaker_profile(*, speaker: Speaker, actor, **fields) -> Speaker:
    """The speaker (their own profile) or an organizer changes bio, photo, links, ORCID iD and what
    is public. Side effects: an activity row."""
    _require(actor, "events.edit_speaker", speaker, _("You can only edit your own speaker profile."))
    _unknown(fields, SPEAKER_FIELDS)
    with transaction.atomic():
        speaker = Speaker.objects.select_for_update().get(pk=speaker.pk)
        for name, value in fields.items():
            setattr(speaker, name, value)
        speaker.full_clean()
        speaker.save()
        record(actor=actor, action="events.speaker.updated", obj=speaker, subject=speaker.user, note=speaker.name)
    return speaker


def speaker_profile_for(*, user) -> Speaker:
    """The person's speaker profile, made from their account the first time they open it."""
    if not user or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to edit your speaker profile."))
    speaker = Speaker.objects.filter(user=user).order_by("pk").first()
    if speaker is None:
        profile = getattr(user, "profile", None)
        with transaction.atomic():
            speaker = Speaker.objects.create(
                user=user, name=user.display_name, affiliation=getattr(profile, "affiliation", "")
            )
            record(actor=user, action="events.speaker.created", obj=speaker, subject=user, note=speaker.name)
    return speaker


# --- Stars and reminders ------------------------------------------------------------------------


def star_session(*, session: Session, user, starred: bool = True) -> bool:
    """Add a session to the person's agenda (or take it off); idempotent. Returns whether it is starred.
    Side effects: none beyond the star (a personal choice, not a change of the domain)."""
    _require(user, "events.star_session", session, _("Sign in to build your agenda."))
    if not session.event.is_published:
        raise PermissionDenied(_("This session is not public."))
    if starred:
        Star.objects.get_or_create(user=user, session=session)
    else:
        Star.objects.filter(user=user, session=session).delete()
    return starred


def send_session_reminders(*, now: datetime | None = None) -> int:
    """Queue a reminder an hour before each starred session, to people who asked for them in their
    profile; once per person and session (outbox key). Returns how many were queued."""
    from bigscience_portal.models import OutgoingEmail

    now = now or timezone.now()
    stars = list(
        Star.objects.filter(
            user__profile__session_reminders=True,
            user__is_active=True,
            session__event__is_published=True,
            session__start__gt=now,
            session__start__lte=now + REMINDER_AHEAD,
        ).select_related("user__profile", "session__event", "session__room")
    )
    keys = {f"session-reminder:{s.session_id}:{s.user_id}" for s in stars}
    sent = set(OutgoingEmail.objects.filter(key__in=keys).values_list("key", flat=True))
    queued = 0
    for star in stars:
        key = f"session-reminder:{star.session_id}:{star.user_id}"
        if key in sent:
            continue
        zone_name = star.user.profile.time_zone or "UTC"
        with transaction.atomic(), timezone.override(zone_name):
            context = {"session": star.session, "event": star.session.event, "user": star.user, "zone_name": zone_name}
            if queue_email(template="session_reminder", to=star.user.email, context=context, key=key):
                queued += 1
    return queued
