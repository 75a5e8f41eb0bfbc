"""Journey 4: a chair invites by e-mail someone who has no account; that person signs up from
the invitation and lands in the group."""

import pytest

from roles.models import Participation
from tests.factories import ParticipationFactory, RoleFactory, WorkingGroupFactory

from .helpers import PASSWORD, link_in_last_email, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
INVITEE = "grace@example.org"


def _chair_invites(journey, chair_email: str, group_slug: str):
    sign_in(journey, chair_email)
    page = journey.goto(f"/groups/{group_slug}/manage/")
    journey.check("manage")
    page.get_by_label("E-mail address to invite").fill(INVITEE)
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state("load")
    journey.check("invited")


def _invitee_signs_up_and_accepts(journey, group_name: str):
    page = journey.goto(link_in_last_email(INVITEE, "/roles/invitations/"))
    journey.check("invitation")
    page.get_by_role("link", name="Create an account to accept").click()
    page.wait_for_url("**/accounts/signup/**")
    journey.check("signup")
    page.get_by_label("Your name").fill("Invitee")
    page.get_by_label("Email").fill(INVITEE)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    journey.check("verification-sent")
    page = journey.goto(link_in_last_email(INVITEE, "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state("load")
    journey.check("after-confirm")
    accept = page.get_by_role("button", name=f"Accept and join {group_name}")
    if not accept.count():
        # Not sent back to the invitation: it is waiting on My participation.
        page = journey.goto("/me/participation/")
        page.get_by_role("link", name="Accept the invitation").click()
        page.wait_for_load_state("load")
    journey.check("accept")
    page.get_by_role("button", name=f"Accept and join {group_name}").click()
    page.wait_for_load_state("load")
    journey.check("joined")


def test_chair_invites_a_newcomer_who_signs_up_and_lands_in_the_group(journeys):
    group = WorkingGroupFactory(name="Prompt engineering", slug="prompt-engineering")
    chair = ParticipationFactory(role=RoleFactory(slug="chair"), working_group=group).user
    RoleFactory(slug="participant")

    _chair_invites(journeys("chair"), chair.email, group.slug)
    newcomer = journeys("newcomer")
    _invitee_signs_up_and_accepts(newcomer, group.name)

    page = newcomer.goto("/me/participation/")
    newcomer.check("my-participation")
    assert page.get_by_role("heading", name="Working Group Participant · Prompt engineering").is_visible()
    held = Participation.objects.filter(user__email=INVITEE).values_list("role__slug", "working_group_id", "status")
    assert list(held) == [("participant", group.pk, "active")]
