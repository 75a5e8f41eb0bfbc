"""The guided tasks in the API, and the group tokens a working group's tool uses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.tokens import create_token
from activity.models import ActivityLog
from tasks import services
from tasks.models import Claim, Contribution, GroupToken, Task
from tests.factories import UserFactory, WorkingGroupFactory

from .factories import ClaimFactory, ContributionFactory, TaskFactory

pytestmark = pytest.mark.django_db


def client_for(user=None, raw=None) -> APIClient:
    client = APIClient()
    if user is not None:
        raw = create_token(user=user, name="script")[1]
    if raw is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_public_task_list_hides_drafts_and_shows_progress(task, chair):
    TaskFactory(working_group=task.working_group, status=Task.Status.DRAFT, title="Secret draft")
    Task.objects.filter(pk=task.pk).update(accepted_items=25)
    body = client_for().get("/api/v1/tasks/").json()
    assert [t["title"] for t in body["results"]] == [task.title]
    row = body["results"][0]
    assert (row["done"], row["remaining"], sorted(row["languages"])) == (25, 75, ["en", "sw"])
    assert sorted(row["missing_languages"]) == ["en", "sw"]
    draft = Task.objects.get(title="Secret draft")
    assert client_for().get(f"/api/v1/tasks/{draft.pk}/").status_code == 404


def test_task_list_filters_by_language(task):
    TaskFactory(languages=["fr"], title="French task")
    body = client_for().get("/api/v1/tasks/?language=sw").json()
    assert [t["title"] for t in body["results"]] == [task.title]


def test_task_list_queries_are_constant(task):
    client = client_for()
    client.get("/api/v1/tasks/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/tasks/")
    for _ in range(6):
        other = TaskFactory(languages=["yo", "ig"])
        ContributionFactory(claim=ClaimFactory(task=other), status="accepted")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/tasks/").json()["results"]) == 7
    assert len(many.captured_queries) == len(few.captured_queries)


def test_claim_report_and_review_through_the_api(task, attendant, chair):
    me = client_for(attendant)
    response = me.post("/api/v1/me/task-claims/", {"task": task.pk}, format="json")
    assert response.status_code == 201, response.json()
    claim_id = response.json()["id"]
    response = me.post("/api/v1/me/contributions/", {"claim": claim_id, "items": 30, "language": "sw"}, format="json")
    assert response.status_code == 201, response.json()
    contribution_id = response.json()["id"]
    # The contributor cannot review their own work: it is not even in their queue.
    assert me.get(f"/api/v1/task-contributions/{contribution_id}/").status_code == 404
    reviewer = client_for(chair)
    assert [c["id"] for c in reviewer.get("/api/v1/task-contributions/").json()["results"]] == [contribution_id]
    response = reviewer.post(
        f"/api/v1/task-contributions/{contribution_id}/decide/", {"decision": "accept"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert client_for().get(f"/api/v1/tasks/{task.pk}/").json()["done"] == 30


def test_claim_on_a_closed_task_is_a_409_with_the_reason(task, attendant):
    Task.objects.filter(pk=task.pk).update(status="closed")
    response = client_for(attendant).post("/api/v1/me/task-claims/", {"task": task.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "This task is closed: it takes no more claims or reports."


def test_report_on_another_persons_claim_is_refused(task, attendant):
    claim = ClaimFactory(task=task)
    response = client_for(attendant).post("/api/v1/me/contributions/", {"claim": claim.pk, "items": 3}, format="json")
    assert response.status_code == 400 and "claim" in response.json()["fields"]
    assert not Contribution.objects.exists()


def test_another_groups_chair_cannot_see_or_decide_a_contribution(task):
    from tests.factories import ParticipationFactory, RoleFactory

    outsider = ParticipationFactory(role=RoleFactory(slug="chair"), working_group=WorkingGroupFactory()).user
    contribution = ContributionFactory(claim=ClaimFactory(task=task))
    client = client_for(outsider)
    assert client.get("/api/v1/task-contributions/").json()["results"] == []
    response = client.post(f"/api/v1/task-contributions/{contribution.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 404
    contribution.refresh_from_db()
    assert contribution.status == "submitted"


# --- group tokens -----------------------------------------------------------------------------


@pytest.fixture
def report_token(group, chair):
    return services.create_group_token(
        group=group, actor=chair, name="annotation server", action="report_contributions"
    )


def test_group_token_is_stored_hashed_and_shown_once(report_token):
    token, raw = report_token
    assert raw.startswith("bsg_") and raw not in {token.digest, token.prefix}
    assert GroupToken.objects.filter(digest=token.digest).count() == 1
    assert not GroupToken.objects.filter(digest=raw).exists()
    assert ActivityLog.objects.filter(action="tasks.token.created").count() == 1


def test_group_tool_reports_for_a_person_who_claimed(task, attendant, report_token):
    token, raw = report_token
    services.claim_task(task, user=attendant)
    response = client_for(raw=raw).post(
        "/api/v1/tool/contributions/",
        {"task": task.pk, "person": attendant.email, "items": 12, "language": "sw"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    contribution = Contribution.objects.get()
    assert (contribution.user, contribution.items, contribution.reported_with) == (attendant, 12, token)
    row = ActivityLog.objects.get(action="tasks.contribution.reported")
    assert row.actor is None and row.note == "12 items via token annotation server"


def test_group_token_cannot_act_on_another_groups_task(attendant, report_token):
    _token, raw = report_token
    other = TaskFactory(working_group=WorkingGroupFactory())
    ClaimFactory(task=other, user=attendant)
    response = client_for(raw=raw).post(
        "/api/v1/tool/contributions/", {"task": other.pk, "person": attendant.email, "items": 1}, format="json"
    )
    assert response.status_code == 404
    assert not Contribution.objects.exists()


def test_group_token_cannot_do_another_action(group, chair, task, attendant, report_token):
    _token, report_raw = report_token
    _read, read_raw = services.create_group_token(group=group, actor=chair, name="dashboard", action="read_claims")
    ClaimFactory(task=task, user=attendant)
    # The reporting token cannot read the claims; the reading token cannot report.
    assert client_for(raw=report_raw).get("/api/v1/tool/claims/").status_code == 403
    response = client_for(raw=read_raw).post(
        "/api/v1/tool/contributions/", {"task": task.pk, "person": attendant.email, "items": 1}, format="json"
    )
    assert response.status_code == 403
    assert not Contribution.objects.exists()
    claims = client_for(raw=read_raw).get("/api/v1/tool/claims/").json()["results"]
    assert [(c["task"], c["person"]) for c in claims] == [(task.pk, attendant.email)]


def test_group_token_is_not_a_personal_token(report_token, chair):
    _token, raw = report_token
    assert client_for(raw=raw).get("/api/v1/me/task-claims/").status_code == 401
    assert client_for(raw=raw).get("/api/v1/me/profile/").status_code == 401
    personal = create_token(user=chair, name="script")[1]
    assert client_for(raw=personal).get("/api/v1/tool/claims/").status_code == 401


def test_revoked_group_token_stops_working(task, attendant, chair, report_token):
    token, raw = report_token
    services.claim_task(task, user=attendant)
    services.revoke_group_token(token, actor=chair)
    response = client_for(raw=raw).post(
        "/api/v1/tool/contributions/", {"task": task.pk, "person": attendant.email, "items": 1}, format="json"
    )
    assert response.status_code == 401
    assert not Contribution.objects.exists()


def test_tokens_are_managed_only_by_the_groups_managers(group, member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_group_token(group=group, actor=member, name="x", action="read_claims")
    assert not GroupToken.objects.exists()


def test_tool_report_for_a_person_without_a_claim_is_a_409(task, attendant, report_token):
    _token, raw = report_token
    response = client_for(raw=raw).post(
        "/api/v1/tool/contributions/", {"task": task.pk, "person": attendant.email, "items": 1}, format="json"
    )
    assert response.status_code == 409 and response.json()["detail"] == "This person has no active claim on this task."
    assert Claim.objects.count() == 0 and UserFactory  # nothing claimed on their behalf
