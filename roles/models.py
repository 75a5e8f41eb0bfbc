from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bigscience_portal.localized import localized


class Committee(models.Model):
    """The Steering Committee or the Organization Committee; membership follows from roles held."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField()
    # French versions (bigscience_portal/localized.py), seeded for the two committees by migration 0005.
    name_fr = models.CharField(_("name in French"), max_length=100, blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return localized(self, "name")


class Role(models.Model):
    """One of the four ways to take part in the workshop."""

    ADVISOR = "advisor"
    PARTICIPANT = "participant"
    CHAIR = "chair"
    ATTENDANT = "attendant"

    class Reviewer(models.TextChoices):
        ORGANIZERS = "organizers", _("Organizers")
        CHAIRS = "chairs", _("The working group's chairs")
        NOBODY = "nobody", _("Nobody: granted at once")

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    committee = models.ForeignKey(Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="roles")
    summary = models.CharField(max_length=300)
    description = models.TextField()
    time_commitment = models.CharField(max_length=200)
    # French versions (bigscience_portal/localized.py), seeded for the four roles by migration 0005.
    name_fr = models.CharField(_("name in French"), max_length=100, blank=True)
    summary_fr = models.CharField(_("summary in French"), max_length=300, blank=True)
    description_fr = models.TextField(_("description in French"), blank=True, help_text=_("Markdown; optional."))
    time_commitment_fr = models.CharField(_("time commitment in French"), max_length=200, blank=True)
    needs_working_group = models.BooleanField(default=False)
    reviewed_by = models.CharField(max_length=20, choices=Reviewer.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language (pages and e-mails); ``str()`` stays the stored English name."""
        return localized(self, "name")


class Participation(models.Model):
    """Who holds which role, where, since when, and how it ended."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WAITING = "waiting", _("On the waiting list")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed")
        PROMOTED = "promoted", _("Promoted to another role")
        DEMOTED = "demoted", _("Demoted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="participations")
    working_group = models.ForeignKey(
        "working_groups.WorkingGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participations",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=EndReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "working_group"],
                condition=Q(status__in=["active", "waiting"], working_group__isnull=False),
                name="one_current_participation_per_role_and_group",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(status__in=["active", "waiting"], working_group__isnull=True),
                name="one_current_participation_per_role",
            ),
            models.CheckConstraint(
                condition=Q(status="ended", ended_at__isnull=False) | ~Q(status="ended"),
                name="ended_participation_has_end_time",
            ),
        ]
        indexes = [models.Index(fields=["working_group", "role", "status"])]

    def __str__(self):
        where = f" in {self.working_group}" if self.working_group_id else ""
        return f"{self.user} · {self.role}{where} ({self.status})"


class Application(models.Model):
    """A request to hold a role (in a working group where the role needs one), and its review."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="applications")
    working_group = models.ForeignKey(
        "working_groups.WorkingGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="applications"
    )
    motivation = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewed_applications"
    )
    review_note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    chairs_reminded_at = models.DateTimeField(null=True, blank=True)
    organizers_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "working_group"],
                condition=Q(status="pending", working_group__isnull=False),
                name="one_pending_application_per_role_and_group",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(status="pending", working_group__isnull=True),
                name="one_pending_application_per_role",
            ),
        ]

    def __str__(self):
        where = f" in {self.working_group}" if self.working_group_id else ""
        return f"{self.user} → {self.role}{where} ({self.status})"


class Invitation(models.Model):
    """An e-mailed link to join a working group; works for someone without an account yet."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    working_group = models.ForeignKey(
        "working_groups.WorkingGroup", on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_accepted"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    send_count = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "email"],
                condition=Q(status="pending"),
                name="one_pending_invitation_per_group_and_email",
            ),
        ]

    def __str__(self):
        return f"Invitation to {self.working_group} for {self.email} ({self.status})"

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired
