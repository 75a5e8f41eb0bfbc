"""What a person sees in everyday use: times in the browser's zone, the phone menu, confirmations, the
searchable language picker and the search box."""

from datetime import UTC, datetime

import pytest

from events.models import Registration
from tests.events.factories import EventFactory
from tests.factories import UserFactory, WorkingGroupFactory

from .conftest import PHONE
from .helpers import sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_sees_event_times_in_the_browsers_zone(journeys):
    event = EventFactory(
        title="Tokyo evening", start=datetime(2031, 7, 30, 13, tzinfo=UTC), end=datetime(2031, 7, 30, 15, tzinfo=UTC)
    )
    visitor = journeys("visitor", timezone_id="Asia/Tokyo")
    page = visitor.goto(event.get_absolute_url())  # the first page sets the zone cookie
    page = visitor.goto(event.get_absolute_url())
    visitor.check("event-in-tokyo")
    assert page.locator("#zone-note").inner_text().startswith("Times are shown in Asia/Tokyo.")
    assert "22:00" in page.locator(".event-when").inner_text()


def test_the_header_folds_into_a_menu_on_a_phone(journeys, organizer):
    person = journeys("organizer")
    sign_in(person, organizer.email)
    page = person.goto("/groups/")
    menu = page.get_by_role("button", name="Menu")
    assert not menu.is_visible()  # desktop: everything in one header
    assert page.get_by_role("link", name="My participation").is_visible()
    page.set_viewport_size(PHONE)
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="My participation").is_visible()
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert header_height < 80, header_height  # one line, not three
    tab_to(page, menu)
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="My participation").is_visible()
    page.screenshot(path=str(person_screenshot(person, "menu-open-phone")))
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"


def person_screenshot(journey, label):
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{journey.name}-{label}.png"


def test_cancelling_a_registration_asks_first(journeys):
    event = EventFactory(title="Careful event")
    person = UserFactory()
    Registration.objects.create(event=event, user=person, status=Registration.Status.REGISTERED)
    journey = journeys("attendant")
    sign_in(journey, person.email)
    page = journey.goto(event.get_absolute_url())
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Cancel my registration").click()
    page.wait_for_timeout(300)
    assert asked and asked[0].startswith("Cancel your registration?")
    assert Registration.objects.get(event=event, user=person).status == Registration.Status.REGISTERED
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel my registration").click()
    page.wait_for_load_state("load")
    journey.check("cancelled")
    assert Registration.objects.get(event=event, user=person).status == Registration.Status.CANCELLED


def test_the_language_picker_finds_and_ticks_languages_by_keyboard(journeys):
    person = UserFactory(profile={"display_name": "Kemi", "languages": ["en"]})
    journey = journeys("volunteer")
    sign_in(journey, person.email)
    page = journey.goto("/me/profile/")
    journey.check("profile-picker")
    assert page.locator("#id_languages").is_hidden()  # the <select> stays in the form, hidden
    assert page.locator("#id_languages_chosen").inner_text() == "Chosen: English"
    tab_to(page, page.get_by_label("Languages"))
    page.keyboard.type("yor")
    assert page.get_by_role("checkbox", name="Yoruba").is_visible()
    assert not page.get_by_role("checkbox", name="French").is_visible()
    tab_to(page, page.get_by_role("checkbox", name="Yoruba"))
    page.keyboard.press("Space")
    journey.check("profile-picker-yoruba")
    tab_to(page, page.get_by_role("button", name="Save profile"))
    page.keyboard.press("Enter")
    page.get_by_text("Your profile is saved.").wait_for()
    person.profile.refresh_from_db()
    assert sorted(person.profile.languages.values_list("code", flat=True)) == ["en", "yo"]


def test_the_header_search_finds_a_group(journeys):
    WorkingGroupFactory(name="Multilingual data", short_description="Corpora in 46 languages.")
    journey = journeys("visitor")
    page = journey.goto("/")
    tab_to(page, page.get_by_role("searchbox", name="Search the portal"))
    page.keyboard.type("multilingual")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=multilingual")
    journey.check("search-results")
    assert page.get_by_role("heading", name="Working groups").is_visible()
    page.get_by_role("link", name="Multilingual data").click()
    page.wait_for_url("**/groups/**")
