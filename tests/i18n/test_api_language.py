"""The API: a program reads and sets the person's language, and error messages follow Accept-Language."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Profile
from accounts.tokens import create_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/profile/"


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {create_token(user=user, name='script')[1]}")
    return client


def test_the_profile_endpoint_reads_and_sets_the_language():
    user = UserFactory(profile={"language": "fr"})
    client = _client(user)
    assert client.get(ME).json()["language"] == "fr"
    # Another field changed: the language stays.
    assert client.patch(ME, {"affiliation": "Elsewhere"}, format="json").status_code == 200
    assert Profile.objects.get(user=user).language == "fr"
    assert client.patch(ME, {"language": "en"}, format="json").json()["language"] == "en"
    assert client.patch(ME, {"language": "xx"}, format="json").status_code == 400
    assert Profile.objects.get(user=user).language == "en"


def test_api_errors_follow_accept_language():
    english = APIClient().get(ME, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    french = APIClient().get(ME, HTTP_ACCEPT_LANGUAGE="fr").json()["detail"]
    assert english == "Authentication credentials were not provided."
    assert french == "Informations d'authentification non fournies."
