"""People of the public directory in the header's search: only those who opted in (``show_in_directory``)
and hold a role shown on a public page (a working group's members and chairs, the Steering Committee)."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bigscience_portal.search import SearchResult, match, register

from .models import Profile


def search_people(query: str, limit: int) -> list[SearchResult]:
    from roles.models import Participation, Role

    shown = Participation.objects.filter(
        status=Participation.Status.ACTIVE, role__slug__in=[Role.PARTICIPANT, Role.CHAIR, Role.ADVISOR]
    )
    profiles = match(
        Profile.objects.filter(show_in_directory=True, user__is_active=True, user__participations__in=shown).distinct(),
        query,
        ["display_name", "affiliation", "expertise"],
    )
    if not profiles.query.order_by:
        profiles = profiles.order_by("display_name", "pk")
    profiles = profiles.prefetch_related(
        Prefetch(
            "user__participations",
            queryset=shown.select_related("role", "working_group").order_by("started_at"),
            to_attr="public_roles",
        )
    ).select_related("user")
    results = []
    for profile in profiles[:limit]:
        roles = profile.user.public_roles
        if not roles:
            continue
        first = roles[0]
        url = first.working_group.get_absolute_url() if first.working_group else reverse("roles:steering")
        held = "; ".join(
            f"{p.role.label} · {p.working_group.name}" if p.working_group else str(p.role.label) for p in roles
        )
        where = ", ".join(
            part for part in (profile.affiliation, profile.country.name if profile.country else "") if part
        )
        results.append(
            SearchResult(title=profile.display_name, url=url, snippet=" — ".join(filter(None, [where, held])))
        )
    return results


register(kind="people", label=_("People"), search=search_people, order=20)
