"""With the database away, every request answers 503 with Retry-After: signed in or not, page or API.

The signed-in person's session and user are loaded by middleware before any view; a database error
there used to become a 500.
"""

import contextlib

import pytest
from django.db import OperationalError, connections
from django.test import Client

from accounts.tokens import create_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def database_down():
    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    wrapper = connections["default"]
    wrapper.cursor = refused  # an instance attribute hides the method until it is deleted
    try:
        yield
    finally:
        del wrapper.cursor


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _assert_page_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert b"back in a moment" in response.content


def _assert_api_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "unavailable"


@pytest.mark.parametrize("path", ["/", "/events/", "/groups/", "/me/profile/"])
def test_signed_in_pages_answer_503_while_the_database_is_away(path):
    client = _client(UserFactory())
    with database_down():
        _assert_page_503(client.get(path))


@pytest.mark.parametrize("path", ["/", "/events/", "/groups/"])
def test_visitors_pages_answer_503_while_the_database_is_away(path):
    client = _client()
    with database_down():
        _assert_page_503(client.get(path))


def test_a_signed_in_form_post_answers_503(settings):
    client = _client(UserFactory())
    client.handler.enforce_csrf_checks = False
    with database_down():
        _assert_page_503(client.post("/events/next-episode/register/"))


@pytest.mark.parametrize("signed_in", [False, True])
def test_api_answers_json_503_while_the_database_is_away(signed_in):
    client = _client(UserFactory() if signed_in else None)
    with database_down():
        _assert_api_503(client.get("/api/v1/events/"))


def test_api_with_a_token_answers_json_503_while_the_database_is_away():
    _, raw = create_token(user=UserFactory(), name="script")
    client = _client()
    with database_down():
        _assert_api_503(client.get("/api/v1/me/registrations/", HTTP_AUTHORIZATION=f"Bearer {raw}"))


def test_other_errors_still_answer_500(monkeypatch):
    client = _client()

    def broken(request):
        raise RuntimeError("a bug")

    monkeypatch.setattr("bigscience_portal.views.selectors.home_page_data", lambda: broken(None))
    response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_the_site_answers_again_once_the_database_is_back():
    client = _client(UserFactory())
    with database_down():
        _assert_page_503(client.get("/events/"))
    assert client.get("/events/").status_code == 200
