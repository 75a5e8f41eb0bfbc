from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class WorkingGroup(models.Model):
    """A working group of the Organization Committee."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    short_description = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text=_("Markdown."))
    guidelines = models.TextField(blank=True, help_text=_("Markdown: how a newcomer gets started."))
    # French versions (bigscience_portal/localized.py): blank until someone writes them.
    short_description_fr = models.CharField(_("short description in French"), max_length=300, blank=True)
    description_fr = models.TextField(_("description in French"), blank=True, help_text=_("Markdown; optional."))
    guidelines_fr = models.TextField(_("guidelines in French"), blank=True, help_text=_("Markdown; optional."))
    links = models.JSONField(default=list, blank=True, help_text='A list of {"label": ..., "url": ...}.')
    is_open = models.BooleanField(default=True, help_text=_("Open to applications."))
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Maximum number of members; empty for no limit.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("working_groups:detail", args=[self.slug])


class ProgressUpdate(models.Model):
    """A short post by a group's chairs on what the group has done; gathered into the newsletter."""

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="progress_updates")
    author = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="progress_updates")
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=_("Markdown."))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.working_group}: {self.title}"
