import csv
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activity.models import ActivityLog
from roles import services
from roles.models import Application, Invitation, Participation
from tests.factories import ParticipationFactory, ProfileFactory, UserFactory, WorkingGroupFactory
from working_groups.models import ProgressUpdate, WorkingGroup

pytestmark = pytest.mark.django_db


def assert_constant_queries(client, url, add_rows, django_assert_num_queries):
    """The page costs the same number of queries with one row and with many."""
    assert client.get(url).status_code == 200  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_rows()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.fixture
def pending(group, participant_role):
    """A pending participant application to ``group``."""
    applicant = UserFactory(profile={"display_name": "Priya Pending", "expertise": "Tokenizers for Indic scripts"})
    return services.submit_application(user=applicant, role=participant_role, working_group=group, motivation="Hi!")


# --- who may enter the management area -----------------------------------------------------


def _management_requests(group, member_seat, invitation, application):
    slug = group.slug
    base = f"/groups/{slug}/manage/"
    return [
        ("get", base, {}),
        ("get", base + "members.csv", {}),
        ("get", base + "edit/", {}),
        ("post", base + "edit/", {"name": "Hijacked", "short_description": "x"}),
        ("get", base + "history/", {}),
        ("get", base + "progress/", {}),
        ("post", base + "progress/", {"title": "Hijacked", "body": "x"}),
        ("get", base + f"members/{member_seat.pk}/remove/", {}),
        ("post", base + f"members/{member_seat.pk}/remove/", {"reason": "x"}),
        ("post", base + f"members/{member_seat.pk}/chair/", {"chair": "yes"}),
        ("post", base + "chairs/appoint/", {"email": member_seat.user.email}),
        ("post", base + "invite/", {"email": "intruder@example.org"}),
        ("post", base + f"invitations/{invitation.pk}/resend/", {}),
        ("post", base + f"invitations/{invitation.pk}/withdraw/", {}),
        ("post", f"/roles/applications/{application.pk}/decide/", {"decision": "approve", "note": ""}),
    ]


@pytest.fixture
def management(group, chair, seat, pending):
    member_seat = seat()
    invitation = services.invite_by_email(group=group, email="invited@example.org", actor=chair)
    ActivityLog.objects.all().delete()
    mail.outbox.clear()
    return _management_requests(group, member_seat, invitation, pending)


def _state(group):
    return (
        list(ActivityLog.objects.values_list("pk", flat=True)),
        list(Participation.objects.order_by("pk").values_list("status", "role__slug")),
        list(Invitation.objects.values_list("status", "send_count")),
        list(Application.objects.values_list("status", flat=True)),
        WorkingGroup.objects.get(pk=group.pk).name,
        ProgressUpdate.objects.count(),
        len(mail.outbox),
    )


def test_management_area_sends_anonymous_visitors_to_sign_in(client, group, management):
    before = _state(group)
    for method, url, data in management:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/"), url
    assert _state(group) == before


@pytest.mark.parametrize("who", ["plain user", "member", "chair of another group", "advisor"])
def test_management_area_refuses_everyone_but_chairs_and_organizers(
    client, group, management, who, member, other_chair, advisor
):
    person = {"plain user": UserFactory(), "member": member, "chair of another group": other_chair, "advisor": advisor}[
        who
    ]
    client.force_login(person)
    before = _state(group)
    for method, url, data in management:
        response = getattr(client, method)(url, data)
        # an application they may not review answers as if it did not exist
        assert response.status_code == (404 if url.endswith("/decide/") else 403), (who, url)
        assert "Priya Pending" not in response.content.decode()
    assert _state(group) == before


@pytest.mark.parametrize("who", ["chair", "organizer"])
def test_management_pages_open_for_chairs_and_organizers(client, group, management, who, chair, organizer):
    client.force_login(chair if who == "chair" else organizer)
    for method, url, _data in management:
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_management_area_of_an_unknown_group_is_404(client, organizer):
    client.force_login(organizer)
    assert client.get("/groups/no-such-group/manage/").status_code == 404
    assert client.get("/groups/no-such-group/manage/members/1/remove/").status_code == 404


def test_management_actions_refuse_get(client, group, chair, seat):
    client.force_login(chair)
    target = seat()
    assert client.get(f"/groups/{group.slug}/manage/members/{target.pk}/chair/").status_code == 405
    assert client.get(f"/groups/{group.slug}/manage/invite/").status_code == 405


# --- what the chair sees and does -----------------------------------------------------------


def test_manage_page_shows_pending_applications_with_profile_and_motivation(client, group, chair, pending):
    client.force_login(chair)
    html = client.get(f"/groups/{group.slug}/manage/").content.decode()
    assert "Priya Pending" in html and "Tokenizers for Indic scripts" in html and "Hi!" in html
    assert f'action="/roles/applications/{pending.pk}/decide/"' in html


def test_chair_approves_from_the_manage_page(client, group, chair, pending, run_on_commit):
    client.force_login(chair)
    url = f"/groups/{group.slug}/manage/"
    with run_on_commit():
        response = client.post(
            f"/roles/applications/{pending.pk}/decide/", {"decision": "approve", "note": "Welcome", "next": url}
        )
    assert response.status_code == 302 and response.url == url
    assert Participation.objects.get(user=pending.user).status == "active"
    assert mail.outbox[-1].subject == f"Welcome: you are now Working Group Participant in {group.name}"


def test_decide_with_a_bad_decision_changes_nothing(client, group, chair, pending):
    client.force_login(chair)
    response = client.post(f"/roles/applications/{pending.pk}/decide/", {"decision": "maybe"}, follow=True)
    assert "Choose approve or decline" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert client.post("/roles/applications/999999/decide/", {"decision": "approve"}).status_code == 404


def test_decide_ignores_a_next_url_pointing_elsewhere(client, group, chair, pending):
    client.force_login(chair)
    response = client.post(
        f"/roles/applications/{pending.pk}/decide/", {"decision": "decline", "next": "https://evil.example.org/"}
    )
    assert response.url == f"/groups/{group.slug}/manage/"


def test_member_filters_and_csv_export(client, group, chair, seat):
    japan = seat(user=UserFactory(profile={"display_name": "Jun Ito", "country": "JP"}))
    seat(user=UserFactory(profile={"display_name": "Wei Waiting", "country": "FR"}), status="waiting")
    client.force_login(chair)
    url = f"/groups/{group.slug}/manage/"
    response = client.get(url, {"country": "JP"})
    assert [m.user.display_name for m in response.context["members"]] == ["Jun Ito"]
    response = client.get(url, {"status": "waiting"})
    assert [m.user.display_name for m in response.context["members"]] == ["Wei Waiting"]
    response = client.get(url, {"role": "chair"})
    assert [m.user for m in response.context["members"]] == [chair]
    response = client.get(url, {"q": "jun"})
    assert [m.user.display_name for m in response.context["members"]] == ["Jun Ito"]
    response = client.get(url, {"country": "not-a-country"})
    assert response.status_code == 200  # an invalid filter is ignored, not an error

    export = client.get(url + "members.csv")
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert {(r["name"], r["email"], r["role"], r["status"], r["country"]) for r in rows} == {
        (chair.display_name, chair.email, "chair", "active", "FR"),
        ("Jun Ito", japan.user.email, "participant", "active", "JP"),
        ("Wei Waiting", Participation.objects.get(status="waiting").user.email, "participant", "waiting", "FR"),
    }


def test_remove_member_form_requires_a_reason(client, group, chair, seat):
    target = seat()
    client.force_login(chair)
    url = f"/groups/{group.slug}/manage/members/{target.pk}/remove/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    target.refresh_from_db()
    assert target.status == "active"
    response = client.post(url, {"reason": "Asked to leave"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.status, target.end_reason) == ("ended", "removed")


def test_chairs_cannot_remove_a_chair_but_organizers_can(client, group, chair, organizer, chair_role):
    co_chair = ParticipationFactory(role=chair_role, working_group=group)
    url = f"/groups/{group.slug}/manage/members/{co_chair.pk}/remove/"
    client.force_login(chair)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(organizer)
    assert client.post(url, {"reason": "Swap"}).status_code == 302
    co_chair.refresh_from_db()
    assert co_chair.status == "ended"


def test_promote_and_demoting_the_last_chair_from_the_page(client, group, chair, organizer, seat):
    target = seat()
    client.force_login(organizer)
    base = f"/groups/{group.slug}/manage/members/"
    client.post(base + f"{target.pk}/chair/", {"chair": "yes"})
    assert Participation.objects.get(user=target.user, status="active").role.slug == "chair"
    new_chair = Participation.objects.get(user=target.user, status="active")
    client.post(base + f"{new_chair.pk}/chair/", {"chair": "no"})  # two chairs: allowed
    assert Participation.objects.get(user=target.user, status="active").role.slug == "participant"
    client.force_login(chair)
    own = Participation.objects.get(user=chair, status="active")
    response = client.post(base + f"{own.pk}/chair/", {"chair": "no"}, follow=True)
    assert "would have no chair left" in response.content.decode()
    assert Participation.objects.get(user=chair, status="active").role.slug == "chair"


def test_invite_resend_and_withdraw_from_the_page(client, group, chair, run_on_commit):
    client.force_login(chair)
    base = f"/groups/{group.slug}/manage/"
    with run_on_commit():
        client.post(base + "invite/", {"email": "friend@example.org"})
    invitation = Invitation.objects.get()
    response = client.post(base + "invite/", {"email": "not-an-email"}, follow=True)
    assert "Enter a valid e-mail address" in response.content.decode()
    with run_on_commit():
        client.post(base + f"invitations/{invitation.pk}/resend/")
    client.post(base + f"invitations/{invitation.pk}/withdraw/")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.send_count) == ("withdrawn", 2)
    assert [m.to for m in mail.outbox] == [["friend@example.org"], ["friend@example.org"]]
    assert client.post(base + "invitations/999999/resend/").status_code == 404


def test_invitation_of_another_group_is_404_for_this_groups_chair(client, group, chair, other_group, organizer):
    foreign = services.invite_by_email(group=other_group, email="x@example.org", actor=organizer)
    client.force_login(chair)
    assert client.post(f"/groups/{group.slug}/manage/invitations/{foreign.pk}/withdraw/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "pending"


def test_edit_group_page(client, group, chair):
    client.force_login(chair)
    url = f"/groups/{group.slug}/manage/edit/"
    data = {
        "name": group.name,
        "short_description": "Short.",
        "description": "Long.",
        "guidelines": "Read this.",
        "links": "Chat | https://chat.example.org/g\nDocs | https://docs.example.org/g",
        "is_open": "",
        "capacity": "12",
    }
    assert client.post(url, data).status_code == 302
    group.refresh_from_db()
    assert (group.is_open, group.capacity, group.guidelines) == (False, 12, "Read this.")
    assert group.links == [
        {"label": "Chat", "url": "https://chat.example.org/g"},
        {"label": "Docs", "url": "https://docs.example.org/g"},
    ]
    entry = ActivityLog.objects.get(action="working_groups.group.updated")
    assert entry.note == "Changed: short_description, description, guidelines, links, is_open, capacity"
    response = client.post(url, {**data, "links": "no address here"})
    assert (
        response.status_code == 200
        and "Line 1: write &quot;Label | https://address&quot;." in response.content.decode()
    )


def test_post_progress_update(client, group, chair):
    client.force_login(chair)
    response = client.post(f"/groups/{group.slug}/manage/progress/", {"title": "Done", "body": "We **did** it."})
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.working_group, update.author, update.title) == (group, chair, "Done")
    assert "<strong>did</strong>" in client.get(group.get_absolute_url()).content.decode()
    assert client.post(f"/groups/{group.slug}/manage/progress/", {"title": "", "body": ""}).status_code == 200


def test_organizer_creates_a_group_and_appoints_its_chair(client, organizer, volunteer):
    client.force_login(organizer)
    response = client.post(
        "/groups/new/",
        {"name": "Biomedical", "slug": "biomedical", "short_description": "Bio.", "is_open": "on", "links": ""},
    )
    assert response.status_code == 302 and response.url == "/groups/biomedical/manage/"
    response = client.post("/groups/biomedical/manage/chairs/appoint/", {"email": volunteer.email})
    assert Participation.objects.get(user=volunteer).role.slug == "chair"
    response = client.post("/groups/biomedical/manage/chairs/appoint/", {"email": "nobody@example.org"}, follow=True)
    assert "No account uses that e-mail address" in response.content.decode()
    assert client.post("/groups/new/", {"name": "", "slug": ""}).status_code == 200


def test_only_organizers_create_groups(client, chair):
    client.force_login(chair)
    assert client.get("/groups/new/").status_code == 403
    assert client.post("/groups/new/", {"name": "X", "slug": "x", "short_description": "x"}).status_code == 403
    assert not WorkingGroup.objects.filter(slug="x").exists()


def test_group_history_shows_this_groups_changes_only(client, group, chair, seat, other_group, organizer):
    services.remove_member(seat(), actor=chair, reason="Gone quiet")
    services.invite_by_email(group=other_group, email="elsewhere@example.org", actor=organizer)
    client.force_login(chair)
    response = client.get(f"/groups/{group.slug}/manage/history/")
    assert [(e.action, e.note) for e in response.context["entries"]] == [("roles.participation.removed", "Gone quiet")]
    assert "elsewhere@example.org" not in response.content.decode()
    response = client.get(f"/groups/{group.slug}/manage/history/", {"action": "roles.invitation.sent"})
    assert list(response.context["entries"]) == []


# --- public pages: no leak ------------------------------------------------------------------


@pytest.fixture
def private_member(group, seat):
    user = UserFactory(email="secret.sam@example.org", profile=False)
    ProfileFactory(user=user, display_name="Secret Sam", affiliation="Hidden Lab", show_in_directory=False)
    return seat(user=user)


def test_public_pages_show_directory_members_only_and_no_email(client, group, chair, seat, private_member):
    public = UserFactory(email="open.olga@example.org", profile=False)
    ProfileFactory(user=public, display_name="Open Olga", affiliation="Open Lab", show_in_directory=True)
    seat(user=public)
    pages = [
        "/groups/",
        group.get_absolute_url(),
        "/roles/figures/",
        "/roles/steering-committee/",
        "/roles/",
        "/roles/participant/",
    ]
    for user in (None, UserFactory(), chair):
        if user:
            client.force_login(user)
        for url in pages:
            html = client.get(url).content.decode()
            for secret in ("secret.sam@example.org", "Secret Sam", "Hidden Lab", "open.olga@example.org", chair.email):
                assert secret not in html, (url, secret)
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Open Olga" in html and "Open Lab" in html


def test_group_list_shows_chairs_member_count_and_state(client, group, chair, seat):
    chair.profile.show_in_directory = True
    chair.profile.save()
    seat()
    seat(status="waiting")
    WorkingGroupFactory(name="Closed Group", is_open=False)
    response = client.get("/groups/")
    listed = {g.name: (g.member_count, [s.user for s in g.chair_seats], g.is_open) for g in response.context["groups"]}
    assert listed == {group.name: (2, [chair], True), "Closed Group": (0, [], False)}
    html = response.content.decode()
    assert chair.profile.display_name in html and "Closed" in html


def test_group_page_says_how_to_join(client, group, volunteer):
    html = client.get(group.get_absolute_url()).content.decode()
    assert f"/roles/participant/?group={group.pk}" in html
    group.is_open = False
    group.save()
    assert "closed to applications at the moment" in client.get(group.get_absolute_url()).content.decode()
    assert client.get("/groups/nope/").status_code == 404
    assert client.post(group.get_absolute_url()).status_code == 405


# --- query counts ---------------------------------------------------------------------------


def test_group_list_query_count_is_constant(client, django_assert_num_queries, chair_role, participant_role):
    def add_rows():
        for _ in range(6):
            group = WorkingGroupFactory()
            ParticipationFactory(role=chair_role, working_group=group)
            ParticipationFactory.create_batch(3, role=participant_role, working_group=group)

    add_rows()
    assert_constant_queries(client, "/groups/", add_rows, django_assert_num_queries)


def test_group_page_query_count_is_constant(client, group, chair, seat, django_assert_num_queries):
    seat()
    ProgressUpdate.objects.create(working_group=group, author=chair, title="One", body="x")

    def add_rows():
        for n in range(8):
            seat()
            ProgressUpdate.objects.create(working_group=group, author=chair, title=f"T{n}", body="x")

    assert_constant_queries(client, group.get_absolute_url(), add_rows, django_assert_num_queries)


def test_manage_page_query_count_is_constant(client, group, chair, seat, participant_role, django_assert_num_queries):
    def add_rows():
        for _ in range(5):
            seat()
            services.submit_application(user=UserFactory(), role=participant_role, working_group=group)
            services.invite_by_email(group=group, email=f"{UserFactory.build().email}", actor=chair)

    add_rows()
    client.force_login(chair)
    assert_constant_queries(client, f"/groups/{group.slug}/manage/", add_rows, django_assert_num_queries)


def test_group_history_query_count_is_constant(client, group, chair, seat, django_assert_num_queries):
    def add_rows():
        for _ in range(5):
            services.remove_member(seat(), actor=chair, reason="x")

    add_rows()
    client.force_login(chair)
    assert_constant_queries(client, f"/groups/{group.slug}/manage/history/", add_rows, django_assert_num_queries)


def test_manage_page_pages_a_large_roster_and_keeps_the_filters(client, group, chair, seat):
    members = [seat() for _ in range(55)]
    client.force_login(chair)
    first = client.get(f"/groups/{group.slug}/manage/")
    assert len(first.context["members"]) == 50
    assert first.context["page"].paginator.count == 56  # 55 participants and the chair
    second = client.get(f"/groups/{group.slug}/manage/?role=participant&page=2")
    assert second.status_code == 200
    shown = {m.pk for m in second.context["members"]}
    assert shown <= {m.pk for m in members}
    assert len(shown) == 5
    assert 'href="?role=participant&amp;page=1"' in second.content.decode()
    assert client.get(f"/groups/{group.slug}/manage/?page=999").status_code == 200  # past the end: the last page
    assert client.get(f"/groups/{group.slug}/manage/?page=abc").status_code == 200


def test_sole_chair_is_not_offered_to_step_down(client, group, chair):
    client.force_login(chair)
    html = client.get(f"/groups/{group.slug}/manage/").content.decode()
    assert "Make participant" not in html


def test_manage_page_pages_pending_applications_oldest_first(client, group, chair, participant_role):
    applications = [
        services.submit_application(user=UserFactory(), role=participant_role, working_group=group) for _ in range(23)
    ]
    client.force_login(chair)
    first = client.get(f"/groups/{group.slug}/manage/")
    assert [a.pk for a in first.context["applications"]] == [a.pk for a in applications[:20]]
    assert "Pending applications (23)" in first.content.decode()
    second = client.get(f"/groups/{group.slug}/manage/?apage=2")
    assert [a.pk for a in second.context["applications"]] == [a.pk for a in applications[20:]]
