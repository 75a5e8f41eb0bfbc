"""Journey 1: a volunteer signs up, verifies the address, fills the profile and applies to a
working group; its chair approves in another browser; the volunteer sees the role.

The volunteer's side is driven by the keyboard alone (Tab, Enter, typing).
"""

import pytest

from accounts.models import User
from tests.factories import ParticipationFactory, RoleFactory, WorkingGroupFactory

from .helpers import PASSWORD, link_in_last_email, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "ada@example.org"


def _keyboard_sign_up(journey):
    page = journey.goto("/")
    journey.check("home")
    tab_to(page, page.get_by_role("link", name="Sign up"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/signup/")
    journey.check("signup")
    tab_to(page, page.get_by_label("Your name"))
    page.keyboard.type("Ada Lovelace")
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
    # The name typed at sign-up is already there.
    assert page.get_by_label("Display name").input_value() == "Ada Lovelace"
    tab_to(page, page.get_by_label("Affiliation"))
    page.keyboard.type("Analytical Engines Ltd")
    tab_to(page, page.get_by_label("Country"))
    page.keyboard.type("France")
    tab_to(page, page.get_by_label("Languages"))  # the picker's filter box (static/js/multiselect.js)
    page.keyboard.type("Engl")
    tab_to(page, page.get_by_role("checkbox", name="English", exact=True))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Save profile"))
    page.keyboard.press("Enter")
    page.get_by_text("Your profile is saved.").wait_for()
    journey.check("profile-saved")


def _keyboard_apply(journey, group_name: str):
    page = journey.page
    tab_to(page, page.get_by_role("link", name="Working groups", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url("**/groups/")
    journey.check("group-list")
    tab_to(page, page.get_by_role("link", name=group_name, exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url("**/groups/tokenization/")
    journey.check("group-detail")
    tab_to(page, page.get_by_role("link", name=f"Apply to join {group_name}"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/roles/participant/**")
    journey.check("apply-form")
    tab_to(page, page.get_by_label("Your motivation"))
    page.keyboard.type("I have built tokenizers for twelve languages.")
    tab_to(page, page.get_by_role("button", name="Send my application"))
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    journey.check("application-sent")


def _chair_approves(journey, chair_email: str, group_slug: str):
    sign_in(journey, chair_email)
    page = journey.goto(f"/groups/{group_slug}/")
    journey.check("group-detail")
    page.get_by_role("link", name="Manage this group").click()
    page.wait_for_url(f"**/groups/{group_slug}/manage/")
    journey.check("manage")
    page.get_by_role("button", name="Approve Ada Lovelace").click()
    page.wait_for_load_state("load")
    journey.check("approved")


def test_volunteer_signs_up_applies_and_is_approved_by_the_chair(journeys):
    group = WorkingGroupFactory(name="Tokenization", slug="tokenization")
    chair_user = ParticipationFactory(role=RoleFactory(slug="chair"), working_group=group).user
    RoleFactory(slug="participant")
    volunteer = journeys("volunteer")

    _keyboard_sign_up(volunteer)
    _keyboard_verify(volunteer)
    _keyboard_fill_profile(volunteer)
    _keyboard_apply(volunteer, "Tokenization")
    _chair_approves(journeys("chair"), chair_user.email, group.slug)

    page = volunteer.goto("/me/participation/")
    volunteer.check("my-participation")
    roles_held = page.get_by_role("region", name="Roles I hold")
    assert roles_held.get_by_role("heading", name="Working Group Participant · Tokenization").is_visible()

    user = User.objects.get(email=EMAIL)
    assert user.emailaddress_set.get().verified is True
    assert (user.profile.display_name, user.profile.affiliation, user.profile.country.code) == (
        "Ada Lovelace",
        "Analytical Engines Ltd",
        "FR",
    )
    assert [(p.role.slug, p.working_group_id, p.status) for p in user.participations.all()] == [
        ("participant", group.pk, "active")
    ]
