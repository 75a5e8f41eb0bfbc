"""Which language a page speaks: the profile's, else the switcher's cookie, else Accept-Language."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from accounts.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    return response["Content-Language"]


def test_english_is_the_default(client):
    response = client.get("/")
    assert _lang(response) == "en"
    assert b'<html lang="en">' in response.content


def test_browser_asking_for_french_gets_french(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")
    assert _lang(response) == "fr"
    assert b'<html lang="fr">' in response.content


def test_switcher_goes_back_to_the_same_page_and_remembers_the_choice(client):
    response = client.post("/language/", {"language": "fr", "next": "/events/?tz=Europe/Paris"})
    assert response.status_code == 302
    assert response["Location"] == "/events/?tz=Europe/Paris"
    assert client.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "fr"
    # The cookie wins over the browser's English from now on.
    assert _lang(client.get("/events/", HTTP_ACCEPT_LANGUAGE="en")) == "fr"


def test_switcher_refuses_a_next_page_on_another_site(client):
    response = client.post("/language/", {"language": "fr", "next": "https://evil.example.com/"})
    assert response["Location"] == "/"


def test_switcher_offers_the_other_languages_with_the_current_page(client):
    html = client.get("/events/").content.decode()
    assert 'action="/language/"' in html
    assert '<input type="hidden" name="next" value="/events/">' in html
    assert 'name="language" value="fr" lang="fr"' in html
    assert 'name="language" value="en"' not in html  # the language already shown is not offered
    assert "csrfmiddlewaretoken" not in html  # a visitor's page stays shareable by the page cache


def test_profile_language_wins_over_cookie_and_browser():
    user = UserFactory(profile={"language": "fr"})
    client = Client()
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "fr"


def test_profile_without_a_language_follows_the_browser():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="fr")) == "fr"
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "en"


def test_signed_in_switch_is_kept_in_the_profile():
    user = UserFactory(profile={"language": "en"})
    client = Client()
    client.force_login(user)
    response = client.post("/language/", {"language": "fr", "next": "/me/profile/"})
    assert response["Location"] == "/me/profile/"
    assert Profile.objects.get(user=user).language == "fr"
    assert _lang(client.get("/me/profile/")) == "fr"


def test_signed_in_switch_needs_the_csrf_token():
    user = UserFactory(profile={"language": "en"})
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/language/", {"language": "fr", "next": "/"})
    assert response.status_code == 403
    assert Profile.objects.get(user=user).language == "en"
    client.get("/me/profile/")
    token = client.cookies["csrftoken"].value
    response = client.post("/language/", {"language": "fr", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Profile.objects.get(user=user).language == "fr"


def test_unknown_language_changes_nothing():
    user = UserFactory(profile={"language": "en"})
    client = Client()
    client.force_login(user)
    client.post("/language/", {"language": "xx", "next": "/"})
    assert Profile.objects.get(user=user).language == "en"


def test_profile_page_edits_the_language():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    page = client.get("/me/profile/").content.decode()
    assert 'name="language"' in page
    data = {"display_name": "Camille", "time_zone": "Europe/Paris", "language": "fr"}
    assert client.post("/me/profile/", data).status_code == 302
    assert Profile.objects.get(user=user).language == "fr"


def test_page_cache_keeps_one_copy_per_language(settings):
    settings.PUBLIC_PAGE_CACHE_ENABLED = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "i18n"}}
    cache.clear()
    english = Client().get("/events/", HTTP_ACCEPT_LANGUAGE="en")
    french = Client().get("/events/", HTTP_ACCEPT_LANGUAGE="fr")
    french_by_cookie = Client(headers={"Cookie": f"{settings.LANGUAGE_COOKIE_NAME}=fr"}).get("/events/")
    english_again = Client().get("/events/")
    assert [_lang(r) for r in (english, french, french_by_cookie, english_again)] == ["en", "fr", "fr", "en"]
    assert b'<html lang="fr">' in french.content and b'<html lang="fr">' in french_by_cookie.content
    assert b'<html lang="en">' in english_again.content
    assert sum(1 for key in cache._cache if ":public-page:" in key) == 2
