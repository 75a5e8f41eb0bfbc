"""The programme of an event: tracks and rooms, a call for proposals, proposals, starred sessions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour as #RRGGBB, e.g. #1f6feb."))


class _Named(models.Model):
    """A track or a room of one event: a name, a colour and a place in the order."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=100)
    colour = models.CharField(_("colour"), max_length=7, default="#6b7280", validators=[COLOUR])
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Track(_Named):
    """A thread through an event's programme (e.g. "Data", "Modeling")."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="tracks")

    class Meta(_Named.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="one_track_name_per_event",
                violation_error_message=_("This event already has a track of that name."),
            )
        ]


class Room(_Named):
    """Where sessions happen, on site or online (a column of the programme grid)."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="rooms")

    class Meta(_Named.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="one_room_name_per_event",
                violation_error_message=_("This event already has a room of that name."),
            )
        ]


class Call(models.Model):
    """An event's call for proposals from the working groups."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="call")
    accepts_talks = models.BooleanField(_("talks"), default=True)
    accepts_posters = models.BooleanField(_("posters"), default=True)
    deadline = models.DateTimeField(_("deadline"))
    text = models.TextField(_("text"), blank=True, help_text=_("Markdown: what the call is looking for."))
    is_open = models.BooleanField(
        _("open"), default=True, help_text=_("Working groups can propose until the deadline.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(accepts_talks=True) | Q(accepts_posters=True),
                name="call_accepts_something",
                violation_error_message=_("A call takes talks, posters or both."),
            )
        ]

    def __str__(self):
        return f"Call for {self.event}"

    def kinds(self) -> list[str]:
        return [kind for kind, on in (("talk", self.accepts_talks), ("poster", self.accepts_posters)) if on]

    def is_accepting(self, now=None) -> bool:
        return self.is_open and (now or timezone.now()) < self.deadline


class Proposal(models.Model):
    """A talk or a poster a working group puts forward to an event's call."""

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        POSTER = "poster", _("Poster")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="proposals")
    working_group = models.ForeignKey(
        "working_groups.WorkingGroup",
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("working group"),
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    abstract = models.TextField(_("abstract"), max_length=5000, help_text=_("Markdown."))
    speakers = models.ManyToManyField("events.Speaker", blank=True, related_name="proposals")
    length_minutes = models.PositiveIntegerField(
        _("length wanted (minutes)"), default=20, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    needs = models.TextField(_("needs"), blank=True, max_length=2000, help_text=_("Equipment, time constraints…"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    note = models.TextField(_("note from the organizers"), blank=True)
    revision = models.PositiveIntegerField(default=1, help_text=_("Grows with each resubmission."))
    session = models.OneToOneField(
        "events.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )
    poster = models.OneToOneField(
        "events.Poster", null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(length_minutes__gte=5, length_minutes__lte=240),
                name="proposal_length_5_to_240",
                violation_error_message=_("The length is between 5 and 240 minutes."),
            ),
            models.CheckConstraint(
                condition=(Q(session__isnull=True) & Q(poster__isnull=True)) | Q(status="accepted"),
                name="only_accepted_proposals_are_placed",
                violation_error_message=_("Only an accepted proposal can be placed in the programme."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_placed(self) -> bool:
        return self.session_id is not None or self.poster_id is not None


class Star(models.Model):
    """A session a person marked for their own agenda."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="starred_sessions")
    session = models.ForeignKey("events.Session", on_delete=models.CASCADE, related_name="stars")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session__start", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "session"], name="one_star_per_person_and_session")]

    def __str__(self):
        return f"{self.user_id} ★ {self.session_id}"
