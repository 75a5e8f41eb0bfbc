"""Role actions through the API: the same services as the pages, the same refusals."""

import pytest
from django.core import mail
from django.urls import reverse

from activity.models import ActivityLog
from roles.models import Application, Participation
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(db):
    return {
        "participant": RoleFactory(slug="participant"),
        "chair": RoleFactory(slug="chair"),
        "advisor": RoleFactory(slug="advisor", committee__slug="steering"),
        "attendant": RoleFactory(slug="attendant", committee=None),
    }


@pytest.fixture
def volunteer(db):
    return UserFactory(profile={"display_name": "Valentina Volunteer"})


def _apply(client, group, motivation="I can help."):
    return client.post(
        "/api/v1/me/applications/",
        {"role": "participant", "working_group": group.slug, "motivation": motivation},
        format="json",
    )


# --- apply and withdraw ------------------------------------------------------------------------


def test_apply_creates_the_application_with_its_audit_row_and_email(as_user, volunteer, group, roles, run_on_commit):
    with run_on_commit():
        response = _apply(as_user(volunteer), group)
    assert response.status_code == 201
    application = Application.objects.get()
    assert response.json() == {
        "id": application.pk,
        "role": "participant",
        "working_group": group.slug,
        "motivation": "I can help.",
        "status": "pending",
        "review_note": "",
        "created_at": response.json()["created_at"],
        "decided_at": None,
    }
    assert list(ActivityLog.objects.filter(action__startswith="roles.").values_list("action", "actor", "subject")) == [
        ("roles.application.applied", volunteer.pk, volunteer.pk)
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([volunteer.email], f"We received your application: Working Group Participant in {group.name}")
    ]


def test_attendant_role_is_granted_at_once(as_user, volunteer, roles):
    response = as_user(volunteer).post("/api/v1/me/applications/", {"role": "attendant"}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "approved"
    assert list(Participation.objects.filter(user=volunteer).values_list("role__slug", "status")) == [
        ("attendant", "active")
    ]


def test_apply_twice_answers_409_and_keeps_one_application(as_user, volunteer, group, roles):
    client = as_user(volunteer)
    assert _apply(client, group).status_code == 201
    response = _apply(client, group)
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "already have a pending application" in response.json()["detail"]
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"role": "participant"}, "working_group"),
        ({"role": "nope"}, "role"),
        ({"role": "participant", "working_group": "nope"}, "working_group"),
        ({"role": "participant", "working_group": "{group}", "motivation": "x" * 2001}, "motivation"),
        ({}, "role"),
    ],
)
def test_apply_with_bad_input_answers_400_and_changes_nothing(as_user, volunteer, group, roles, payload, field):
    payload = {k: (v.format(group=group.slug) if isinstance(v, str) else v) for k, v in payload.items()}
    response = as_user(volunteer).post("/api/v1/me/applications/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert Application.objects.count() == 0


def _page_apply(client, person, group):
    client.force_login(person)
    client.post(reverse("roles:apply", args=["participant"]), {"working_group": group.pk, "motivation": "x"})


@pytest.mark.parametrize("case", ["closed group", "incomplete profile", "already a member", "chairs it"])
def test_apply_is_refused_by_the_api_exactly_when_the_page_refuses(client, as_user, roles, case):
    group = WorkingGroupFactory(is_open=case != "closed group")
    person = UserFactory(profile={"display_name": ""} if case == "incomplete profile" else None)
    if case == "already a member":
        ParticipationFactory(user=person, working_group=group, role=roles["participant"])
    if case == "chairs it":
        ParticipationFactory(user=person, working_group=group, role=roles["chair"])
    _page_apply(client, person, group)
    assert Application.objects.count() == 0  # the page refused
    response = _apply(as_user(person), group)
    assert response.status_code == 409
    assert Application.objects.count() == 0


def test_withdraw_own_pending_application(as_user, volunteer, group, roles):
    client = as_user(volunteer)
    application_id = _apply(client, group).json()["id"]
    response = client.post(f"/api/v1/me/applications/{application_id}/withdraw/")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert (
        ActivityLog.objects.filter(action="roles.application.withdrawn", data__application=application_id).count() == 1
    )
    again = client.post(f"/api/v1/me/applications/{application_id}/withdraw/")
    assert again.status_code == 409


def test_withdraw_someone_elses_application_answers_404_and_changes_nothing(as_user, volunteer, group, roles):
    application_id = _apply(as_user(volunteer), group).json()["id"]
    response = as_user(UserFactory()).post(f"/api/v1/me/applications/{application_id}/withdraw/")
    assert response.status_code == 404
    assert Application.objects.get().status == "pending"


# --- review ----------------------------------------------------------------------------------


@pytest.fixture
def pending(volunteer, group, roles):
    return Application.objects.create(user=volunteer, role=roles["participant"], working_group=group, motivation="hi")


def test_chair_sees_and_approves_applications_to_their_group(as_user, chair, pending, group, volunteer, run_on_commit):
    client = as_user(chair)
    assert [row["id"] for row in client.get("/api/v1/applications/").json()["results"]] == [pending.pk]
    with run_on_commit():
        response = client.post(
            f"/api/v1/applications/{pending.pk}/decide/", {"decision": "approve", "note": "Welcome"}, format="json"
        )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert list(Participation.objects.filter(user=volunteer).values_list("working_group", "status")) == [
        (group.pk, "active")
    ]
    assert list(ActivityLog.objects.filter(action__startswith="roles.").values_list("action", "actor")) == [
        ("roles.application.approved", chair.pk)
    ]
    assert [m.to for m in mail.outbox] == [[volunteer.email]]


def test_decline_keeps_the_note_and_creates_no_participation(as_user, organizer, pending, volunteer):
    response = as_user(organizer).post(
        f"/api/v1/applications/{pending.pk}/decide/", {"decision": "decline", "note": "Not now"}, format="json"
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert (pending.status, pending.review_note, pending.reviewer) == ("declined", "Not now", organizer)
    assert not Participation.objects.filter(user=volunteer).exists()


def test_deciding_twice_answers_409(as_user, chair, pending):
    client = as_user(chair)
    client.post(f"/api/v1/applications/{pending.pk}/decide/", {"decision": "approve"}, format="json")
    response = client.post(f"/api/v1/applications/{pending.pk}/decide/", {"decision": "decline"}, format="json")
    assert response.status_code == 409
    pending.refresh_from_db()
    assert pending.status == "approved"


def test_bad_decision_answers_400(as_user, chair, pending):
    response = as_user(chair).post(f"/api/v1/applications/{pending.pk}/decide/", {"decision": "maybe"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"decision"}
    pending.refresh_from_db()
    assert pending.status == "pending"


@pytest.mark.parametrize("who", ["member", "chair of another group", "plain user", "the applicant"])
def test_people_who_may_not_review_see_nothing_and_decide_nothing(client, as_user, pending, group, roles, who):
    person = {
        "member": lambda: ParticipationFactory(working_group=group, role=roles["participant"]).user,
        "chair of another group": lambda: ParticipationFactory(role=roles["chair"]).user,
        "plain user": UserFactory,
        "the applicant": lambda: pending.user,
    }[who]()
    api_client = as_user(person)
    assert api_client.get("/api/v1/applications/").json()["results"] == []
    assert api_client.get(f"/api/v1/applications/{pending.pk}/").status_code == 404
    response = api_client.post(f"/api/v1/applications/{pending.pk}/decide/", {"decision": "approve"}, format="json")
    assert response.status_code == 404
    # The page refuses the same person.
    client.force_login(person)
    page = client.post(reverse("roles:decide_application", args=[pending.pk]), {"decision": "approve"})
    assert page.status_code == 404  # like the API: not theirs to review, as if it did not exist
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert not ActivityLog.objects.filter(action__startswith="roles.").exists()  # only the token was made


def test_anonymous_caller_cannot_review(api, pending):
    assert api.get("/api/v1/applications/").status_code == 401
    assert (
        api.post(f"/api/v1/applications/{pending.pk}/decide/", {"decision": "approve"}, format="json").status_code
        == 401
    )


def test_chair_does_not_see_advisor_applications(as_user, chair, volunteer, roles, organizer):
    advisor_application = Application.objects.create(user=volunteer, role=roles["advisor"])
    assert as_user(chair).get("/api/v1/applications/").json()["results"] == []
    assert [r["id"] for r in as_user(organizer).get("/api/v1/applications/").json()["results"]] == [
        advisor_application.pk
    ]


# --- rosters, removal, leaving ------------------------------------------------------------------


def test_chair_roster_lists_only_their_groups_members(as_user, chair, member, group, roles):
    ParticipationFactory(role=roles["participant"])  # another group's member
    rows = as_user(chair).get("/api/v1/participations/").json()["results"]
    assert {(r["member"]["display_name"], r["working_group"]) for r in rows} == {
        (chair.display_name, group.slug),
        (member.display_name, group.slug),
    }


def test_chair_removes_a_participant_with_a_reason(as_user, chair, member, group, run_on_commit):
    seat = Participation.objects.get(user=member)
    with run_on_commit():
        response = as_user(chair).post(
            f"/api/v1/participations/{seat.pk}/remove/", {"reason": "Inactive"}, format="json"
        )
    assert response.status_code == 200
    seat.refresh_from_db()
    assert (seat.status, seat.end_reason) == ("ended", "removed")
    assert list(
        ActivityLog.objects.filter(action__startswith="roles.").values_list("action", "actor", "subject", "note")
    ) == [("roles.participation.removed", chair.pk, member.pk, "Inactive")]
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_removal_without_a_reason_answers_400(as_user, chair, member):
    seat = Participation.objects.get(user=member)
    response = as_user(chair).post(f"/api/v1/participations/{seat.pk}/remove/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"reason"}
    seat.refresh_from_db()
    assert seat.status == "active"


@pytest.mark.parametrize("who", ["chair of another group", "member", "plain user"])
def test_people_who_do_not_manage_the_group_cannot_remove(client, as_user, member, group, roles, who):
    person = {
        "chair of another group": lambda: ParticipationFactory(role=roles["chair"]).user,
        "member": lambda: ParticipationFactory(working_group=group, role=roles["participant"]).user,
        "plain user": UserFactory,
    }[who]()
    seat = Participation.objects.get(user=member)
    response = as_user(person).post(f"/api/v1/participations/{seat.pk}/remove/", {"reason": "x"}, format="json")
    assert response.status_code == 404
    client.force_login(person)
    page = client.post(reverse("working_groups:member_remove", args=[group.slug, seat.pk]), {"reason": "x"})
    assert page.status_code == 403
    seat.refresh_from_db()
    assert seat.status == "active"


def test_a_chair_cannot_remove_a_co_chair_as_on_the_page(client, as_user, chair, group, roles):
    co_chair = ParticipationFactory(working_group=group, role=roles["chair"])
    response = as_user(chair).post(f"/api/v1/participations/{co_chair.pk}/remove/", {"reason": "x"}, format="json")
    assert response.status_code == 403
    client.force_login(chair)
    page = client.post(reverse("working_groups:member_remove", args=[group.slug, co_chair.pk]), {"reason": "x"})
    assert page.status_code == 403
    co_chair.refresh_from_db()
    assert co_chair.status == "active"


def test_removing_the_last_chair_answers_409(as_user, organizer, chair):
    seat = Participation.objects.get(user=chair)
    response = as_user(organizer).post(f"/api/v1/participations/{seat.pk}/remove/", {"reason": "x"}, format="json")
    assert response.status_code == 409
    assert "no chair left" in response.json()["detail"]
    seat.refresh_from_db()
    assert seat.status == "active"


def test_member_leaves_a_role(as_user, member):
    seat = Participation.objects.get(user=member)
    response = as_user(member).post(f"/api/v1/me/participations/{seat.pk}/leave/")
    assert response.status_code == 200
    assert response.json()["status"] == "ended"
    assert list(ActivityLog.objects.filter(action__startswith="roles.").values_list("action", "actor")) == [
        ("roles.participation.left", member.pk)
    ]
    assert as_user(member).post(f"/api/v1/me/participations/{seat.pk}/leave/").status_code == 409


def test_last_chair_cannot_leave(as_user, chair):
    seat = Participation.objects.get(user=chair)
    response = as_user(chair).post(f"/api/v1/me/participations/{seat.pk}/leave/")
    assert response.status_code == 409
    seat.refresh_from_db()
    assert seat.status == "active"


def test_leaving_someone_elses_role_answers_404(as_user, member, user):
    seat = Participation.objects.get(user=member)
    assert as_user(user).post(f"/api/v1/me/participations/{seat.pk}/leave/").status_code == 404
    seat.refresh_from_db()
    assert seat.status == "active"
