"""Who may do what with outputs and credits, as named predicates of the ``rules`` package.

Services, views and templates ask ``user.has_perm("credit.<verb>_<noun>", obj)``; nothing else
repeats these rules. The group-level facts (organizer, chair of a group) come from ``roles.rules``,
which remembers them for the length of a request, so asking many times on one page costs one query.
"""

import rules

from roles import rules as role_rules


def _groups_of(output) -> list:
    # The output's groups are prefetched by the selectors; a bare instance costs one query here.
    return list(output.working_groups.all())


@rules.predicate
def is_organizer(user) -> bool:
    return role_rules.is_organizer(user)


@rules.predicate
def chairs_any_group(user) -> bool:
    if not user or not user.is_authenticated:
        return False

    def compute() -> bool:
        from roles.models import Participation, Role

        return Participation.objects.filter(
            user=user, role__slug=Role.CHAIR, status=Participation.Status.ACTIVE, working_group__isnull=False
        ).exists()

    return role_rules.remember(("credit.chairs_any_group", user.pk), compute)


@rules.predicate
def manages_group(user, group) -> bool:
    """Chairs of this group and organizers: who may register an output for it."""
    return group is not None and role_rules.can_manage_group(user, group)


@rules.predicate
def edits_output(user, output) -> bool:
    """Organizers, and the chairs of any of the output's groups."""
    if output is None or not user or not user.is_authenticated:
        return False
    if role_rules.is_organizer(user):
        return True
    return any(role_rules.chairs_group(user, group) for group in _groups_of(output))


@rules.predicate
def output_is_public(user, output) -> bool:
    return output is not None and output.is_public


@rules.predicate
def is_the_contributor(user, contributor) -> bool:
    return bool(contributor is not None and user and user.is_authenticated and contributor.user_id == user.pk)


@rules.predicate
def is_the_person(user, person) -> bool:
    return bool(person is not None and user and user.is_authenticated and person.pk == user.pk)


@rules.predicate
def credits_are_public(user, person) -> bool:
    settings = getattr(person, "credit_settings", None) if person is not None else None
    return bool(settings and settings.public)


rules.add_perm("credit.add_output", is_organizer | chairs_any_group)
rules.add_perm("credit.add_output_for_group", manages_group)
rules.add_perm("credit.view_output", output_is_public | edits_output)
rules.add_perm("credit.change_output", edits_output)
rules.add_perm("credit.confirm_contributor", is_the_contributor)
rules.add_perm("credit.view_credits", is_the_person | credits_are_public)
rules.add_perm("credit.change_credit_settings", is_the_person)
