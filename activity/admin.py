from django.contrib import admin

from roles.rules import is_organizer

from .models import ActivityLog


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    """The activity log is read in the admin, never written: rows come from the services only."""

    list_display = ["created_at", "actor", "action", "subject", "working_group", "from_state", "to_state", "note"]
    list_filter = ["action", "working_group"]
    search_fields = ["actor__email", "subject__email", "subject__profile__display_name", "note", "action"]
    list_select_related = ["actor", "subject", "working_group"]
    date_hierarchy = "created_at"

    def has_module_permission(self, request):
        return is_organizer(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_organizer(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
