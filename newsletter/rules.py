"""Who may do what with the news and the newsletter; built on the portal-wide predicates."""

from roles.rules import chairs_group, is_advisor, is_organizer

# Roles whose holders are "members" of the workshop: they read the whole archive.
MEMBER_ROLES = {"advisor", "participant", "chair"}


def can_manage_newsletter(user) -> bool:
    """Write news posts, prepare, test, approve and resend newsletter issues."""
    return is_organizer(user)


def is_member(user) -> bool:
    """Holds an advisor, participant or chair role (attendants are the public)."""
    if not user or not user.is_authenticated:
        return False
    from roles.rules import _current_role_slugs_by_group

    return any(slugs & MEMBER_ROLES for slugs in _current_role_slugs_by_group(user).values())


def can_read_all_issues(user) -> bool:
    return is_organizer(user) or is_member(user)


def can_read_issue(user, issue) -> bool:
    """Sent issues: everyone when public, otherwise members and organizers."""
    if issue.status != issue.Status.SENT:
        return False
    return issue.is_public or can_read_all_issues(user)


def can_leave_feedback(user, issue) -> bool:
    """Advisors (the feedback is their side of the role) and organizers, on a sent issue.

    A recipient following the signed link of their e-mail may too: the view checks that token.
    """
    return issue.status == issue.Status.SENT and (is_advisor(user) or is_organizer(user))


def can_see_feedback(user, item=None) -> bool:
    """Organizers see all feedback; a group's chairs see the feedback on that group's items."""
    if is_organizer(user):
        return True
    return item is not None and item.working_group_id is not None and chairs_group(user, item.working_group)
