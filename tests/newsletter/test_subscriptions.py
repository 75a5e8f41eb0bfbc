"""Unsubscribing by the one-click POST and by the link, starting again, double opt-in."""

import json

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from newsletter import sending, tokens
from newsletter.models import Subscription
from roles.models import Participation
from tests.factories import SubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _unsubscribe_url(email):
    return reverse("newsletter:unsubscribe", args=[tokens.unsubscribe_token(email)])


def _recipient_emails():
    return {r.email for r in sending.recipients()}


def test_one_click_post_unsubscribes_without_csrf_token_or_login(advisor):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _unsubscribe_url(advisor.email),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscription.objects.get(user=advisor).unsubscribed_at is not None
    assert _recipient_emails() == set()
    # Still an advisor: only the e-mails stopped.
    assert Participation.objects.filter(user=advisor, role__slug="advisor", status="active").exists()


def test_the_link_asks_first_then_the_button_unsubscribes(client, advisor):
    url = _unsubscribe_url(advisor.email)
    page = client.get(url)
    assert page.status_code == 200
    assert f"Unsubscribe {advisor.email}" in page.content.decode()
    assert _recipient_emails() == {advisor.email}  # a GET (or a link scanner) changes nothing
    done = client.post(url)
    assert "You are unsubscribed" in done.content.decode()
    assert _recipient_emails() == set()


def test_unsubscribing_twice_keeps_the_first_date(client, advisor):
    url = _unsubscribe_url(advisor.email)
    client.post(url)
    first = Subscription.objects.get().unsubscribed_at
    client.post(url)
    assert Subscription.objects.get().unsubscribed_at == first


def test_a_tampered_link_changes_nothing(client, advisor):
    url = _unsubscribe_url(advisor.email).replace(":", ":x", 1)
    assert client.get(url).status_code == 400
    assert client.post(url).status_code == 400
    assert Subscription.objects.count() == 0
    assert _recipient_emails() == {advisor.email}


def test_start_again_after_unsubscribing_needs_the_csrf_token(advisor):
    client = Client(enforce_csrf_checks=True)
    token = tokens.unsubscribe_token(advisor.email)
    client.post(reverse("newsletter:unsubscribe", args=[token]))
    assert client.post(reverse("newsletter:resubscribe", args=[token])).status_code == 403
    assert _recipient_emails() == set()
    page = client.post(reverse("newsletter:unsubscribe", args=[token]))
    csrf = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    client.post(reverse("newsletter:resubscribe", args=[token]), {"csrfmiddlewaretoken": csrf})
    assert _recipient_emails() == {advisor.email}


def test_an_advisor_stops_and_restarts_from_the_preferences_page(client, advisor):
    client.force_login(advisor)
    client.post(reverse("newsletter:preferences"), {"newsletter": "stop"})
    assert _recipient_emails() == set()
    page = client.get(reverse("newsletter:preferences"))
    assert page.context["receiving"] is False
    client.post(reverse("newsletter:preferences"), {"newsletter": "start"})
    assert _recipient_emails() == {advisor.email}
    assert Participation.objects.filter(user=advisor, status="active").count() == 1


def test_a_signed_in_member_without_a_role_subscribes_at_once(client, user):
    client.force_login(user)
    client.post(reverse("newsletter:preferences"), {"newsletter": "start"})
    assert _recipient_emails() == {user.email}
    assert mail.outbox == []  # the account's address is already verified


def test_preferences_with_a_bad_choice_change_nothing(client, advisor):
    client.force_login(advisor)
    response = client.post(reverse("newsletter:preferences"), {"newsletter": "maybe"}, follow=True)
    assert "Choose to stop or to start" in response.content.decode()
    assert Subscription.objects.count() == 0


def test_preferences_need_sign_in(client):
    assert client.get(reverse("newsletter:preferences"))["Location"].startswith("/accounts/login/")


def test_double_opt_in_for_a_visitor(client, run_on_commit):
    with run_on_commit():
        response = client.post(reverse("newsletter:subscribe"), {"email": "New@Example.org", "name": "Nia"})
    assert "Check your inbox" in response.content.decode()
    assert _recipient_emails() == set()  # nothing until confirmed
    (message,) = mail.outbox
    assert message.to == ["new@example.org"]
    assert message.subject == "Confirm your subscription to the BigScience newsletter"
    link = next(word for word in message.body.split() if "/subscribe/confirm/" in word)
    path = link.removeprefix(settings.SITE_URL)
    assert client.get(path).status_code == 200
    assert _recipient_emails() == set()  # the GET only asks
    client.post(path)
    assert _recipient_emails() == {"new@example.org"}


def test_subscribing_an_already_confirmed_address_sends_nothing_and_says_the_same(client, run_on_commit):
    SubscriptionFactory(email="known@example.org")
    with run_on_commit():
        response = client.post(reverse("newsletter:subscribe"), {"email": "known@example.org"})
    assert "Check your inbox" in response.content.decode()
    assert mail.outbox == []


def test_subscribe_form_with_a_bad_address_shows_errors(client):
    response = client.post(reverse("newsletter:subscribe"), {"email": "not-an-address"})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert Subscription.objects.count() == 0


def test_a_bad_confirmation_link_is_refused(client):
    response = client.post(reverse("newsletter:confirm", args=["nonsense"]))
    assert response.status_code == 400
    assert Subscription.objects.count() == 0


def test_unsubscribe_page_methods(client, advisor):
    assert client.put(_unsubscribe_url(advisor.email)).status_code == 405
    assert (
        client.get(reverse("newsletter:resubscribe", args=[tokens.unsubscribe_token(advisor.email)])).status_code == 405
    )


def test_a_bounced_subscriber_starts_again_from_the_preferences_page(client):
    user = UserFactory()
    SubscriptionFactory(email=user.email, user=user, bounced_at="2021-05-01T00:00Z")
    client.force_login(user)
    assert "was refused" in client.get(reverse("newsletter:preferences")).content.decode()
    client.post(reverse("newsletter:preferences"), {"newsletter": "start"})
    assert _recipient_emails() == {user.email}


def test_the_subscribe_form_sends_one_confirmation_a_day_per_address(client, run_on_commit):
    for _ in range(3):
        with run_on_commit():
            client.post(reverse("newsletter:subscribe"), {"email": "victim@example.org"})
    assert [m.to for m in mail.outbox] == [["victim@example.org"]]


def test_the_data_export_and_account_deletion_cover_the_newsletter(advisor):
    from accounts.services import delete_account, export_user_data
    from newsletter.models import Delivery, Feedback
    from tests.factories import FeedbackFactory, IssueFactory

    issue = IssueFactory()
    Delivery.objects.create(issue=issue, email=advisor.email, user=advisor, status="sent")
    FeedbackFactory(issue=issue, user=advisor, email=advisor.email, body="My advice")
    SubscriptionFactory(email=advisor.email, user=advisor)

    exported = json.loads(export_user_data(user=advisor))["newsletter"]
    assert exported["subscription"]["email"] == advisor.email
    assert [d["issue__number"] for d in exported["deliveries"]] == [issue.number]
    assert [f["body"] for f in exported["feedback"]] == ["My advice"]

    delete_account(user=advisor, actor=advisor)
    assert (Delivery.objects.count(), Feedback.objects.count(), Subscription.objects.count()) == (0, 0, 0)
