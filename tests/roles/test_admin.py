import json

import pytest

from accounts.services import export_user_data
from activity.models import ActivityLog
from roles import services
from roles.models import Application, Invitation, Participation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/roles/application/?q=Person&status__exact=pending",
        "/admin/roles/participation/?q=Person&status__exact=active",
        "/admin/roles/invitation/?q=example",
        "/admin/activity/activitylog/?action__exact=roles.application.applied",
        "/admin/working_groups/workinggroup/?q=Group",
        "/admin/working_groups/progressupdate/",
    ],
)
def test_admin_lists_search_and_filter_for_organizers(
    client, organizer, volunteer, group, participant_role, chair, url
):
    services.submit_application(user=volunteer, role=participant_role, working_group=group)
    services.invite_by_email(group=group, email="someone@example.org", actor=chair)
    client.force_login(organizer)
    assert client.get(url).status_code == 200


def test_admin_is_closed_to_chairs(client, chair):
    client.force_login(chair)
    assert client.get("/admin/roles/application/").status_code == 302


def test_admin_approve_action_goes_through_the_service(client, organizer, volunteer, group, participant_role):
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    client.force_login(organizer)
    response = client.post(
        "/admin/roles/application/", {"action": "approve", "_selected_action": [application.pk]}, follow=True
    )
    assert "1 approved." in response.content.decode()
    assert Participation.objects.get(user=volunteer).status == "active"
    assert ActivityLog.objects.filter(action="roles.application.approved", actor=organizer).count() == 1
    # Run again: refused with the reason, nothing doubled.
    response = client.post(
        "/admin/roles/application/", {"action": "approve", "_selected_action": [application.pk]}, follow=True
    )
    assert "already approved" in response.content.decode()
    assert Participation.objects.filter(user=volunteer).count() == 1


def test_admin_actions_on_members_and_invitations(client, organizer, group, chair, seat):
    target = seat()
    invitation = services.invite_by_email(group=group, email="someone@example.org", actor=chair)
    client.force_login(organizer)
    client.post("/admin/roles/participation/", {"action": "make_chair", "_selected_action": [target.pk]})
    assert Participation.objects.get(user=target.user, status="active").role.slug == "chair"
    client.post("/admin/roles/invitation/", {"action": "withdraw", "_selected_action": [invitation.pk]})
    assert Invitation.objects.get().status == "withdrawn"
    last_chair = Participation.objects.get(user=chair, status="active")
    client.post("/admin/roles/participation/", {"action": "remove", "_selected_action": [last_chair.pk]})
    assert Participation.objects.get(pk=last_chair.pk).status == "ended"  # another chair remains


def test_admin_cannot_edit_state_by_hand(client, organizer, volunteer, group, participant_role):
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    client.force_login(organizer)
    client.post(f"/admin/roles/application/{application.pk}/change/", {"status": "approved"})
    application.refresh_from_db()
    assert application.status == "pending"
    assert client.get("/admin/roles/application/add/").status_code == 403


def test_data_export_includes_roles_and_applications(volunteer, group, participant_role, advisor_role, seat):
    seat(user=volunteer)
    services.submit_application(user=volunteer, role=advisor_role, motivation="My motivation")
    data = json.loads(export_user_data(user=volunteer))["roles"]
    assert [(p["role__slug"], p["working_group__name"], p["status"]) for p in data["participations"]] == [
        ("participant", group.name, "active")
    ]
    assert [(a["role__slug"], a["motivation"], a["status"]) for a in data["applications"]] == [
        ("advisor", "My motivation", "pending")
    ]
    assert Application.objects.filter(user=UserFactory()).count() == 0


def test_admin_group_edit_is_refused_groups_change_on_their_own_page(client, organizer, group):
    """The admin is read-only: the group page edit (working_groups.services.update_group) is the one path."""
    client.force_login(organizer)
    data = {"name": group.name, "slug": "renamed", "short_description": "New short", "links": "[]", "is_open": "on"}
    response = client.post(f"/admin/working_groups/workinggroup/{group.pk}/change/", data)
    assert response.status_code == 403
    group.refresh_from_db()
    assert (group.slug, group.short_description) == (group.slug, "Builds something useful.")
    assert ActivityLog.objects.count() == 0
