"""Registration and cancellation, and newsletter feedback, through the API: same services, same refusals."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import rules
from events.models import Registration
from newsletter.models import Feedback
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import IssueFactory, IssueItemFactory

pytestmark = pytest.mark.django_db

REGISTRATIONS = "/api/v1/me/registrations/"


def _register(client, event, **extra):
    return client.post(REGISTRATIONS, {"event": event.slug, **extra}, format="json")


def test_register_creates_a_registration_and_emails_a_confirmation(as_user, user, run_on_commit):
    event = EventFactory(capacity=2)
    with run_on_commit():
        response = _register(as_user(user), event)
    assert response.status_code == 201
    registration = Registration.objects.get()
    assert response.json()["id"] == registration.pk
    assert (registration.user, registration.status, response.json()["waiting_position"]) == (user, "registered", None)
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_full_event_puts_the_caller_on_the_waiting_list(as_user, user):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    response = _register(as_user(user), event)
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["waiting_position"]) == ("waiting", 1)


def test_registering_again_returns_the_current_registration(as_user, user):
    event = EventFactory()
    client = as_user(user)
    first = _register(client, event).json()["id"]
    assert _register(client, event).json()["id"] == first
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("case", ["closed", "deadline passed"])
def test_registration_is_refused_by_the_api_exactly_when_the_page_refuses(client, as_user, user, case):
    event = EventFactory(
        registration_open=case != "closed",
        registration_deadline=timezone.now() - timedelta(hours=1) if case == "deadline passed" else None,
    )
    client.force_login(user)
    client.post(reverse("events:register", args=[event.slug]))
    assert Registration.objects.count() == 0  # the page refused
    response = _register(as_user(user), event)
    assert response.status_code == 409
    assert response.json()["detail"] == rules.registration_refusal(user, event)
    assert Registration.objects.count() == 0


def test_draft_or_unknown_event_answers_404(as_user, user):
    draft = EventFactory(is_published=False)
    assert _register(as_user(user), draft).status_code == 404
    assert as_user(user).post(REGISTRATIONS, {"event": "nope"}, format="json").status_code == 404
    assert Registration.objects.count() == 0


def test_bad_registration_input_answers_400(as_user, user):
    response = as_user(user).post(REGISTRATIONS, {"session": "x"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"event", "session"}


def test_session_registration_needs_the_event_first(as_user, user):
    session = SessionFactory(capacity=5)
    client = as_user(user)
    refused = _register(client, session.event, session=session.pk)
    assert refused.status_code == 409
    assert Registration.objects.count() == 0
    _register(client, session.event)
    accepted = _register(client, session.event, session=session.pk)
    assert accepted.status_code == 201
    assert accepted.json()["session"] == session.pk


def test_session_of_another_event_answers_404(as_user, user):
    event = EventFactory()
    other_session = SessionFactory(capacity=5)
    assert _register(as_user(user), event, session=other_session.pk).status_code == 404


def test_cancel_frees_the_place_for_the_first_person_waiting(as_user, user, run_on_commit):
    event = EventFactory(capacity=1)
    mine = RegistrationFactory(event=event, user=user)
    waiting = RegistrationFactory(event=event, status="waiting")
    with run_on_commit():
        response = as_user(user).post(f"{REGISTRATIONS}{mine.pk}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == "registered"
    assert [m.to for m in mail.outbox] == [[waiting.user.email]]


def test_cancelling_someone_elses_registration_answers_404_and_changes_nothing(as_user, user):
    theirs = RegistrationFactory()
    assert as_user(user).post(f"{REGISTRATIONS}{theirs.pk}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "registered"


def test_anonymous_caller_cannot_register(api):
    event = EventFactory()
    assert _register(api, event).status_code == 401
    assert Registration.objects.count() == 0


# --- newsletter feedback --------------------------------------------------------------------------


def _feedback(client, issue, **data):
    return client.post(
        f"/api/v1/newsletter-issues/{issue.number}/feedback/", {"body": "Great issue", **data}, format="json"
    )


def test_advisor_leaves_feedback_on_an_issue_and_an_item(as_user, advisor):
    issue = IssueFactory(number=4)
    item = IssueItemFactory(issue=issue)
    response = _feedback(as_user(advisor), issue, item=item.pk)
    assert response.status_code == 201
    feedback = Feedback.objects.get()
    assert (feedback.user, feedback.issue, feedback.item, feedback.body) == (advisor, issue, item, "Great issue")
    assert response.json() == {
        "id": feedback.pk,
        "issue": 4,
        "item": item.pk,
        "body": "Great issue",
        "created_at": response.json()["created_at"],
    }


def test_feedback_is_refused_by_the_api_exactly_when_the_page_refuses(client, as_user, user):
    issue = IssueFactory(is_public=True)
    client.force_login(user)
    page = client.post(reverse("newsletter:issue_detail", args=[issue.number]), {"body": "Hi"})
    assert page.status_code == 403
    response = _feedback(as_user(user), issue)
    assert response.status_code == 403
    assert Feedback.objects.count() == 0


def test_feedback_on_an_issue_the_caller_cannot_read_answers_404(as_user, user):
    issue = IssueFactory(is_public=False)
    assert _feedback(as_user(user), issue).status_code == 404
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field"), [({"body": ""}, "body"), ({"body": "   "}, "body"), ({"item": 999_999}, "item")]
)
def test_bad_feedback_answers_400_and_stores_nothing(as_user, advisor, data, field):
    issue = IssueFactory()
    IssueItemFactory(issue=IssueFactory())  # an item of another issue: not accepted either
    response = _feedback(as_user(advisor), issue, **data)
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {field}
    assert Feedback.objects.count() == 0


def test_item_of_another_issue_is_refused(as_user, advisor):
    issue = IssueFactory()
    elsewhere = IssueItemFactory(issue=IssueFactory())
    response = _feedback(as_user(advisor), issue, item=elsewhere.pk)
    assert response.status_code == 400
    assert Feedback.objects.count() == 0


def test_anonymous_caller_cannot_leave_feedback(api):
    issue = IssueFactory(is_public=True)
    assert _feedback(api, issue).status_code == 401
