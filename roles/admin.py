"""The roles admin: look, search and filter; applications, members and invitations change through actions
that call ``roles.services`` (permission, audit row, waiting list, e-mails). Slugs and the rest are read-only.
"""

from django.contrib import admin

from bigscience_portal.admin import ReadOnlyAdmin, run_service

from . import services
from .models import Application, Committee, Invitation, Participation, Role


@admin.register(Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ["name", "committee", "time_commitment", "reviewed_by", "needs_working_group", "order"]
    search_fields = ["name", "slug"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "working_group", "status", "created_at", "decided_at", "reviewer"]
    list_filter = ["status", "role", "working_group"]
    search_fields = ["user__email", "user__profile__display_name", "working_group__name", "motivation"]
    list_select_related = ["user__profile", "role", "working_group", "reviewer__profile"]
    date_hierarchy = "created_at"
    actions = ["approve", "decline"]

    @admin.action(description="Approve the selected pending applications")
    def approve(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda a: services.decide_application(a, approve=True, actor=request.user, note=""),
            "approved",
        )

    @admin.action(description="Decline the selected pending applications")
    def decline(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda a: services.decide_application(a, approve=False, actor=request.user, note=""),
            "declined",
        )


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "working_group", "status", "started_at", "ended_at", "end_reason"]
    list_filter = ["status", "role", "working_group", "end_reason"]
    search_fields = ["user__email", "user__profile__display_name", "working_group__name"]
    list_select_related = ["user__profile", "role", "working_group"]
    date_hierarchy = "started_at"
    actions = ["remove", "make_chair", "make_participant"]

    @admin.action(description="Remove the selected members (reason: removed by an organizer)")
    def remove(self, request, queryset):
        run_service(
            self,
            request,
            queryset.select_related("role", "working_group"),
            lambda p: services.remove_member(p, actor=request.user, reason="Removed by an organizer."),
            "removed",
        )

    @admin.action(description="Promote the selected participants to co-chair")
    def make_chair(self, request, queryset):
        run_service(
            self,
            request,
            queryset.select_related("working_group"),
            lambda p: services.set_chair(p, actor=request.user, chair=True),
            "promoted",
        )

    @admin.action(description="Make the selected chairs participants")
    def make_participant(self, request, queryset):
        run_service(
            self,
            request,
            queryset.select_related("working_group"),
            lambda p: services.set_chair(p, actor=request.user, chair=False),
            "now participants",
        )


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "working_group", "status", "sent_at", "send_count", "expires_at", "invited_by"]
    list_filter = ["status", "working_group"]
    search_fields = ["email", "working_group__name"]
    exclude = ["token"]
    list_select_related = ["working_group", "invited_by__profile"]
    actions = ["resend", "withdraw"]

    @admin.action(description="Send the selected invitations again")
    def resend(self, request, queryset):
        run_service(
            self,
            request,
            queryset.select_related("working_group"),
            lambda i: services.resend_invitation(i, actor=request.user),
            "sent again",
        )

    @admin.action(description="Withdraw the selected invitations")
    def withdraw(self, request, queryset):
        run_service(
            self,
            request,
            queryset.select_related("working_group"),
            lambda i: services.withdraw_invitation(i, actor=request.user),
            "withdrawn",
        )
