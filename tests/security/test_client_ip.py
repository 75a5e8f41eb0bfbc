"""X-Forwarded-For is believed only from the trusted proxy: a forged header changes no per-address limit."""

import pytest
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from bigscience_portal.api import AddressRateThrottle
from bigscience_portal.client_ip import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"
DIRECT = "192.0.2.50"  # someone who reached gunicorn without the proxy


@pytest.fixture(autouse=True)
def _one_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "2001:db8::/64"]


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        (DIRECT, "198.51.100.1", DIRECT),  # not from the proxy: the header is ignored
        (DIRECT, "", DIRECT),
        (PROXY, "198.51.100.1", "198.51.100.1"),
        (PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own prefix is not believed
        (PROXY, "198.51.100.1, 10.0.0.1", "198.51.100.1"),  # a chain of trusted proxies is walked
        (PROXY, "not-an-address", PROXY),
        (PROXY, "", PROXY),
        ("2001:db8::7", "203.0.113.9", "203.0.113.9"),
    ],
)
def test_client_ip_believes_the_header_only_from_a_trusted_proxy(remote, forwarded, expected):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    assert client_ip(request) == expected


def test_a_forged_header_does_not_escape_the_per_address_sign_in_limit():
    UserFactory(email="victim@example.org")
    for attempt in range(10):
        Client().post(
            "/accounts/login/",
            {"login": f"guess{attempt}@example.org", "password": "wrong-password"},
            REMOTE_ADDR=DIRECT,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"login": "victim@example.org", "password": "a-long-test-password"},
        REMOTE_ADDR=DIRECT,
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/me/profile/").status_code == 302


def test_a_forged_header_does_not_escape_the_per_address_api_limit(monkeypatch):
    monkeypatch.setattr(AddressRateThrottle, "THROTTLE_RATES", {"address": "3/min"}, raising=False)
    forged = [
        APIClient().get("/api/v1/roles/", REMOTE_ADDR=DIRECT, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(5)
    ]
    assert forged == [200, 200, 200, 429, 429]
    # behind the real proxy, each client has its own count
    proxied = [
        APIClient().get("/api/v1/roles/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(5)
    ]
    assert proxied == [200] * 5
