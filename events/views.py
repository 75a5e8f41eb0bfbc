from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activity import selectors as activity_selectors
from bigscience_portal.exports import csv_download, in_english

from . import rules, selectors, services
from .calendar import build_calendar, event_ics
from .forms import EventForm, HostEventForm, MessageForm, PosterForm, SessionForm
from .models import CalendarToken, Event, HostEvent, Poster, Registration, Session


def organizer_required(view):
    """Anonymous people are sent to sign in; everyone else but organizers is refused (403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("events.manage_events"):
            raise PermissionDenied(_("Only organizers can manage events."))
        return view(request, *args, **kwargs)

    return wrapper


def sign_in_then_event_page(view):
    """Send visitors to sign in, then back to the event page (the action itself is POST-only)."""

    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("events:detail", args=[slug]))
        return view(request, slug, *args, **kwargs)

    return wrapper


def _visible(request):
    return Event.objects.all() if request.user.has_perm("events.manage_events") else Event.objects.published()


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Everyone -----------------------------------------------------------------------------------


@require_GET
def event_list(request):
    can_manage = request.user.has_perm("events.manage_events")
    data = selectors.event_list_data(include_drafts=can_manage)
    return render(request, "events/event_list.html", {**data, "can_manage": can_manage})


@require_GET
def event_detail(request, slug):
    event = selectors.event_for_page(_visible(request), slug)
    in_event_zone = request.GET.get("tz") == "event"
    if in_event_zone:
        timezone.activate(event.zone)
    mine = selectors.registrations_of(request.user, event)
    sessions = list(event.sessions.all())
    context = {
        "event": event,
        "sessions": sessions,
        "registration": mine.get(None),
        "session_registrations": {k: v for k, v in mine.items() if k is not None},
        "position": services.waiting_position(mine[None]) if mine.get(None) else None,
        "refusal": rules.registration_refusal(request.user, event),
        "is_over": event.is_over(),
        "in_event_zone": in_event_zone,
        "zone_name": timezone.get_current_timezone_name(),
        "can_manage": request.user.has_perm("events.manage_events"),
        "places_left": None if event.capacity is None else max(event.capacity - event.registered_count, 0),
    }
    # A visitor is offered to sign in only when that is all that stands between them and a place.
    context["offer_sign_in"] = context["refusal"] == rules.SIGN_IN_TO_REGISTER
    for session in sessions:
        session.my_registration = context["session_registrations"].get(session.pk)
    return render(request, "events/event_detail.html", context)


@require_POST
@sign_in_then_event_page
def register(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    try:
        registration = services.register_for_event(event=event, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("You are registered. A confirmation with a calendar file is on its way."))
        else:
            messages.warning(
                request, "The event is full: you are on the waiting list. We will e-mail you if a place frees up."
            )
    return redirect(event)


@require_POST
@sign_in_then_event_page
def cancel(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    registration = get_object_or_404(
        Registration, event=event, session=None, user=request.user, status__in=selectors.CURRENT
    )
    services.cancel_registration(registration=registration, actor=request.user)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(event)


@require_POST
@sign_in_then_event_page
def session_register(request, slug, pk):
    session = get_object_or_404(
        Session.objects.select_related("event"), pk=pk, event__slug=slug, event__is_published=True
    )
    try:
        registration = services.register_for_session(session=session, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("You have a place at “%(title)s”.") % {"title": session.title})
        else:
            messages.warning(request, _("“%(title)s” is full: you are on its waiting list.") % {"title": session.title})
    return redirect(session.event)


@require_POST
@sign_in_then_event_page
def session_cancel(request, slug, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("event", "session"),
        session_id=pk,
        event__slug=slug,
        user=request.user,
        status__in=selectors.CURRENT,
    )
    services.cancel_registration(registration=registration, actor=request.user)
    messages.success(request, _("You left “%(title)s”.") % {"title": registration.session.title})
    return redirect(registration.event)


def _ics_response(content: bytes | str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@in_english
@require_GET
def event_calendar(request, slug):
    sessions = Prefetch(
        "sessions",
        queryset=Session.objects.select_related("room").prefetch_related("speakers").order_by("start", "pk"),
    )
    event = get_object_or_404(Event.objects.published().prefetch_related(sessions), slug=slug)
    return _ics_response(event_ics(event, with_sessions=True), f"{event.slug}.ics")


@in_english
@require_GET
def public_feed(request):
    return _ics_response(build_calendar(selectors.feed_events(), name="BigScience events"), "bigscience-events.ics")


@in_english
@require_GET
def personal_feed(request, token):
    owner = get_object_or_404(CalendarToken.objects.select_related("user"), token=token).user
    if not owner.is_active:
        raise Http404
    from .programme_selectors import starred_feed_sessions

    response = _ics_response(
        build_calendar(
            selectors.personal_feed_events(owner),
            name="My BigScience events",
            sessions=starred_feed_sessions(owner),
        ),
        "my-bigscience-events.ics",
    )
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@login_required
def my_calendar(request):
    # A GET changes nothing: the secret address is made by the POST of the button when there is none yet.
    token = selectors.calendar_token_of(request.user)
    feed_url = request.build_absolute_uri(reverse("events:personal_feed", args=[token.token])) if token else None
    return render(
        request,
        "events/calendar_detail.html",
        {"feed_url": feed_url, "events": selectors.personal_feed_events(request.user)},
    )


@require_POST
@login_required
def my_calendar_reset(request):
    had_one = selectors.calendar_token_of(request.user) is not None
    services.reset_calendar_token(user=request.user)
    messages.success(
        request,
        "Your calendar feed has a new address; the old one no longer works."
        if had_one
        else "Your private calendar feed address is ready: add it to your calendar program.",
    )
    return redirect("events:my_calendar")


# --- Organizers ---------------------------------------------------------------------------------


def _event_fields(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("working_groups", None)
    return data


@require_http_methods(["GET", "POST"])
@organizer_required
def host_events(request):
    """The events portal events are co-located with: the list, and a form to add one."""
    form = HostEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            host = services.save_host_event(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s is added: choose it in an event's form.") % {"name": host.name})
            return redirect("events:hosts")
    hosts = HostEvent.objects.annotate(event_count=Count("colocated_events"))
    return render(request, "events/host_list.html", {"form": form, "hosts": hosts})


@require_http_methods(["GET", "POST"])
@organizer_required
def event_create(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                actor=request.user, working_groups=form.cleaned_data["working_groups"], **_event_fields(form)
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Event created as a draft. Add sessions, then publish it."))
            return redirect("events:manage", event.slug)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@require_http_methods(["GET", "POST"])
@organizer_required
def event_edit(request, slug):
    event = get_object_or_404(Event, slug=slug)
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=event.pk))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.update_event(
                event=event,
                actor=request.user,
                working_groups=form.cleaned_data["working_groups"],
                **_event_fields(form),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Event saved."))
            return redirect("events:manage", event.slug)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@require_GET
@organizer_required
def event_manage(request, slug):
    event = selectors.event_for_page(Event.objects.all(), slug)
    timezone.activate(event.zone)  # organizers type times in the event's zone, so the editor shows them so
    sessions = list(event.sessions.all())
    return render(
        request,
        "events/event_manage.html",
        {
            "event": event,
            "sessions": sessions,
            "conflicts": selectors.schedule_conflicts(event, sessions),
            "registrations": list(
                event.registrations.filter(status__in=selectors.CURRENT)
                .select_related("user__profile", "session")
                .order_by("session__start", "created_at", "pk")
            ),
            "event_messages": list(event.messages.select_related("author__profile")[:10]),
            "log_entries": activity_selectors.activity_of(event, limit=10),
        },
    )


@require_POST
@organizer_required
def event_publish(request, slug):
    event = get_object_or_404(Event, slug=slug)
    published = request.POST.get("published") == "1"
    services.set_event_published(event=event, actor=request.user, published=published)
    messages.success(
        request, _("Event published.") if published else _("Event unpublished: only organizers see it now.")
    )
    return redirect("events:manage", event.slug)


def _speakers(form, field="new_speakers"):
    return [services.find_or_create_speaker(**person) for person in form.cleaned_data.get(field) or []]


@require_http_methods(["GET", "POST"])
@organizer_required
def session_edit(request, slug, pk=None):
    event = get_object_or_404(Event, slug=slug)
    session = get_object_or_404(Session, pk=pk, event=event) if pk else None
    form = SessionForm(
        request.POST or None, instance=Session.objects.get(pk=session.pk) if session else None, event=event
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("speakers", "new_speakers", "working_groups")}
        fields["working_groups"] = list(form.cleaned_data["working_groups"])
        speakers = list(form.cleaned_data["speakers"])
        try:
            speakers += _speakers(form)
            if session:
                services.update_session(session=session, actor=request.user, speakers=speakers, **fields)
            else:
                session = services.create_session(event=event, actor=request.user, speakers=speakers, **fields)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Session “%(title)s” saved.") % {"title": session.title})
            return redirect("events:manage", event.slug)
    posters = list(session.posters.prefetch_related("presenters")) if session else []
    return render(
        request,
        "events/session_form.html",
        {
            "form": form,
            "event": event,
            "session": session,
            "posters": posters,
            "poster_form": PosterForm(prefix="poster"),
        },
    )


@require_POST
@organizer_required
def session_delete(request, slug, pk):
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk, event__slug=slug)
    try:
        services.delete_session(session=session, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("events:session_edit", slug, pk)
    messages.success(request, _("Session “%(title)s” deleted.") % {"title": session.title})
    return redirect("events:manage", slug)


@require_POST
@organizer_required
def poster_add(request, slug, pk):
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk, event__slug=slug)
    form = PosterForm(request.POST, prefix="poster")
    if form.is_valid():
        try:
            services.add_poster(
                session=session,
                actor=request.user,
                title=form.cleaned_data["title"],
                abstract=form.cleaned_data["abstract"],
                presenters=_speakers(form, "presenters"),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Poster added."))
            return redirect("events:session_edit", slug, pk)
    posters = list(session.posters.prefetch_related("presenters"))
    return render(
        request,
        "events/session_form.html",
        {
            "form": SessionForm(instance=session, event=session.event),
            "event": session.event,
            "session": session,
            "posters": posters,
            "poster_form": form,
        },
    )


@require_POST
@organizer_required
def poster_delete(request, slug, pk):
    poster = get_object_or_404(Poster.objects.select_related("session__event"), pk=pk, session__event__slug=slug)
    services.delete_poster(poster=poster, actor=request.user)
    messages.success(request, _("Poster removed."))
    return redirect("events:session_edit", slug, poster.session_id)


@require_POST
@organizer_required
def registration_cancel(request, slug, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("user__profile", "session"),
        pk=pk,
        event__slug=slug,
        status__in=selectors.CURRENT,
    )
    services.cancel_registration(registration=registration, actor=request.user)
    if registration.session:
        text = _("%(name)s's place at “%(title)s” is cancelled.")
    else:
        text = _("%(name)s's place at the event is cancelled.")
    messages.success(
        request, text % {"name": registration.user.display_name, "title": getattr(registration.session, "title", "")}
    )
    return redirect("events:manage", slug)


@require_http_methods(["GET", "POST"])
@organizer_required
def event_message(request, slug):
    event = get_object_or_404(Event, slug=slug)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_event_message(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Message recorded; one e-mail per registered person is on its way."))
            return redirect("events:manage", event.slug)
    return render(request, "events/message_form.html", {"form": form, "event": event})


@in_english
@require_GET
@organizer_required
def registrations_export(request, slug):
    event = get_object_or_404(Event, slug=slug)
    return csv_download(filename=f"{event.slug}-registrations.csv", text=selectors.registrations_csv(event))
