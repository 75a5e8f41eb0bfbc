"""Who may do what: the one place the portal's permission rules live.

Pages, the admin, the API and templates all ask these predicates. They cache per user
object what they look up, so a page that asks many times pays once.
"""

import rules as django_rules

ORGANIZERS_GROUP = "Organizers"


def is_organizer(user) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_is_organizer"):
        user._is_organizer = user.groups.filter(name=ORGANIZERS_GROUP).exists()
    return user._is_organizer


def is_verified(user) -> bool:
    """Has a verified e-mail address: needed before an account can act."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_is_verified"):
        from allauth.account.models import EmailAddress

        user._is_verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    return user._is_verified


def _current_role_slugs_by_group(user) -> dict:
    """{group_id or None: {role slugs}} for the user's active participations, cached on the user."""
    if not hasattr(user, "_active_roles"):
        from .models import Participation

        held: dict = {}
        for group_id, slug in Participation.objects.filter(user=user, status=Participation.Status.ACTIVE).values_list(
            "working_group_id", "role__slug"
        ):
            held.setdefault(group_id, set()).add(slug)
        user._active_roles = held
    return user._active_roles


def is_advisor(user) -> bool:
    if not user or not user.is_authenticated:
        return False
    from .models import Role

    return Role.ADVISOR in _current_role_slugs_by_group(user).get(None, set())


def chairs_group(user, group) -> bool:
    """Is a chair or co-chair of this working group."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    from .models import Role

    return Role.CHAIR in _current_role_slugs_by_group(user).get(group.pk, set())


def is_member_of(user, group) -> bool:
    """Holds an active role (participant or chair) in this working group."""
    if not user or not user.is_authenticated:
        return False
    return bool(_current_role_slugs_by_group(user).get(group.pk))


def can_manage_group(user, group) -> bool:
    """The group's management area: its chairs and the organizers."""
    return is_organizer(user) or chairs_group(user, group)


def forget(user) -> None:
    """Drop what the predicates cached on this user object, after a change of roles."""
    for attr in ("_is_organizer", "_is_verified", "_active_roles"):
        user.__dict__.pop(attr, None)


# --- Applications, membership and invitations -------------------------------------------
# Each predicate takes the acting user first; services, views, the admin and the API ask them.


def can_apply(user) -> bool:
    """A signed-in, verified account may apply (the profile check is a separate, explained step)."""
    return is_verified(user)


def can_review_application(user, application) -> bool:
    """Participant applications: the group's chairs or organizers. Advisor and chair: organizers."""
    from .models import Role

    if application.role.reviewed_by == Role.Reviewer.CHAIRS and application.working_group_id:
        return can_manage_group(user, application.working_group)
    return is_organizer(user)


def can_withdraw_application(user, application) -> bool:
    return bool(user and user.is_authenticated and application.user_id == user.pk)


def can_leave(user, participation) -> bool:
    return bool(user and user.is_authenticated and participation.user_id == user.pk)


def can_remove_member(user, participation) -> bool:
    """Chairs remove participants of their group; only organizers remove a chair."""
    from .models import Role

    if participation.working_group_id is None:
        return is_organizer(user)
    if participation.role.slug == Role.CHAIR:
        return is_organizer(user)
    return can_manage_group(user, participation.working_group)


def can_set_chair(user, group) -> bool:
    """Promote a participant to co-chair, or a co-chair back to participant."""
    return can_manage_group(user, group)


def can_appoint_chair(user, group=None) -> bool:
    return is_organizer(user)


def can_invite(user, group) -> bool:
    return can_manage_group(user, group)


def can_edit_group(user, group) -> bool:
    return can_manage_group(user, group)


def can_create_group(user) -> bool:
    return is_organizer(user)


def can_post_progress_update(user, group) -> bool:
    return can_manage_group(user, group)


def can_view_group_history(user, group) -> bool:
    return can_manage_group(user, group)


def can_view_all_history(user) -> bool:
    return is_organizer(user)


def can_review_organizer_applications(user) -> bool:
    """The organizers' review page for advisor and chair applications."""
    return is_organizer(user)


# --- Invitations: the link is a bearer token, so the address it was sent to must be the acceptor's ---


@django_rules.predicate
def is_invitee(user, invitation) -> bool:
    """Holds the invited address, verified (primary or not, whatever its case)."""
    if not user or not user.is_authenticated or not user.is_active or invitation is None:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()


django_rules.add_perm("roles.accept_invitation", is_invitee)
