"""Journey 3: an organizer prepares a newsletter issue, previews it, approves it, it is sent; an
advisor opens the issue's link from the e-mail, leaves feedback, unsubscribes in one click."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from newsletter.models import Feedback, Issue, Subscription
from newsletter.tasks import task_run_newsletter_schedule
from roles.rules import ORGANIZERS_GROUP
from tests.factories import NewsPostFactory, ParticipationFactory, RoleFactory, UserFactory

from .helpers import link_in_last_email, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _organizer_prepares_and_approves(journey, email: str):
    sign_in(journey, email)
    journey.goto("/")
    journey.check("home")
    page = journey.goto("/news/manage/")
    journey.check("manage-list")
    page.get_by_role("button", name="Draft the next issue now").click()
    page.wait_for_load_state("load")
    journey.check("draft-preview")
    page.get_by_role("link", name="Edit the issue").click()
    page.wait_for_load_state("load")
    journey.check("edit")
    page.locator("#id_editorial").fill("Welcome to the **first** issue of the workshop's newsletter.")
    page.get_by_label("Send on").fill((timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_load_state("load")
    journey.check("preview")
    page.get_by_role("button", name="Approve for sending").click()
    page.wait_for_load_state("load")
    journey.check("approved")


def _advisor_answers_and_unsubscribes(journey, email: str):
    """By keyboard alone, from the links in the e-mail."""
    page = journey.goto(link_in_last_email(email, "/news/issues/"))
    journey.check("issue")
    tab_to(page, page.get_by_role("textbox", name="Your feedback"))
    page.keyboard.type("Please add a section on the dataset's licences.")
    tab_to(page, page.get_by_role("button", name="Send my feedback"))
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    journey.check("feedback-sent")
    page = journey.goto(link_in_last_email(email, "/news/unsubscribe/"))
    journey.check("unsubscribe")
    tab_to(page, page.get_by_role("button", name=f"Unsubscribe {email}"))
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    journey.check("unsubscribed")


def test_organizer_sends_an_issue_and_an_advisor_answers_and_unsubscribes(journeys):
    organizer = UserFactory(email="organizer@example.org", is_staff=True)
    organizer.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    advisor = ParticipationFactory(
        user__email="advisor@example.org", role=RoleFactory(slug="advisor", committee__slug="steering")
    ).user
    NewsPostFactory(title="The dataset is released", published_at=timezone.now() - timedelta(hours=2))

    _organizer_prepares_and_approves(journeys("organizer"), organizer.email)
    issue = Issue.objects.get()
    if issue.status != Issue.Status.SENT:
        task_run_newsletter_schedule()  # what beat runs every few minutes
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert [m.subject for m in mail.outbox if m.to == [advisor.email]] == [issue.title]

    _advisor_answers_and_unsubscribes(journeys("advisor"), advisor.email)
    assert list(Feedback.objects.values_list("issue_id", "body")) == [
        (issue.pk, "Please add a section on the dataset's licences.")
    ]
    assert Subscription.objects.get(email=advisor.email).unsubscribed_at is not None
