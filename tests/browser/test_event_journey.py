"""Journey 2: an organizer schedules an event with sessions; a visitor registers, is put on the
waiting list when it is full, moves up when someone cancels, and downloads the calendar."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from events.models import Event, Registration
from roles.rules import ORGANIZERS_GROUP
from tests.factories import UserFactory

from .helpers import sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _local(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _organizer_schedules(journey, email: str):
    sign_in(journey, email)
    page = journey.goto("/")
    page.get_by_role("link", name="Events", exact=True).first.click()
    page.wait_for_url("**/events/")
    journey.check("events")
    page.get_by_role("link", name="New event").click()
    page.wait_for_url("**/events/new/")
    journey.check("new-event")
    start = (timezone.now() + timedelta(days=10)).replace(hour=14, minute=0)
    page.get_by_label("Title").fill("Multilingual evaluation day")
    page.get_by_label("Description").fill("A day of **talks** on evaluating multilingual models.")
    page.locator("#id_start").fill(_local(start))
    page.locator("#id_end").fill(_local(start + timedelta(hours=4)))
    page.locator("#id_capacity").fill("1")
    page.get_by_role("button", name="Create the event").click()
    page.wait_for_url("**/manage/")
    journey.check("manage")
    page.get_by_role("link", name="Add a session").click()
    page.get_by_label("Title").fill("Opening talk")
    page.locator("#id_start").fill(_local(start))
    page.locator("#id_end").fill(_local(start + timedelta(minutes=45)))
    journey.check("session-form")
    page.get_by_role("button", name="Save the session").click()
    page.wait_for_url("**/manage/")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state("load")
    journey.check("published")


def _register(journey, slug: str, button: str, label: str):
    """By keyboard alone: Tab to the event, Enter, Tab to the button, Enter."""
    page = journey.goto("/events/")
    tab_to(page, page.get_by_role("link", name="Multilingual evaluation day").first)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/events/{slug}/")
    tab_to(page, page.get_by_role("button", name=button))
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    journey.check(label)
    return page


def test_organizer_schedules_visitors_register_wait_move_up_and_download_the_calendar(journeys):
    organizer = UserFactory(email="organizer@example.org", is_staff=True)
    organizer.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    first, second = UserFactory(email="first@example.org"), UserFactory(email="second@example.org")

    _organizer_schedules(journeys("organizer"), organizer.email)
    event = Event.objects.get(title="Multilingual evaluation day")
    assert (event.is_published, event.capacity, list(event.sessions.values_list("title", flat=True))) == (
        True,
        1,
        ["Opening talk"],
    )

    early = journeys("first")
    sign_in(early, first.email)
    _register(early, event.slug, "Register", "registered")
    late = journeys("second")
    sign_in(late, second.email)
    page = _register(late, event.slug, "Join the waiting list", "waiting")
    assert page.get_by_role("button", name="Cancel my registration").is_visible()
    assert _statuses(event) == {"first@example.org": "registered", "second@example.org": "waiting"}

    page = early.goto(f"/events/{event.slug}/")
    page.once("dialog", lambda dialog: dialog.accept())  # "Cancel your registration?" (static/js/site.js)
    page.get_by_role("button", name="Cancel my registration").click()
    page.wait_for_load_state("load")
    early.check("cancelled")
    assert _statuses(event) == {"first@example.org": "cancelled", "second@example.org": "registered"}

    page = late.goto(f"/events/{event.slug}/")
    late.check("moved-up")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    calendar = download.value.path().read_text()
    assert "BEGIN:VCALENDAR" in calendar
    assert "SUMMARY:Multilingual evaluation day" in calendar


def _statuses(event) -> dict:
    rows = Registration.objects.filter(event=event, session=None).values_list("user__email", "status")
    return dict(rows)
