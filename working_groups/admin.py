"""Groups and progress updates: read-only here; organizers create and edit groups on the site's pages
(``working_groups.services``), where the audit row and the rules are."""

from django.contrib import admin

from bigscience_portal.admin import ReadOnlyAdmin

from .models import ProgressUpdate, WorkingGroup


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "is_open", "capacity", "updated_at"]
    list_filter = ["is_open"]
    search_fields = ["name", "short_description"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    list_display = ["title", "working_group", "author", "created_at"]
    list_filter = ["working_group"]
    search_fields = ["title", "body", "working_group__name"]
    list_select_related = ["working_group", "author__profile"]
    date_hierarchy = "created_at"
