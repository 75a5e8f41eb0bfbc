"""Reads for the credit pages and exports: one place per page's data, each a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import ngettext

from roles.models import Participation, Role
from working_groups.models import WorkingGroup

from .models import Contributor, CreditSettings, Output

MEMBER_ROLES = (Role.PARTICIPANT, Role.CHAIR)


def output_queryset():
    return Output.objects.prefetch_related(Prefetch("working_groups", queryset=WorkingGroup.objects.order_by("name")))


def visible_outputs(user, *, kind: str = "", group: WorkingGroup | None = None):
    """Public outputs, plus the drafts of the groups this person edits; newest first, with counts."""
    outputs = output_queryset().annotate(
        contributor_count=Count("contributors", filter=Q(contributors__listed=True), distinct=True)
    )
    if kind:
        outputs = outputs.filter(kind=kind)
    if group is not None:
        outputs = outputs.filter(working_groups=group)
    return [output for output in outputs.distinct() if user.has_perm("credit.view_output", output)]


def contributors_of(output: Output, *, listed_only: bool = True) -> list[Contributor]:
    """The output's contributors in order (one query, whatever their number)."""
    contributors = output.contributors.select_related("working_group").order_by("position", "pk")
    if listed_only:
        contributors = contributors.filter(listed=True)
    return list(contributors)


@dataclass
class AffiliationIndex:
    """Affiliations numbered in order of first appearance along the author list."""

    names: list[str] = field(default_factory=list)
    numbers: dict = field(default_factory=dict)  # contributor pk -> [numbers]

    @classmethod
    def build(cls, contributors) -> "AffiliationIndex":
        index = cls()
        position: dict[str, int] = {}
        for contributor in contributors:
            numbers = []
            for affiliation in contributor.affiliations:
                if affiliation not in position:
                    index.names.append(affiliation)
                    position[affiliation] = len(index.names)
                numbers.append(position[affiliation])
            index.numbers[contributor.pk] = numbers
        return index


def output_page_data(output: Output, user) -> dict:
    contributors = contributors_of(output)
    affiliations = AffiliationIndex.build(contributors)
    for contributor in contributors:
        contributor.affiliation_numbers = affiliations.numbers[contributor.pk]
    return {
        "output": output,
        "contributors": contributors,
        "affiliations": affiliations.names,
        "unconfirmed_count": sum(1 for c in contributors if c.is_unconfirmed),
        "can_edit": user.has_perm("credit.change_output", output),
    }


# --- the proposal of contributors ---------------------------------------------------------


@dataclass
class Proposal:
    """A person the portal knows took part in the output's groups during its period."""

    user: object
    reasons: list[str] = field(default_factory=list)  # "Chair · Evaluation", "3 accepted task contributions"
    working_group: WorkingGroup | None = None
    already: bool = False

    @property
    def name(self) -> str:
        profile = getattr(self.user, "profile", None)
        return (profile.display_name if profile else "") or self.user.display_name

    @property
    def affiliation(self) -> str:
        profile = getattr(self.user, "profile", None)
        return profile.affiliation if profile else ""


def _period(output: Output) -> tuple[datetime | None, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(output.work_started, time.min, tz) if output.work_started else None
    end_day = output.work_ended or output.date or timezone.localdate()
    end = datetime.combine(max(end_day, output.work_started or date.min), time.max, tz)
    return start, end


def task_contributors(groups, since, until) -> list:
    """People with accepted task contributions to these groups in the period, as rows of
    ``(user, working_group, count)``: the group is the first of the output's groups they contributed to."""
    from tasks.selectors import accepted_contributors

    wanted = {group.pk for group in groups}
    rows = []
    for row in accepted_contributors(groups, since, until):
        group = next((g for g in row["groups"] if g.pk in wanted), None)
        if group is not None:
            rows.append((row["user"], group, row["contributions"]))
    return rows


def proposal_for(output: Output) -> list[Proposal]:
    """Members (participants and chairs) of the output's groups whose membership overlaps its period,
    then people with accepted task contributions; each person once, already-added ones marked."""
    groups = list(output.working_groups.all())
    start, end = _period(output)
    members = Participation.objects.filter(
        working_group__in=groups,
        role__slug__in=MEMBER_ROLES,
        status__in=[Participation.Status.ACTIVE, Participation.Status.ENDED],
        started_at__lte=end,
    )
    if start is not None:
        members = members.filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start))
    members = members.select_related("user__profile", "role", "working_group").order_by(
        "working_group__name", "-role__order", "user__profile__display_name", "pk"
    )
    taken = set(output.contributors.exclude(user=None).values_list("user_id", flat=True))
    people: dict[int, Proposal] = {}
    for participation in members:
        proposal = people.setdefault(
            participation.user_id,
            Proposal(user=participation.user, working_group=participation.working_group),
        )
        reason = f"{participation.role.label} · {participation.working_group.name}"
        if participation.status == Participation.Status.ENDED:
            reason += f" (→ {participation.ended_at:%Y-%m-%d})"
        proposal.reasons.append(reason)
    for user, group, count in task_contributors(groups, start, end):
        proposal = people.setdefault(user.pk, Proposal(user=user, working_group=group))
        accepted = ngettext("%(n)d accepted task contribution", "%(n)d accepted task contributions", count) % {
            "n": count
        }
        proposal.reasons.append(f"{accepted} · {group.name}")
    for proposal in people.values():
        proposal.already = proposal.user.pk in taken
    return sorted(people.values(), key=lambda p: (p.already, p.name.casefold()))


# --- a person's credits ------------------------------------------------------------------


def credits_of(person, viewer) -> list[Contributor]:
    """The person's credits, newest output first: all of them for the person (drafts they may not
    open marked ``can_open = False``); for anyone else the listed ones on outputs they may see."""
    entries = (
        Contributor.objects.filter(user=person)
        .select_related("output")
        .prefetch_related(Prefetch("output__working_groups", queryset=WorkingGroup.objects.order_by("name")))
        .order_by("-output__date", "output__title")
    )
    own = viewer is not None and viewer.is_authenticated and viewer.pk == person.pk
    if not own:
        entries = entries.filter(listed=True)
    shown = []
    for entry in entries:
        entry.can_open = viewer.has_perm("credit.view_output", entry.output)
        if own or entry.can_open:
            shown.append(entry)
    return shown


def awaiting_confirmation(user) -> list[Contributor]:
    """The person's entries they have not confirmed yet ("My participation")."""
    if not user.is_authenticated:
        return []
    return list(
        Contributor.objects.filter(user=user, state=Contributor.State.PENDING)
        .select_related("output")
        .order_by("-created_at")
    )


def credit_settings_of(person) -> CreditSettings:
    return CreditSettings.objects.filter(user=person).first() or CreditSettings(user=person)
