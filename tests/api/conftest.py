"""Fixtures for the API tests: a client, and personal tokens for any user."""

import pytest
from rest_framework.test import APIClient

from accounts.tokens import create_token


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def token_for(db):
    """token_for(user) → the raw token of a new personal token of that user."""
    return lambda user, name="script": create_token(user=user, name=name)[1]


@pytest.fixture
def as_user(api, token_for):
    """as_user(user) → a client that sends that user's token with every request (None: anonymous)."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
        return client

    return make
