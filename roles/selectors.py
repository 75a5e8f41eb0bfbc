"""Reads about roles: one function per page's data, each in a fixed number of queries."""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Language
from working_groups.models import WorkingGroup

from .models import Application, Invitation, Participation, Role

CURRENT = [Participation.Status.ACTIVE, Participation.Status.WAITING]


def _with_people(queryset, *paths):
    """select_related each person's profile, and prefetch the languages they speak."""
    queryset = queryset.select_related(*[f"{path}__profile" for path in paths])
    return queryset.prefetch_related(*[f"{path}__profile__languages" for path in paths])


def has_active_chair(group_ref: str = "working_group"):
    """An EXISTS expression: the group named by ``group_ref`` (an OuterRef path) has an active chair."""
    return Exists(
        Participation.objects.filter(
            working_group=OuterRef(group_ref), role__slug=Role.CHAIR, status=Participation.Status.ACTIVE
        )
    )


def with_waiting_position(participations):
    """Annotate ``waiting_position``: 1 for the first in the group's waiting list (None when not waiting)."""
    ahead = (
        Participation.objects.filter(working_group=OuterRef("working_group"), status=Participation.Status.WAITING)
        .filter(Q(started_at__lt=OuterRef("started_at")) | Q(started_at=OuterRef("started_at"), pk__lt=OuterRef("pk")))
        .order_by()
        .values("working_group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return participations.annotate(_ahead=Coalesce(Subquery(ahead), 0)).annotate(waiting_position=F("_ahead") + 1)


def with_reviewers(applications):
    """Annotate ``reviewed_by_organizers``: true when organizers, not chairs, will review the application
    (advisor and chair applications, and participant applications to a group that has no chair)."""
    return applications.annotate(_group_has_chair=has_active_chair()).annotate(
        reviewed_by_organizers=~Q(role__reviewed_by=Role.Reviewer.CHAIRS) | Q(_group_has_chair=False)
    )


def participation_page_data(user) -> dict:
    """ "My participation": the roles I hold or wait for (with the place on a waiting list), the ones that
    ended, my applications (with who reviews each)."""
    participations = list(
        with_waiting_position(Participation.objects.filter(user=user))
        .select_related("role", "working_group")
        .order_by("-started_at")
    )
    return {
        "current": [p for p in participations if p.status in CURRENT],
        "ended": [p for p in participations if p.status == Participation.Status.ENDED],
        "applications": list(
            with_reviewers(Application.objects.filter(user=user)).select_related(
                "role", "working_group", "reviewer__profile"
            )
        ),
    }


def pending_applications_for_group(group: WorkingGroup):
    """Participant applications awaiting the chairs of this group, oldest first (a queryset, to paginate)."""
    return _with_people(
        Application.objects.filter(
            working_group=group, status=Application.Status.PENDING, role__reviewed_by=Role.Reviewer.CHAIRS
        ).select_related("role"),
        "user",
    ).order_by("created_at", "pk")


def organizer_review_queue():
    """Applications awaiting the organizers, oldest first (a queryset, to paginate): advisor and chair
    applications, and participant applications to a group that has no chair to review them."""
    return _with_people(
        Application.objects.filter(status=Application.Status.PENDING)
        .annotate(_group_has_chair=has_active_chair())
        .filter(
            Q(role__reviewed_by=Role.Reviewer.ORGANIZERS)
            | Q(role__reviewed_by=Role.Reviewer.CHAIRS, _group_has_chair=False)
        )
        .select_related("role", "working_group"),
        "user",
    ).order_by("created_at", "pk")


def group_members(group: WorkingGroup, *, role: str = "", status: str = "", country: str = "", q: str = ""):
    """The group's current members (and waiting list), filtered, chairs first (a queryset, to paginate)."""
    members = Participation.objects.filter(working_group=group, status__in=CURRENT).select_related("role")
    if role:
        members = members.filter(role__slug=role)
    if status:
        members = members.filter(status=status)
    if country:
        members = members.filter(user__profile__country=country)
    if q:
        members = members.filter(
            Q(user__profile__display_name__icontains=q) | Q(user__profile__affiliation__icontains=q)
        )
    return _with_people(members, "user").order_by("status", "-role__order", "started_at", "pk")


def active_chair_count(group: WorkingGroup) -> int:
    return Participation.objects.filter(
        working_group=group, role__slug=Role.CHAIR, status=Participation.Status.ACTIVE
    ).count()


def group_invitations(group: WorkingGroup) -> list[Invitation]:
    return list(
        Invitation.objects.filter(working_group=group)
        .select_related("invited_by__profile", "accepted_by__profile")
        .order_by("-created_at")[:50]
    )


def steering_roster() -> dict:
    """The Steering Committee's public roster: advisors who opted into the directory."""
    advisors = Participation.objects.filter(role__slug=Role.ADVISOR, status=Participation.Status.ACTIVE)
    listed = list(
        advisors.filter(user__profile__show_in_directory=True)
        .select_related("user__profile")
        .order_by("user__profile__display_name")
    )
    return {"advisors": listed, "unlisted_count": advisors.count() - len(listed)}


def organization_committee() -> dict:
    """The Organization Committee's public roster: the organizers, and each working group with its chairs.

    Only people who opted into the directory are named; the others are counted. Three queries.
    """
    from django.contrib.auth import get_user_model

    from .rules import ORGANIZERS_GROUP

    organizers = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=ORGANIZERS_GROUP)
        .select_related("profile")
        .order_by("profile__display_name", "pk")
        .distinct()
    )
    groups = list(WorkingGroup.objects.order_by("name").prefetch_related(chairs_prefetch()))

    def listed(user):
        profile = getattr(user, "profile", None)
        return bool(profile and profile.show_in_directory)

    return {
        "organizers": [u for u in organizers if listed(u)],
        "unlisted_organizer_count": sum(1 for u in organizers if not listed(u)),
        "groups": [
            {
                "group": group,
                "chairs": [seat.user for seat in group.chair_seats if listed(seat.user)],
                "unlisted_chair_count": sum(1 for seat in group.chair_seats if not listed(seat.user)),
            }
            for group in groups
        ],
    }


def participation_figures() -> dict:
    """People by role, by group, by country, and the languages they speak, from active roles."""
    active = Participation.objects.filter(status=Participation.Status.ACTIVE)
    people = active.values("user").distinct()
    by_role = list(
        Role.objects.annotate(
            people=Count("participations__user", filter=Q(participations__status="active"), distinct=True)
        ).order_by("order")
    )
    by_group = list(
        WorkingGroup.objects.annotate(
            people=Count("participations__user", filter=Q(participations__status="active"), distinct=True)
        ).order_by("-people", "name")
    )
    by_country = list(
        active.exclude(user__profile__country="")
        .values("user__profile__country")
        .annotate(people=Count("user", distinct=True))
        .order_by("-people", "user__profile__country")
    )
    languages = list(
        Language.objects.filter(speakers__user__participations__status="active")
        .annotate(people=Count("speakers__user", distinct=True))
        .order_by("-people", "name")
    )
    from django_countries import countries

    return {
        "total_people": people.count(),
        "by_role": by_role,
        "by_group": by_group,
        "by_country": [
            {
                "code": row["user__profile__country"],
                "name": countries.name(row["user__profile__country"]),
                "people": row["people"],
            }
            for row in by_country
        ],
        "languages": languages,
    }


def export_for(user) -> dict:
    """What the roles app holds about a person, for the data export."""
    return {
        "participations": list(
            Participation.objects.filter(user=user).values(
                "role__slug", "working_group__name", "status", "started_at", "ended_at", "end_reason"
            )
        ),
        "applications": list(
            Application.objects.filter(user=user).values(
                "role__slug", "working_group__name", "motivation", "status", "review_note", "created_at", "decided_at"
            )
        ),
        "invitations_received": list(
            Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user)).values(
                "working_group__name", "status", "created_at", "accepted_at"
            )
        ),
    }


def chairs_prefetch(to_attr: str = "chair_seats") -> Prefetch:
    """Prefetch each group's active chairs with their profiles."""
    return Prefetch(
        "participations",
        queryset=Participation.objects.filter(role__slug=Role.CHAIR, status=Participation.Status.ACTIVE)
        .select_related("user__profile")
        .order_by("started_at"),
        to_attr=to_attr,
    )
