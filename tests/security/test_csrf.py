"""Every state-changing request needs a valid CSRF token; the one-click unsubscribe is the
documented exception (RFC 8058: mail programs POST there without one; the signed link is the key),
and so is the language switcher for visitors (it sets only their own cookie, and a token in the header
would make every public page uncacheable); a signed-in person's switch is checked (tests/i18n)."""

import pytest
from django.test import Client

from newsletter.models import Subscription

from .conftest import changed_tables, snapshot
from .url_table import all_rows

pytestmark = pytest.mark.django_db
CSRF_EXEMPT = {"newsletter:unsubscribe", "set_language"}
ROWS = [row for row in all_rows() if row.key not in CSRF_EXEMPT]
PEOPLE = ("anonymous", "chair", "organizer")


def _refused_for_csrf(response) -> bool:
    return response.status_code == 403 and b"CSRF" in response.content


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
def test_post_without_csrf_token_is_refused_and_changes_nothing(row, db, shared_world):
    url = row.url(shared_world)
    api = url.startswith("/api/")
    before = snapshot()
    answers = {}
    for person in PEOPLE:
        client = shared_world.client_for(person, enforce_csrf_checks=True)
        response = client.post(url, {"title": "x", "email": "x@example.org"})
        if api:
            # The API asks anonymous callers to authenticate, and read-only endpoints refuse the
            # method itself; a session caller's write is refused for the missing token.
            answers[person] = response.status_code in (401, 403, 404, 405)
        else:
            answers[person] = _refused_for_csrf(response)
    assert answers == dict.fromkeys(PEOPLE, True), url
    assert changed_tables(before, snapshot()) == []


def test_the_same_post_with_a_valid_token_goes_through(db, shared_world):
    client = shared_world.client_for("volunteer", enforce_csrf_checks=True)
    client.get("/me/profile/")
    token = client.cookies["csrftoken"].value
    response = client.post("/me/export/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_one_click_unsubscribe_works_without_a_token(db, shared_world):
    world = shared_world
    url = all_rows_by_key()["newsletter:unsubscribe"].url(world)
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription = Subscription.objects.get(email=world.people["advisor"].email)
    assert subscription.unsubscribed_at is not None


def all_rows_by_key() -> dict:
    return {row.key: row for row in all_rows()}


def test_api_write_with_a_session_needs_the_token(db, shared_world):
    client = shared_world.client_for("volunteer", enforce_csrf_checks=True)
    application = shared_world.objects["application"]
    response = client.post(f"/api/v1/me/applications/{application.pk}/withdraw/")
    assert _refused_for_csrf(response)
    application.refresh_from_db()
    assert application.status == "pending"
