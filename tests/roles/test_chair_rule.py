"""The chair rule (issue 12), on every path: chairs coordinate, organizers appoint.

Only organizers promote a participant to co-chair, demote a chair or co-chair, or remove one; a
chair may step down themself, never as the last chair. Each test is a sequence a chair could try,
through the pages and through the API, and shows the database and the activity log unchanged after
every refused step.
"""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from activity.models import ActivityLog
from roles import services
from roles.models import Participation
from tests.activity.rows import activity_rows

pytestmark = pytest.mark.django_db


def _state(group):
    return (
        list(
            Participation.objects.filter(working_group=group)
            .order_by("pk")
            .values_list("user_id", "role__slug", "status", "end_reason")
        ),
        list(ActivityLog.objects.order_by("pk").values_list("pk", "action")),
        len(mail.outbox),
    )


def _page_client(client, user):
    client.force_login(user)
    return client


def _api_client(user):
    api = APIClient()
    api.force_login(user)
    return api


@pytest.fixture
def co_chair(group, member, organizer):
    """The member, made a co-chair by an organizer."""
    return services.set_chair(Participation.objects.get(user=member), actor=organizer, chair=True)


def test_a_chair_can_neither_demote_nor_then_remove_an_organizer_appointed_co_chair_by_pages(
    client, group, chair, co_chair
):
    before = _state(group)
    base = f"/groups/{group.slug}/manage/members/{co_chair.pk}/"
    page = _page_client(client, chair)
    assert page.post(base + "chair/", {"chair": "no"}).status_code == 403
    assert _state(group) == before
    # ...then, as if the demotion had worked, as a plain member: refused too, form and all.
    assert page.get(base + "remove/").status_code == 403
    assert page.post(base + "remove/", {"reason": "Not needed"}).status_code == 403
    assert _state(group) == before
    # The manage page offers the chair neither action on the co-chair.
    html = page.get(f"/groups/{group.slug}/manage/").content.decode()
    assert base + "remove/" not in html
    assert base + "chair/" not in html


def test_a_chair_can_neither_demote_nor_then_remove_an_organizer_appointed_co_chair_by_api(group, chair, co_chair):
    before = _state(group)
    api = _api_client(chair)
    url = f"/api/v1/participations/{co_chair.pk}/"
    response = api.post(url + "chair/", {"chair": False}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert _state(group) == before
    response = api.post(url + "remove/", {"reason": "Not needed"}, format="json")
    assert response.status_code == 403
    assert _state(group) == before


def test_a_chair_cannot_promote_then_appoint_a_participant(client, group, chair, organizer, seat):
    participant = seat()
    before = _state(group)
    page = _page_client(client, chair)
    assert (
        page.post(f"/groups/{group.slug}/manage/members/{participant.pk}/chair/", {"chair": "yes"}).status_code == 403
    )
    assert (
        page.post(f"/groups/{group.slug}/manage/chairs/appoint/", {"email": participant.user.email}).status_code == 403
    )
    api = _api_client(chair)
    response = api.post(f"/api/v1/participations/{participant.pk}/chair/", {"chair": True}, format="json")
    assert response.status_code == 403
    assert _state(group) == before
    # The organizer can, once: the second attempt is refused as bad input, not repeated.
    response = _api_client(organizer).post(
        f"/api/v1/participations/{participant.pk}/chair/", {"chair": True}, format="json"
    )
    assert (response.status_code, response.json()["role"]) == (200, "chair")
    assert activity_rows("action", "actor", "subject", "from_state", "to_state", action="roles.participation.promoted")[
        -1
    ] == ("roles.participation.promoted", organizer.pk, participant.user_id, "participant", "chair")


def test_a_co_chair_cannot_demote_the_chair_but_steps_down_themself(client, group, chair, co_chair, organizer):
    own_seat = Participation.objects.get(user=chair, status="active")
    before = _state(group)
    page = _page_client(client, co_chair.user)
    assert page.post(f"/groups/{group.slug}/manage/members/{own_seat.pk}/chair/", {"chair": "no"}).status_code == 403
    assert _state(group) == before
    # Stepping down themself is theirs to do (two chairs: allowed), through the API here.
    response = _api_client(co_chair.user).post(
        f"/api/v1/participations/{co_chair.pk}/chair/", {"chair": False}, format="json"
    )
    assert (response.status_code, response.json()["role"]) == (200, "participant")
    assert activity_rows("action", "actor", "subject", action="roles.participation.demoted") == [
        ("roles.participation.demoted", co_chair.user_id, co_chair.user_id)
    ]
    # Now the last chair: stepping down is refused (409), on the API and on the page, and nothing changes.
    before = _state(group)
    response = _api_client(chair).post(f"/api/v1/participations/{own_seat.pk}/chair/", {"chair": False}, format="json")
    assert response.status_code == 409
    page = _page_client(client, chair)
    response = page.post(f"/groups/{group.slug}/manage/members/{own_seat.pk}/chair/", {"chair": "no"}, follow=True)
    assert "would have no chair left" in response.content.decode()
    assert _state(group) == before


def test_organizers_demote_and_remove_a_co_chair(client, group, chair, co_chair, organizer):
    page = _page_client(client, organizer)
    base = f"/groups/{group.slug}/manage/members/"
    assert page.post(base + f"{co_chair.pk}/chair/", {"chair": "no"}).status_code == 302
    demoted = Participation.objects.get(user=co_chair.user, status="active")
    assert demoted.role.slug == "participant"
    assert page.post(base + f"{demoted.pk}/remove/", {"reason": "Moved on"}).status_code == 302
    assert activity_rows("action", "actor", "subject", "from_state", "to_state", subject=co_chair.user) == [
        ("roles.participation.promoted", organizer.pk, co_chair.user_id, "participant", "chair"),
        ("roles.participation.demoted", organizer.pk, co_chair.user_id, "chair", "participant"),
        ("roles.participation.removed", organizer.pk, co_chair.user_id, "active", "ended"),
    ]
