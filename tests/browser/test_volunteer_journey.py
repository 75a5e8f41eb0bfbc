"""Journey 1: a volunteer signs up, verifies the address, fills the profile and applies to a
working group; its chair approves in another browser; the volunteer sees the role.

The volunteer's side is driven by the keyboard alone (Tab, Enter, typing).
"""

import pytest

from accounts.models import User
from tests.factories import ParticipationFactory, RoleFactory, WorkingGroupFactory

from .helpers import PASSWORD, link_in_last_email, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
EMAIL = "ada@example.org"


def _keyboard_sign_up(journey):
    page = journey.goto("/")
    journey.check("home")
    tab_to(page, page.get_by_role("link", name="Sign up"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/signup/")
    journey.check("signup")
    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    tab_to(page, page.get_by_label("Password (again)"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/confirm-email/")
    journey.check("verification-sent")


def _keyboard_verify(journey):
    page = journey.goto(link_in_last_email(EMAIL, "/accounts/confirm-email/"))
    journey.check("confirm-email")
    tab_to(page, page.get_by_role("button", name="Confirm"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/me/profile/")


def _keyboard_fill_profile(journey):
    page = journey.page
    journey.check("profile-empty")
    tab_to(page, page.get_by_label("Display name"))
    page.keyboard.type("Ada Lovelace")
    tab_to(page, page.get_by_label("Affiliation"))
    page.keyboard.type("Analytical Engines Ltd")
    tab_to(page, page.get_by_label("Country"))
    page.keyboard.type("France")
    tab_to(page, page.get_by_label("Languages"))
    page.keyboard.type("English")  # type-ahead selects the option in the list box
    tab_to(page, page.get_by_role("button", name="Save profile"))
    page.keyboard.press("Enter")
    page.get_by_text("Your profile is saved.").wait_for()
    journey.check("profile-saved")


def test_volunteer_signs_up_verifies_and_fills_profile_by_keyboard(journeys):
    group = WorkingGroupFactory(name="Tokenization", slug="tokenization")
    ParticipationFactory(role=RoleFactory(slug="chair"), working_group=group)
    volunteer = journeys("volunteer")

    _keyboard_sign_up(volunteer)
    _keyboard_verify(volunteer)
    _keyboard_fill_profile(volunteer)

    user = User.objects.get(email=EMAIL)
    assert user.emailaddress_set.get().verified is True
    assert (user.profile.display_name, user.profile.affiliation, user.profile.country.code) == (
        "Ada Lovelace",
        "Analytical Engines Ltd",
        "FR",
    )
    assert user.profile.missing_fields() == []
