"""The portal in French: pages, e-mails in the recipient's language, content written in both languages."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Profile
from newsletter import sending
from roles import services as roles_services
from tests.factories import IssueItemFactory, NewsPostFactory, ParticipationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def _french(path: str) -> str:
    return Client().get(path, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()


def test_home_page_speaks_french_to_a_french_browser():
    html = _french("/")
    assert "<h2>Ce qu'est l'atelier</h2>" in html or "Ce qu'est l'atelier" in html
    assert ">Participer</a>" in html
    assert ">Groupes de travail</a>" in html
    assert "Take part" not in html
    english = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Take part</a>" in english


def test_signup_page_speaks_french():
    html = _french("/accounts/signup/")
    assert "Créez votre compte" in html
    assert "Créer mon compte" in html
    assert "Mot de passe" in html  # allauth's own French, not redone here


def test_french_form_errors_and_labels_on_the_profile(client):
    user = UserFactory(profile={"language": "fr"})
    client.force_login(user)
    html = client.get("/me/profile/").content.decode()
    assert "Votre profil" in html
    assert "Langue du portail" in html
    assert "Fuseau horaire" in html


def test_email_to_a_french_member_is_written_in_french(group, chair, run_on_commit):
    member = UserFactory(profile={"language": "fr", "display_name": "Camille"})
    seat = ParticipationFactory(user=member, role=RoleFactory(slug="participant"), working_group=group)
    with run_on_commit():
        roles_services.remove_member(seat, actor=chair, reason="Plus d'activité depuis six mois.")
    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    assert message.subject.startswith("Vous n'êtes plus ")
    assert message.subject.endswith(f" dans {group.name}")
    assert "Bonjour Camille," in message.body
    assert f"Le motif indiqué{NBSP}: Plus d'activité depuis six mois." in message.body
    html, _ = message.alternatives[0]
    assert "Bonjour Camille," in html and '<html lang="fr">' in html


def test_email_to_someone_without_a_choice_is_in_english_whatever_the_request_speaks(group, chair, run_on_commit):
    from django.utils import translation

    member = UserFactory(profile={"display_name": "Sam"})
    seat = ParticipationFactory(user=member, role=RoleFactory(slug="participant"), working_group=group)
    with run_on_commit(), translation.override("fr"):  # a French-speaking chair acts
        roles_services.remove_member(seat, actor=chair, reason="Inactive.")
    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    assert message.subject.startswith("You are no longer ")
    assert "Hello Sam," in message.body


def test_newsletter_reaches_each_reader_in_their_language(approved_issue, make_advisors, run_on_commit):
    french, english = make_advisors(2)
    Profile.objects.filter(user=french).update(language="fr")
    approved_issue.title_fr = "Lettre d'information n° 1"
    approved_issue.save()
    IssueItemFactory(issue=approved_issue, title="GPU hours", title_fr="Heures GPU", body="Many.", body_fr="Beaucoup.")
    with run_on_commit():
        assert sending.start_sending(approved_issue.pk) == 2
    by_reader = {m.to[0]: m for m in mail.outbox}
    fr, en = by_reader[french.email], by_reader[english.email]
    assert (fr.subject, en.subject) == ("Lettre d'information n° 1", approved_issue.title)
    assert "Heures GPU" in fr.body and "Beaucoup." in fr.body
    assert "ACTUALITÉS" in fr.body and "NEWS" in en.body
    # The fixture's item has no French version: English, with a note.
    assert "On to the moon (pas encore traduit)" in fr.body
    assert "GPU hours" in en.body and "pas encore traduit" not in en.body


def test_news_post_shows_the_french_version_or_says_it_is_missing():
    translated = NewsPostFactory(
        slug="translated", title="Launch", title_fr="Lancement", body="It starts.", body_fr="Ça commence."
    )
    untranslated = NewsPostFactory(slug="english-only", title="Only English", body="Sorry.")
    html = _french(translated.get_absolute_url())
    assert "<h1>Lancement</h1>" in html and "Ça commence." in html and "(pas encore traduit)" not in html
    html = _french(untranslated.get_absolute_url())
    assert "<h1>Only English</h1>" in html and "(pas encore traduit)" in html
    english = Client().get(translated.get_absolute_url()).content.decode()
    assert "<h1>Launch</h1>" in english and "Lancement" not in english


def test_group_page_shows_the_french_description(group):
    group.description = "We clean data."
    group.description_fr = "Nous nettoyons des données."
    group.save()
    assert "Nous nettoyons des données." in _french(group.get_absolute_url())
    assert "We clean data." in Client().get(group.get_absolute_url()).content.decode()


def test_dates_follow_the_language():
    NewsPostFactory(slug="dated", published_at=datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.UTC))
    assert "décembre" in _french("/news/")
    assert "December" in Client().get("/news/").content.decode()


def _unstamped(content: bytes) -> bytes:
    return re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP:-", content)


def test_calendar_and_schedule_exports_are_the_same_in_every_language():
    from django.urls import reverse

    from tests.events.factories import EventFactory, SessionFactory

    event = EventFactory(is_published=True, slug="launch")
    SessionFactory(event=event, title="Opening")
    for url in (
        reverse("events:ics", args=[event.slug]),
        reverse("events:public_feed"),
        reverse("events:schedule_json", args=[event.slug]),
    ):
        english = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
        french = Client().get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert english.status_code == french.status_code == 200, url
        # A feed stamps the second it was made (DTSTAMP): two fetches may straddle one.
        assert _unstamped(english.content) == _unstamped(french.content), url


def test_a_subscriber_without_an_account_confirms_in_the_language_of_the_page(run_on_commit):
    with run_on_commit():
        response = Client().post(
            "/news/subscribe/", {"email": "lecteur@example.org", "name": "Léa"}, HTTP_ACCEPT_LANGUAGE="fr"
        )
    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.subject == "Confirmez votre abonnement à la lettre d'information BigScience"
    assert "Bonjour Léa," in message.body
