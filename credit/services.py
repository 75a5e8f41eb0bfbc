"""Writes about outputs and their contributors.

Every service checks permission through the ``credit.*`` rules (``credit/rules.py``), runs in one
transaction, records each change in the one activity log and queues its e-mails through the
outbox (sent after commit, once per idempotency key). Bad input raises ``ValidationError`` with a
message meant for the person; a refused actor raises ``PermissionDenied``. Changes to one output's
contributor list lock the output row first, so positions stay a clean 1..n under concurrent edits.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from activity.services import record
from bigscience_portal.mail import queue_email

from . import orcid as orcid_ids
from . import taxonomy
from .models import Contributor, CreditSettings, Output

OUTPUT_FIELDS = (
    "kind",
    "title",
    "description",
    "date",
    "status",
    "work_started",
    "work_ended",
    "doi",
    "arxiv_id",
    "repository_url",
    "page_url",
    "venue",
    "is_public",
)
RESERVED_SLUGS = {"new", "mine"}
MAX_AFFILIATIONS = 10
MAX_AFFILIATION_LENGTH = 300


@dataclass
class ContributorEntry:
    """What a chair says about one contributor: a person with an account, or a name alone."""

    user: object = None
    name: str = ""
    affiliations: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    working_group: object = None
    equal_contribution: bool = False
    corresponding: bool = False


# --- helpers -----------------------------------------------------------------------------


def _require(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this."))


def _lock(output: Output) -> Output:
    return Output.objects.select_for_update().get(pk=output.pk)


def _main_group(output: Output):
    groups = list(output.working_groups.all())
    return groups[0] if len(groups) == 1 else None


def clean_affiliations(values) -> list[str]:
    """Stripped, non-empty, unique affiliations in the given order; raises on too many or too long."""
    cleaned: list[str] = []
    for value in values or []:
        value = " ".join(str(value).split())
        if value and value not in cleaned:
            cleaned.append(value)
    if len(cleaned) > MAX_AFFILIATIONS:
        raise ValidationError(_("At most %(n)d affiliations.") % {"n": MAX_AFFILIATIONS})
    if any(len(value) > MAX_AFFILIATION_LENGTH for value in cleaned):
        raise ValidationError(_("An affiliation is at most %(n)d characters.") % {"n": MAX_AFFILIATION_LENGTH})
    return cleaned


def clean_roles(values) -> list[str]:
    unknown = set(values or ()) - set(taxonomy.SLUGS)
    if unknown:
        raise ValidationError(_("Unknown CRediT role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))})
    return taxonomy.ordered(values)


def _clean_name(value: str) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise ValidationError(_("A name is needed."))
    if len(name) > 200:
        raise ValidationError(_("A name is at most 200 characters."))
    return name


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70].strip("-") or "output"
    if base in RESERVED_SLUGS:
        base = f"{base}-output"
    slug, n = base, 2
    while Output.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate_output(output: Output) -> None:
    if output.work_started and output.work_ended and output.work_started > output.work_ended:
        raise ValidationError(_("The work cannot end before it started."))
    output.full_clean(exclude=["slug", "created_by"])


def _check_groups(actor, groups) -> list:
    groups = list(groups or [])
    if not groups:
        raise ValidationError(_("Choose at least one working group."))
    for group in groups:
        if not actor.has_perm("credit.add_output_for_group", group):
            raise PermissionDenied(_("You may only register outputs for groups you chair."))
    return groups


# --- outputs -----------------------------------------------------------------------------


def create_output(*, actor, working_groups, **fields) -> Output:
    """Register an output for one or more working groups the actor chairs (any group for organizers).

    Side effects: an activity row ``credit.output.created``.
    """
    unknown = set(fields) - set(OUTPUT_FIELDS)
    if unknown:
        raise TypeError(f"unknown output fields: {sorted(unknown)}")
    _require(actor, "credit.add_output")
    groups = _check_groups(actor, working_groups)
    with transaction.atomic():
        output = Output(created_by=actor, **fields)
        output.slug = _unique_slug(output.title)
        _validate_output(output)
        output.save()
        output.working_groups.set(groups)
        record(
            actor=actor,
            action="credit.output.created",
            obj=output,
            working_group=groups[0] if len(groups) == 1 else None,
            to_state=output.status,
            note=output.title,
            data={"groups": [g.slug for g in groups]},
        )
    return output


def update_output(*, actor, output: Output, working_groups=None, **fields) -> Output:
    """Change an output's facts (and its groups: added ones must be the actor's to manage).

    Side effects: an activity row ``credit.output.updated`` naming the changed fields.
    """
    unknown = set(fields) - set(OUTPUT_FIELDS)
    if unknown:
        raise TypeError(f"unknown output fields: {sorted(unknown)}")
    _require(actor, "credit.change_output", output)
    with transaction.atomic():
        locked = _lock(output)
        before_status = locked.status
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        for name, value in fields.items():
            setattr(locked, name, value)
        _validate_output(locked)
        if working_groups is not None:
            new = list(working_groups)
            if not new:
                raise ValidationError(_("Choose at least one working group."))
            current = set(locked.working_groups.all())
            added = [g for g in new if g not in current]
            if added:
                _check_groups(actor, added)
            if set(new) != current:
                changed.append("working_groups")
                locked.working_groups.set(new)
        locked.save()
        if changed:
            record(
                actor=actor,
                action="credit.output.updated",
                obj=locked,
                working_group=_main_group(locked),
                from_state=before_status,
                to_state=locked.status,
                note=", ".join(changed),
            )
    return locked


# --- contributors ------------------------------------------------------------------------


def _ask_to_confirm(contributor: Contributor) -> None:
    """E-mail the person once (the outbox key), after commit."""
    user = contributor.user
    if user is None or not user.is_active or not user.email:
        return
    queue_email(
        template="credit_confirm",
        to=user.email,
        key=f"credit-confirm-{contributor.pk}",
        context={"output": contributor.output, "url": reverse("credit:confirm", args=[contributor.pk])},
    )
    Contributor.objects.filter(pk=contributor.pk, asked_at__isnull=True).update(asked_at=timezone.now())


def _profile_name(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.display_name


def _profile_affiliations(user) -> list[str]:
    profile = getattr(user, "profile", None)
    return [profile.affiliation] if profile and profile.affiliation else []


def add_contributors(*, actor, output: Output, entries: list[ContributorEntry]) -> list[Contributor]:
    """Append contributors at the end of the output's list, in the given order.

    People who already are contributors of the output are skipped. A person with an account
    starts as awaiting confirmation; a name alone is stated by the chairs.
    Side effects: an activity row ``credit.contributor.added`` per new contributor; after commit,
    one e-mail (outbox key ``credit-confirm-<id>``) asking each person with an account to confirm.
    """
    _require(actor, "credit.change_output", output)
    with transaction.atomic():
        locked = _lock(output)
        groups = set(locked.working_groups.all())
        taken = set(locked.contributors.exclude(user=None).values_list("user_id", flat=True))
        last = locked.contributors.order_by("-position").values_list("position", flat=True).first() or 0
        created = []
        for entry in entries:
            if entry.user is not None and entry.user.pk in taken:
                continue
            if entry.working_group is not None and entry.working_group not in groups:
                raise ValidationError(_("A contributor contributes through one of the output's groups."))
            name = _clean_name(entry.name or (_profile_name(entry.user) if entry.user is not None else ""))
            affiliations = clean_affiliations(
                entry.affiliations if entry.affiliations or entry.user is None else _profile_affiliations(entry.user)
            )
            last += 1
            contributor = Contributor.objects.create(
                output=locked,
                position=last,
                user=entry.user,
                name=name,
                affiliations=affiliations,
                roles=clean_roles(entry.roles),
                working_group=entry.working_group,
                equal_contribution=entry.equal_contribution,
                corresponding=entry.corresponding,
                state=Contributor.State.PENDING if entry.user is not None else Contributor.State.STATED,
            )
            if entry.user is not None:
                taken.add(entry.user.pk)
            record(
                actor=actor,
                action="credit.contributor.added",
                obj=contributor,
                subject=entry.user,
                working_group=entry.working_group or _main_group(locked),
                to_state=contributor.state,
                note=f"{locked.title}: {name}",
            )
            contributor.output = locked
            _ask_to_confirm(contributor)
            created.append(contributor)
    return created


def update_contributor(
    *,
    actor,
    contributor: Contributor,
    roles: list[str],
    equal_contribution: bool,
    corresponding: bool,
    working_group=None,
    name: str | None = None,
    affiliations: list[str] | None = None,
) -> Contributor:
    """The chairs' edit of an entry: roles, marks, group; name and affiliations until the person confirms.

    Side effects: an activity row ``credit.contributor.updated``.
    """
    output = contributor.output
    _require(actor, "credit.change_output", output)
    with transaction.atomic():
        locked_output = _lock(output)
        entry = Contributor.objects.select_for_update().get(pk=contributor.pk, output=locked_output)
        if working_group is not None and working_group not in set(locked_output.working_groups.all()):
            raise ValidationError(_("A contributor contributes through one of the output's groups."))
        entry.roles = clean_roles(roles)
        entry.equal_contribution = equal_contribution
        entry.corresponding = corresponding
        entry.working_group = working_group
        if entry.state != Contributor.State.CONFIRMED:
            if name is not None:
                entry.name = _clean_name(name)
            if affiliations is not None:
                entry.affiliations = clean_affiliations(affiliations)
        entry.save()
        record(
            actor=actor,
            action="credit.contributor.updated",
            obj=entry,
            subject=entry.user,
            working_group=entry.working_group or _main_group(locked_output),
            to_state=entry.state,
            note=f"{locked_output.title}: {entry.name}",
        )
    return entry


def move_contributor(*, actor, contributor: Contributor, position: int) -> Contributor:
    """Put the contributor at ``position`` (1-based, clamped) and renumber the list 1..n.

    Side effects: an activity row ``credit.contributor.moved`` (none when it is already there).
    """
    output = contributor.output
    _require(actor, "credit.change_output", output)
    with transaction.atomic():
        locked = _lock(output)
        entries = list(locked.contributors.order_by("position", "pk"))
        moving = next((e for e in entries if e.pk == contributor.pk), None)
        if moving is None:
            raise ValidationError(_("This contributor is no longer on the list."))
        before = entries.index(moving) + 1
        entries.remove(moving)
        target = min(max(int(position), 1), len(entries) + 1)
        entries.insert(target - 1, moving)
        renumbered = [entry for index, entry in enumerate(entries, start=1) if entry.position != index]
        if target == before and not renumbered:
            return moving  # already there: nothing moves, nothing is recorded
        for index, entry in enumerate(entries, start=1):
            entry.position = index
        Contributor.objects.bulk_update(entries, ["position"])
        record(
            actor=actor,
            action="credit.contributor.moved",
            obj=moving,
            subject=moving.user,
            working_group=moving.working_group or _main_group(locked),
            from_state=str(before),
            to_state=str(target),
            note=f"{locked.title}: {moving.name}",
        )
    return moving


def remove_contributor(*, actor, contributor: Contributor) -> None:
    """Take the contributor off the list and renumber the rest.

    Side effects: an activity row ``credit.contributor.removed``.
    """
    output = contributor.output
    _require(actor, "credit.change_output", output)
    with transaction.atomic():
        locked = _lock(output)
        entry = Contributor.objects.filter(pk=contributor.pk, output=locked).first()
        if entry is None:
            return
        record(
            actor=actor,
            action="credit.contributor.removed",
            obj=locked,
            subject=entry.user,
            working_group=entry.working_group or _main_group(locked),
            from_state=entry.state,
            to_state="removed",
            note=f"{locked.title}: {entry.name}",
        )
        entry.delete()
        rest = list(locked.contributors.order_by("position", "pk"))
        for index, other in enumerate(rest, start=1):
            other.position = index
        Contributor.objects.bulk_update(rest, ["position"])


def confirm_contribution(
    *, actor, contributor: Contributor, name: str, affiliations: list[str], orcid: str, listed: bool
) -> Contributor:
    """The person's own confirmation: the name to print, affiliations, ORCID iD, listed or not.

    May be given again to change it. Side effects: an activity row ``credit.contributor.confirmed``.
    """
    _require(actor, "credit.confirm_contributor", contributor)
    name = _clean_name(name)
    affiliations = clean_affiliations(affiliations)
    orcid = orcid_ids.normalize(orcid) if (orcid or "").strip() else ""
    with transaction.atomic():
        entry = Contributor.objects.select_for_update().select_related("output").get(pk=contributor.pk)
        before = entry.state
        entry.name, entry.affiliations, entry.orcid, entry.listed = name, affiliations, orcid, listed
        entry.state = Contributor.State.CONFIRMED
        entry.confirmed_at = timezone.now()
        try:
            entry.save()
        except IntegrityError as error:  # the database's own checks, behind the ones above
            raise ValidationError(_("This confirmation could not be saved.")) from error
        record(
            actor=actor,
            action="credit.contributor.confirmed",
            obj=entry,
            subject=actor,
            working_group=entry.working_group,
            from_state=before,
            to_state=entry.state,
            note=f"{entry.output.title}: {'listed' if listed else 'not listed'}",
        )
    return entry


def set_credits_public(*, actor, person, public: bool) -> CreditSettings:
    """Show or hide a person's list of credits on their public credits page.

    Side effects: an activity row ``credit.settings.changed``.
    """
    _require(actor, "credit.change_credit_settings", person)
    with transaction.atomic():
        settings, _created = CreditSettings.objects.select_for_update().get_or_create(user=person)
        before = settings.public
        if before != public:
            settings.public = public
            settings.save()
            record(
                actor=actor,
                action="credit.settings.changed",
                obj=settings,
                subject=person,
                from_state="public" if before else "private",
                to_state="public" if public else "private",
            )
    return settings
