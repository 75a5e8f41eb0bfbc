"""Hostile bytes in addresses, query strings and bodies get a clear 4xx, never a 500, on SQLite and
PostgreSQL alike; every API error is JSON; a line break in an event title breaks no page or file."""

import json

import icalendar
import pytest
from django.test import Client

from tests.events.factories import EventFactory
from tests.factories import UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _is_json_error(response) -> bool:
    if not response["Content-Type"].startswith("application/json"):
        return False
    body = json.loads(response.content)
    return set(body) >= {"detail", "code"}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/roles/invitations/%00/", 404),
        ("/events/feed/%00.ics", 404),
        ("/events/%00/", 404),
        ("/groups/%00/", 404),
        ("/news/%00/", 404),
        ("/roles/a%00b/", 404),
    ],
)
def test_a_nul_byte_in_a_page_address_is_not_found(path, status, user):
    for client in (_client(), _client(user)):
        response = client.get(path)
        assert response.status_code == status, path


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/working-groups/%00/members/",
        "/api/v1/working-groups/%00/",
        "/api/v1/events/%00/",
        "/api/v1/news/a%00/",
        "/api/v1/roles/%00/",
    ],
)
def test_a_nul_byte_in_an_api_address_is_a_json_404(path, user):
    WorkingGroupFactory(slug="data")
    for client in (_client(), _client(user)):
        response = client.get(path)
        assert response.status_code == 404, path
        assert _is_json_error(response), response.content[:200]


@pytest.mark.parametrize(
    ("path", "api"),
    [
        ("/api/v1/events/?working_group=%00", True),
        ("/api/v1/sessions/?event=a%00b", True),
        ("/api/v1/working-groups/?ordering=%00", True),
        ("/events/?q=%00", False),
        ("/groups/?q=x%00", False),
    ],
)
def test_a_nul_byte_in_a_query_string_is_a_clear_400(path, api):
    response = _client().get(path)
    assert response.status_code == 400, path
    if api:
        assert _is_json_error(response) and "NUL" in response.json()["detail"]
    else:
        assert "NUL" in response.content.decode()


def test_a_nul_byte_in_a_json_body_is_a_json_400_and_changes_nothing(user):
    from events.models import Registration

    EventFactory(slug="next-episode")
    client = _client(user)
    response = client.post("/api/v1/me/registrations/", {"event": "next\u0000episode"}, content_type="application/json")
    assert response.status_code == 400 and _is_json_error(response)
    assert not Registration.objects.exists()


def test_a_nul_byte_in_a_form_is_a_clear_400_and_changes_nothing(user):
    from allauth.account.models import EmailAddress

    client = _client(user)
    response = client.post("/accounts/email/", {"action_add": "", "email": "a\u0000@example.org"})
    assert response.status_code == 400
    assert not EmailAddress.objects.filter(email__startswith="a").exists()


@pytest.mark.parametrize(
    "moment",
    [
        "2021-06-01T00:00:00+16:00",
        "2021-06-01T00:00:00-23:59",
        "2021-06-01T00:00:00+99:00",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "2021-06-01T00:00:00\u0000",
    ],
)
@pytest.mark.parametrize("endpoint", ["/api/v1/events/", "/api/v1/sessions/"])
def test_an_impossible_utc_offset_in_a_time_filter_is_a_json_400(moment, endpoint):
    EventFactory()
    response = _client().get(endpoint, {"starts_after": moment})
    assert response.status_code == 400, (endpoint, moment, response.content[:300])
    assert _is_json_error(response)


def test_the_widest_real_offsets_are_accepted():
    EventFactory()
    for moment in ("2021-06-01T00:00:00+14:00", "2021-06-01T00:00:00-12:00", "2021-06-01T00:00:00+15:59"):
        response = _client().get("/api/v1/events/", {"starts_after": moment})
        assert response.status_code == 200, moment


@pytest.mark.parametrize("path", ["/api/no-such-thing/", "/api/v1/no-such-thing/", "/api/v1/events/no-such-event/"])
def test_api_404s_are_json(path):
    response = _client().get(path)
    assert response.status_code == 404 and _is_json_error(response)


def test_a_line_break_in_an_event_title_breaks_no_page_or_calendar_file(organizer, django_capture_on_commit_callbacks):
    from django.core import mail

    event = EventFactory(slug="two-lines", title="Opening\r\nsession\nof the year", registration_open=True)
    attendee = UserFactory()
    for url in ("/events/two-lines/", "/events/two-lines/manage/", "/events/two-lines/registrations.csv"):
        assert _client(organizer).get(url).status_code == 200, url
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(attendee).post("/events/two-lines/register/")
    assert response.status_code == 302
    assert event.registrations.filter(user=attendee, status="registered").exists()
    attachment = mail.outbox[-1].attachments[0]
    for text in (_client().get("/events/two-lines/event.ics").content.decode(), attachment[1]):
        calendar = icalendar.Calendar.from_ical(text)
        summaries = [str(component["summary"]) for component in calendar.walk("VEVENT")]
        assert summaries == ["Opening session of the year"]
        assert str(calendar["x-wr-calname"]) == "Opening session of the year"


def test_an_unexpected_api_error_is_json_and_a_page_error_is_html(monkeypatch):
    from roles.api import RoleViewSet

    def boom(self, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(RoleViewSet, "list", boom)
    response = _client().get("/api/v1/roles/")
    assert response.status_code == 500 and _is_json_error(response)
    assert response.json() == {"detail": "A server error occurred.", "code": "error"}


def test_a_malformed_request_under_the_api_is_a_json_400(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = _client(UserFactory()).post(
        "/api/v1/me/registrations/", {"event": "x" * 500}, content_type="application/json"
    )
    assert response.status_code in (400, 413) and _is_json_error(response)


def test_a_malformed_multipart_body_is_answered_by_the_view_without_an_error_logged(user, caplog):
    response = _client(user).generic(
        "POST", "/api/v1/me/registrations/", b"--x\r\n", content_type="multipart/form-data"
    )
    assert response.status_code in (400, 415) and _is_json_error(response)
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []  # no traceback in the log
