from django.conf import settings
from django.db import models
from django.db.models import Q


class Committee(models.Model):
    """The Steering Committee or the Organization Committee; membership follows from roles held."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField()

    def __str__(self):
        return self.name


class Role(models.Model):
    """One of the four ways to take part in the workshop."""

    ADVISOR = "advisor"
    PARTICIPANT = "participant"
    CHAIR = "chair"
    ATTENDANT = "attendant"

    class Reviewer(models.TextChoices):
        ORGANIZERS = "organizers", "Organizers"
        CHAIRS = "chairs", "The working group's chairs"
        NOBODY = "nobody", "Nobody: granted at once"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    committee = models.ForeignKey(Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="roles")
    summary = models.CharField(max_length=300)
    description = models.TextField()
    time_commitment = models.CharField(max_length=200)
    needs_working_group = models.BooleanField(default=False)
    reviewed_by = models.CharField(max_length=20, choices=Reviewer.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name


class Participation(models.Model):
    """Who holds which role, where, since when, and how it ended."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        WAITING = "waiting", "On the waiting list"
        ENDED = "ended", "Ended"

    class EndReason(models.TextChoices):
        LEFT = "left", "Left"
        REMOVED = "removed", "Removed"
        PROMOTED = "promoted", "Promoted to another role"
        DEMOTED = "demoted", "Demoted"

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
