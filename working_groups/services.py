"""Writes about working groups: create, edit the group page, post progress updates."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activity.services import record
from roles.services import fill_from_waiting_list

from .models import ProgressUpdate, WorkingGroup

EDITABLE_FIELDS = (
    "name",
    "short_description",
    "description",
    "guidelines",
    "short_description_fr",
    "description_fr",
    "guidelines_fr",
    "links",
    "is_open",
    "capacity",
)


def _clean_links(links) -> list[dict]:
    cleaned = []
    for link in links or []:
        label, url = str(link.get("label", "")).strip(), str(link.get("url", "")).strip()
        if not label or not url.startswith(("https://", "http://")):
            raise ValidationError(_("Each link needs a label and an address starting with https://."))
        cleaned.append({"label": label[:80], "url": url[:500]})
    return cleaned


def unique_group_slug(name: str) -> str:
    """An address for a new group from its name: "multilingual-data", then "-2", "-3" if taken."""
    base = slugify(name or "")[:45] or "group"
    taken = set(WorkingGroup.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_group(
    *,
    actor,
    name: str,
    short_description: str,
    slug: str = "",
    description: str = "",
    guidelines: str = "",
    links: list | None = None,
    is_open: bool = True,
    capacity: int | None = None,
    short_description_fr: str = "",
    description_fr: str = "",
    guidelines_fr: str = "",
) -> WorkingGroup:
    """An organizer creates a working group; without a slug, one is made from the name.

    Side effects: an audit row."""
    if not actor.has_perm("working_groups.create_group"):
        raise PermissionDenied(_("Only organizers create working groups."))
    group = WorkingGroup(
        name=(name or "").strip(),
        slug=slug or unique_group_slug(name),
        short_description=short_description,
        description=description,
        guidelines=guidelines,
        short_description_fr=short_description_fr,
        description_fr=description_fr,
        guidelines_fr=guidelines_fr,
        links=_clean_links(links),
        is_open=is_open,
        capacity=capacity,
    )
    group.full_clean()
    with transaction.atomic():
        group.save()
        record(actor=actor, action="working_groups.group.created", obj=group, working_group=group, note=group.name)
    return group


def update_group(group: WorkingGroup, *, actor, **changes) -> WorkingGroup:
    """Its chairs or an organizer edit the group's page (fields in ``EDITABLE_FIELDS``).

    Side effects: an audit row naming the changed fields; raising the capacity moves people up
    from the waiting list (with e-mails).
    """
    if not actor.has_perm("working_groups.edit_group", group):
        raise PermissionDenied(_("You cannot edit this group."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(value)s.") % {"value": ", ".join(sorted(unknown))}
        )
    if "links" in changes:
        changes["links"] = _clean_links(changes["links"])
    with transaction.atomic():
        group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
        changed = [field for field, value in changes.items() if getattr(group, field) != value]
        for field in changed:
            setattr(group, field, changes[field])
        group.full_clean()
        group.save()
        if changed:
            record(
                actor=actor,
                action="working_groups.group.updated",
                obj=group,
                working_group=group,
                note="Changed: " + ", ".join(changed),
            )
        if "capacity" in changed:
            fill_from_waiting_list(group, actor=actor)
    return group


def post_progress_update(*, group: WorkingGroup, actor, title: str, body: str) -> ProgressUpdate:
    """A chair (or organizer) posts what the group has done; the newsletter gathers these."""
    if not actor.has_perm("working_groups.post_progress_update", group):
        raise PermissionDenied(_("Only the group's chairs post progress updates."))
    update = ProgressUpdate(working_group=group, author=actor, title=(title or "").strip(), body=(body or "").strip())
    update.full_clean()
    update.save()
    return update
