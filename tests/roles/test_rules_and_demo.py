import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from roles import rules
from roles.models import Application, Participation
from tests.factories import ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_manage_rules_hold_for_each_kind_of_person(group, chair, member, other_chair, advisor, organizer, seat):
    participation = seat()
    anonymous = AnonymousUser()
    for person, manages in [
        (anonymous, False),
        (UserFactory(), False),
        (member, False),
        (other_chair, False),
        (advisor, False),
        (chair, True),
        (organizer, True),
    ]:
        assert rules.can_manage_group(person, group) is manages
        assert person.has_perm("roles.invite_to_group", group) is manages
        assert person.has_perm("working_groups.edit_group", group) is manages
        assert person.has_perm("working_groups.manage_group", group) is manages
        assert person.has_perm("roles.remove_member", participation) is manages
        assert person.has_perm("activity.view_group_activity", group) is manages
        # Chair seats are the organizers' to give: a chair does not make co-chairs.
        assert person.has_perm("roles.promote_to_chair", participation) is (person == organizer)
        assert person.has_perm("working_groups.create_group") is (person == organizer)
        assert person.has_perm("activity.view_all_activity") is (person == organizer)


def test_chair_seats_are_removed_and_demoted_by_organizers_only(group, chair, organizer, chair_role):
    co_chair = ParticipationFactory(role=chair_role, working_group=group)
    assert chair.has_perm("roles.remove_member", co_chair) is False
    assert chair.has_perm("roles.demote_chair", co_chair) is False
    assert organizer.has_perm("roles.remove_member", co_chair) is True
    assert organizer.has_perm("roles.demote_chair", co_chair) is True
    # ...but each chair may step down themself (the service keeps the last one).
    assert co_chair.user.has_perm("roles.demote_chair", co_chair) is True


def test_an_inactive_account_manages_nothing(group, chair):
    chair.is_active = False
    assert rules.can_manage_group(chair, group) is False
    assert chair.has_perm("working_groups.manage_group", group) is False


def test_load_demo_has_applications_in_every_state_a_waiting_list_and_several_groups():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(Application.objects.values_list("status", flat=True)) == {"pending", "approved", "declined", "withdrawn"}
    assert Participation.objects.filter(status="waiting", working_group__slug="prompt-engineering").count() == 1
    groups_with_members = set(
        Participation.objects.filter(status="active", role__slug="participant").values_list(
            "working_group__slug", flat=True
        )
    )
    assert {"prompt-engineering", "data-sourcing", "evaluation"} <= groups_with_members
    assert Participation.objects.filter(user__email="vera@example.org", status="active").count() == 2
    assert set(Application.objects.filter(status="pending").values_list("role__slug", flat=True)) == {
        "participant",
        "chair",
        "advisor",
    }
