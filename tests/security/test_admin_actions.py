"""What organizers may still do from the admin: actions that call the services, with the same outcome as the
site's pages (the waiting list moves up, audit and activity rows are written, e-mails are queued); and the
people who may not run them are refused with nothing changed."""

import pytest
from django.core import mail
from django.test import Client

from activity.models import ActivityLog
from roles import services
from roles.models import Application, Participation
from tests.factories import ParticipationFactory, RoleFactory, UserFactory

from .conftest import changed_tables, snapshot

pytestmark = pytest.mark.django_db


def _audit():
    """The membership rows of the activity log, oldest first."""
    return list(
        ActivityLog.objects.filter(action__startswith="roles.")
        .order_by("pk")
        .values_list("actor__email", "action", "subject__email", "from_state", "to_state")
    )


def test_approving_from_the_admin_goes_through_the_service(client, organizer, group, run_on_commit):
    volunteer = UserFactory(email="vera@example.org")
    application = services.submit_application(user=volunteer, role=RoleFactory(slug="participant"), working_group=group)
    mail.outbox.clear()
    ActivityLog.objects.all().delete()
    client.force_login(organizer)
    with run_on_commit():
        response = client.post(
            "/admin/roles/application/", {"action": "approve", "_selected_action": [application.pk]}, follow=True
        )
    assert "1 approved." in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == "approved"
    assert list(Participation.objects.filter(user=volunteer).values_list("role__slug", "working_group", "status")) == [
        ("participant", group.pk, "active")
    ]
    assert _audit() == [(organizer.email, "roles.application.approved", "vera@example.org", "pending", "approved")]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["vera@example.org"], f"Welcome: you are now Working Group Participant in {group.name}")
    ]


def test_removing_a_member_from_the_admin_moves_the_waiting_list_up(client, organizer, group, run_on_commit):
    group.capacity = 2  # the chair and one participant
    group.save()
    participant = RoleFactory(slug="participant")
    ParticipationFactory(user__email="chair@example.org", role=RoleFactory(slug="chair"), working_group=group)
    seated = ParticipationFactory(user__email="seated@example.org", role=participant, working_group=group)
    waiting = ParticipationFactory(
        user__email="waiting@example.org", role=participant, working_group=group, status="waiting"
    )
    client.force_login(organizer)
    with run_on_commit():
        client.post("/admin/roles/participation/", {"action": "remove", "_selected_action": [seated.pk]})
    assert Participation.objects.get(pk=seated.pk).status == "ended"
    assert Participation.objects.get(pk=waiting.pk).status == "active"
    assert _audit() == [
        (organizer.email, "roles.participation.removed", "seated@example.org", "active", "ended"),
        (organizer.email, "roles.participation.moved_up", "waiting@example.org", "waiting", "active"),
    ]
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("seated@example.org", f"You are no longer Working Group Participant in {group.name}"),
        ("waiting@example.org", f"A seat is free: you are now a member of {group.name}"),
    ]


def test_granting_organizer_rights_from_the_admin_is_recorded_in_the_activity_log(client, organizer):
    chen = UserFactory(email="chen@example.org")
    client.force_login(organizer)
    response = client.post(
        "/admin/accounts/user/", {"action": "grant_organizer", "_selected_action": [chen.pk]}, follow=True
    )
    assert "1 now organizer(s)." in response.content.decode()
    chen.refresh_from_db()
    assert chen.is_staff
    assert list(ActivityLog.objects.values_list("actor__email", "action", "subject__email", "to_state")) == [
        (organizer.email, "accounts.organizer.granted", "chen@example.org", "organizer")
    ]
    # The last organizer cannot take their own rights away, and the refusal says why.
    client.post("/admin/accounts/user/", {"action": "revoke_organizer", "_selected_action": [chen.pk]})
    response = client.post(
        "/admin/accounts/user/", {"action": "revoke_organizer", "_selected_action": [organizer.pk]}, follow=True
    )
    assert "is the last organizer" in response.content.decode()
    assert list(ActivityLog.objects.order_by("pk").values_list("action", "subject__email")) == [
        ("accounts.organizer.granted", "chen@example.org"),
        ("accounts.organizer.revoked", "chen@example.org"),
    ]


@pytest.mark.parametrize(
    ("url", "action"),
    [
        ("/admin/roles/application/", "approve"),
        ("/admin/roles/participation/", "remove"),
        ("/admin/accounts/user/", "grant_organizer"),
        ("/admin/events/registration/", "delete_selected"),
        ("/admin/roles/participation/", "delete_selected"),
        ("/admin/roles/application/", "delete_selected"),
        ("/admin/newsletter/delivery/", "delete_selected"),
        ("/admin/activity/activitylog/", "delete_selected"),
    ],
)
def test_actions_refused_to_chairs_and_delete_offered_to_nobody(organizer, chair, group, url, action):
    """A chair (not staff) is sent to sign in; the organizer is never offered a bulk delete."""
    from events.models import Registration
    from tests.events.factories import EventFactory
    from tests.factories import DeliveryFactory

    volunteer = UserFactory()
    application = Application.objects.create(user=volunteer, role=RoleFactory(slug="participant"), working_group=group)
    member = ParticipationFactory(user=volunteer, role=RoleFactory(slug="participant"), working_group=group)
    registration = Registration.objects.create(event=EventFactory(), user=volunteer, status="registered")
    delivery = DeliveryFactory(user=volunteer, email=volunteer.email)
    ActivityLog.objects.create(actor=organizer, subject=volunteer, action="roles.application.submitted")
    ids = {
        "application": application.pk,
        "participation": member.pk,
        "user": volunteer.pk,
        "registration": registration.pk,
        "delivery": delivery.pk,
        "activitylog": ActivityLog.objects.get().pk,
    }
    selected = ids[url.rstrip("/").rsplit("/", 1)[1]]
    as_chair, as_organizer = Client(), Client()
    as_chair.force_login(chair)
    as_organizer.force_login(organizer)
    before = snapshot()
    response = as_chair.post(url, {"action": action, "_selected_action": [selected], "post": "yes"})
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/admin/login/")
    if action == "delete_selected":
        response = as_organizer.post(url, {"action": action, "_selected_action": [selected], "post": "yes"})
        # the list again (with "No action selected." where the list has actions): no such action here
        assert (response.status_code, response.get("Location", url)) in {(200, url), (302, url)}
    assert changed_tables(before, snapshot()) == []
