"""The admin is a window on the data, not a second way to change it.

Every ModelAdmin of the portal derives from ``ReadOnlyAdmin``: organizers (and staff with the view
permission) look, search and filter; nobody adds, changes or deletes rows here, superusers included.
Where organizers need to act from the admin, the ModelAdmin offers an action that calls the service
(the same permission check, transaction, activity row and e-mails as the site's pages). The models of
Django and of allauth are registered again below on the same terms.
"""

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.socialaccount.admin import SocialAccountAdmin, SocialAppAdmin, SocialTokenAdmin
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.contrib.sites.admin import SiteAdmin
from django.contrib.sites.models import Site
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from roles.rules import is_organizer

from .models import OutgoingEmail


class ReadOnlyMixin:
    """Look, never write: no add, change or delete for anyone; organizers may look without Django permissions."""

    def has_module_permission(self, request):
        return is_organizer(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_organizer(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The base of every ModelAdmin of the portal."""


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


class ReadOnlyStackedInline(ReadOnlyMixin, admin.StackedInline):
    extra = 0


def run_service(modeladmin, request, queryset, action, done: str) -> int:
    """Apply a service to each selected row; report how many worked, and why each other one did not."""
    ok = 0
    for obj in queryset:
        try:
            action(obj)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else (str(error) or _("Not allowed."))
            modeladmin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            ok += 1
    if ok:
        modeladmin.message_user(request, f"{ok} {done}.", messages.SUCCESS)
    return ok


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = ["subject", "to", "status", "attempts", "last_error", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "key"]


# Django's and allauth's models: the same rule. Organizer rights are granted with the `organizer` command
# or the User admin's actions (accounts.services), never by editing the group; addresses are verified by
# their owners; social login is configured by environment variables.
for model, base in (
    (Group, GroupAdmin),
    (Site, SiteAdmin),
    (EmailAddress, EmailAddressAdmin),
    (SocialApp, SocialAppAdmin),
    (SocialAccount, SocialAccountAdmin),
    (SocialToken, SocialTokenAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(base.__name__, (ReadOnlyMixin, base), {"actions": []}))
