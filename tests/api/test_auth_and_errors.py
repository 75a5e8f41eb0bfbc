"""Authentication by token and by session (with CSRF), errors as JSON, rate limits."""

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from bigscience_portal.api import AddressRateThrottle, TokenRateThrottle, UserRateThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/profile/"


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_token_authenticates_with_either_keyword(api, user, token_for, keyword):
    api.credentials(HTTP_AUTHORIZATION=f"{keyword} {token_for(user)}")
    response = api.get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer bsp_wrong", "Bearer", "Bearer a b", "Token " + "x" * 300, "Bearer bsp_é".encode()],
)
def test_bad_token_answers_401_json_with_a_challenge(api, header):
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get("/api/v1/roles/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] == "authentication_failed"
    assert response.json()["detail"]


def test_anonymous_caller_of_a_personal_endpoint_gets_401(api):
    response = api.get(ME)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}


def test_other_authorization_schemes_are_ignored_not_refused(api):
    api.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert api.get("/api/v1/roles/").status_code == 200


def test_token_of_a_deactivated_account_is_refused(api, user, token_for):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    user.is_active = False
    user.save()
    assert api.get(ME).status_code == 401


def test_session_authentication_works_for_reads_and_needs_csrf_for_writes(user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(ME).json()["email"] == user.email
    response = client.patch(ME, {"affiliation": "Elsewhere"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    user.profile.refresh_from_db()
    assert user.profile.affiliation == "Example University"


def test_token_writes_need_no_csrf(user, token_for):
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    response = client.patch(ME, {"affiliation": "Elsewhere"}, format="json")
    assert response.status_code == 200
    assert response.json()["affiliation"] == "Elsewhere"


def test_unverified_account_cannot_write(as_user):
    person = UserFactory(verified=False)
    client = as_user(person)
    assert client.get(ME).status_code == 200
    for method, url, data in [
        ("patch", ME, {"affiliation": "Elsewhere"}),
        ("post", "/api/v1/me/applications/", {"role": "attendant"}),
    ]:
        refused = getattr(client, method)(url, data, format="json")
        assert refused.status_code == 403
        assert refused.json() == {
            "detail": "Verify your e-mail address before making changes.",
            "code": "permission_denied",
        }
    person.profile.refresh_from_db()
    assert person.profile.affiliation == "Example University"
    assert not person.applications.exists()


def test_unknown_url_and_object_answer_404_json(api):
    assert api.get("/api/v1/roles/no-such-role/").json() == {"detail": "Not found.", "code": "not_found"}
    assert api.get("/api/v1/roles/no-such-role/").status_code == 404


def test_wrong_method_answers_405_json(as_user, user):
    response = as_user(user).delete("/api/v1/roles/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_page_past_the_end_answers_404(api):
    response = api.get("/api/v1/roles/?page=99")
    assert response.status_code == 404
    assert response.json()["detail"] == "Invalid page."


def test_malformed_json_answers_400(as_user, user):
    response = as_user(user).generic("PATCH", ME, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_invalid_fields_answer_400_with_each_fields_messages(as_user, user):
    response = as_user(user).patch(ME, {"country": "ZZ", "time_zone": "Mars/Olympus"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"time_zone"}
    assert body["detail"] == "Some fields are invalid: time_zone."
    response = as_user(user).patch(ME, {"country": "ZZ"}, format="json")
    assert set(response.json()["fields"]) == {"country"}
    user.profile.refresh_from_db()
    assert user.profile.country == "FR"


def test_profile_patch_changes_only_the_fields_sent(as_user, user):
    response = as_user(user).patch(
        ME, {"display_name": "Ada", "languages": ["fr"], "show_in_directory": True}, format="json"
    )
    assert response.status_code == 200
    user.profile.refresh_from_db()
    assert (user.profile.display_name, user.profile.affiliation, user.profile.show_in_directory) == (
        "Ada",
        "Example University",
        True,
    )
    assert [language.code for language in user.profile.languages.all()] == ["fr"]


def test_profile_patch_keeps_the_e_mail_choices_it_does_not_send(as_user, user):
    """The form's boxes are "on" or absent: a PATCH that leaves them out must not untick them."""
    user.profile.session_reminders = user.profile.application_digest = True
    user.profile.save()
    assert as_user(user).patch(ME, {"affiliation": "Elsewhere"}, format="json").status_code == 200
    user.profile.refresh_from_db()
    assert (user.profile.affiliation, user.profile.session_reminders, user.profile.application_digest) == (
        "Elsewhere",
        True,
        True,
    )
    assert as_user(user).patch(ME, {"application_digest": False}, format="json").status_code == 200
    user.profile.refresh_from_db()
    assert (user.profile.session_reminders, user.profile.application_digest) == (True, False)


# --- rate limits ---------------------------------------------------------------------------------


@pytest.fixture
def low_rates(monkeypatch):
    """Two calls a minute per token, four per person, five per address."""
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "2/min"}, raising=False)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "4/min"}, raising=False)
    monkeypatch.setattr(AddressRateThrottle, "THROTTLE_RATES", {"address": "5/min"}, raising=False)


def test_rate_limit_per_token(low_rates, user, token_for):
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    second.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    statuses = [first.get("/api/v1/roles/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    # Another token of the same person has its own allowance, up to the person's limit (the third
    # call above was refused by the token's limit but still counts for the person).
    assert second.get("/api/v1/roles/", REMOTE_ADDR="10.0.0.2").status_code == 200
    limited = second.get("/api/v1/roles/", REMOTE_ADDR="10.0.0.2")
    assert limited.status_code == 429
    assert limited.json()["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0


def test_rate_limit_per_address_holds_for_anonymous_callers(low_rates):
    statuses = [APIClient().get("/api/v1/roles/").status_code for _ in range(6)]
    assert statuses == [200, 200, 200, 200, 200, 429]
    assert APIClient().get("/api/v1/roles/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_forwarded_for_header_does_not_evade_the_address_limit(low_rates):
    statuses = [APIClient().get("/api/v1/roles/", HTTP_X_FORWARDED_FOR=f"10.1.1.{n}").status_code for n in range(6)]
    assert statuses[-1] == 429


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_any_other_api_address_answers_json_404(as_user, user, method):
    client = as_user(user)
    for path in ("/api/v1/me/registrations/0.5/cancel/", "/api/v1/nothing-here/", "/api/v2/"):
        response = getattr(client, method)(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_address_without_its_final_slash_names_the_right_one(as_user, user):
    response = as_user(user).post("/api/v1/me/applications", {"role": "attendant"}, format="json")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found. API addresses end with a slash: /api/v1/me/applications/"
    assert not user.applications.exists()


@pytest.mark.redis
def test_rate_limit_counters_live_in_the_shared_cache(api):
    """On Redis, every web process reads and writes the same counters."""
    from django_redis import get_redis_connection

    api.get("/api/v1/roles/")
    keys = get_redis_connection("default").keys("*throttle_address_127.0.0.1")
    assert len(keys) == 1
