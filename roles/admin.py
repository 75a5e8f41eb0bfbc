from django.contrib import admin

from .models import Committee, Participation, Role


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "committee", "time_commitment", "reviewed_by", "needs_working_group", "order"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "working_group", "status", "started_at", "ended_at"]
    list_filter = ["status", "role", "working_group"]
    search_fields = ["user__email", "user__profile__display_name", "working_group__name"]
    raw_id_fields = ["user"]
    list_select_related = ["user__profile", "role", "working_group"]
    date_hierarchy = "started_at"
