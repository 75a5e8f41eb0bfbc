"""Guided tasks: what a working group asks for, who claimed it, what they contributed, who reviews."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bigscience_portal.markdown import render_markdown


class Skill(models.Model):
    """A kind of work a task asks for: finding data sources, annotating, writing prompts, testing tools."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Task(models.Model):
    """A guided task a working group publishes for attendants, with guidelines and an amount needed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    class Level(models.TextChoices):
        FIRST = "first", _("First task")
        EXPERIENCED = "experienced", _("Experienced")

    class Unit(models.TextChoices):
        ITEMS = "items", _("items")
        PEOPLE = "people", _("people")

    class OverReport(models.TextChoices):
        CAP = "cap", _("Accept up to what is still needed")
        REFUSE = "refuse", _("Refuse the report")

    working_group = models.ForeignKey(
        "working_groups.WorkingGroup", on_delete=models.CASCADE, related_name="tasks", verbose_name=_("working group")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One line shown on the task board."))
    guidelines = models.TextField(_("guidelines"), help_text=_("Markdown: what to do, with examples."))
    guidelines_html = models.TextField(editable=False, blank=True)
    # French versions (bigscience_portal/localized.py): blank until someone writes them.
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    summary_fr = models.CharField(_("summary in French"), max_length=300, blank=True)
    guidelines_fr = models.TextField(_("guidelines in French"), blank=True, help_text=_("Markdown; optional."))
    guidelines_html_fr = models.TextField(editable=False, blank=True)
    languages = models.ManyToManyField(
        "accounts.Language",
        blank=True,
        related_name="tasks",
        verbose_name=_("languages"),
        help_text=_("Languages the work is in; none for any language."),
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="tasks", verbose_name=_("skills"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.FIRST)
    unit = models.CharField(_("counted in"), max_length=8, choices=Unit.choices, default=Unit.ITEMS)
    amount_needed = models.PositiveIntegerField(_("how many are needed"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    work_url = models.URLField(_("where the work happens"), help_text=_("The tool, repository or form."))
    how_to_report = models.TextField(_("how to report"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True)
    over_report = models.CharField(
        _("a report above what is still needed"), max_length=8, choices=OverReport.choices, default=OverReport.CAP
    )
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="tasks_created"
    )
    # Kept current by the services under the task's row lock, so the board reads them without counting.
    accepted_items = models.PositiveIntegerField(default=0, editable=False)
    accepted_people = models.PositiveIntegerField(default=0, editable=False)
    active_claims = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_needed__gte=1),
                name="task_needs_something",
                violation_error_message=_("A task needs at least one item or person."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.guidelines_html = render_markdown(self.guidelines)
        self.guidelines_html_fr = render_markdown(self.guidelines_fr) if self.guidelines_fr else ""
        if kwargs.get("update_fields") is not None:
            rendered = {"guidelines": "guidelines_html", "guidelines_fr": "guidelines_html_fr"}
            kwargs["update_fields"] = {*kwargs["update_fields"]} | {
                html for source, html in rendered.items() if source in kwargs["update_fields"]
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("tasks:detail", args=[self.pk])

    @property
    def done(self) -> int:
        """What counts towards the amount needed: accepted items, or people with accepted work."""
        return self.accepted_items if self.unit == self.Unit.ITEMS else self.accepted_people

    @property
    def remaining(self) -> int:
        return max(self.amount_needed - self.done, 0)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.amount_needed)) if self.amount_needed else 0

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class TaskReviewer(models.Model):
    """A person a chair named to review one task's contributions, besides the group's chairs."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks_to_review")
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task", "user"],
                name="one_reviewer_row_per_task",
                violation_error_message=_("This person already reviews this task."),
            )
        ]

    def __str__(self):
        return f"{self.user_id} reviews {self.task_id}"


class Claim(models.Model):
    """A person has taken on a task; released by them, or by the portal when they stop reporting."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Given up")
        RELEASED = "released", _("Released for lack of reports")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_claims")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_report_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "user"],
                condition=Q(status="active"),
                name="one_active_claim_per_person_and_task",
                violation_error_message=_("You already have a claim on this task."),
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.user_id} on {self.task_id} ({self.status})"


class Contribution(models.Model):
    """What a person reports having done on a task, and the review it received."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        CHANGES = "changes", _("Changes requested")
        REJECTED = "rejected", _("Rejected")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="contributions")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="contributions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_contributions")
    items = models.PositiveIntegerField(_("items"))
    language = models.ForeignKey(
        "accounts.Language",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        verbose_name=_("language"),
    )
    link = models.URLField(_("link"), blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reported_with = models.ForeignKey(
        "GroupToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="contributions"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(items__gte=1),
                name="contribution_has_items",
                violation_error_message=_("A contribution counts at least one item."),
            ),
            models.CheckConstraint(
                condition=~Q(reviewer=models.F("user")),
                name="nobody_reviews_their_own_contribution",
                violation_error_message=_("Nobody reviews their own contribution."),
            ),
        ]
        indexes = [
            models.Index(fields=["task", "status"]),
            models.Index(fields=["user", "status"]),
            models.Index(fields=["status", "language"]),
        ]

    def __str__(self):
        return f"{self.items} on {self.task_id} by {self.user_id} ({self.status})"


class GroupToken(models.Model):
    """A token a working group's own tool uses for one action on that group's tasks; stored hashed."""

    class Action(models.TextChoices):
        REPORT = "report_contributions", _("Report contributions for a person")
        READ_CLAIMS = "read_claims", _("Read the group's claims")

    working_group = models.ForeignKey("working_groups.WorkingGroup", on_delete=models.CASCADE, related_name="tokens")
    action = models.CharField(_("what it may do"), max_length=24, choices=Action.choices)
    name = models.CharField(_("name"), max_length=100, help_text=_("Which tool uses it."))
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
