import importlib
import importlib.util
import json

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from activity.services import record
from roles import rules as role_rules

from .models import Profile, User


def ensure_profile(*, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def start_profile(*, user: User, display_name: str, time_zone: str | None) -> Profile:
    """Create the profile of a new account with the name typed at sign-up and the browser's zone.

    Side effects: none beyond the row.
    """
    profile = ensure_profile(user=user)
    profile.display_name = display_name[:100]
    if time_zone:
        profile.time_zone = time_zone
    profile.full_clean()
    profile.save()
    user.__dict__.pop("display_name", None)
    return profile


@transaction.atomic
def update_profile(*, user: User, data: dict, languages) -> Profile:
    """Save the profile fields and the languages spoken. No side effects beyond the row."""
    profile = ensure_profile(user=user)
    for field, value in data.items():
        setattr(profile, field, value)
    profile.full_clean()
    profile.save()
    profile.languages.set(languages)
    user.__dict__.pop("display_name", None)
    return profile


@transaction.atomic
def set_language(*, user: User, language: str) -> Profile:
    """Remember the language a signed-in person chose in the header: their pages and e-mails use it.

    Side effects: none beyond the row.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("This language is not offered."))
    profile = ensure_profile(user=user)
    profile.language = language
    profile.save(update_fields=["language", "updated_at"])
    return profile


def export_user_data(*, user: User) -> str:
    """Everything the portal holds about a person, as JSON (the data-export page)."""
    from django.apps import apps

    profile = ensure_profile(user=user)
    data = {
        "account": {"email": user.email, "date_joined": user.date_joined, "last_login": user.last_login},
        "profile": {
            "display_name": profile.display_name,
            "affiliation": profile.affiliation,
            "country": str(profile.country),
            "languages": [lang.code for lang in profile.languages.all()],
            "time_zone": profile.time_zone,
            "language": profile.language,
            "expertise": profile.expertise,
            "show_in_directory": profile.show_in_directory,
            "session_reminders": profile.session_reminders,
            "application_digest": profile.application_digest,
        },
        # Names and dates only: the tokens themselves are stored hashed and never shown again.
        "api_tokens": list(user.api_tokens.order_by("created_at").values("name", "created_at", "last_used_at")),
    }
    # Each app may add what it holds about the person through an ``export_for(user)`` selector.
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.selectors") is None:
            continue
        export = getattr(importlib.import_module(f"{config.name}.selectors"), "export_for", None)
        if export is not None:
            data[config.label] = export(user)
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2)


def _deletion_blockers(user: User) -> list[str]:
    """What the person must hand over before the account can go: the portal must not be left headless."""
    from roles.models import Participation, Role

    blockers = []
    for seat in Participation.objects.filter(
        user=user, role__slug=Role.CHAIR, status=Participation.Status.ACTIVE
    ).select_related("working_group"):
        other_chairs = Participation.objects.filter(
            working_group=seat.working_group, role__slug=Role.CHAIR, status=Participation.Status.ACTIVE
        ).exclude(user=user)
        if not other_chairs.exists():
            blockers.append(
                _(
                    "You are the only chair of %(group)s. Promote a co-chair, or ask the organizers to appoint one, "
                    "then delete your account."
                )
                % {"group": seat.working_group.name}
            )
    if role_rules.is_organizer(user) and not organizers().exclude(pk=user.pk).exists():
        blockers.append(_("You are the last organizer. Make someone else an organizer first."))
    return blockers


def delete_account(*, user: User, actor: User) -> dict:
    """Delete one's own account, leaving the workshop the way the person would leave it by hand.

    Refused (ValidationError, nothing changed) while the person is the only chair of a group or the last
    organizer: a group without a chair has nobody to review its applications, so the person hands over
    first, while they are still here to do it. Otherwise, in one transaction: each pending application
    is withdrawn, each role (and place on a waiting list) is left through ``roles.services.leave_role``
    so the group's waiting list moves up, each event registration is cancelled through
    ``events.services.cancel_registration`` so the event's waiting list moves up (the people moved up
    are e-mailed after commit), an activity row ``accounts.account.deleted`` records what was done
    (without the e-mail address: it goes with the account), then the account and everything attached
    to it are deleted. Returns the counts recorded.
    """
    from events import services as event_services
    from events.models import Registration
    from roles import services as role_services
    from roles.models import Application, Participation

    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(_("Only the account's owner can delete it."))
    with transaction.atomic():
        blockers = _deletion_blockers(user)
        if blockers:
            raise ValidationError(blockers)
        withdrawn = []
        for application in Application.objects.filter(user=user, status=Application.Status.PENDING):
            role_services.withdraw_application(application, actor=actor)
            withdrawn.append(application.pk)
        left = []
        current = Participation.objects.filter(
            user=user, status__in=[Participation.Status.ACTIVE, Participation.Status.WAITING]
        ).select_related("role", "working_group")
        # Participant seats and waiting places first, chair seats last (a co-chair remains: checked above).
        for participation in sorted(current, key=lambda p: p.role.slug == "chair"):
            role_services.leave_role(participation, actor=actor)
            left.append([participation.role.slug, participation.working_group_id])
        cancelled = []
        # The event places first: cancelling one also cancels the person's sessions in that event.
        places = Registration.objects.filter(user=user).order_by(F("session_id").asc(nulls_first=True), "pk")
        for registration in places:
            registration.refresh_from_db(fields=["status"])
            if registration.status != Registration.Status.CANCELLED:
                event_services.cancel_registration(registration=registration, actor=actor)
                cancelled.append([registration.event_id, registration.session_id])
        summary = {
            "applications_withdrawn": len(withdrawn),
            "roles_left": left,
            "registrations_cancelled": cancelled,
        }
        record(
            actor=None,
            action="accounts.account.deleted",
            from_state="active",
            to_state="deleted",
            note=f"Account #{user.pk} deleted by its owner.",
            data={"user_id": user.pk, **summary},
        )
        user.delete()
    return summary


# --- Organizer rights -----------------------------------------------------------------------


def _organizers_group() -> Group:
    # The group is reference data (roles/migrations/0003_reference_data); get_or_create survives a flushed test database.
    return Group.objects.get_or_create(name=role_rules.ORGANIZERS_GROUP)[0]


def _check_may_change_organizers(actor) -> None:
    """A management command acts as the operator (``actor=None``); a person must be an organizer."""
    if actor is not None and not role_rules.is_organizer(actor):
        raise PermissionDenied(_("Only organizers can grant or take away organizer rights."))


def organizers():
    """The active people in the Organizers group, by e-mail."""
    return User.objects.filter(is_active=True, groups__name=role_rules.ORGANIZERS_GROUP).order_by("email")


@transaction.atomic
def create_organizer(*, email: str, password: str, actor=None, display_name: str = "") -> User:
    """Create an account that is an organizer from the start: the first organizer of a new portal.

    The e-mail address counts as verified (the operator vouches for it), so the person can sign in at
    once. Refuses an address that already has an account (grant the rights instead) and a password the
    site's validators refuse. Side effects: the account, its verified address and profile, membership
    of the Organizers group, staff status (the admin); an activity row ``accounts.organizer.granted``.
    """
    from allauth.account.models import EmailAddress

    _check_may_change_organizers(actor)
    email = User.objects.normalize_email((email or "").strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s already has an account: grant it organizer rights instead.") % {"email": email}
        )
    user = User(email=email, is_staff=True)
    user.full_clean(exclude=["password"])
    validate_password(password, user=user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Profile.objects.create(user=user, display_name=display_name.strip())
    user.groups.add(_organizers_group())
    record(
        actor=actor,
        action="accounts.organizer.granted",
        obj=user,
        subject=user,
        from_state="",
        to_state="organizer",
        note="Account created as an organizer.",
    )
    return user


@transaction.atomic
def grant_organizer(*, user: User, actor=None) -> User:
    """Make an existing, active account an organizer.

    Side effects: membership of the Organizers group and staff status (the admin); an activity row
    ``accounts.organizer.granted``. Refuses an account that is already an organizer or deactivated.
    """
    _check_may_change_organizers(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(_("%(email)s is deactivated.") % {"email": user.email})
    if user.groups.filter(name=role_rules.ORGANIZERS_GROUP).exists():
        raise ValidationError(_("%(email)s is already an organizer.") % {"email": user.email})
    user.groups.add(_organizers_group())
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    record(
        actor=actor, action="accounts.organizer.granted", obj=user, subject=user, from_state="", to_state="organizer"
    )
    role_rules.forget(user)
    return user


@transaction.atomic
def revoke_organizer(*, user: User, actor=None) -> User:
    """Take organizer rights away. The last organizer cannot be removed: the portal needs one.

    Side effects: leaves the Organizers group and loses staff status (unless a superuser); an
    activity row ``accounts.organizer.revoked``.
    """
    _check_may_change_organizers(actor)
    group = Group.objects.select_for_update().get(name=role_rules.ORGANIZERS_GROUP)  # one change at a time
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.groups.filter(pk=group.pk).exists():
        raise ValidationError(_("%(email)s is not an organizer.") % {"email": user.email})
    if not organizers().exclude(pk=user.pk).exists():
        raise ValidationError(
            _("%(email)s is the last organizer: make someone else an organizer first.") % {"email": user.email}
        )
    user.groups.remove(group)
    if not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    record(
        actor=actor, action="accounts.organizer.revoked", obj=user, subject=user, from_state="organizer", to_state=""
    )
    role_rules.forget(user)
    return user
