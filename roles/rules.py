"""Who may do what: the portal's rule book for roles, and the predicates every app builds on.

Each rule is a named predicate of the ``rules`` package, registered once with ``rules.add_perm``
as ``"<app>.<verb>_<noun>"`` and asked everywhere the same way: ``user.has_perm(name, obj)`` in
services, views and the API, ``{% has_perm name user obj as can_x %}`` in templates. Other apps'
``rules.py`` combine the predicates defined here (``is_organizer``, ``chairs_group``,
``is_member_of``, ``can_manage_group``, ``is_verified``, ``is_advisor``); each stays callable as
``f(user, obj)``.

The chair rule (the seed: chairs coordinate, organizers appoint): organizers appoint chairs, promote
a participant to co-chair, demote or remove a chair or co-chair. A chair may step down themself
(the service refuses the last chair); chairs remove participants of their group.

Django's ``User.has_perm`` answers True for an active superuser before asking any rule, and
``is_organizer`` counts superusers as organizers, so the two agree.

Memoisation: what the predicates look up about a person (organizer or not, verified or not, their
active roles) is remembered for the length of one request only, in ``_memo`` below (``remember``); never on the
user object. Outside a request (services called from a task, a command or a test) nothing is
remembered. ``forget()`` drops it after a change of roles within the request.
"""

from contextvars import ContextVar

import rules
from django.core.signals import request_finished, request_started

ORGANIZERS_GROUP = "Organizers"

# --- the request-scoped memo (the one place a rule's lookup is remembered) ---------------------

_memo: ContextVar[dict | None] = ContextVar("rule_memo", default=None)


def remember(key: tuple, compute):
    """``compute()``, remembered for the rest of the request under ``key`` (not at all outside one).

    The one memo of the rule book: other apps' predicates use it too, keyed by their own name.
    """
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def _start_request(**kwargs) -> None:
    _memo.set({})


def _end_request(**kwargs) -> None:
    _memo.set(None)


request_started.connect(_start_request, dispatch_uid="roles.rules.memo.start")
request_finished.connect(_end_request, dispatch_uid="roles.rules.memo.end")


def forget(user=None) -> None:
    """Drop what this request remembered, after a change of someone's roles."""
    store = _memo.get()
    if store is not None:
        store.clear()


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _active_roles(user) -> dict:
    """{group_id or None: {role slugs}} of the person's active participations."""

    def compute():
        from .models import Participation

        held: dict = {}
        for group_id, slug in Participation.objects.filter(user=user, status=Participation.Status.ACTIVE).values_list(
            "working_group_id", "role__slug"
        ):
            held.setdefault(group_id, set()).add(slug)
        return held

    return remember(("roles", user.pk), compute)


def active_role_slugs(user) -> set:
    """Every role slug the person holds actively, in any group (for other apps' predicates)."""
    if not _signed_in(user):
        return set()
    return {slug for slugs in _active_roles(user).values() for slug in slugs}


def chaired_group_ids(user) -> set:
    if not _signed_in(user):
        return set()
    from .models import Role

    return {group_id for group_id, slugs in _active_roles(user).items() if group_id and Role.CHAIR in slugs}


# --- the base predicates ----------------------------------------------------------------------


@rules.predicate
def is_organizer(user, obj=None) -> bool:
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return remember(("organizer", user.pk), lambda: user.groups.filter(name=ORGANIZERS_GROUP).exists())


@rules.predicate
def is_verified(user, obj=None) -> bool:
    """Has a verified e-mail address: needed before an account can act."""
    if not _signed_in(user):
        return False

    def compute():
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(user=user, verified=True).exists()

    return remember(("verified", user.pk), compute)


@rules.predicate
def is_advisor(user, obj=None) -> bool:
    if not _signed_in(user):
        return False
    from .models import Role

    return Role.ADVISOR in _active_roles(user).get(None, set())


def _chairs_group_id(user, group_id) -> bool:
    if not _signed_in(user) or group_id is None:
        return False
    from .models import Role

    return Role.CHAIR in _active_roles(user).get(group_id, set())


def _manages_group_id(user, group_id) -> bool:
    """``can_manage_group`` from the object's group id: a list of rows asks it without a query each."""
    return is_organizer(user) or _chairs_group_id(user, group_id)


@rules.predicate
def chairs_group(user, group) -> bool:
    """Is a chair or co-chair of this working group."""
    return group is not None and _chairs_group_id(user, group.pk)


@rules.predicate
def is_member_of(user, group) -> bool:
    """Holds an active role (participant or chair) in this working group."""
    if not _signed_in(user) or group is None:
        return False
    return bool(_active_roles(user).get(group.pk))


can_manage_group = is_organizer | chairs_group
"""The group's management area: its chairs and the organizers."""


# --- applications, membership, chairs and invitations ------------------------------------------


@rules.predicate
def reviews_application(user, application) -> bool:
    """Participant applications: the group's chairs or organizers. Advisor and chair: organizers."""
    from .models import Role

    if application.role.reviewed_by == Role.Reviewer.CHAIRS and application.working_group_id:
        return _manages_group_id(user, application.working_group_id)
    return is_organizer(user)


@rules.predicate
def owns(user, obj) -> bool:
    """The object (an application, a participation, a registration) is the person's own."""
    return _signed_in(user) and obj is not None and obj.user_id == user.pk


def _is_chair_seat(participation) -> bool:
    from .models import Role

    return participation.role.slug == Role.CHAIR


@rules.predicate
def removes_member(user, participation) -> bool:
    """Chairs remove participants of their group; only organizers remove a chair or co-chair."""
    if participation.working_group_id is None or _is_chair_seat(participation):
        return is_organizer(user)
    return _manages_group_id(user, participation.working_group_id)


@rules.predicate
def promotes_to_chair(user, participation) -> bool:
    """Only organizers make a group's participant a co-chair: chair seats are theirs to give."""
    from .models import Role

    if participation.working_group_id is None or participation.role.slug != Role.PARTICIPANT:
        return False
    return is_organizer(user)


@rules.predicate
def demotes_chair(user, participation) -> bool:
    """Organizers demote a chair; a chair may step down themself (never the last one: the service)."""
    if participation.working_group_id is None or not _is_chair_seat(participation):
        return False
    return is_organizer(user) or owns(user, participation)


@rules.predicate
def group_of(user, obj) -> bool:
    """The chairs (and organizers) of the object's working group: invitations."""
    return obj is not None and _manages_group_id(user, obj.working_group_id)


@rules.predicate
def is_invitee(user, invitation) -> bool:
    """Holds the invited address, verified (primary or not, whatever its case): the link is a bearer token,
    so the address it was sent to must be the acceptor's."""
    if not user or not user.is_authenticated or not user.is_active or invitation is None:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()


rules.add_perm("roles.apply_for_role", is_verified)
rules.add_perm("roles.withdraw_application", owns)
rules.add_perm("roles.review_application", reviews_application)
rules.add_perm("roles.review_organizer_applications", is_organizer)
rules.add_perm("roles.leave_role", owns)
rules.add_perm("roles.remove_member", removes_member)
rules.add_perm("roles.promote_to_chair", promotes_to_chair)
rules.add_perm("roles.demote_chair", demotes_chair)
rules.add_perm("roles.appoint_chair", is_organizer)
rules.add_perm("roles.invite_to_group", can_manage_group)
rules.add_perm("roles.manage_invitation", group_of)
rules.add_perm("roles.accept_invitation", is_invitee)
