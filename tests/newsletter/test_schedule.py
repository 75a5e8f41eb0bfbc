"""When an issue is due, what it gathers, empty issues, reminders, and beat sending approved issues."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from newsletter import services
from newsletter.models import Issue
from newsletter.tasks import task_run_newsletter_schedule
from tests.activity.rows import activity_about
from tests.factories import IssueFactory, IssueItemFactory, NewsPostFactory, ParticipationFactory, RoleFactory
from working_groups.models import ProgressUpdate

pytestmark = pytest.mark.django_db


def _sent_issue(days_ago: float) -> Issue:
    at = timezone.now() - timedelta(days=days_ago)
    return IssueFactory(status="sent", scheduled_for=at, period_end=at)


def test_first_issue_ever_is_due_at_once():
    now = timezone.now()
    assert services.next_issue_due_at(now=now) == now
    assert services.issue_is_due(now=now) is True


def test_issue_not_due_thirteen_days_before_the_fortnight_ends():
    _sent_issue(days_ago=10)
    assert services.issue_is_due() is False


def test_issue_due_fourteen_days_after_the_last_one_prepared_three_days_ahead():
    last = _sent_issue(days_ago=11.5)
    assert services.next_issue_due_at() == last.sending_started_at + timedelta(days=14)
    assert services.issue_is_due() is True


def test_issue_not_due_while_one_is_in_preparation():
    _sent_issue(days_ago=20)
    IssueFactory(status="draft")
    assert services.issue_is_due() is False


def test_draft_gathers_only_what_happened_since_the_last_sent_issue(organizer, group):
    last = _sent_issue(days_ago=14)
    NewsPostFactory(title="Old news", published_at=last.period_end - timedelta(days=1))
    NewsPostFactory(title="Fresh news", published_at=timezone.now() - timedelta(days=2))
    update = ProgressUpdate.objects.create(working_group=group, title="Halfway", body="We are **halfway**.")
    ParticipationFactory(role=RoleFactory(slug="participant"), working_group=group)

    issue = services.draft_issue(actor=organizer)

    assert issue.number == last.number + 1
    assert issue.status == Issue.Status.DRAFT
    assert [(i.kind, i.title) for i in issue.items.all()] == [
        ("news", "Fresh news"),
        ("progress", f"{group.name}: Halfway"),
    ]
    assert issue.items.get(kind="progress").working_group == group
    assert issue.items.get(kind="progress").progress_update == update
    assert issue.figures["new_participants"] == 1
    assert issue.figures["open_groups"] == [{"name": group.name, "url": group.get_absolute_url()}]
    assert activity_about(issue, "action", "actor") == [("newsletter.issue.drafted", organizer.pk)]


def test_draft_includes_events_of_the_next_four_weeks(organizer):
    from events.models import Event

    now = timezone.now()
    for slug, days in (("soon", 10), ("later", 40)):
        Event.objects.create(
            slug=slug, title=slug.title(), start=now + timedelta(days=days),
            end=now + timedelta(days=days, hours=2), is_published=True,
        )  # fmt: skip
    issue = services.draft_issue(actor=organizer)
    assert [(i.kind, i.title) for i in issue.items.all()] == [("event", "Soon")]


def test_nothing_new_drafts_nothing_and_tells_the_organizers_once(organizer, run_on_commit):
    _sent_issue(days_ago=14)
    with run_on_commit():
        assert services.draft_issue() is None
    with run_on_commit():
        assert services.draft_issue() is None  # the next beat run: no second e-mail
    with run_on_commit():
        assert services.draft_issue(now=timezone.now() + timedelta(days=3)) is None  # days later: still none
    assert Issue.objects.preparing().count() == 0
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([organizer.email], "No newsletter this fortnight: nothing new")
    ]


def test_organizer_drafting_with_nothing_new_gets_none_and_no_email(organizer, run_on_commit):
    _sent_issue(days_ago=3)
    with run_on_commit():
        assert services.draft_issue(actor=organizer) is None
    assert mail.outbox == []
    assert Issue.objects.count() == 1


def test_a_second_draft_is_refused_by_the_database(organizer):
    NewsPostFactory()
    services.draft_issue(actor=organizer)
    with pytest.raises(ValidationError):
        services.draft_issue(actor=organizer)
    assert Issue.objects.preparing().count() == 1


def test_drafting_is_for_organizers_only(advisor):
    NewsPostFactory()
    with pytest.raises(PermissionDenied):
        services.draft_issue(actor=advisor)
    assert Issue.objects.count() == 0


def test_an_issue_with_nothing_in_it_cannot_be_approved(organizer):
    issue = IssueFactory(status="draft")
    IssueItemFactory(issue=issue, included=False)
    with pytest.raises(ValidationError, match="nothing new"):
        services.approve_issue(issue, actor=organizer)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_refresh_keeps_the_items_left_out(organizer):
    kept, dropped = NewsPostFactory(title="Kept"), NewsPostFactory(title="Dropped")
    issue = services.draft_issue(actor=organizer)
    item = issue.items.get(news_post=dropped)
    services.update_issue(
        issue, actor=organizer, title="Issue", editorial="Hello", scheduled_for=issue.scheduled_for,
        is_public=False, included_item_ids=set(issue.items.exclude(pk=item.pk).values_list("pk", flat=True)),
    )  # fmt: skip
    NewsPostFactory(title="Newer")
    services.refresh_issue(issue, actor=organizer)
    assert {(i.title, i.included) for i in issue.items.all()} == {("Kept", True), ("Dropped", False), ("Newer", True)}
    assert kept.pk in issue.items.values_list("news_post", flat=True)


def test_beat_sends_an_approved_issue_at_its_time_not_before(organizer, make_advisors, run_on_commit):
    readers = make_advisors(2)
    issue = IssueFactory(status="draft", scheduled_for=timezone.now() + timedelta(hours=2))
    IssueItemFactory(issue=issue)
    services.approve_issue(issue, actor=organizer)

    with run_on_commit():
        task_run_newsletter_schedule.delay()
    assert mail.outbox == []
    with run_on_commit():
        services.run_newsletter_schedule(now=timezone.now() + timedelta(hours=3))

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in readers)


def test_beat_reminds_organizers_of_a_draft_overdue_by_two_days_once(organizer, run_on_commit):
    issue = IssueFactory(status="draft", scheduled_for=timezone.now() - timedelta(days=2, hours=1))
    with run_on_commit():
        assert services.remind_organizers() == 1
    with run_on_commit():
        assert services.remind_organizers() == 0
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([organizer.email], f"Newsletter {issue.title} is waiting for approval")
    ]
    assert activity_about(issue, "note", action="newsletter.issue.reminded") == ["1 organizers"]


def test_no_reminder_for_a_draft_due_less_than_two_days_ago(organizer):
    IssueFactory(status="draft", scheduled_for=timezone.now() - timedelta(days=1))
    assert services.remind_organizers() == 0


def test_beat_drafts_the_first_issue_when_there_is_news_and_tells_the_organizers(organizer, run_on_commit):
    NewsPostFactory(title="Hello world")
    with run_on_commit():
        report = services.run_newsletter_schedule()
    issue = Issue.objects.get()
    assert report["drafted"] == issue.pk
    assert [i.title for i in issue.items.all()] == ["Hello world"]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([organizer.email], f"Newsletter {issue.title} is drafted: review and approve it")
    ]
    assert f"/news/manage/{issue.pk}/" in mail.outbox[0].body


def test_the_beat_job_run_twice_sends_once(organizer, make_advisors, run_on_commit):
    readers = make_advisors(3)
    NewsPostFactory(title="Moon")
    with run_on_commit():
        task_run_newsletter_schedule.delay()
        task_run_newsletter_schedule.delay()
    issue = Issue.objects.get()  # drafted once
    with run_on_commit():
        services.approve_issue(issue, actor=organizer, now=issue.scheduled_for - timedelta(seconds=1))
    later = timezone.now() + timedelta(minutes=1)
    with run_on_commit():
        services.run_newsletter_schedule(now=later)
        services.run_newsletter_schedule(now=later)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox if m.subject == issue.title) == sorted(u.email for u in readers)
    assert len(mail.outbox) == len(readers) + 1  # and the organizer was told once of the draft
