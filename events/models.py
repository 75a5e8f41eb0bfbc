import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
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
                violation_error_message="The last day cannot come before the first.",
            )
        ]

    def __str__(self):
        return self.name


class Event(models.Model):
    """A live event of the workshop; times are stored in UTC and shown in the viewer's zone."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown.")
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField()
    time_zone = models.CharField(
        max_length=64, choices=TIME_ZONE_CHOICES, default="UTC", help_text="The event's own time zone."
    )
    is_published = models.BooleanField(default=False)
    stream_url = models.URLField("stream link", blank=True, help_text="Where to watch online (YouTube, Zoom…).")
    place = models.CharField(max_length=300, blank=True, help_text="Where it happens on site, if anywhere.")
    colocated_with = models.ForeignKey(
        HostEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="colocated_events",
        verbose_name=_("co-located with"),
        help_text=_("The event this one is part of; add a new one on the page of co-located hosts."),
    )
    registration_open = models.BooleanField(default=True, help_text="People can register.")
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places; empty for no limit. When full, people join a waiting list."
    )
    registration_deadline = models.DateTimeField(
        null=True, blank=True, help_text="Registration closes at this time; empty: at the start."
    )
    recording_url = models.URLField(
        "recording link", blank=True, help_text="Added after the event; those registered are told once."
    )
    recording_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    working_groups = models.ManyToManyField(
        "working_groups.WorkingGroup",
        blank=True,
        related_name="events",
        help_text="Working groups this event is for: it appears in their members' personal calendars.",
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
                violation_error_message="The end must be after the start.",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
                violation_error_message="At least one place; leave the capacity empty for no limit.",
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


class Speaker(models.Model):
    """Someone who speaks or presents: with an account on the portal, or without one."""

    name = models.CharField(max_length=150)
    affiliation = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="speaker_records"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


class Session(models.Model):
    """A slot inside an event: a talk, a panel, a round table, a poster session…"""

    class Kind(models.TextChoices):
        TALK = "talk", "Talk"
        KEYNOTE = "keynote", "Keynote"
        PANEL = "panel", "Panel"
        ROUND_TABLE = "round_table", "Round table"
        POSTER_SESSION = "poster_session", "Poster session"
        BREAK = "break", "Break"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TALK)
    title = models.CharField(max_length=200)
    abstract = models.TextField(blank=True, help_text="Markdown.")
    start = models.DateTimeField()
    end = models.DateTimeField()
    room = models.CharField("room or track", max_length=100, blank=True)
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions")
    stream_url = models.URLField("stream link", blank=True, help_text="Empty: the event's stream.")
    recording_url = models.URLField("recording link", blank=True)
    slides_url = models.URLField("slides link", blank=True)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Set it (e.g. for a round table) and people register for this session itself."
    )

    class Meta:
        ordering = ["start", "room", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="session_ends_after_start",
                violation_error_message="The end must be after the start.",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="session_capacity_positive",
                violation_error_message="At least one place; leave the capacity empty for no limit.",
            ),
        ]

    def __str__(self):
        return self.title


class Poster(models.Model):
    """A poster shown in a poster session, with its presenters."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="posters")
    title = models.CharField(max_length=250)
    abstract = models.TextField(blank=True)
    presenters = models.ManyToManyField(Speaker, blank=True, related_name="posters")

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Registration(models.Model):
    """A person's place at an event (session is empty) or at one session with its own capacity."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(max_length=12, choices=Status.choices, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, help_text="Waiting-list order.")
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
    include_waiting = models.BooleanField(default=False, help_text="Also write to the people on the waiting list.")
    created_at = models.DateTimeField(auto_now_add=True)
    recipient_count = models.PositiveIntegerField(null=True, blank=True, help_text="Set when the e-mails are queued.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class EventLogEntry(models.Model):
    """Who changed what in an event, and when."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="log_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "event log entries"

    def __str__(self):
        return f"{self.event}: {self.action}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in a person's private calendar feed address; resetting it kills the old address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar token of {self.user_id}"
