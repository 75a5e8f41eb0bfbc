from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from events.models import Event, Registration, Session
from tests.factories import UserFactory

from .factories import EventFactory, PosterFactory, RegistrationFactory, SessionFactory, SpeakerFactory, in_days

pytestmark = pytest.mark.django_db


def login(client, person):
    client.force_login(person)
    return client


# --- permissions --------------------------------------------------------------------------------


def organizer_urls(event, session, poster):
    slug = event.slug
    return [
        ("get", reverse("events:create")),
        ("post", reverse("events:create")),
        ("get", reverse("events:manage", args=[slug])),
        ("get", reverse("events:edit", args=[slug])),
        ("post", reverse("events:edit", args=[slug])),
        ("post", reverse("events:publish", args=[slug])),
        ("get", reverse("events:session_create", args=[slug])),
        ("post", reverse("events:session_edit", args=[slug, session.pk])),
        ("post", reverse("events:session_delete", args=[slug, session.pk])),
        ("post", reverse("events:poster_add", args=[slug, poster.session_id])),
        ("post", reverse("events:poster_delete", args=[slug, poster.pk])),
        ("get", reverse("events:message", args=[slug])),
        ("post", reverse("events:message", args=[slug])),
        ("get", reverse("events:export", args=[slug])),
        (
            "post",
            reverse("events:registration_cancel", args=[slug, Registration.objects.filter(event=event).first().pk]),
        ),
    ]


def test_organizer_pages_refuse_everyone_else_and_leak_nothing(client, member, chair, advisor):
    event = EventFactory(title="Secret plans")
    session = SessionFactory(event=event, title="Keep")
    poster = PosterFactory(session=SessionFactory(event=event, kind="poster_session"))
    RegistrationFactory(event=event, user=UserFactory(email="registered@example.org"))
    urls = organizer_urls(event, session, poster)
    for method, url in urls:
        response = getattr(client, method)(url, {"title": "x", "published": "0", "subject": "s", "body": "b"})
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url
    for person in (UserFactory(), member, chair, advisor):
        login(client, person)
        for method, url in urls:
            response = getattr(client, method)(url, {"title": "x", "published": "0", "subject": "s", "body": "b"})
            assert response.status_code == 403, url
            assert b"registered@example.org" not in response.content
    assert Event.objects.get().is_published and Event.objects.get().title == "Secret plans"
    assert set(Session.objects.values_list("title", flat=True)) == {"Keep", poster.session.title}
    assert poster.__class__.objects.count() == 1 and mail.outbox == []


def test_drafts_are_hidden_from_everyone_but_organizers(client, organizer):
    draft = EventFactory(is_published=False, title="Draft event")
    for url in (reverse("events:detail", args=[draft.slug]), reverse("events:ics", args=[draft.slug])):
        assert client.get(url).status_code == 404
    assert b"Draft event" not in client.get(reverse("events:list")).content
    assert b"Draft event" not in client.get(reverse("events:public_feed")).content
    login(client, organizer)
    assert client.get(reverse("events:detail", args=[draft.slug])).status_code == 200
    assert b"Draft event" in client.get(reverse("events:list")).content


def test_wrong_ids_give_404_and_wrong_methods_405(client, organizer):
    event = EventFactory()
    assert client.get("/events/nope/").status_code == 404
    assert client.get(reverse("events:register", args=[event.slug])).status_code == 405
    login(client, organizer)
    assert client.post(reverse("events:session_delete", args=[event.slug, 9999])).status_code == 404
    assert client.get(reverse("events:publish", args=[event.slug])).status_code == 405
    other = EventFactory()
    session = SessionFactory(event=other)
    assert client.get(reverse("events:session_edit", args=[event.slug, session.pk])).status_code == 404


# --- organizer journey --------------------------------------------------------------------------


def test_organizer_creates_event_in_its_own_zone_then_sessions(client, organizer):
    login(client, organizer)
    response = client.post(
        reverse("events:create"),
        {
            "title": "Episode #3",
            "slug": "episode-3",
            "time_zone": "Europe/Paris",
            "start": "2031-12-08T19:00",
            "end": "2031-12-08T22:00",
            "stream_url": "https://s.example.org",
            "registration_open": "on",
            "capacity": "2",
        },
    )
    assert response.status_code == 302 and response.url == reverse("events:manage", args=["episode-3"])
    event = Event.objects.get(slug="episode-3")
    assert (event.start, event.end) == (datetime(2031, 12, 8, 18, tzinfo=UTC), datetime(2031, 12, 8, 21, tzinfo=UTC))
    assert not event.is_published
    response = client.post(
        reverse("events:session_create", args=["episode-3"]),
        {
            "kind": "round_table",
            "title": "Carbon footprint",
            "start": "2031-12-08T19:30",
            "end": "2031-12-08T20:00",
            "room": "Table 1",
            "capacity": "8",
            "new_speakers": f"Ada Lovelace, Analytical\n{organizer.email}",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert (session.start, session.capacity) == (datetime(2031, 12, 8, 18, 30, tzinfo=UTC), 8)
    assert {(s.name, s.user_id) for s in session.speakers.all()} == {
        ("Ada Lovelace", None),
        (organizer.display_name, organizer.pk),
    }
    page = client.get(reverse("events:session_edit", args=["episode-3", session.pk])).content.decode()
    assert 'value="2031-12-08T19:30"' in page
    client.post(reverse("events:publish", args=["episode-3"]), {"published": "1"})
    assert Event.objects.get().is_published


def test_bad_event_form_shows_errors_and_changes_nothing(client, organizer):
    event = EventFactory(capacity=5)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    login(client, organizer)
    url = reverse("events:edit", args=[event.slug])
    base = {
        "title": event.title,
        "slug": event.slug,
        "time_zone": "UTC",
        "registration_open": "on",
        "start": event.start.strftime("%Y-%m-%dT%H:%M"),
        "end": event.end.strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(url, {**base, "end": (event.start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200 and "The end must be after the start." in response.content.decode()
    response = client.post(url, {**base, "capacity": "1"})
    assert response.status_code == 200
    assert "2 people are already registered: the capacity cannot be below 2." in response.content.decode()
    before = Event.objects.values().get(pk=event.pk)
    assert before["capacity"] == 5 and before["end"] == event.end


def test_session_outside_event_shows_error(client, organizer):
    event = EventFactory(start=datetime(2031, 5, 1, 10, tzinfo=UTC), end=datetime(2031, 5, 1, 12, tzinfo=UTC))
    login(client, organizer)
    response = client.post(
        reverse("events:session_create", args=[event.slug]),
        {
            "kind": "talk",
            "title": "Too late",
            "start": "2031-05-01T13:00",
            "end": "2031-05-01T14:00",
        },
    )
    assert response.status_code == 200
    assert (
        "The session must take place within the event (01 May 2031 10:00 – 01 May 2031 12:00, UTC)."
        in response.content.decode()
    )
    assert not Session.objects.exists()


def test_manage_page_shows_conflicts(client, organizer):
    event = EventFactory()
    speaker = SpeakerFactory(name="Ada")
    for title in ("A", "B"):
        SessionFactory(event=event, title=title, room="Main").speakers.add(speaker)
    login(client, organizer)
    page = client.get(reverse("events:manage", args=[event.slug])).content.decode()
    assert "Room “Main” is booked twice: “A” and “B” overlap." in page
    assert "Ada speaks in “A” and “B” at the same time." in page


def test_message_form_sends_and_records(client, organizer, django_capture_on_commit_callbacks):
    event = EventFactory()
    registration = RegistrationFactory(event=event)
    login(client, organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:message", args=[event.slug]), {"subject": "Hi", "body": "See you"})
    assert response.status_code == 302
    assert [(m.to, m.subject) for m in mail.outbox] == [([registration.user.email], f"Hi ({event.title})")]
    assert list(event.messages.values_list("subject", "recipient_count")) == [("Hi", 1)]


def test_csv_export_lists_registrations(client, organizer):
    event = EventFactory()
    table = SessionFactory(event=event, title="Table", capacity=3)
    a = RegistrationFactory(event=event, user=UserFactory(email="a@example.org", profile={"display_name": "=Ann"}))
    RegistrationFactory(event=event, session=table, user=a.user)
    RegistrationFactory(
        event=event, status="waiting", user=UserFactory(email="b@example.org", profile={"display_name": "Bob"})
    )
    login(client, organizer)
    response = client.get(reverse("events:export", args=[event.slug]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = [line.split(",")[:6] for line in response.content.decode().splitlines()]
    assert rows[0] == ["name", "email", "affiliation", "country", "session", "status"]
    assert sorted(rows[1:]) == sorted(
        [
            ["'=Ann", "a@example.org", "Example University", "FR", "", "registered"],
            ["'=Ann", "a@example.org", "Example University", "FR", "Table", "registered"],
            ["Bob", "b@example.org", "Example University", "FR", "", "waiting"],
        ]
    )


# --- visitors -----------------------------------------------------------------------------------


def test_detail_shows_viewer_zone_and_event_zone_on_request(client):
    event = EventFactory(
        start=datetime(2031, 7, 30, 13, tzinfo=UTC),
        end=datetime(2031, 7, 30, 17, tzinfo=UTC),
        time_zone="Europe/Berlin",
    )
    SessionFactory(event=event, title="Opening", start=event.start, end=event.start + timedelta(minutes=15))
    person = UserFactory(profile={"time_zone": "Asia/Tokyo"})
    login(client, person)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Times are shown in <strong>Asia/Tokyo</strong>" in page and ">22:00</time>–<time" in page
    page = client.get(event.get_absolute_url() + "?tz=event").content.decode()
    assert "Times are shown in <strong>Europe/Berlin</strong>, the event's own time zone" in page
    assert ">15:00</time>–<time" in page
    client.logout()
    client.cookies["tz"] = "America/New_York"
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Times are shown in <strong>America/New_York</strong>" in page and ">09:00</time>–<time" in page


def test_visitor_registers_waits_and_moves_up(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    url = reverse("events:register", args=[event.slug])
    login(client, first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert "You have a place." in client.get(event.get_absolute_url()).content.decode()
    login(client, second)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    page = response.content.decode()
    assert "you are on the waiting list" in page and "You are number 1 on the waiting list" in page
    login(client, first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:cancel", args=[event.slug]))
    assert dict(Registration.objects.values_list("user", "status")) == {first.pk: "cancelled", second.pk: "registered"}
    assert [m.to[0] for m in mail.outbox] == [first.email, second.email, second.email]
    assert mail.outbox[-1].subject == f"A place freed up: {event.title}"


def test_anonymous_register_is_sent_to_sign_in(client):
    event = EventFactory()
    response = client.post(reverse("events:register", args=[event.slug]))
    assert response.status_code == 302 and response.url == f"/accounts/login/?next=/events/{event.slug}/"
    assert not Registration.objects.exists()


def test_register_closed_shows_the_reason(client):
    event = EventFactory(registration_open=False)
    login(client, UserFactory())
    response = client.post(reverse("events:register", args=[event.slug]), follow=True)
    assert "Registration is closed." in response.content.decode()
    assert not Registration.objects.exists()


def test_session_registration_through_the_page(client):
    event = EventFactory()
    table = SessionFactory(event=event, kind="round_table", capacity=1, title="Carbon")
    person = UserFactory()
    RegistrationFactory(event=event, user=person)
    login(client, person)
    assert "Join “Carbon”" in client.get(event.get_absolute_url()).content.decode()
    client.post(reverse("events:session_register", args=[event.slug, table.pk]))
    assert Registration.objects.get(session=table).user == person
    client.post(reverse("events:session_cancel", args=[event.slug, table.pk]))
    assert Registration.objects.get(session=table).status == "cancelled"


# --- query counts -------------------------------------------------------------------------------


def _count_queries(client, url, django_assert_max_num_queries=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(n):
    for _ in range(n):
        event = EventFactory(start=in_days(5))
        SessionFactory(event=event).speakers.add(SpeakerFactory())
        EventFactory(start=in_days(-30), end=in_days(-30) + timedelta(hours=1))


@pytest.mark.parametrize("name", ["events:list", "events:public_feed", "home"])
def test_list_pages_and_feeds_keep_a_constant_query_count(client, name, django_assert_num_queries):
    _grow(1)
    url = reverse(name)
    client.get(url)
    expected = _count_queries(client, url)
    _grow(6)
    with django_assert_num_queries(expected):
        client.get(url)


def test_event_page_keeps_a_constant_query_count(client, django_assert_num_queries):
    event = EventFactory()
    person = UserFactory()
    login(client, person)

    def grow():
        session = SessionFactory(event=event, kind="poster_session", capacity=5)
        session.speakers.add(SpeakerFactory())
        PosterFactory(session=session).presenters.add(SpeakerFactory())

    grow()
    expected = _count_queries(client, event.get_absolute_url())
    for _ in range(5):
        grow()
    with django_assert_num_queries(expected):
        client.get(event.get_absolute_url())


def test_manage_page_and_my_calendar_keep_a_constant_query_count(client, organizer, django_assert_num_queries):
    event = EventFactory()
    RegistrationFactory(user=organizer, event=event)
    login(client, organizer)
    urls = [reverse("events:manage", args=[event.slug]), reverse("events:my_calendar")]

    def grow():
        session = SessionFactory(event=event, room="Main", capacity=3)
        session.speakers.add(SpeakerFactory())
        RegistrationFactory(user=organizer)
        RegistrationFactory(event=event)
        RegistrationFactory(event=event, session=session)

    grow()
    for url in urls:
        client.get(url)  # the first visit creates the calendar token
    counts = [_count_queries(client, url) for url in urls]
    for _ in range(5):
        grow()
    for url, expected in zip(urls, counts, strict=True):
        with django_assert_num_queries(expected):
            client.get(url)


def test_admin_pages_for_every_event_model_load(admin_client):
    event = EventFactory()
    session = SessionFactory(event=event, kind="poster_session")
    PosterFactory(session=session)
    RegistrationFactory(event=event)
    for model in (
        "event",
        "session",
        "speaker",
        "poster",
        "registration",
        "eventmessage",
        "calendartoken",
    ):
        assert admin_client.get(f"/admin/events/{model}/").status_code == 200, model
    assert admin_client.get(f"/admin/events/event/{event.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/events/session/{session.pk}/change/").status_code == 200


def test_admin_does_not_edit_events_capacity_stays(admin_client):
    """The admin is read-only (events change on the organizers' pages, through events.services)."""
    event = EventFactory(capacity=3)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    data = {
        "slug": event.slug,
        "title": event.title,
        "description": "",
        "time_zone": "UTC",
        "start_0": event.start.strftime("%Y-%m-%d"),
        "start_1": event.start.strftime("%H:%M:%S"),
        "end_0": event.end.strftime("%Y-%m-%d"),
        "end_1": event.end.strftime("%H:%M:%S"),
        "is_published": "on",
        "registration_open": "on",
        "capacity": "1",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
    }
    response = admin_client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.capacity == 3


def test_organizer_cancels_a_place_from_the_schedule_editor(client, organizer, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event, user=UserFactory(profile={"display_name": "Holder"}))
    waiting = RegistrationFactory(event=event, status="waiting")
    login(client, organizer)
    assert "Holder" in client.get(reverse("events:manage", args=[event.slug])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:registration_cancel", args=[event.slug, holder.pk]))
    assert dict(Registration.objects.values_list("pk", "status")) == {holder.pk: "cancelled", waiting.pk: "registered"}
    assert [m.to for m in mail.outbox] == [[waiting.user.email]]
    assert client.post(reverse("events:registration_cancel", args=[event.slug, holder.pk])).status_code == 404


def test_event_address_is_made_from_the_title_when_left_empty(client, organizer):
    EventFactory(slug="episode-4")
    login(client, organizer)
    form = {
        "title": "Episode 4",
        "slug": "",
        "time_zone": "UTC",
        "start": "2031-01-01T10:00",
        "end": "2031-01-01T11:00",
    }
    assert client.post(reverse("events:create"), form).status_code == 302
    assert Event.objects.filter(title="Episode 4").get().slug == "episode-4-2"
    response = client.post(reverse("events:create"), {**form, "slug": "episode-4"})
    assert "Another event already uses this address." in response.content.decode()
    assert Event.objects.count() == 2


def test_organizer_adds_and_removes_a_poster(client, organizer):
    session = SessionFactory(kind="poster_session")
    slug = session.event.slug
    login(client, organizer)
    page = client.get(reverse("events:session_edit", args=[slug, session.pk])).content.decode()
    assert page.count('id="id_title"') == 1 and 'id="id_poster-title"' in page
    response = client.post(
        reverse("events:poster_add", args=[slug, session.pk]),
        {"poster-title": "Tokenizers", "poster-abstract": "", "poster-presenters": "Ada, Lab\nBob"},
    )
    assert response.status_code == 302
    poster = session.posters.get()
    assert (poster.title, sorted(p.name for p in poster.presenters.all())) == ("Tokenizers", ["Ada", "Bob"])
    response = client.post(reverse("events:poster_add", args=[slug, session.pk]), {"poster-title": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    client.post(reverse("events:poster_delete", args=[slug, poster.pk]))
    assert not session.posters.exists()


def test_zero_places_is_refused_with_a_clear_message(client, organizer):
    event = EventFactory(start=datetime(2031, 5, 1, 10, tzinfo=UTC), end=datetime(2031, 5, 1, 12, tzinfo=UTC))
    login(client, organizer)
    response = client.post(
        reverse("events:session_create", args=[event.slug]),
        {"kind": "round_table", "title": "T", "start": "2031-05-01T10:00", "end": "2031-05-01T10:30", "capacity": "0"},
    )
    assert "At least one place; leave it empty for no limit." in response.content.decode()
    assert not Session.objects.exists()
