"""Who may do what with the news and the newsletter; built on the predicates of ``roles.rules``."""

import rules

from roles.rules import active_role_slugs, chaired_group_ids, is_advisor, is_organizer

# Roles whose holders are "members" of the workshop: they read the whole archive.
MEMBER_ROLES = {"advisor", "participant", "chair"}


@rules.predicate
def is_member(user, obj=None) -> bool:
    """Holds an advisor, participant or chair role (attendants are the public)."""
    return bool(active_role_slugs(user) & MEMBER_ROLES)


@rules.predicate
def is_sent(user, issue) -> bool:
    return issue is not None and issue.status == issue.Status.SENT


@rules.predicate
def is_public(user, issue) -> bool:
    return issue is not None and issue.is_public


@rules.predicate
def chairs_a_group(user, obj=None) -> bool:
    """Chairs at least one working group (and so sees the feedback on its items)."""
    return bool(chaired_group_ids(user))


reads_all_issues = is_organizer | is_member

# Write news posts, prepare, test, approve and resend newsletter issues.
rules.add_perm("newsletter.manage_newsletter", is_organizer)
rules.add_perm("newsletter.read_all_issues", reads_all_issues)
# Sent issues: everyone when public, otherwise members and organizers.
rules.add_perm("newsletter.read_issue", is_sent & (is_public | reads_all_issues))
# Advisors (the feedback is their side of the role) and organizers, on a sent issue. A recipient
# following the signed link of their e-mail may too: the view checks that token.
rules.add_perm("newsletter.leave_feedback", is_sent & (is_advisor | is_organizer))
# The feedback page: organizers see all of it, chairs the feedback on their groups' items
# (``selectors.feedback_visible_to`` narrows the rows).
rules.add_perm("newsletter.view_feedback", is_organizer | chairs_a_group)
