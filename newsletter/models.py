from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NewsPostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, published_at__lte=timezone.now()).order_by("-published_at")


class NewsPost(models.Model):
    """A piece of workshop news (Markdown), shown on the site and gathered into the newsletter."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=_("Markdown."))
    # French versions (bigscience_portal/localized.py): blank until someone writes them.
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    body_fr = models.TextField(_("body in French"), blank=True, help_text=_("Markdown; optional."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="news_posts"
    )
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("newsletter:news_detail", args=[self.slug])


class IssueQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status=Issue.Status.SENT).order_by("-number")

    def preparing(self):
        """The issue being drafted or waiting for its time: at most one."""
        return self.filter(status__in=Issue.PREPARING)


class Issue(models.Model):
    """One fortnightly newsletter: drafted from what happened since the last sent issue, edited, approved, sent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    PREPARING = (Status.DRAFT, Status.APPROVED)

    number = models.PositiveIntegerField(unique=True, help_text=_("Issue number; the stable link uses it."))
    title = models.CharField(max_length=200)
    editorial = models.TextField(blank=True, help_text=_("Markdown: a word from the organizers, shown first."))
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    editorial_fr = models.TextField(_("editorial in French"), blank=True, help_text=_("Markdown; optional."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    period_start = models.DateTimeField(null=True, blank=True, help_text=_("Gathers what happened after this time."))
    period_end = models.DateTimeField(help_text=_("…and up to this time."))
    scheduled_for = models.DateTimeField(help_text=_("When an approved issue goes out."))
    figures = models.JSONField(default=dict, blank=True, help_text=_("Membership figures at drafting time."))
    is_public = models.BooleanField(default=False, help_text=_("Shown to everyone in the web archive once sent."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text=_("When the last delivery was handed over."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            # Two issues in preparation at once would send the same news twice.
            models.UniqueConstraint(
                models.Value(1),
                condition=Q(status__in=["draft", "approved"]),
                name="one_newsletter_issue_in_preparation",
            ),
        ]

    def __str__(self):
        return f"#{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("newsletter:issue_detail", args=[self.number])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class IssueItem(models.Model):
    """One piece of an issue, copied at drafting time so the archive never changes under readers."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        PROGRESS = "progress", _("Working-group progress")
        EVENT = "event", _("Upcoming event")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text=_("Markdown."))
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    body_fr = models.TextField(_("body in French"), blank=True, help_text=_("Markdown; optional."))
    url = models.CharField(max_length=300, blank=True, help_text=_("Site path of the original."))
    happens_at = models.DateTimeField(null=True, blank=True, help_text=_("For events: when it starts."))
    included = models.BooleanField(default=True)
    news_post = models.ForeignKey(NewsPost, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    progress_update = models.ForeignKey(
        "working_groups.ProgressUpdate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    working_group = models.ForeignKey(
        "working_groups.WorkingGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_items",
        help_text=_("The group concerned: its chairs see the feedback on this item."),
    )

    class Meta:
        ordering = ["issue", "position", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class Subscription(models.Model):
    """A person's newsletter preferences: a confirmed subscription, a pause, or a bounced address.

    Active advisors receive the newsletter without a row; a row records that they stopped it.
    People without a role receive it once they confirmed (double opt-in).
    """

    email = models.EmailField(unique=True, help_text=_("Stored lower-case."))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="newsletter_subscription",
    )
    name = models.CharField(max_length=100, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text=_("Double opt-in confirmed."))
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.email

    @property
    def is_receiving(self) -> bool:
        return self.unsubscribed_at is None and self.bounced_at is None


class Delivery(models.Model):
    """One issue to one recipient: claimed before sending so nobody gets two copies."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    name = models.CharField(max_length=100, blank=True)
    # Deleting an account deletes what the newsletter holds about the person.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True, help_text=_("The batch job holding the claim."))
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issue", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "email"], name="one_delivery_per_issue_and_recipient"),
        ]
        indexes = [models.Index(fields=["issue", "status"])]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"#{self.issue_id} → {self.email} ({self.status})"


class Feedback(models.Model):
    """What a reader answered to an issue, or to one of its items."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="feedback")
    item = models.ForeignKey(IssueItem, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="newsletter_feedback"
    )
    email = models.EmailField(blank=True, help_text=_("Who wrote it, when it came from an e-mail link."))
    name = models.CharField(max_length=100, blank=True)
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"

    def __str__(self):
        return f"Feedback on #{self.issue_id} by {self.name or self.email}"
