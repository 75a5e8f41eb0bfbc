"""The pages: board, task, languages, claiming and reporting, review, the chairs' tools."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Profile
from tasks import services
from tasks.models import Claim, Contribution, GroupToken, Task
from tests.factories import ProfileFactory, UserFactory

from .factories import ClaimFactory, ContributionFactory, TaskFactory

pytestmark = pytest.mark.django_db


def assert_constant_queries(client, url, add_rows):
    """The page costs the same number of queries with one row and with many."""
    assert client.get(url).status_code == 200  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_rows()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]
    return response


def _more_tasks(n=8):
    def add():
        for _ in range(n):
            task = TaskFactory(languages=["sw", "yo"])
            claim = ClaimFactory(task=task)
            ContributionFactory(claim=claim, status="accepted", language_id="sw")

    return add


def test_board_queries_are_constant_for_visitors_and_people(client, task, attendant):
    response = assert_constant_queries(client, "/tasks/?language=all", _more_tasks())
    assert response.content.decode().count('class="card task-card"') == 9
    client.force_login(attendant)
    assert_constant_queries(client, "/tasks/", _more_tasks())


def test_board_defaults_to_the_profile_languages(client, task, attendant):
    TaskFactory(languages=["fr"], title="Une tâche en français")
    TaskFactory(title="Any language at all")
    client.force_login(attendant)
    page = client.get("/tasks/").content.decode()
    assert task.title in page and "Any language at all" in page
    assert "Une tâche en français" not in page
    everything = client.get("/tasks/?language=all").content.decode()
    assert "Une tâche en français" in everything


def test_board_filters_and_hides_drafts_and_closed(client, task):
    TaskFactory(status=Task.Status.DRAFT, title="Draft task")
    TaskFactory(status=Task.Status.CLOSED, title="Closed task")
    TaskFactory(level=Task.Level.EXPERIENCED, title="Hard task")
    page = client.get("/tasks/?language=all&level=first").content.decode()
    assert task.title in page
    assert "Draft task" not in page and "Closed task" not in page and "Hard task" not in page
    assert client.get("/tasks/?language=zz&level=nonsense&page=abc").status_code == 200


def test_board_shows_progress_and_missing_languages(client, task):
    ContributionFactory(claim=ClaimFactory(task=task), status="accepted", language_id="sw", items=30)
    Task.objects.filter(pk=task.pk).update(accepted_items=30)
    page = client.get("/tasks/?language=all").content.decode()
    assert f'<progress id="progress-{task.pk}" max="100" value="30">' in page
    assert "30 of 100 items accepted (30%)" in page
    assert "<dt>Still missing</dt><dd>English</dd>" in page


def test_task_page_queries_are_constant(client, task):
    def add():
        for _ in range(6):
            ContributionFactory(claim=ClaimFactory(task=task), status="accepted", language_id="en")

    assert_constant_queries(client, f"/tasks/{task.pk}/", add)


def test_draft_task_is_a_404_to_others_and_visible_to_its_chair(client, task, chair, attendant):
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DRAFT)
    assert client.get(f"/tasks/{task.pk}/").status_code == 404
    client.force_login(attendant)
    assert client.get(f"/tasks/{task.pk}/").status_code == 404
    assert client.get("/tasks/999999/").status_code == 404
    client.force_login(chair)
    assert client.get(f"/tasks/{task.pk}/").status_code == 200


def test_languages_page_counts_names_and_queries_are_constant(client, task):
    ProfileFactory(user=UserFactory(profile=False), display_name="Listed Speaker", languages=["sw"])
    hidden = ProfileFactory(user=UserFactory(profile=False), display_name="Hidden Speaker", languages=["sw"])
    Profile.objects.exclude(pk=hidden.pk).update(show_in_directory=True)

    def add():
        _more_tasks(5)()
        for n in range(5):
            ProfileFactory(user=UserFactory(profile=False), display_name=f"Yoruba {n}", languages=["yo"])

    page = assert_constant_queries(client, "/tasks/languages/", add).content.decode()
    assert "Listed Speaker" in page and "Hidden Speaker" not in page
    assert 'id="lang-sw"' in page and 'aria-label="2 speakers, 6 open tasks, 25 accepted items"' in page


def test_claiming_from_the_page_asks_for_consent_then_grants_the_role(client, task, attendant_role):
    person = UserFactory(profile={"languages": ["sw"]})
    client.force_login(person)
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "makes you a Workshop Attendant" in page
    response = client.post(f"/tasks/{task.pk}/claim/", follow=True)
    assert "tick the box" in response.content.decode()
    assert not Claim.objects.exists()
    response = client.post(f"/tasks/{task.pk}/claim/", {"become_attendant": "on"})
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tasks/claims/{claim.pk}/"
    assert person.participations.get().role.slug == "attendant"


def test_report_page_is_the_claimants_only(client, task, attendant):
    claim = services.claim_task(task, user=attendant)
    client.force_login(UserFactory())
    assert client.get(f"/tasks/claims/{claim.pk}/").status_code == 404
    assert client.post(f"/tasks/claims/{claim.pk}/", {"items": 3}).status_code == 404
    assert client.post(f"/tasks/claims/{claim.pk}/release/").status_code == 404
    assert not Contribution.objects.exists()
    client.force_login(attendant)
    response = client.post(f"/tasks/claims/{claim.pk}/", {"items": "30", "language": "sw", "link": "", "note": ""})
    assert response.status_code == 302
    assert list(Contribution.objects.values_list("user", "items", "status")) == [(attendant.pk, 30, "submitted")]


def test_bad_report_input_is_explained_and_changes_nothing(client, task, attendant):
    claim = services.claim_task(task, user=attendant)
    client.force_login(attendant)
    response = client.post(f"/tasks/claims/{claim.pk}/", {"items": "-3", "language": "fr", "link": "not a link"})
    assert response.status_code == 200
    assert not Contribution.objects.exists()
    Task.objects.filter(pk=task.pk).update(status="paused")
    response = client.post(f"/tasks/claims/{claim.pk}/", {"items": "3"})
    assert "paused" in response.content.decode() and not Contribution.objects.exists()


def test_review_page_and_decision(client, task, attendant, chair):
    claim = services.claim_task(task, user=attendant)
    contribution = services.report_contribution(claim, actor=attendant, items=30)
    for person in (attendant, UserFactory()):
        client.force_login(person)
        assert client.get(f"/tasks/{task.pk}/review/").status_code == 403
        assert client.post(f"/tasks/contributions/{contribution.pk}/review/", {"decision": "accept"}).status_code == 404
    client.force_login(chair)
    assert client.get(f"/tasks/{task.pk}/review/").status_code == 200
    client.post(f"/tasks/contributions/{contribution.pk}/review/", {"decision": "accept", "note": ""})
    contribution.refresh_from_db()
    task.refresh_from_db()
    assert contribution.status == "accepted" and task.accepted_items == 30
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "30 of 100 items accepted (30%)" in page


def test_my_participation_shows_claims_and_accepted_contributions(client, task, attendant, chair):
    claim = services.claim_task(task, user=attendant)
    services.review_contribution(
        services.report_contribution(claim, actor=attendant, items=7), actor=chair, decision="accept"
    )
    client.force_login(attendant)
    page = client.get("/me/participation/").content.decode()
    assert "Tasks I claimed" in page and task.title in page
    assert "1 accepted contribution, 7 items in all." in page


def test_group_tasks_page_creates_a_token_shown_once(client, group, chair, member, task):
    client.force_login(member)
    assert client.get(f"/tasks/groups/{group.slug}/").status_code == 403
    assert client.post(f"/tasks/groups/{group.slug}/tokens/", {"name": "x", "action": "read_claims"}).status_code == 403
    assert not GroupToken.objects.exists()
    client.force_login(chair)
    client.post(f"/tasks/groups/{group.slug}/tokens/", {"name": "Label Studio", "action": "report_contributions"})
    first = client.get(f"/tasks/groups/{group.slug}/").content.decode()
    second = client.get(f"/tasks/groups/{group.slug}/").content.decode()
    assert first.count("bsg_") == 2 and "copy it now" in first  # the full token, and the prefix column
    assert "copy it now" not in second and second.count("bsg_") == 1
    token = GroupToken.objects.get()
    client.post(f"/tasks/groups/{group.slug}/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_chair_creates_publishes_and_copies_a_task_from_the_pages(client, group, chair):
    client.force_login(chair)
    response = client.post(
        f"/tasks/groups/{group.slug}/new/",
        {
            "title": "Describe Swahili sources",
            "summary": "Sources",
            "guidelines": "Fill the sheet.",
            "level": "first",
            "unit": "items",
            "amount_needed": "40",
            "work_url": "https://sheet.example.org/",
            "over_report": "refuse",
            "languages": ["sw"],
        },
    )
    task = Task.objects.get()
    assert response["Location"] == f"/tasks/{task.pk}/" and task.status == "draft"
    client.post(f"/tasks/{task.pk}/status/", {"status": "open"})
    task.refresh_from_db()
    assert task.status == "open"
    response = client.post(f"/tasks/{task.pk}/copy/")
    copy = Task.objects.exclude(pk=task.pk).get()
    assert response["Location"] == f"/tasks/{copy.pk}/edit/" and copy.status == "draft"
    response = client.post(f"/tasks/{task.pk}/status/", {"status": "draft"}, follow=True)
    assert "cannot become draft" in response.content.decode()


def test_board_and_task_pages_have_no_inline_style_or_script(client, task):
    for url in ("/tasks/", f"/tasks/{task.pk}/", "/tasks/languages/"):
        page = client.get(url).content.decode()
        assert "style=" not in page and "<script>" not in page
