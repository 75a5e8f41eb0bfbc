import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import TIME_ZONE_CHOICES


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, *, now=None):
        return self.published().filter(end__gte=now or timezone.now()).order_by("start")

    def past(self, *, now=None):
        return self.published().filter(end__lt=now or timezone.now()).order_by("-start")

    def between(self, start, end):
        """Published events that start in [start, end)."""
        return self.published().filter(start__gte=start, start__lt=end).order_by("start")


class HostEvent(models.Model):
    """Another event that portal events are co-located with (a conference, a workshop); several may share one."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    start = models.DateField(_("first day"), null=True, blank=True)
    end = models.DateField(_("last day"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True, help_text=_("City, venue, or “online”."))
    url = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="host_event_ends_after_it_starts",
                violation_error_message=_("The last day cannot come before the first."),
            )
        ]

    def __str__(self):
        return self.name


class Event(models.Model):
    """A live event of the workshop; times are stored in UTC and shown in the viewer's zone."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text=_("Markdown."))
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField()
    time_zone = models.CharField(
        max_length=64, choices=TIME_ZONE_CHOICES, default="UTC", help_text=_("The event's own time zone.")
    )
    is_published = models.BooleanField(default=False)
    stream_url = models.URLField(_("stream link"), blank=True, help_text=_("Where to watch online (YouTube, Zoom…)."))
    place = models.CharField(max_length=300, blank=True, help_text=_("Where it happens on site, if anywhere."))
    colocated_with = models.ForeignKey(
        HostEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="colocated_events",
        verbose_name=_("co-located with"),
        help_text=_("The event this one is part of; add a new one on the page of co-located hosts."),
    )
    registration_open = models.BooleanField(default=True, help_text=_("People can register."))
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Places; empty for no limit. When full, people join a waiting list.")
    )
    registration_deadline = models.DateTimeField(
        null=True, blank=True, help_text=_("Registration closes at this time; empty: at the start.")
    )
    recording_url = models.URLField(
        "recording link", blank=True, help_text=_("Added after the event; those registered are told once.")
    )
    recording_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    working_groups = models.ManyToManyField(
        "working_groups.WorkingGroup",
        blank=True,
        related_name="events",
        help_text=_("Working groups this event is for: it appears in their members' personal calendars."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="event_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
                violation_error_message=_("At least one place; leave the capacity empty for no limit."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.slug])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def registration_closes_at(self):
        return self.registration_deadline or self.start

    def is_over(self, now=None) -> bool:
        return self.end < (now or timezone.now())


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ3456789"  # no 0/O, 1/I/L: codes are read aloud and typed


def new_code() -> str:
    """A short stable identifier (six capitals and digits, the shape schedule tools expect)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


class Speaker(models.Model):
    """Someone who speaks or presents: with an account on the portal, or without one.

    Name and sessions are always public; the person chooses whether the rest is shown."""

    code = models.CharField(max_length=6, unique=True, default=new_code, editable=False)
    name = models.CharField(_("name"), max_length=150)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="speaker_records"
    )
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Never shown; used to tell a speaker without an account about a proposal.")
    )
    bio = models.TextField(_("short bio"), blank=True, max_length=3000, help_text=_("Markdown, a few lines."))
    photo_url = models.URLField(_("photo link"), blank=True, help_text=_("Empty: initials are shown."))
    website_url = models.URLField(_("website"), blank=True)
    links = models.TextField(_("other links"), blank=True, help_text=_("One address per line."))
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True, help_text=_("e.g. 0000-0002-1825-0097"))
    show_affiliation = models.BooleanField(_("show my affiliation"), default=True)
    show_bio = models.BooleanField(_("show my bio"), default=True)
    show_photo = models.BooleanField(_("show my photo"), default=True)
    show_links = models.BooleanField(_("show my website, links and ORCID iD"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name

    def get_absolute_url(self):
        return reverse("events:speaker_detail", args=[self.code])

    def clean(self):
        from .orcid import ORCID_ERROR, normalise_orcid

        if self.orcid:
            value = normalise_orcid(self.orcid)
            if value is None:
                from django.core.exceptions import ValidationError

                raise ValidationError({"orcid": ORCID_ERROR})
            self.orcid = value

    @property
    def initials(self) -> str:
        parts = [part for part in self.name.replace("-", " ").split() if part[:1].isalpha()]
        return ("".join(part[0] for part in parts[:1] + parts[1:][-1:]) or self.name[:1]).upper()

    @property
    def public_affiliation(self) -> str:
        return self.affiliation if self.show_affiliation else ""

    @property
    def public_bio(self) -> str:
        return self.bio if self.show_bio else ""

    @property
    def public_photo_url(self) -> str:
        return self.photo_url if self.show_photo else ""

    @property
    def public_links(self) -> list[str]:
        if not self.show_links:
            return []
        found = [self.website_url] if self.website_url else []
        found += [line.strip() for line in self.links.splitlines() if line.strip().startswith(("http://", "https://"))]
        return found

    @property
    def public_orcid(self) -> str:
        return self.orcid if self.show_links else ""


class Session(models.Model):
    """A slot inside an event: a talk, a panel, a round table, a poster session…"""

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        KEYNOTE = "keynote", _("Keynote")
        PANEL = "panel", _("Panel")
        ROUND_TABLE = "round_table", _("Round table")
        POSTER_SESSION = "poster_session", _("Poster session")
        BREAK = "break", _("Break")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TALK)
    title = models.CharField(max_length=200)
    abstract = models.TextField(blank=True, help_text=_("Markdown."))
    code = models.CharField(max_length=6, unique=True, default=new_code, editable=False)
    start = models.DateTimeField()
    end = models.DateTimeField()
    room = models.ForeignKey(
        "events.Room", null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions", verbose_name=_("room")
    )
    track = models.ForeignKey(
        "events.Track",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        verbose_name=_("track"),
    )
    working_groups = models.ManyToManyField(
        "working_groups.WorkingGroup", blank=True, related_name="sessions", verbose_name=_("working groups")
    )
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions")
    stream_url = models.URLField(_("stream link"), blank=True, help_text=_("Empty: the event's stream."))
    recording_url = models.URLField(_("recording link"), blank=True)
    slides_url = models.URLField(_("slides link"), blank=True)
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Set it (e.g. for a round table) and people register for this session itself."),
    )
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("iCalendar SEQUENCE: grows when the time or the place changes.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "room__order", "room__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="session_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="session_capacity_positive",
                violation_error_message=_("At least one place; leave the capacity empty for no limit."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:session_detail", args=[self.event.slug, self.code, self.slug])

    @property
    def slug(self) -> str:
        return slugify(self.title)[:60] or "session"

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class Poster(models.Model):
    """A poster shown in a poster session, with its presenters."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="posters")
    title = models.CharField(max_length=250)
    abstract = models.TextField(blank=True)
    presenters = models.ManyToManyField(Speaker, blank=True, related_name="posters")
    working_group = models.ForeignKey(
        "working_groups.WorkingGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="posters"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def anchor(self) -> str:
        return f"poster-{self.pk}"


class Registration(models.Model):
    """A person's place at an event (session is empty) or at one session with its own capacity."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(max_length=12, choices=Status.choices, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, help_text=_("Waiting-list order."))
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(session__isnull=True, status__in=["registered", "waiting"]),
                name="one_current_registration_per_event",
            ),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(session__isnull=False, status__in=["registered", "waiting"]),
                name="one_current_registration_per_session",
            ),
        ]
        indexes = [models.Index(fields=["event", "session", "status"])]

    def __str__(self):
        where = self.session or self.event
        return f"{self.user} · {where} ({self.status})"

    @property
    def is_current(self) -> bool:
        return self.status != self.Status.CANCELLED


class EventMessage(models.Model):
    """A message from the organizers to everyone registered; one e-mail per person."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    include_waiting = models.BooleanField(default=False, help_text=_("Also write to the people on the waiting list."))
    created_at = models.DateTimeField(auto_now_add=True)
    recipient_count = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Set when the e-mails are queued.")
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in a person's private calendar feed address; resetting it kills the old address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar token of {self.user_id}"


# The programme's own models (tracks, rooms, calls, proposals, stars) live in their own module.
from .programme_models import Call, Proposal, Room, Star, Track  # noqa: E402, F401
