"""The admin: search and filters on everything; changes of state go through the services (actions)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from . import rules, services
from .models import Application, Committee, Invitation, Participation, Role


def _run(modeladmin, request, queryset, action, done: str) -> None:
    """Apply a service to each selected row; report how many worked and why others did not."""
    ok = 0
    for obj in queryset:
        try:
            action(obj)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else (str(error) or "Not allowed.")
            modeladmin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            ok += 1
    if ok:
        modeladmin.message_user(request, f"{ok} {done}.", messages.SUCCESS)


class OrganizerAccessMixin:
    """Organizers (rules.is_organizer) see these models whatever their Django permissions."""

    def has_module_permission(self, request):
        return rules.is_organizer(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return rules.is_organizer(request.user) or super().has_view_permission(request, obj)


class ReadOnlyStateMixin(OrganizerAccessMixin):
    """Rows whose state only services change: viewable, searchable, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "committee", "time_commitment", "reviewed_by", "needs_working_group", "order"]
    search_fields = ["name", "slug"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ["user", "role", "working_group", "status", "created_at", "decided_at", "reviewer"]
    list_filter = ["status", "role", "working_group"]
    search_fields = ["user__email", "user__profile__display_name", "working_group__name", "motivation"]
    list_select_related = ["user__profile", "role", "working_group", "reviewer__profile"]
    date_hierarchy = "created_at"
    actions = ["approve", "decline"]

    @admin.action(description="Approve the selected pending applications")
    def approve(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda a: services.decide_application(a, approve=True, actor=request.user, note=""),
            "approved",
        )

    @admin.action(description="Decline the selected pending applications")
    def decline(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda a: services.decide_application(a, approve=False, actor=request.user, note=""),
            "declined",
        )


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ["user", "role", "working_group", "status", "started_at", "ended_at", "end_reason"]
    list_filter = ["status", "role", "working_group", "end_reason"]
    search_fields = ["user__email", "user__profile__display_name", "working_group__name"]
    list_select_related = ["user__profile", "role", "working_group"]
    date_hierarchy = "started_at"
    actions = ["remove", "make_chair", "make_participant"]

    @admin.action(description="Remove the selected members (reason: removed by an organizer)")
    def remove(self, request, queryset):
        _run(
            self,
            request,
            queryset.select_related("role", "working_group"),
            lambda p: services.remove_member(p, actor=request.user, reason="Removed by an organizer."),
            "removed",
        )

    @admin.action(description="Promote the selected participants to co-chair")
    def make_chair(self, request, queryset):
        _run(
            self,
            request,
            queryset.select_related("working_group"),
            lambda p: services.set_chair(p, actor=request.user, chair=True),
            "promoted",
        )

    @admin.action(description="Make the selected chairs participants")
    def make_participant(self, request, queryset):
        _run(
            self,
            request,
            queryset.select_related("working_group"),
            lambda p: services.set_chair(p, actor=request.user, chair=False),
            "now participants",
        )


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ["email", "working_group", "status", "sent_at", "send_count", "expires_at", "invited_by"]
    list_filter = ["status", "working_group"]
    search_fields = ["email", "working_group__name"]
    exclude = ["token"]
    list_select_related = ["working_group", "invited_by__profile"]
    actions = ["resend", "withdraw"]

    @admin.action(description="Send the selected invitations again")
    def resend(self, request, queryset):
        _run(
            self,
            request,
            queryset.select_related("working_group"),
            lambda i: services.resend_invitation(i, actor=request.user),
            "sent again",
        )

    @admin.action(description="Withdraw the selected invitations")
    def withdraw(self, request, queryset):
        _run(
            self,
            request,
            queryset.select_related("working_group"),
            lambda i: services.withdraw_invitation(i, actor=request.user),
            "withdrawn",
        )
