"""The guided tasks in the admin: a window for organizers. Every change goes through the pages and
the API, which call the services (activity log, counters, e-mails), so nothing is edited here."""

from django.contrib import admin

from bigscience_portal.admin import ReadOnlyAdmin

from .models import Claim, Contribution, GroupToken, Skill, Task


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "working_group", "status", "unit", "amount_needed", "accepted_items", "active_claims"]
    list_filter = ["status", "level", "working_group"]
    search_fields = ["title", "summary"]
    list_select_related = ["working_group"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["task", "user", "status", "created_at", "last_report_at", "reminded_at"]
    list_filter = ["status"]
    search_fields = ["task__title", "user__email"]
    list_select_related = ["task", "user__profile"]
    raw_id_fields = ["task", "user"]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["task", "user", "items", "language", "status", "reviewer", "created_at"]
    list_filter = ["status"]
    search_fields = ["task__title", "user__email"]
    list_select_related = ["task", "user__profile", "language", "reviewer__profile"]
    raw_id_fields = ["task", "claim", "user", "reviewer"]


@admin.register(GroupToken)
class GroupTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "working_group", "action", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["action"]
    exclude = ["digest"]


@admin.register(Skill)
class SkillAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug"]
