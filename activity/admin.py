"""The activity log in the admin: searchable, filterable, never edited or deleted."""

from django.contrib import admin

from bigscience_portal.admin import ReadOnlyAdmin

from .models import ActivityLog


@admin.register(ActivityLog)
class ActivityLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "subject", "working_group", "from_state", "to_state"]
    list_filter = ["action", "working_group"]
    search_fields = ["action", "actor__email", "subject__email", "note"]
    list_select_related = ["actor__profile", "subject__profile", "working_group"]
    date_hierarchy = "created_at"
