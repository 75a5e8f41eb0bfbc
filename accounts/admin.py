"""People: read-only here. A person edits their own profile on the site and deletes their account there
(``accounts.services.delete_account``: roles left, registrations cancelled, recorded); organizer rights
change through the actions below or the ``organizer`` command, which call ``accounts.services``."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from bigscience_portal.admin import ReadOnlyAdmin, ReadOnlyMixin, ReadOnlyStackedInline, run_service

from . import services
from .models import Language, Profile, User


class ProfileInline(ReadOnlyStackedInline):
    model = Profile
    exclude = ["languages"]


@admin.register(User)
class UserAdmin(ReadOnlyMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "profile__display_name", "profile__affiliation"]
    inlines = [ProfileInline]
    fieldsets = [
        (None, {"fields": ["email"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    actions = ["grant_organizer", "revoke_organizer"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("profile")

    @admin.action(description=_("Make the selected people organizers"))
    def grant_organizer(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda user: services.grant_organizer(user=user, actor=request.user),
            _("now organizer(s)"),
        )

    @admin.action(description=_("Take organizer rights away from the selected people"))
    def revoke_organizer(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda user: services.revoke_organizer(user=user, actor=request.user),
            _("no longer organizer(s)"),
        )


@admin.register(Language)
class LanguageAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "display_name", "affiliation", "country", "time_zone", "show_in_directory"]
    list_filter = ["show_in_directory", "country"]
    search_fields = ["display_name", "affiliation", "user__email"]
