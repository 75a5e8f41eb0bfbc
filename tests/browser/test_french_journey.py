"""Journey 1 in French: a volunteer whose browser asks for French signs up, verifies the address, fills
the profile (choosing French for the portal and its e-mails) and applies to a working group; its chair,
in an English browser, approves; the volunteer sees the role and gets the welcome e-mail in French.
"""

import pytest
from django.core import mail

from accounts.models import User
from tests.factories import ParticipationFactory, RoleFactory, WorkingGroupFactory

from .helpers import PASSWORD, link_in_last_email, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "camille@example.org"


def _sign_up(journey):
    page = journey.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    journey.check("accueil")
    page.get_by_role("link", name="S'inscrire", exact=True).click()
    page.wait_for_url("**/accounts/signup/")
    page.get_by_role("heading", name="Créez votre compte").wait_for()
    journey.check("inscription")
    page.get_by_label("Votre nom").fill("Camille Dupont")
    page.get_by_label("Courriel").fill(EMAIL)  # allauth's own French
    page.get_by_placeholder("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/accounts/confirm-email/")
    page.get_by_role("heading", name="Consultez vos e-mails").wait_for()
    journey.check("verification-envoyee")


def _verify(journey):
    page = journey.goto(link_in_last_email(EMAIL, "/accounts/confirm-email/"))
    journey.check("confirmation")
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url("**/me/profile/")


def _fill_profile(journey):
    page = journey.page
    page.get_by_role("heading", name="Votre profil", exact=True).wait_for()
    journey.check("profil-vide")
    assert page.get_by_label("Nom affiché").input_value() == "Camille Dupont"
    page.get_by_label("Affiliation").fill("Université de Lorraine")
    page.get_by_label("Pays").select_option(label="France")
    page.get_by_label("Langue du portail").select_option("fr")
    page.get_by_placeholder("Tapez le nom d'une langue").fill(
        "Fren"
    )  # the picker's filter box (static/js/multiselect.js)
    page.get_by_role("checkbox", name="French", exact=True).check()
    page.get_by_role("button", name="Enregistrer le profil").click()
    page.get_by_text("Votre profil est enregistré.").wait_for()
    journey.check("profil-enregistre")


def _apply(journey, group_name: str):
    page = journey.page
    page.get_by_role("link", name="Groupes de travail", exact=True).first.click()
    page.wait_for_url("**/groups/")
    journey.check("groupes")
    page.get_by_role("link", name=group_name, exact=True).click()
    page.wait_for_url("**/groups/tokenization/")
    journey.check("groupe")
    page.get_by_role("link", name=f"Candidater pour rejoindre {group_name}").click()
    page.wait_for_url("**/roles/participant/**")
    journey.check("candidature")
    page.get_by_label("Votre motivation").fill("J'ai construit des tokenizers pour douze langues.")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    page.get_by_text("Votre candidature est envoyée. Vous aurez de nos nouvelles par e-mail.").wait_for()
    journey.check("candidature-envoyee")


def _chair_approves(journey, chair_email: str, group_slug: str):
    sign_in(journey, chair_email)
    page = journey.goto(f"/groups/{group_slug}/manage/")
    journey.check("gestion")
    page.get_by_role("button", name="Approve Camille Dupont").click()
    page.wait_for_load_state("load")
    journey.check("acceptee")


def test_french_volunteer_signs_up_applies_and_is_approved(journeys):
    group = WorkingGroupFactory(name="Tokenization", slug="tokenization")
    chair_user = ParticipationFactory(role=RoleFactory(slug="chair"), working_group=group).user
    RoleFactory(slug="participant")
    volunteer = journeys("benevole", locale="fr-FR")

    _sign_up(volunteer)
    _verify(volunteer)
    _fill_profile(volunteer)
    _apply(volunteer, "Tokenization")
    _chair_approves(journeys("responsable", locale="en-GB"), chair_user.email, group.slug)

    page = volunteer.goto("/me/participation/")
    volunteer.check("ma-participation")
    roles_held = page.get_by_role("region", name="Mes rôles")
    # The reference roles have French names (roles/migrations/0005_french_versions.py).
    assert roles_held.get_by_role("heading", name="Participant·e à un groupe de travail · Tokenization").is_visible()
    # The switcher offers English, and switching keeps the page.
    page.get_by_role("button", name="English").first.click()
    page.wait_for_url("**/me/participation/")
    english_roles = page.get_by_role("region", name="Roles I hold")
    assert english_roles.get_by_role("heading", name="Working Group Participant · Tokenization").is_visible()
    volunteer.check("my-participation-english")

    user = User.objects.get(email=EMAIL)
    assert user.emailaddress_set.get().verified is True
    assert user.profile.language == "en"  # the switcher of a signed-in person changes the profile
    welcome = [m for m in mail.outbox if m.to == [EMAIL]][-1]
    # (a subject's spaces are folded to plain ones, the French non-breaking space before ":" included)
    assert welcome.subject == "Bienvenue : vous êtes désormais Participant·e à un groupe de travail dans Tokenization"
    assert "Bonjour Camille Dupont," in welcome.body
