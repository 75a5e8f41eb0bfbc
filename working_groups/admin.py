from django.contrib import admin

from activity.services import record
from roles import rules
from roles.admin import OrganizerAccessMixin

from .models import ProgressUpdate, WorkingGroup


class OrganizerEditMixin(OrganizerAccessMixin):
    def has_change_permission(self, request, obj=None):
        return rules.is_organizer(request.user) or super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return rules.is_organizer(request.user) or super().has_add_permission(request)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(OrganizerEditMixin, admin.ModelAdmin):
    list_display = ["name", "is_open", "capacity", "updated_at"]
    list_filter = ["is_open"]
    search_fields = ["name", "short_description"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        """Edits in the admin leave the same audit row as the group's edit page."""
        super().save_model(request, obj, form, change)
        if change and not form.changed_data:
            return
        action = "working_groups.group.updated" if change else "working_groups.group.created"
        note = "Changed in the admin: " + ", ".join(form.changed_data) if change else obj.name
        record(actor=request.user, action=action, obj=obj, working_group=obj, note=note)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(OrganizerEditMixin, admin.ModelAdmin):
    list_display = ["title", "working_group", "author", "created_at"]
    list_filter = ["working_group"]
    search_fields = ["title", "body", "working_group__name"]
    list_select_related = ["working_group", "author__profile"]
    raw_id_fields = ["author"]
    date_hierarchy = "created_at"
