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
        assert rules.can_invite(person, group) is manages
        assert rules.can_edit_group(person, group) is manages
        assert rules.can_set_chair(person, group) is manages
        assert rules.can_remove_member(person, participation) is manages
        assert rules.can_view_group_history(person, group) is manages
        assert rules.can_create_group(person) is (person == organizer)
        assert rules.can_view_all_history(person) is (person == organizer)


def test_chair_seats_are_removed_by_organizers_only(group, chair, organizer, chair_role):
    co_chair = ParticipationFactory(role=chair_role, working_group=group)
    assert rules.can_remove_member(chair, co_chair) is False
    assert rules.can_remove_member(organizer, co_chair) is True


def test_an_inactive_account_manages_nothing(group, chair):
    chair.is_active = False
    assert rules.can_manage_group(chair, group) is False


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
