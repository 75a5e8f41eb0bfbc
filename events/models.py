from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import TIME_ZONE_CHOICES


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, *, now=None):
        return self.published().filter(end__gte=now or timezone.now()).order_by("start")

    def between(self, start, end):
        """Published events that start in [start, end)."""
        return self.published().filter(start__gte=start, start__lt=end).order_by("start")


class Event(models.Model):
    """A live event of the workshop; times are stored in UTC and shown in the viewer's zone."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown.")
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField()
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="UTC", help_text="The event's own time zone.")
    is_published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="event_ends_after_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.slug])
