"""Who may do what with the programme: predicates of the ``rules`` package, registered once.

Views, the API and templates ask ``user.has_perm("events.<verb_noun>", obj)``.
"""

import rules

from roles.rules import chairs_group, is_member_of, is_organizer, is_verified


@rules.predicate
def organizer(user) -> bool:
    return is_organizer(user)


@rules.predicate
def verified(user) -> bool:
    return is_verified(user)


@rules.predicate
def member_of_group(user, group) -> bool:
    """Chairs and participants act for their own working group."""
    return group is not None and is_member_of(user, group)


@rules.predicate
def in_proposal_group(user, proposal) -> bool:
    return is_member_of(user, proposal.working_group)


@rules.predicate
def proposed_it(user, proposal) -> bool:
    return bool(user and user.is_authenticated and proposal.proposer_id == user.pk)


@rules.predicate
def chairs_proposal_group(user, proposal) -> bool:
    return chairs_group(user, proposal.working_group)


@rules.predicate
def proposal_open_for_changes(user, proposal) -> bool:
    return proposal.status in ("submitted", "changes_requested")


@rules.predicate
def owns_speaker_profile(user, speaker) -> bool:
    return bool(user and user.is_authenticated and speaker.user_id == user.pk)


@rules.predicate
def signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


# Organizers run calls and decide; a group's members propose for it and follow its proposals.
rules.add_perm("events.manage_call", organizer)
rules.add_perm("events.propose_for_group", verified & member_of_group)
rules.add_perm("events.view_proposal", organizer | in_proposal_group | proposed_it)
rules.add_perm("events.change_proposal", (proposed_it | chairs_proposal_group) & proposal_open_for_changes)
rules.add_perm("events.decide_proposal", organizer)
rules.add_perm("events.place_proposal", organizer)
rules.add_perm("events.edit_speaker", owns_speaker_profile | organizer)
rules.add_perm("events.star_session", signed_in)
