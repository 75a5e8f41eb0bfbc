import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from activity.models import ActivityLog
from roles import services
from roles.models import Application, Participation
from tests.factories import ParticipationFactory, ProfileFactory, UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


def assert_constant_queries(client, url, add_rows, django_assert_num_queries):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_rows()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    return response


# --- applying -------------------------------------------------------------------------------


def test_role_page_invites_visitors_to_sign_up_first(client, participant_role):
    html = client.get("/roles/participant/").content.decode()
    assert "/accounts/signup/?next=/roles/participant/" in html
    assert client.get("/roles/no-such-role/").status_code == 404


def test_role_page_says_what_the_profile_lacks(client, participant_role):
    user = UserFactory(profile=False)
    ProfileFactory(user=user, country="", languages=[])
    client.force_login(user)
    html = client.get("/roles/participant/").content.decode()
    assert "complete your profile: add your country, languages spoken." in html
    assert 'action="/roles/participant/apply/"' not in html


def test_role_page_asks_an_unverified_account_to_verify(client, participant_role):
    client.force_login(UserFactory(verified=False))
    assert "Verify your e-mail address first" in client.get("/roles/participant/").content.decode()


def test_apply_to_a_working_group_from_the_role_page(client, volunteer, group, participant_role, run_on_commit):
    client.force_login(volunteer)
    form_html = client.get(f"/roles/participant/?group={group.pk}").content.decode()
    assert f'<option value="{group.pk}" selected>{group.name}</option>' in form_html
    assert '<label for="id_motivation">Your motivation:</label>' in form_html
    with run_on_commit():
        response = client.post("/roles/participant/apply/", {"working_group": group.pk, "motivation": "Tokenizers!"})
    assert response.status_code == 302 and response.url == "/me/participation/"
    application = Application.objects.get()
    assert (application.user, application.working_group, application.motivation, application.status) == (
        volunteer,
        group,
        "Tokenizers!",
        "pending",
    )
    assert [m.subject for m in mail.outbox] == [
        f"We received your application: Working Group Participant in {group.name}"
    ]
    # A second one: the form again, with the reason, and nothing new stored.
    response = client.post("/roles/participant/apply/", {"working_group": group.pk, "motivation": "Again"})
    assert response.status_code == 200
    assert "You already have a pending application as Working Group Participant in" in response.content.decode()
    assert Application.objects.count() == 1


def test_apply_with_invalid_input_shows_the_form_again(client, volunteer, group, participant_role):
    client.force_login(volunteer)
    response = client.post("/roles/participant/apply/", {"working_group": "999999", "motivation": "x" * 2001})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in html and "at most 2000 characters" in html
    closed = WorkingGroupFactory(is_open=False)
    response = client.post("/roles/participant/apply/", {"working_group": closed.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Application.objects.exists()
    assert client.get("/roles/participant/apply/").status_code == 405
    assert client.post("/roles/nope/apply/", {}).status_code == 404


def test_apply_needs_a_signed_in_account(client, group, participant_role):
    response = client.post("/roles/participant/apply/", {"working_group": group.pk})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not Application.objects.exists()


def test_attendant_joins_at_once_from_the_page(client, volunteer, attendant_role):
    client.force_login(volunteer)
    response = client.post("/roles/attendant/apply/", {}, follow=True)
    assert "You are now Workshop Attendant. Welcome!" in response.content.decode()
    assert list(Participation.objects.filter(user=volunteer).values_list("role__slug", "status")) == [
        ("attendant", "active")
    ]


# --- my participation -----------------------------------------------------------------------


def test_my_participation_lists_roles_and_applications_and_withdraws(
    client, volunteer, group, member, seat, participant_role, advisor_role
):
    seat(user=volunteer)
    application = services.submit_application(user=volunteer, role=advisor_role, motivation="Advice")
    client.force_login(volunteer)
    response = client.get("/me/participation/")
    assert [(p.role.slug, p.working_group) for p in response.context["current"]] == [("participant", group)]
    assert [a.role.slug for a in response.context["applications"]] == ["advisor"]
    assert client.post(f"/roles/applications/{application.pk}/withdraw/").status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert client.get("/me/participation/").status_code == 200
    client.logout()
    assert client.get("/me/participation/").url.startswith("/accounts/login/")


def test_withdraw_someone_elses_application_is_404(client, volunteer, group, participant_role):
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    client.force_login(UserFactory())
    assert client.post(f"/roles/applications/{application.pk}/withdraw/").status_code == 404
    assert client.get(f"/roles/applications/{application.pk}/withdraw/").status_code == 405
    application.refresh_from_db()
    assert application.status == "pending"


def test_leave_a_role_after_confirming(client, group, seat):
    participation = seat()
    client.force_login(participation.user)
    url = f"/roles/participations/{participation.pk}/leave/"
    assert "Yes, leave" in client.get(url).content.decode()
    participation.refresh_from_db()
    assert participation.status == "active"  # the GET only asks
    assert client.post(url).status_code == 302
    participation.refresh_from_db()
    assert (participation.status, participation.end_reason) == ("ended", "left")
    assert client.get(url).status_code == 404  # ended: nothing to leave


def test_leave_someone_elses_role_is_404(client, member, group):
    participation = Participation.objects.get(user=member)
    client.force_login(UserFactory())
    assert client.post(f"/roles/participations/{participation.pk}/leave/").status_code == 404
    participation.refresh_from_db()
    assert participation.status == "active"


def test_the_last_chair_is_told_why_they_cannot_leave(client, chair):
    participation = Participation.objects.get(user=chair)
    client.force_login(chair)
    response = client.post(f"/roles/participations/{participation.pk}/leave/", follow=True)
    assert "would have no chair left" in response.content.decode()


def test_my_participation_query_count_is_constant(
    client, volunteer, advisor_role, participant_role, django_assert_num_queries
):
    client.force_login(volunteer)

    def add_rows():
        for _ in range(4):
            group = WorkingGroupFactory()
            ParticipationFactory(user=volunteer, role=participant_role, working_group=group)
            services.submit_application(user=volunteer, role=participant_role, working_group=WorkingGroupFactory())

    add_rows()
    assert_constant_queries(client, "/me/participation/", add_rows, django_assert_num_queries)


# --- organizers -----------------------------------------------------------------------------


@pytest.fixture
def advisor_application(volunteer, advisor_role):
    return services.submit_application(user=volunteer, role=advisor_role, motivation="I advise well.")


def test_review_page_is_for_organizers_only(client, advisor_application, chair, member, advisor, organizer):
    response = client.get("/roles/review/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    for person in (UserFactory(), member, chair, advisor):
        client.force_login(person)
        response = client.get("/roles/review/")
        assert response.status_code == 403
        assert "I advise well." not in response.content.decode()
        response = client.post(f"/roles/applications/{advisor_application.pk}/decide/", {"decision": "approve"})
        assert response.status_code == 404  # not theirs to review: as if it did not exist
    advisor_application.refresh_from_db()
    assert advisor_application.status == "pending"
    client.force_login(organizer)
    response = client.get("/roles/review/")
    assert [a.pk for a in response.context["applications"]] == [advisor_application.pk]
    client.post(f"/roles/applications/{advisor_application.pk}/decide/", {"decision": "approve", "note": "Yes"})
    advisor_application.refresh_from_db()
    assert advisor_application.status == "approved"


def test_history_of_all_groups_is_for_organizers_only(client, chair, member, organizer, group, seat, other_group):
    services.remove_member(seat(), actor=chair, reason="Quiet")
    services.invite_by_email(group=other_group, email="x@example.org", actor=organizer)
    for person in (UserFactory(), member, chair):
        client.force_login(person)
        assert client.get("/roles/history/").status_code == 403
    client.force_login(organizer)
    response = client.get("/roles/history/")
    assert {(e.action, e.working_group) for e in response.context["entries"]} == {
        ("roles.participation.removed", group),
        ("roles.invitation.sent", other_group),
    }
    response = client.get("/roles/history/", {"group": other_group.pk})
    assert [e.action for e in response.context["entries"]] == ["roles.invitation.sent"]
    response = client.get("/roles/history/", {"group": "garbage", "action": "nope"})
    assert response.status_code == 200


def test_review_and_history_query_counts_are_constant(
    client, organizer, advisor_role, chair_role, django_assert_num_queries
):
    def add_rows():
        for _ in range(4):
            services.submit_application(user=UserFactory(), role=advisor_role, motivation="m")
            services.submit_application(user=UserFactory(), role=chair_role, working_group=WorkingGroupFactory())

    add_rows()
    client.force_login(organizer)
    assert_constant_queries(client, "/roles/review/", add_rows, django_assert_num_queries)
    assert_constant_queries(client, "/roles/history/", add_rows, django_assert_num_queries)


# --- public roster and figures --------------------------------------------------------------


def test_steering_roster_lists_directory_advisors_only(client, advisor_role):
    listed = ParticipationFactory(
        role=advisor_role, user=UserFactory(profile={"display_name": "Ada Listed", "show_in_directory": True})
    )
    ParticipationFactory(
        role=advisor_role, user=UserFactory(email="hidden@example.org", profile={"display_name": "Hal Hidden"})
    )
    response = client.get("/roles/steering-committee/")
    html = response.content.decode()
    assert [p.user for p in response.context["advisors"]] == [listed.user]
    assert "Ada Listed" in html and "Hal Hidden" not in html and "hidden@example.org" not in html
    assert "1 advisor who keeps their profile private" in html


def test_participation_figures_count_people_by_role_group_country_and_language(
    client, group, participant_role, chair_role
):
    fr = UserFactory(profile={"country": "FR", "languages": ["fr", "en"]})
    jp = UserFactory(profile={"country": "JP", "languages": ["ja", "en"]})
    ParticipationFactory(user=fr, role=participant_role, working_group=group)
    ParticipationFactory(user=jp, role=chair_role, working_group=group)
    ParticipationFactory(
        user=UserFactory(profile={"country": "DE", "languages": ["de"]}),
        role=participant_role,
        working_group=group,
        status="waiting",
    )
    response = client.get("/roles/figures/")
    context = response.context
    assert context["total_people"] == 2
    assert {r.slug: r.people for r in context["by_role"]} == {
        "participant": 1,
        "chair": 1,
        "advisor": 0,
        "attendant": 0,
    }
    assert {g.name: g.people for g in context["by_group"]} == {group.name: 2}
    assert [(c["code"], c["people"]) for c in context["by_country"]] == [("FR", 1), ("JP", 1)]
    assert [(lang.code, lang.people) for lang in context["languages"]] == [("en", 2), ("fr", 1), ("ja", 1)]


def test_public_roster_and_figures_query_counts_are_constant(
    client, advisor_role, participant_role, django_assert_num_queries
):
    def add_rows():
        for n in range(5):
            ParticipationFactory(role=advisor_role, user=UserFactory(profile={"show_in_directory": True}))
            ParticipationFactory(
                role=participant_role,
                user=UserFactory(profile={"country": ["FR", "JP", "BR"][n % 3], "languages": ["en"]}),
            )

    add_rows()
    assert_constant_queries(client, "/roles/steering-committee/", add_rows, django_assert_num_queries)
    assert_constant_queries(client, "/roles/figures/", add_rows, django_assert_num_queries)
    assert_constant_queries(client, "/roles/", lambda: None, django_assert_num_queries)


# --- invitations ----------------------------------------------------------------------------


def _link_path(message):
    match = re.search(r"https?://[^/\s]+(/[^\s]+/)", message.body)
    return match.group(1)


def test_invitation_link_takes_a_newcomer_through_sign_up_into_the_group(client, group, chair, run_on_commit):
    with run_on_commit():
        invitation = services.invite_by_email(group=group, email="newcomer@example.org", actor=chair)
    link = _link_path(mail.outbox[0])
    assert link == f"/roles/invitations/{invitation.token}/"
    page = client.get(link).content.decode()
    assert f"/accounts/signup/?next={link}" in page
    mail.outbox.clear()
    with run_on_commit():
        client.post(
            f"/accounts/signup/?next={link}",
            {
                "name": "Newcomer",
                "email": "newcomer@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": link,
            },
        )
    confirm = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)
    response = client.post(confirm)
    assert response.status_code == 302 and response.url == link
    page = client.get(link).content.decode()
    assert f"Accept and join {group.name}" in page
    response = client.post(link)
    assert response.url == group.get_absolute_url()
    newcomer = User.objects.get(email="newcomer@example.org")
    assert list(Participation.objects.filter(user=newcomer).values_list("working_group", "status")) == [
        (group.pk, "active")
    ]
    assert ActivityLog.objects.filter(action="roles.invitation.accepted", subject=newcomer).count() == 1


def test_pending_invitation_is_remembered_in_the_session(client, group, chair, volunteer):
    invitation = services.invite_by_email(group=group, email="someone@example.org", actor=chair)
    client.get(f"/roles/invitations/{invitation.token}/")
    client.force_login(volunteer)
    html = client.get("/me/participation/").content.decode()
    assert f'href="/roles/invitations/{invitation.token}/"' in html


def test_unknown_withdrawn_and_expired_invitations_say_so(client, group, chair, volunteer):
    assert client.get("/roles/invitations/not-a-token/").status_code == 404
    invitation = services.invite_by_email(group=group, email="someone@example.org", actor=chair)
    services.withdraw_invitation(invitation, actor=chair)
    client.force_login(volunteer)
    assert "was withdrawn" in client.get(f"/roles/invitations/{invitation.token}/").content.decode()
    response = client.post(f"/roles/invitations/{invitation.token}/", follow=True)
    assert "withdrawn: it can no longer be used" in response.content.decode()
    assert not Participation.objects.filter(user=volunteer).exists()


def test_an_invitation_page_tells_another_account_it_is_not_theirs(client, group, chair, volunteer):
    invitation = services.invite_by_email(group=group, email="invitee@example.org", actor=chair)
    client.force_login(volunteer)
    page = client.get(f"/roles/invitations/{invitation.token}/").content.decode()
    assert "sent to another address" in page and "Accept and join" not in page
    response = client.post(f"/roles/invitations/{invitation.token}/", follow=True)
    assert "sent to another address" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert not Participation.objects.filter(user=volunteer, working_group=group).exists()
