"""Personal API tokens: created on the settings page, shown once, stored hashed, last use, revoked."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from accounts.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_token_stores_only_a_digest_and_returns_the_raw_token_once(user):
    _, raw = tokens.create_token(user=user, name="forum bot")
    row = ApiToken.objects.get()
    assert raw.startswith("bsp_") and len(raw) > 40
    assert row.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {row.digest, row.prefix, row.name}
    assert row.prefix == raw[:10]
    assert (row.user, row.name, row.last_used_at) == (user, "forum bot", None)


def test_create_token_without_a_name_is_refused_and_creates_nothing(user):
    with pytest.raises(tokens.ValidationError):
        tokens.create_token(user=user, name="   ")
    assert ApiToken.objects.count() == 0


def test_create_token_beyond_the_maximum_is_refused(user):
    for n in range(tokens.MAX_TOKENS_PER_USER):
        tokens.create_token(user=user, name=f"t{n}")
    with pytest.raises(tokens.ValidationError):
        tokens.create_token(user=user, name="one too many")
    assert ApiToken.objects.filter(user=user).count() == tokens.MAX_TOKENS_PER_USER


def test_authenticate_token_records_last_use_at_most_once_a_minute(user):
    token, raw = tokens.create_token(user=user, name="x")
    assert tokens.authenticate_token(raw) == token
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    tokens.authenticate_token(raw)
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    tokens.authenticate_token(raw)
    assert ApiToken.objects.get().last_used_at > first


@pytest.mark.parametrize("raw", ["", "bsp_unknown", "not-a-token", "bsp_" + "x" * 200])
def test_authenticate_token_refuses_unknown_values(user, raw):
    tokens.create_token(user=user, name="x")
    assert tokens.authenticate_token(raw) is None


def test_authenticate_token_refuses_the_token_of_a_deactivated_account(user):
    _, raw = tokens.create_token(user=user, name="x")
    user.is_active = False
    user.save()
    assert tokens.authenticate_token(raw) is None


def test_revoke_token_deletes_only_the_owners_token(user):
    mine, _ = tokens.create_token(user=user, name="mine")
    other = UserFactory()
    theirs, _ = tokens.create_token(user=other, name="theirs")
    assert tokens.revoke_token(user=user, token_id=theirs.pk) is False
    assert tokens.revoke_token(user=user, token_id=mine.pk) is True
    assert set(ApiToken.objects.values_list("name", flat=True)) == {"theirs"}


# --- the settings page -----------------------------------------------------------------------


def test_token_page_needs_sign_in(client):
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_token_page_creates_a_token_and_shows_it_once(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:tokens"), {"name": "dashboard"})
    assert response.status_code == 200
    raw = response.context["raw_token"]
    assert raw.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    assert ApiToken.objects.get().name == "dashboard"
    again = client.get(reverse("accounts:tokens"))
    assert raw.encode() not in again.content
    assert b"dashboard" in again.content and b"never" in again.content


def test_token_page_with_an_empty_name_shows_the_error_and_creates_nothing(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:tokens"), {"name": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert ApiToken.objects.count() == 0


def test_token_page_lists_only_the_callers_tokens(client, user):
    tokens.create_token(user=UserFactory(), name="someone else's secret bot")
    tokens.create_token(user=user, name="my bot")
    client.force_login(user)
    content = client.get(reverse("accounts:tokens")).content
    assert b"my bot" in content and b"someone else" not in content


def test_revoking_on_the_page_stops_the_token_working(client, user, api):
    token, raw = tokens.create_token(user=user, name="x")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/me/profile/").status_code == 200
    client.force_login(user)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.count() == 0
    assert api.get("/api/v1/me/profile/").status_code == 401


def test_revoking_another_persons_token_on_the_page_changes_nothing(client, user):
    theirs, _ = tokens.create_token(user=UserFactory(), name="theirs")
    client.force_login(user)
    response = client.post(reverse("accounts:token_revoke", args=[theirs.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_revoke_answers_405_to_get(client, user):
    token, _ = tokens.create_token(user=user, name="x")
    client.force_login(user)
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    assert ApiToken.objects.count() == 1


def test_profile_page_links_to_the_token_page(client, user):
    client.force_login(user)
    assert reverse("accounts:tokens").encode() in client.get(reverse("accounts:profile")).content
