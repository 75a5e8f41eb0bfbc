"""First contact: a name at sign-up, the browser's zone, the site named from the settings, and the thread
apply -> sign up -> verify -> profile -> the same application, pre-filled."""

import re
from urllib.parse import quote

import pytest
from django.core import mail

from accounts.models import User
from tests.factories import RoleFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


def _link(message):
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body)
    assert match, message.body
    return "/" + match.group(0).split("://", 1)[1].split("/", 1)[1]


def test_signup_asks_for_a_name_and_refuses_without_one(client):
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="name"' in page and "Create your account" in page
    response = client.post(
        "/accounts/signup/", {"name": "   ", "email": "a@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 200
    assert "Tell us the name to show to others." in response.content.decode() or "This field is required." in (
        response.content.decode()
    )
    assert not User.objects.filter(email="a@example.org").exists()
    assert mail.outbox == []


def test_signup_names_the_person_takes_the_browser_zone_and_the_site_from_settings(client, settings, run_on_commit):
    settings.SITE_URL = "https://portal.example.net"
    settings.SITE_NAME = "Summer of Language Models"
    client.cookies["tz"] = quote("Asia/Kolkata", safe="")
    with run_on_commit():  # allauth's e-mails go through the outbox, sent after commit
        client.post(
            "/accounts/signup/",
            {"name": " Ada  Lovelace ", "email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    user = User.objects.get(email="ada@example.org")
    assert user.profile.display_name == "Ada Lovelace"
    assert user.profile.time_zone == "Asia/Kolkata"
    [message] = mail.outbox
    assert message.subject == "[Summer of Language Models] Confirm your e-mail address"
    # The typed name stays out of the confirmation: whoever adds an address may not be its owner (issue 12).
    assert "Ada Lovelace" not in message.body
    assert "https://portal.example.net" in message.body
    assert "example.com" not in message.body and "Member #" not in message.body


def test_a_bad_zone_cookie_leaves_the_new_account_in_utc(client):
    client.cookies["tz"] = "Nowhere%2FLand"
    client.post(
        "/accounts/signup/", {"name": "Bo", "email": "bo@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert User.objects.get(email="bo@example.org").profile.time_zone == "UTC"


def test_pages_and_feed_name_the_site_from_settings(client, settings):
    settings.SITE_URL = "https://portal.example.net"
    settings.SITE_NAME = "Summer of Language Models"
    page = client.get("/accounts/login/").content.decode()
    assert "<title>Sign in · Summer of Language Models</title>" in page
    assert "</span> Summer of Language Models</a>" in page
    feed = client.get("/news/feed/").content.decode()
    assert "<title>Summer of Language Models news</title>" in feed
    assert "https://portal.example.net/news/" in feed and "example.com" not in feed


def test_the_thread_from_apply_to_the_same_application_prefilled(client, run_on_commit):
    RoleFactory(slug="participant", needs_working_group=True)
    group = WorkingGroupFactory(name="Tokenization", is_open=True)
    start = f"/roles/participant/?group={group.pk}"
    page = client.get(start).content.decode()
    signup_link = f"/accounts/signup/?next={quote(start)}"
    assert signup_link in page

    with run_on_commit():
        response = client.post(
            signup_link,
            {
                "name": "Grace",
                "email": "grace@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": start,
            },
        )
    assert response.status_code == 302
    link = _link(mail.outbox[0])
    client.get(link)
    response = client.post(link)
    assert response.status_code == 302 and response.url == start  # verified, signed in, back to the application

    page = client.get(start).content.decode()
    profile_link = f"/me/profile/?next={quote(start)}"
    assert profile_link in page  # the profile lacks affiliation, country, languages
    response = client.post(
        profile_link,
        {"display_name": "Grace", "affiliation": "INRIA", "country": "FR", "languages": ["fr"], "time_zone": "UTC"},
    )
    assert response.status_code == 302 and response.url == start
    page = client.get(start).content.decode()
    assert f'<option value="{group.pk}" selected>Tokenization</option>' in page


def test_profile_ignores_a_next_pointing_elsewhere(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post(
        "/me/profile/?next=https://evil.example/",
        {"display_name": "X", "affiliation": "Y", "country": "FR", "languages": ["fr"], "time_zone": "UTC"},
    )
    assert response.status_code == 302 and response.url == "/me/profile/"
