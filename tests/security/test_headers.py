"""Cookies are Secure, HttpOnly and SameSite with production settings; the CSP is strict in
every configuration (the per-page header check runs with the URL table)."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import UserFactory

from .headers import PRODUCTION_LIKE, REQUIRED_CSP, csp_directives, header_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_like(settings):
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, value)
    return settings


def _cookie_flags(morsel) -> tuple:
    return bool(morsel["secure"]), bool(morsel["httponly"]), morsel["samesite"]


def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(production_like):
    UserFactory(email="cookie@example.org")
    client = Client()
    page = client.get("/accounts/login/", secure=True)
    assert _cookie_flags(page.cookies[django_settings.CSRF_COOKIE_NAME]) == (True, True, "Lax")
    response = client.post(
        "/accounts/login/", {"login": "cookie@example.org", "password": "a-long-test-password"}, secure=True
    )
    assert response.status_code == 302
    assert _cookie_flags(response.cookies[django_settings.SESSION_COOKIE_NAME]) == (True, True, "Lax")


def test_plain_http_is_sent_to_https_in_production(production_like):
    response = Client().get("/roles/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/roles/"


def test_error_pages_carry_the_headers_too(production_like):
    response = Client().get("/no-such-page/", secure=True)
    assert response.status_code == 404
    assert header_problems(response) == []


def test_csp_forbids_inline_code_plugins_base_and_framing(client):
    directives = csp_directives(client.get("/"))
    assert {name: directives[name] for name in REQUIRED_CSP} == REQUIRED_CSP
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
