import re

import pytest
from django.core import mail

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


def _verification_link(message):
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body)
    assert match, message.body
    return match.group(0)


def test_signup_sends_a_verification_link_that_verifies_and_signs_in(client, run_on_commit):
    with run_on_commit():  # allauth's e-mails go through the outbox, sent after commit
        response = client.post(
            "/accounts/signup/",
            {"name": "Newcomer", "email": "Newcomer@Example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newcomer@example.org"]
    link = _verification_link(message)

    # Unverified: the account cannot act yet.
    assert client.get("/me/profile/").status_code == 302

    path = link.split("://", 1)[1].split("/", 1)[1]
    confirm = client.get("/" + path)
    assert confirm.status_code == 200
    response = client.post("/" + path)
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.org")
    assert user.emailaddress_set.get().verified is True
    assert user.profile.display_name == "Newcomer"
    assert client.get("/me/profile/").status_code == 200

    client.logout()
    response = client.post("/accounts/login/", {"login": "newcomer@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/me/profile/").status_code == 200


def test_login_of_unverified_account_is_held_until_verification(client):
    UserFactory(email="unverified@example.org", verified=False)
    response = client.post("/accounts/login/", {"login": "unverified@example.org", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert client.get("/me/profile/").status_code == 302


def test_signup_does_not_reveal_whether_an_address_has_an_account(client, run_on_commit):
    UserFactory(email="taken@example.org")
    with run_on_commit():
        taken = client.post(
            "/accounts/signup/",
            {"name": "Taken", "email": "taken@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    client.logout()
    with run_on_commit():
        fresh = client.post(
            "/accounts/signup/",
            {"name": "Fresh", "email": "fresh@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert taken.status_code == fresh.status_code == 302
    assert taken.url == fresh.url
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["fresh@example.org", "taken@example.org"]


def test_password_reset_answers_the_same_for_unknown_addresses(client):
    UserFactory(email="known@example.org")
    known = client.post("/accounts/password/reset/", {"email": "known@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url


def test_profile_form_saves_languages_and_time_zone(client):
    user = UserFactory(profile=False)
    client.force_login(user)
    response = client.post(
        "/me/profile/",
        {
            "display_name": "Ada",
            "affiliation": "INRIA",
            "country": "FR",
            "languages": ["fr", "yo"],
            "time_zone": "Europe/Paris",
            "expertise": "Tokenizers",
            "show_in_directory": "",
        },
    )
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert sorted(user.profile.languages.values_list("code", flat=True)) == ["fr", "yo"]
    assert user.profile.time_zone == "Europe/Paris"
    assert user.profile.show_in_directory is False


def test_profile_form_rejects_an_unknown_time_zone_and_changes_nothing(client):
    user = UserFactory(profile={"time_zone": "UTC"})
    client.force_login(user)
    response = client.post("/me/profile/", {"display_name": "X", "time_zone": "Mars/Olympus", "country": "FR"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.time_zone == "UTC"


def test_profile_page_refuses_anonymous_visitors(client):
    response = client.get("/me/profile/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_delete_account_removes_the_person(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/me/delete/", {"confirm": "delete my account"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
