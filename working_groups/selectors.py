"""Reads about working groups: the public list and page, in a fixed number of queries."""

from django.db.models import Count, Q

from roles import selectors as role_selectors
from roles.models import Participation, Role
from roles.rules import is_member_of
from roles.selectors import chairs_prefetch

from .models import ProgressUpdate, WorkingGroup

RECENT_UPDATES = 5


def in_directory(user) -> bool:
    """Opted into the public directory: only then may a public page show who they are."""
    profile = getattr(user, "profile", None)
    return bool(profile and profile.show_in_directory)


def public_group_list() -> list[WorkingGroup]:
    """Every group with its member count and chairs (``group.chair_seats``)."""
    return list(
        WorkingGroup.objects.annotate(
            member_count=Count("participations__user", filter=Q(participations__status="active"), distinct=True)
        ).prefetch_related(chairs_prefetch())
    )


def group_page_data(group: WorkingGroup, user=None) -> dict:
    """A group's public page: chairs, members in the directory, progress updates, how to join."""
    members = list(
        Participation.objects.filter(
            working_group=group, status=Participation.Status.ACTIVE, role__slug=Role.PARTICIPANT
        )
        .select_related("user__profile")
        .order_by("user__profile__display_name")
    )
    chairs = list(
        Participation.objects.filter(working_group=group, status=Participation.Status.ACTIVE, role__slug=Role.CHAIR)
        .select_related("user__profile")
        .order_by("started_at")
    )
    waiting_count = Participation.objects.filter(working_group=group, status=Participation.Status.WAITING).count()
    waiting_position = None
    if waiting_count and user is not None and user.is_authenticated:
        mine = (
            role_selectors.with_waiting_position(
                Participation.objects.filter(working_group=group, user=user, status=Participation.Status.WAITING)
            )
            .values_list("waiting_position", flat=True)
            .first()
        )
        waiting_position = mine
    member_count = len({p.user_id for p in members + chairs})
    return {
        "group": group,
        "chairs": [p for p in chairs if in_directory(p.user)],
        "unlisted_chair_count": sum(1 for p in chairs if not in_directory(p.user)),
        "members": [p for p in members if in_directory(p.user)],
        "member_count": member_count,
        "waiting_count": waiting_count,
        "waiting_position": waiting_position,
        # Nobody waits in silence: without a chair, the organizers review participant applications.
        "reviewed_by_organizers": not chairs,
        "is_full": group.capacity is not None and len(members) + len(chairs) >= group.capacity,
        "updates": list(
            ProgressUpdate.objects.filter(working_group=group).select_related("author__profile")[:RECENT_UPDATES]
        ),
        "can_manage": bool(user and user.has_perm("working_groups.manage_group", group)),
        "is_member": bool(user and is_member_of(user, group)),
    }


def groups_for_select():
    return WorkingGroup.objects.filter(is_open=True).order_by("name")


def export_for(user) -> dict:
    """What the working groups app holds about a person, for the data export: the progress updates they wrote."""
    return {
        "progress_updates": list(
            ProgressUpdate.objects.filter(author=user)
            .order_by("created_at", "pk")
            .values("working_group__name", "title", "body", "created_at")
        ),
    }
