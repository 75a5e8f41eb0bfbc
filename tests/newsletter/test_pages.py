"""Archive, issue pages and feedback, organizers' pages: who sees what, who may do what."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from newsletter import tokens
from newsletter.models import Feedback, Issue, NewsPost
from tests.activity.rows import activity_about
from tests.factories import (
    FeedbackFactory,
    IssueFactory,
    IssueItemFactory,
    NewsPostFactory,
    ParticipationFactory,
    RoleFactory,
    UserFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.fixture
def issues(db):
    public = IssueFactory(title="Public issue", is_public=True)
    private = IssueFactory(title="Members issue", is_public=False)
    draft = IssueFactory(title="Draft issue", status="draft")
    return public, private, draft


def _titles(response) -> set:
    return {issue.title for issue in response.context["issues"]}


# The archive ----------------------------------------------------------------------------------------


def test_the_public_sees_only_public_sent_issues(client, issues):
    public, private, draft = issues
    response = client.get(reverse("newsletter:issue_list"))
    assert _titles(response) == {"Public issue"}
    assert "Members issue" not in response.content.decode()
    assert client.get(private.get_absolute_url()).status_code == 404
    assert client.get(reverse("newsletter:issue_detail", args=[draft.number])).status_code == 404
    assert client.get(public.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("person", ["advisor", "member", "chair", "organizer"])
def test_members_and_organizers_see_every_sent_issue(client, issues, person, request):
    client.force_login(request.getfixturevalue(person))
    assert _titles(client.get(reverse("newsletter:issue_list"))) == {"Public issue", "Members issue"}
    assert client.get(issues[1].get_absolute_url()).status_code == 200
    assert client.get(reverse("newsletter:issue_detail", args=[issues[2].number])).status_code == 404


@pytest.mark.parametrize("role", [None, "attendant"])
def test_a_plain_user_or_attendant_sees_only_public_issues(client, issues, role):
    user = UserFactory()
    if role:
        ParticipationFactory(user=user, role=RoleFactory(slug=role))
    client.force_login(user)
    assert _titles(client.get(reverse("newsletter:issue_list"))) == {"Public issue"}
    assert client.get(issues[1].get_absolute_url()).status_code == 404


def test_the_emails_signed_link_opens_a_members_issue(client, issues):
    private = issues[1]
    token = tokens.reader_token(private.pk, "reader@example.org")
    response = client.get(f"{private.get_absolute_url()}?r={token}")
    assert response.status_code == 200
    assert response.context["reader"] == "reader@example.org"
    other = tokens.reader_token(issues[0].pk, "reader@example.org")  # a link of another issue
    assert client.get(f"{private.get_absolute_url()}?r={other}").status_code == 404
    assert client.get(f"{private.get_absolute_url()}?r={token}x").status_code == 404


def test_archive_query_count_is_constant(client, advisor, django_assert_num_queries):
    client.force_login(advisor)
    IssueFactory()
    client.get(reverse("newsletter:issue_list"))  # warm the session
    few = _count(client, reverse("newsletter:issue_list"))
    IssueFactory.create_batch(12)
    with django_assert_num_queries(few):
        response = client.get(reverse("newsletter:issue_list"))
    assert len(response.context["issues"]) == 13


def test_issue_page_shows_sanitised_items(client):
    issue = IssueFactory(is_public=True, editorial="Hi <script>alert(1)</script> **all**")
    IssueItemFactory(issue=issue, title="Moon", body="Up <script>alert(2)</script> <img src=x onerror=alert(3)>")
    IssueItemFactory(issue=issue, title="Left out", included=False)
    html = client.get(issue.get_absolute_url()).content.decode()
    assert "<strong>all</strong>" in html and "Moon" in html
    assert "alert(" not in html and "onerror" not in html
    assert "Left out" not in html


# Feedback ---------------------------------------------------------------------------------------------


def test_an_advisor_leaves_feedback_on_an_item(client, advisor):
    issue = IssueFactory()
    item = IssueItemFactory(issue=issue, title="Moon")
    client.force_login(advisor)
    response = client.post(issue.get_absolute_url(), {"item": item.pk, "body": "Great news."})
    assert response.status_code == 302
    assert list(Feedback.objects.values_list("issue", "item", "user", "email", "body")) == [
        (issue.pk, item.pk, advisor.pk, advisor.email, "Great news.")
    ]


def test_a_recipient_leaves_feedback_from_the_email_link_without_signing_in(client):
    issue = IssueFactory()
    issue.deliveries.create(email="reader@example.org", name="Rea Der", status="sent")
    token = tokens.reader_token(issue.pk, "reader@example.org")
    response = client.post(issue.get_absolute_url(), {"item": "", "body": "Loved it", "r": token})
    assert response.status_code == 302
    assert response["Location"] == f"{issue.get_absolute_url()}?r={token}#feedback"
    assert list(Feedback.objects.values_list("item", "user", "email", "name", "body")) == [
        (None, None, "reader@example.org", "Rea Der", "Loved it")
    ]


@pytest.mark.parametrize("person", [None, "user", "member", "chair"])
def test_feedback_is_refused_to_who_is_not_a_reader(client, person, request):
    issue = IssueFactory(is_public=True)
    if person:
        client.force_login(request.getfixturevalue(person))
    response = client.post(issue.get_absolute_url(), {"body": "Spam"})
    assert response.status_code == 403
    assert Feedback.objects.count() == 0


def test_empty_feedback_shows_the_form_again(client, advisor):
    issue = IssueFactory()
    client.force_login(advisor)
    response = client.post(issue.get_absolute_url(), {"body": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["body"] == ["This field is required."]
    assert Feedback.objects.count() == 0


def test_feedback_on_an_item_of_another_issue_is_refused(client, advisor):
    issue, other = IssueFactory(), IssueFactory()
    foreign = IssueItemFactory(issue=other)
    client.force_login(advisor)
    response = client.post(issue.get_absolute_url(), {"item": foreign.pk, "body": "Hm"})
    assert response.status_code == 200
    assert "item" in response.context["form"].errors
    assert Feedback.objects.count() == 0


def test_organizers_see_all_feedback_with_counts(client, organizer):
    first, second = IssueFactory(), IssueFactory()
    FeedbackFactory.create_batch(2, issue=first)
    FeedbackFactory(issue=second, body="Second issue")
    client.force_login(organizer)
    response = client.get(reverse("newsletter:feedback_list"))
    assert {(row["issue__number"], row["count"]) for row in response.context["counts"]} == {
        (first.number, 2),
        (second.number, 1),
    }
    assert len(response.context["feedback"]) == 3


def test_chairs_see_the_feedback_on_their_groups_items_only(client, chair, group):
    issue = IssueFactory()
    mine = IssueItemFactory(issue=issue, kind="progress", working_group=group)
    theirs = IssueItemFactory(issue=issue, kind="progress", working_group=WorkingGroupFactory())
    FeedbackFactory(issue=issue, item=mine, body="About your group")
    FeedbackFactory(issue=issue, item=theirs, body="About another group")
    FeedbackFactory(issue=issue, body="About the whole issue")
    client.force_login(chair)
    response = client.get(reverse("newsletter:feedback_list"))
    assert [f.body for f in response.context["feedback"]] == ["About your group"]
    html = response.content.decode()
    assert "About another group" not in html and "About the whole issue" not in html


@pytest.mark.parametrize("person", ["user", "member", "advisor"])
def test_feedback_page_refused_to_who_is_neither_organizer_nor_chair(client, person, request):
    FeedbackFactory(body="Secret")
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse("newsletter:feedback_list"))
    assert response.status_code == 403
    assert b"Secret" not in response.content


def test_feedback_page_query_count_is_constant(client, organizer, django_assert_num_queries):
    client.force_login(organizer)
    FeedbackFactory(item=IssueItemFactory())
    client.get(reverse("newsletter:feedback_list"))
    few = _count(client, reverse("newsletter:feedback_list"))
    for _ in range(5):
        FeedbackFactory(item=IssueItemFactory(kind="progress", working_group=WorkingGroupFactory()))
    with django_assert_num_queries(few):
        client.get(reverse("newsletter:feedback_list"))


# The organizers' pages -----------------------------------------------------------------------------------


ORGANIZER_GETS = ["manage", "issue_manage", "issue_edit", "issue_preview_html"]
ORGANIZER_POSTS = ["issue_draft", "refresh", "test", "approve", "unapprove", "resend", "public"]


def _url(name, issue):
    if name == "manage":
        return reverse("newsletter:manage")
    if name == "issue_draft":
        return reverse("newsletter:issue_draft")
    if name in {"issue_manage", "issue_edit", "issue_preview_html"}:
        return reverse(f"newsletter:{name}", args=[issue.pk])
    return reverse("newsletter:issue_action", args=[issue.pk, name])


@pytest.mark.parametrize("person", ["user", "member", "chair", "advisor"])
def test_organizer_pages_are_refused_to_everyone_else(client, person, request):
    issue = IssueFactory(status="draft", title="Secret draft")
    IssueItemFactory(issue=issue)
    NewsPostFactory()
    client.force_login(request.getfixturevalue(person))
    for name in ORGANIZER_GETS:
        response = client.get(_url(name, issue))
        assert response.status_code == 403, name
        assert b"Secret draft" not in response.content
    for name in ORGANIZER_POSTS:
        assert client.post(_url(name, issue)).status_code == 403, name
    issue.refresh_from_db()
    assert issue.status == "draft"
    assert Issue.objects.count() == 1
    assert mail.outbox == []


def test_organizer_pages_send_anonymous_visitors_to_sign_in(client):
    issue = IssueFactory(status="draft")
    for name in ORGANIZER_GETS:
        response = client.get(_url(name, issue))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), name
    for name in ORGANIZER_POSTS:
        assert client.post(_url(name, issue)).status_code == 302, name


def test_wrong_methods_and_unknown_ids(client, organizer):
    client.force_login(organizer)
    issue = IssueFactory(status="draft")
    assert client.get(_url("approve", issue)).status_code == 405
    assert client.get(reverse("newsletter:issue_draft")).status_code == 405
    assert client.post(reverse("newsletter:issue_action", args=[issue.pk, "explode"])).status_code == 404
    assert client.get(reverse("newsletter:issue_manage", args=[999999])).status_code == 404
    assert client.post(reverse("newsletter:issue_action", args=[999999, "approve"])).status_code == 404
    assert client.get(reverse("newsletter:issue_detail", args=[999999])).status_code == 404


def test_organizer_prepares_previews_tests_and_approves(client, organizer, advisor, run_on_commit):
    NewsPostFactory(title="Moon", body="2.5 million GPU hours")
    client.force_login(organizer)
    response = client.post(reverse("newsletter:issue_draft"))
    issue = Issue.objects.get()
    assert response["Location"] == reverse("newsletter:issue_manage", args=[issue.pk])

    page = client.get(reverse("newsletter:issue_manage", args=[issue.pk]))
    assert page.status_code == 200
    assert "2.5 million GPU hours" in page.context["rendered"].text
    preview_url = reverse("newsletter:issue_preview_html", args=[issue.pk])
    assert f'src="{preview_url}" sandbox>' in page.content.decode()
    preview = client.get(reverse("newsletter:issue_preview_html", args=[issue.pk]))
    assert preview["Content-Security-Policy"].startswith("sandbox; default-src 'none'; style-src 'unsafe-inline'")
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "2.5 million GPU hours" in preview.content.decode()

    item = issue.items.get()
    response = client.post(
        reverse("newsletter:issue_edit", args=[issue.pk]),
        {"title": "Issue one", "editorial": "Hello **advisors**", "scheduled_for": "2020-01-01T10:00",
         "is_public": "on", "items": [item.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    with run_on_commit():
        client.post(_url("test", issue))
    assert [(m.to, m.subject) for m in mail.outbox] == [([organizer.email], "[Test] Issue one")]
    with run_on_commit():
        client.post(_url("approve", issue))
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.approved_by == organizer
    assert [(m.to, m.subject) for m in mail.outbox[1:]] == [([advisor.email], "Issue one")]
    assert activity_about(issue, "action", "actor", "from_state", "to_state") == [
        ("newsletter.issue.drafted", organizer.pk, "", "draft"),
        ("newsletter.issue.edited", organizer.pk, "", ""),
        ("newsletter.issue.test_sent", organizer.pk, "", ""),
        ("newsletter.issue.approved", organizer.pk, "draft", "approved"),
        ("newsletter.issue.sending", None, "approved", "sending"),
        ("newsletter.issue.sent", None, "sending", "sent"),
    ]


def test_editing_with_bad_input_changes_nothing(client, organizer):
    issue = IssueFactory(status="draft", title="Before")
    client.force_login(organizer)
    response = client.post(reverse("newsletter:issue_edit", args=[issue.pk]), {"title": "", "scheduled_for": "soon"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "scheduled_for"}
    issue.refresh_from_db()
    assert issue.title == "Before"


def test_an_approved_issue_cannot_be_edited_until_unapproved(client, organizer):
    issue = IssueFactory(status="approved", title="Before", scheduled_for=timezone.now() + timezone.timedelta(days=1))
    client.force_login(organizer)
    response = client.post(
        reverse("newsletter:issue_edit", args=[issue.pk]), {"title": "After", "scheduled_for": "2030-01-01T10:00"}
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.title == "Before"
    client.post(_url("unapprove", issue))
    issue.refresh_from_db()
    assert issue.status == "draft"


def test_drafting_with_nothing_new_tells_the_organizer(client, organizer):
    IssueFactory(status="sent")
    client.force_login(organizer)
    response = client.post(reverse("newsletter:issue_draft"), follow=True)
    assert "Nothing new since the last issue" in response.content.decode()
    assert Issue.objects.count() == 1


def test_manage_list_query_count_is_constant(client, organizer, django_assert_num_queries):
    client.force_login(organizer)
    IssueFactory()
    client.get(reverse("newsletter:manage"))
    few = _count(client, reverse("newsletter:manage"))
    for issue in IssueFactory.create_batch(6):
        issue.deliveries.create(email="a@example.org", status="failed")
        FeedbackFactory(issue=issue)
    with django_assert_num_queries(few):
        response = client.get(reverse("newsletter:manage"))
    assert [i.failed_count for i in response.context["issues"]][:6] == [1] * 6


# News ------------------------------------------------------------------------------------------------------


def test_news_list_query_count_is_constant(client, django_assert_num_queries):
    NewsPostFactory()
    few = _count(client, reverse("newsletter:news_list"))
    NewsPostFactory.create_batch(10)
    with django_assert_num_queries(few):
        client.get(reverse("newsletter:news_list"))


def test_atom_feed_lists_published_news_sanitised(client):
    NewsPostFactory(title="Moon", body="Up <script>alert(1)</script>")
    NewsPostFactory(title="Hidden", is_published=False)
    response = client.get(reverse("newsletter:news_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Moon</title>" in body
    assert "Hidden" not in body
    assert "script" not in body


def test_organizer_writes_and_edits_a_news_post(client, organizer):
    client.force_login(organizer)
    response = client.post(
        reverse("newsletter:news_create"),
        {
            "title": "Feed",
            "body": "Hello <script>x()</script>",
            "published_at": "2021-05-01T10:00",
            "is_published": "on",
        },
    )
    post = NewsPost.objects.get()
    assert post.slug == "feed-news"  # "feed" is taken by the feed's URL
    assert response["Location"] == post.get_absolute_url()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "x()" not in page
    client.post(
        reverse("newsletter:news_edit", args=[post.slug]),
        {"title": "Feed renamed", "body": "Hi", "published_at": "2021-05-01T10:00"},
    )
    post.refresh_from_db()
    assert (post.title, post.body, post.is_published, post.slug) == ("Feed renamed", "Hi", False, "feed-news")


@pytest.mark.parametrize("person", [None, "user", "member", "chair", "advisor"])
def test_writing_news_is_refused_to_non_organizers(client, person, request):
    post = NewsPostFactory(title="Original")
    if person:
        client.force_login(request.getfixturevalue(person))
    expected = 403 if person else 302
    assert client.get(reverse("newsletter:news_create")).status_code == expected
    assert client.post(reverse("newsletter:news_create"), {"title": "X", "body": "Y"}).status_code == expected
    edit = reverse("newsletter:news_edit", args=[post.slug])
    assert (
        client.post(edit, {"title": "Hacked", "body": "Y", "published_at": "2021-05-01T10:00"}).status_code == expected
    )
    post.refresh_from_db()
    assert post.title == "Original"
    assert NewsPost.objects.count() == 1


def test_an_unpublished_post_is_hidden_from_the_public(client, organizer):
    post = NewsPostFactory(is_published=False)
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(organizer)
    assert client.get(post.get_absolute_url()).status_code == 200


def test_feed_query_count_is_constant(client, django_assert_num_queries):
    NewsPostFactory()
    client.get(reverse("newsletter:news_feed"))  # the Site is cached after the first request
    few = _count(client, reverse("newsletter:news_feed"))
    NewsPostFactory.create_batch(10)
    with django_assert_num_queries(few):
        client.get(reverse("newsletter:news_feed"))


def test_chairs_find_the_feedback_from_the_archive(client, chair, member):
    client.force_login(chair)
    assert "Read the feedback on your groups" in client.get(reverse("newsletter:issue_list")).content.decode()
    client.force_login(member)
    assert "Read the feedback" not in client.get(reverse("newsletter:issue_list")).content.decode()
