"""Who may do what with guided tasks: ``rules`` predicates, registered as permissions once.

Services, views, the API and templates ask ``user.has_perm("tasks.<verb_noun>", obj)``. The
cross-app helpers of ``roles.rules`` are called as functions.
"""

import rules

from roles import rules as role_rules


@rules.predicate
def manages_group(user, group) -> bool:
    """The group's chairs and the organizers."""
    return group is not None and role_rules.can_manage_group(user, group)


@rules.predicate
def manages_task_group(user, task) -> bool:
    return task is not None and role_rules.can_manage_group(user, task.working_group)


@rules.predicate
def is_verified(user) -> bool:
    return role_rules.is_verified(user)


@rules.predicate
def task_is_public(user, task) -> bool:
    """Drafts are seen by the group's managers only; open, paused and closed tasks by everyone."""
    return task is not None and task.status != task.Status.DRAFT


def _named_reviewer_task_ids(user) -> set[int]:
    """The tasks this person was named to review, looked up once per request."""
    if not user or not user.is_authenticated:
        return set()

    def compute() -> set[int]:
        from .models import TaskReviewer

        return set(TaskReviewer.objects.filter(user=user).values_list("task_id", flat=True))

    return role_rules.remember(("tasks.reviews", user.pk), compute)


@rules.predicate
def is_named_reviewer(user, task) -> bool:
    return task is not None and task.pk in _named_reviewer_task_ids(user)


@rules.predicate
def owns_claim(user, claim) -> bool:
    return claim is not None and user.is_authenticated and claim.user_id == user.pk


@rules.predicate
def reviews_task_of(user, contribution) -> bool:
    if contribution is None:
        return False
    return manages_task_group(user, contribution.task) or is_named_reviewer(user, contribution.task)


@rules.predicate
def is_contributor(user, contribution) -> bool:
    return contribution is not None and user.is_authenticated and contribution.user_id == user.pk


def forget(user) -> None:
    """After naming or removing a reviewer: what this request remembered is stale."""
    role_rules.forget(user)


rules.add_perm("tasks.create_task", manages_group)
rules.add_perm("tasks.edit_task", manages_task_group)
rules.add_perm("tasks.view_task", task_is_public | manages_task_group)
rules.add_perm("tasks.claim_task", is_verified & task_is_public)
rules.add_perm("tasks.report_on_claim", is_verified & owns_claim)
rules.add_perm("tasks.release_claim", owns_claim)
rules.add_perm("tasks.review_task", manages_task_group | is_named_reviewer)
# Nobody reviews their own work, whatever else they are (the database refuses it too).
rules.add_perm("tasks.review_contribution", reviews_task_of & ~is_contributor)
rules.add_perm("tasks.name_reviewers", manages_task_group)
rules.add_perm("tasks.manage_tokens", manages_group)
