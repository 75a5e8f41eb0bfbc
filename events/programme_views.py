"""Pages of the programme: sessions, speakers, the list and the grid, exports, the call and its
proposals, the personal agenda. Thin: reads come from ``programme_selectors``, writes go through
``programme_services`` and the permissions of ``programme_rules``."""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bigscience_portal.exports import in_english
from roles.models import Participation
from working_groups.models import WorkingGroup

from . import programme_selectors as selectors
from . import programme_services as services
from .calendar import session_ics
from .models import Call, Event, Proposal, Room, Session, Speaker, Track
from .programme_forms import (
    CallForm,
    DecisionForm,
    FilterForm,
    NamedForm,
    PlacePosterForm,
    PlaceTalkForm,
    ProposalForm,
    SpeakerProfileForm,
)
from .schedule_export import schedule_data, schedule_xml
from .services import find_or_create_speaker
from .views import _apply_errors, _error_text, _ics_response, _visible, organizer_required


def _event(request, slug) -> Event:
    return get_object_or_404(_visible(request), slug=slug)


def _zone(request, event):
    """The viewer's zone (their profile, or the browser's), or the event's own with ?tz=event."""
    if request.GET.get("tz") == "event":
        timezone.activate(event.zone)
        return event.zone, True
    return timezone.get_current_timezone(), False


def sign_in_first(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


# --- The programme ------------------------------------------------------------------------------


@require_GET
def programme(request, slug):
    event = _event(request, slug)
    zone, in_event_zone = _zone(request, event)
    choices = selectors.programme_filters(event)
    filters = FilterForm(request.GET or None, **choices)
    track = group = ""
    if filters.is_valid():
        track, group = filters.cleaned_data["track"], filters.cleaned_data["group"]
    sessions = selectors.programme(event, track=track, group=group)
    view = "grid" if request.GET.get("view") == "grid" else "list"
    rooms = list(event.rooms.all())
    starred = selectors.starred_ids(request.user, sessions)
    for session in sessions:
        session.is_starred = session.pk in starred
    return render(
        request,
        "events/programme.html",
        {
            "event": event,
            "sessions": sessions,
            "view": view,
            "grid": selectors.grid(sessions, rooms, zone) if view == "grid" else None,
            "filters": filters,
            "filtered": bool(track or group),
            "tracks": choices["tracks"],
            "in_event_zone": in_event_zone,
            "zone_name": timezone.get_current_timezone_name(),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def programme_css(request, slug):
    """The colours of the event's tracks and rooms, as CSS classes (no inline style under the CSP)."""
    event = _event(request, slug)
    lines = [f".track-{t.pk} {{ --track: {t.colour}; }}" for t in event.tracks.all()]
    lines += [f".room-{r.pk} {{ --room: {r.colour}; }}" for r in event.rooms.all()]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _export_data(request, slug) -> dict:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    sessions = selectors.programme(event)
    return schedule_data(event, sessions, list(event.tracks.all()), list(event.rooms.all()))


@in_english
@require_GET
def schedule_json(request, slug):
    data = _export_data(request, slug)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"  # public data, read by apps in browsers
    return response


@in_english
@require_GET
def schedule_xml_view(request, slug):
    response = HttpResponse(schedule_xml(_export_data(request, slug)), content_type="application/xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_http_methods(["GET", "POST"])
@organizer_required
def tracks_rooms(request, slug):
    """Organizers name the event's tracks and rooms, with their colours and order."""
    event = get_object_or_404(Event, slug=slug)
    models = {"track": Track, "room": Room}
    form = NamedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        model = models[form.cleaned_data["kind"]]
        instance = None
        if form.cleaned_data["pk"]:
            instance = get_object_or_404(model, pk=form.cleaned_data["pk"], event=event)
        try:
            services.save_named(
                model=model,
                event=event,
                actor=request.user,
                instance=instance,
                name=form.cleaned_data["name"],
                colour=form.cleaned_data["colour"],
                order=form.cleaned_data["order"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("events:tracks_rooms", event.slug)
    elif request.method == "POST":
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return render(
        request,
        "events/tracks_rooms.html",
        {
            "event": event,
            "groups": [
                (
                    kind,
                    label,
                    [
                        NamedForm(
                            initial={
                                "kind": kind,
                                "pk": item.pk,
                                "name": item.name,
                                "colour": item.colour,
                                "order": item.order,
                            },
                            auto_id=f"{kind}-{item.pk}-%s",
                        )
                        for item in models[kind].objects.filter(event=event)
                    ],
                    NamedForm(initial={"kind": kind}, auto_id=f"{kind}-new-%s"),
                )
                for kind, label in (("track", _("Tracks")), ("room", _("Rooms")))
            ],
        },
    )


# --- Sessions -----------------------------------------------------------------------------------


def _session(request, slug, code) -> Session:
    return selectors.session_for_page(slug, code, include_drafts=request.user.has_perm("events.manage_events"))


@require_GET
def session_short(request, slug, code):
    return redirect(_session(request, slug, code), permanent=False)


@require_GET
def session_detail(request, slug, code, title):
    session = _session(request, slug, code)
    if title != session.slug:
        return redirect(session, permanent=True)
    event = session.event
    _zone(request, event)
    starred = session.pk in selectors.starred_ids(request.user, [session])
    overlapping = []
    if starred:
        overlapping = [
            other
            for pair in selectors.overlaps(selectors.agenda(request.user))
            for other in pair
            if session in pair and other != session
        ]
    return render(
        request,
        "events/session_detail.html",
        {
            "event": event,
            "session": session,
            "starred": starred,
            "overlapping": overlapping,
            "zone_name": timezone.get_current_timezone_name(),
            "can_manage": request.user.has_perm("events.manage_events"),
        },
    )


@in_english
@require_GET
def session_calendar(request, slug, code):
    session = get_object_or_404(
        selectors.sessions_with_details(Session.objects.filter(event__is_published=True, event__slug=slug)), code=code
    )
    return _ics_response(session_ics(session), f"{session.event.slug}-{session.code.lower()}.ics")


@require_POST
def session_star(request, slug, code):
    session = get_object_or_404(
        Session.objects.select_related("event"), code=code, event__slug=slug, event__is_published=True
    )
    back = request.POST.get("next") or session.get_absolute_url()
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = session.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    starred = request.POST.get("starred", "1") == "1"
    services.star_session(session=session, user=request.user, starred=starred)
    if starred:
        clashes = [
            other.title
            for pair in selectors.overlaps(selectors.agenda(request.user))
            for other in pair
            if session in pair and other != session
        ]
        if clashes:
            messages.warning(
                request,
                _("“%(title)s” is in your agenda. It overlaps with: %(others)s.")
                % {"title": session.title, "others": ", ".join(f"“{t}”" for t in clashes)},
            )
        else:
            messages.success(request, _("“%(title)s” is in your agenda.") % {"title": session.title})
    else:
        messages.success(request, _("“%(title)s” is no longer in your agenda.") % {"title": session.title})
    return redirect(back)


# --- Speakers -----------------------------------------------------------------------------------


@require_GET
def event_speakers(request, slug):
    event = _event(request, slug)
    return render(request, "events/speaker_list.html", {"event": event, "speakers": selectors.event_speakers(event)})


@require_GET
def speaker_detail(request, code):
    speaker = selectors.speaker_for_page(code, include_drafts=request.user.has_perm("events.manage_events"))
    if not selectors.speaker_has_public_presence(speaker) and not request.user.has_perm("events.edit_speaker", speaker):
        raise Http404  # someone only named in a proposal has no public page
    return render(
        request,
        "events/speaker_detail.html",
        {"speaker": speaker, "can_edit": request.user.has_perm("events.edit_speaker", speaker)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def my_speaker_profile(request):
    # A GET changes nothing: the profile is made from the account by the first valid save.
    speaker = Speaker.objects.filter(user=request.user).order_by("pk").first() or Speaker(
        user=request.user, name=request.user.display_name
    )
    form = SpeakerProfileForm(request.POST or None, instance=speaker)
    if request.method == "POST" and form.is_valid():
        try:
            if speaker.pk is None:
                speaker = services.speaker_profile_for(user=request.user)
            services.update_speaker_profile(speaker=speaker, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your speaker profile is saved."))
            return redirect("events:my_speaker_profile")
    return render(request, "events/speaker_form.html", {"form": form, "speaker": speaker})


# --- The personal agenda ------------------------------------------------------------------------


@require_GET
@login_required
def my_agenda(request):
    sessions = selectors.agenda(request.user, include_past=request.GET.get("past") == "1")
    pairs = selectors.overlaps(sessions)
    clashing = {s.pk for pair in pairs for s in pair}
    for session in sessions:
        session.clashes = session.pk in clashing
    return render(
        request,
        "events/agenda.html",
        {
            "sessions": sessions,
            "overlaps": pairs,
            "zone_name": timezone.get_current_timezone_name(),
            "show_past": request.GET.get("past") == "1",
            "reminders": getattr(getattr(request.user, "profile", None), "session_reminders", False),
        },
    )


# --- The call and proposals ---------------------------------------------------------------------


def _my_groups(user):
    if not user.is_authenticated:
        return WorkingGroup.objects.none()
    held = Participation.objects.filter(user=user, status=Participation.Status.ACTIVE, working_group__isnull=False)
    return WorkingGroup.objects.filter(pk__in=held.values("working_group_id")).order_by("name")


@require_GET
def call_detail(request, slug):
    event = _event(request, slug)
    call = Call.objects.filter(event=event).first()
    if call is None and not request.user.has_perm("events.manage_call", event):
        raise Http404
    groups = [g for g in _my_groups(request.user) if request.user.has_perm("events.propose_for_group", g)]
    return render(
        request,
        "events/call_detail.html",
        {
            "event": event,
            "call": call,
            "groups": groups,
            "can_manage": request.user.has_perm("events.manage_call", event),
            "accepting": call.is_accepting() if call else False,
        },
    )


@require_http_methods(["GET", "POST"])
@organizer_required
def call_edit(request, slug):
    event = get_object_or_404(Event, slug=slug)
    call = Call.objects.filter(event=event).first()
    form = CallForm(request.POST or None, instance=call, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_call(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The call for proposals is saved."))
            return redirect("events:call", event.slug)
    timezone.activate(event.zone)
    return render(request, "events/call_form.html", {"form": form, "event": event, "call": call})


def _speakers(form):
    return [find_or_create_speaker(**person) for person in form.cleaned_data.get("speakers_text") or []]


def _proposal_fields(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k in services.PROPOSAL_FIELDS}


@require_http_methods(["GET", "POST"])
@sign_in_first
def proposal_create(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    call = get_object_or_404(Call, event=event)
    groups = _my_groups(request.user)
    if not groups.exists():
        raise PermissionDenied(_("Only members of a working group can propose on its behalf."))
    form = ProposalForm(request.POST or None, groups=groups, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.submit_proposal(
                call=call,
                actor=request.user,
                working_group=form.cleaned_data["working_group"],
                speakers=_speakers(form),
                **_proposal_fields(form),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your proposal is sent. The organizers will review it."))
            return redirect("events:proposal_detail", event.slug, proposal.pk)
    return render(request, "events/proposal_form.html", {"form": form, "event": event, "call": call, "proposal": None})


@require_GET
@sign_in_first
def proposal_list(request, slug):
    event = _event(request, slug)
    status, kind, group = (request.GET.get(name, "") for name in ("status", "kind", "group"))
    proposals = selectors.proposals_for_page(request.user, event, status=status, kind=kind, group=group)
    return render(
        request,
        "events/proposal_list.html",
        {
            "event": event,
            "proposals": proposals,
            "statuses": Proposal.Status.choices,
            "kinds": Proposal.Kind.choices,
            "groups": WorkingGroup.objects.filter(proposals__call__event=event).distinct().order_by("name"),
            "chosen": {"status": status, "kind": kind, "group": group},
            "can_decide": request.user.has_perm("events.manage_events"),
        },
    )


@require_GET
def proposal_detail(request, slug, pk):
    event = _event(request, slug)
    proposal = selectors.proposal_for_page(request.user, event, pk)
    can_place = request.user.has_perm("events.place_proposal", proposal) and (
        proposal.status == Proposal.Status.ACCEPTED and not proposal.is_placed
    )
    place_form = None
    if can_place:
        timezone.activate(event.zone)
        place_form = (
            PlacePosterForm(event=event) if proposal.kind == Proposal.Kind.POSTER else PlaceTalkForm(event=event)
        )
    return render(
        request,
        "events/proposal_detail.html",
        {
            "event": event,
            "proposal": proposal,
            "decision_form": DecisionForm()
            if request.user.has_perm("events.decide_proposal", proposal)
            and proposal.status in (Proposal.Status.SUBMITTED, Proposal.Status.CHANGES_REQUESTED)
            else None,
            "place_form": place_form,
            "can_change": request.user.has_perm("events.change_proposal", proposal),
        },
    )


@require_http_methods(["GET", "POST"])
def proposal_edit(request, slug, pk):
    event = _event(request, slug)
    proposal = selectors.proposal_for_page(request.user, event, pk)
    if not request.user.has_perm("events.change_proposal", proposal):
        raise PermissionDenied(_("This proposal cannot be changed now."))
    form = ProposalForm(request.POST or None, instance=proposal, groups=WorkingGroup.objects.none(), call=proposal.call)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proposal(
                proposal=proposal, actor=request.user, speakers=_speakers(form), **_proposal_fields(form)
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The proposal is saved."))
            return redirect("events:proposal_detail", event.slug, proposal.pk)
    return render(
        request,
        "events/proposal_form.html",
        {"form": form, "event": event, "call": proposal.call, "proposal": proposal},
    )


@require_POST
@sign_in_first
def proposal_decide(request, slug, pk):
    event = _event(request, slug)
    proposal = selectors.proposal_for_page(request.user, event, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
    else:
        try:
            services.decide_proposal(proposal=proposal, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Decision recorded; the proposers are told by e-mail."))
    return redirect("events:proposal_detail", event.slug, proposal.pk)


@require_POST
@sign_in_first
def proposal_place(request, slug, pk):
    event = _event(request, slug)
    proposal = selectors.proposal_for_page(request.user, event, pk)
    if not request.user.has_perm("events.place_proposal", proposal):
        raise PermissionDenied(_("Only organizers place proposals."))
    form_class = PlacePosterForm if proposal.kind == Proposal.Kind.POSTER else PlaceTalkForm
    form = form_class(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("events:proposal_detail", event.slug, proposal.pk)
    try:
        proposal = services.place_proposal(proposal=proposal, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("events:proposal_detail", event.slug, proposal.pk)
    messages.success(request, _("Placed in the programme."))
    placed = proposal.session or proposal.poster.session
    return redirect(placed.get_absolute_url() + (f"#{proposal.poster.anchor}" if proposal.poster_id else ""))
