"""Signing in: brute force is bounded, nothing tells whether an address has an account, the
session key changes at login, and a removed or deactivated account is signed out at once."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.contrib.sites.models import Site
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
TOO_MANY = "Too many failed login attempts"
ROOT = Path(__file__).resolve().parents[2]


def _login(client, email, password, ip="203.0.113.1"):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def _signed_in(client) -> bool:
    return client.get("/me/profile/").status_code == 200


def test_failed_logins_from_one_address_slow_that_address_down_more_and_more(monkeypatch):
    """Per account and address pair: three free failures, then a wait that doubles each time."""
    from accounts import lockout

    clock = [1_000_000.0]
    monkeypatch.setattr(lockout.time, "time", lambda: clock[0])
    UserFactory(email="target@example.org")
    waits = []
    for _ in range(7):
        response = _login(Client(), "target@example.org", "wrong-password", ip="198.51.100.1")
        assert TOO_MANY not in response.content.decode()
        waits.append(lockout.wait_seconds("target@example.org", "198.51.100.1"))
        clock[0] += waits[-1]  # the guesser waits exactly as long as asked
    assert waits == [0, 0, 0, 2, 4, 8, 16]
    # within the wait even the right password is not checked from that address...
    client = Client()
    _login(client, "target@example.org", "wrong-password", ip="198.51.100.1")
    clock[0] += 1
    response = _login(client, "target@example.org", PASSWORD, ip="198.51.100.1")
    assert TOO_MANY in response.content.decode() and not _signed_in(client)
    # ...while the owner, from their own address, signs in at once
    owner = Client()
    _login(owner, "target@example.org", PASSWORD, ip="203.0.113.5")
    assert _signed_in(owner)
    assert lockout.delay_for(40) == lockout.MAX_DELAY == 15 * 60


def test_failed_logins_for_one_account_from_many_addresses_keep_a_bound_and_the_code_still_works(
    run_on_commit,
):
    """Twenty failures in 15 minutes from anywhere pause password sign-in for the account; the owner
    signs in with a code sent by e-mail all the same."""
    UserFactory(email="target@example.org")
    for attempt in range(20):
        response = _login(Client(), "target@example.org", "wrong-password", ip=f"198.51.100.{attempt}")
        assert TOO_MANY not in response.content.decode()
    client = Client()
    response = _login(client, "target@example.org", PASSWORD, ip="198.51.100.99")
    assert TOO_MANY in response.content.decode()
    assert "sign in with a code" in response.content.decode()
    assert not _signed_in(client)

    owner = Client()
    with run_on_commit():
        response = owner.post("/accounts/login/code/", {"email": "target@example.org"}, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["target@example.org"]]
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[0].body, re.MULTILINE).group(1)
    response = owner.post(response["Location"], {"code": code}, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302
    assert _signed_in(owner)


def test_failed_logins_from_one_address_are_bounded_across_accounts():
    UserFactory(email="victim@example.org")
    for attempt in range(10):
        _login(Client(), f"guess{attempt}@example.org", "wrong-password", ip="192.0.2.7")
    client = Client()
    response = _login(client, "victim@example.org", PASSWORD, ip="192.0.2.7")
    assert response.status_code in (200, 429)
    assert not _signed_in(client)
    other = Client()
    _login(other, "victim@example.org", PASSWORD, ip="192.0.2.8")
    assert _signed_in(other)


def test_admin_login_is_the_rate_limited_login():
    UserFactory(email="staff@example.org", is_staff=True)
    response = Client().get("/admin/login/?next=/admin/roles/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/roles/"
    response = Client().post("/admin/login/", {"username": "staff@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    for _ in range(5):
        _login(Client(), "staff@example.org", "wrong-password", ip="198.51.100.1")
    client = Client()
    response = _login(client, "staff@example.org", PASSWORD, ip="198.51.100.1")
    assert TOO_MANY in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_signed_in_person_who_is_not_staff_is_refused_by_the_admin_login(user):
    client = Client()
    client.force_login(user)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/login/?next=/admin/").status_code == 403


_CONSUME_IN_ANOTHER_PROCESS = """
import sys
import django
django.setup()
from django.test import RequestFactory
from allauth.core import ratelimit
for n in range(19):  # from as many addresses, so that only the account's bound counts them all
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=f"198.51.100.{n}")
    assert ratelimit.consume(request, action="login_failed", key=sys.argv[1])
"""


@pytest.mark.redis
def test_failed_logins_counted_by_another_server_process_count_here():
    """Nineteen failures counted by another process, one here: the account's bound holds everywhere."""
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    UserFactory(email="shared@example.org")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bigscience_portal.settings"}
    key = f"{Site.objects.get_current().domain}:shared@example.org"  # allauth's key for an account
    result = subprocess.run(
        [sys.executable, "-c", _CONSUME_IN_ANOTHER_PROCESS, key],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    _login(Client(), "shared@example.org", "wrong-password", ip="198.51.100.201")
    client = Client()
    response = _login(client, "shared@example.org", PASSWORD, ip="198.51.100.202")
    assert TOO_MANY in response.content.decode()
    assert not _signed_in(client)


def _page_text(response) -> str:
    """The answer without the per-request CSRF token."""
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_login_answers_the_same_whether_or_not_the_address_has_an_account():
    UserFactory(email="known@example.org")
    known = _login(Client(), "known@example.org", "wrong-password", ip="198.51.100.1")
    unknown = _login(Client(), "unknown@example.org", "wrong-password", ip="198.51.100.2")
    assert known.status_code == unknown.status_code == 200
    assert _page_text(known).replace("known@example.org", "X") == _page_text(unknown).replace(
        "unknown@example.org", "X"
    )


def test_password_reset_answers_the_same_and_mails_only_the_account_holder(run_on_commit):
    UserFactory(email="known@example.org")
    with run_on_commit():
        known = Client().post("/accounts/password/reset/", {"email": "known@example.org"})
        unknown = Client().post("/accounts/password/reset/", {"email": "unknown@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [message.to for message in mail.outbox if "known@example.org" in message.to] == [["known@example.org"]]


def test_signup_answers_the_same_whether_or_not_the_address_has_an_account():
    UserFactory(email="taken@example.org")
    data = {"name": "Someone", "password1": "correct-horse-battery-staple", "password2": "correct-horse-battery-staple"}
    taken = Client().post("/accounts/signup/", {"email": "taken@example.org", **data})
    fresh = Client().post("/accounts/signup/", {"email": "fresh@example.org", **data})
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert User.objects.filter(email="taken@example.org").count() == 1


def test_session_key_changes_at_login():
    UserFactory(email="person@example.org")
    client = Client()
    session = client.session
    session["visited"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    _login(client, "person@example.org", PASSWORD)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert _signed_in(client)


def test_deactivated_account_is_signed_out_at_once(user):
    client = Client()
    client.force_login(user)
    assert _signed_in(client)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/me/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_removed_account_is_signed_out_at_once(user):
    client = Client()
    client.force_login(user)
    assert _signed_in(client)
    User.objects.filter(pk=user.pk).delete()
    response = client.get("/me/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_change_signs_out_other_sessions(user):
    """A stolen session stops working once the owner changes the password."""
    thief, owner = Client(), Client()
    thief.force_login(user)
    owner.force_login(user)
    new = "another-long-password-42"
    response = owner.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert response.status_code == 302
    assert _signed_in(owner)
    assert not _signed_in(thief)


def test_behind_the_proxy_the_per_address_limit_counts_each_client(settings):
    """With the proxy's address in DJANGO_TRUSTED_PROXIES one guessing client does not lock out the others."""
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    UserFactory(email="victim@example.org")
    proxy = "10.0.0.1"
    for attempt in range(10):
        Client().post(
            "/accounts/login/",
            {"login": f"guess{attempt}@example.org", "password": "wrong-password"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    guesser, other = Client(), Client()
    guesser.post(
        "/accounts/login/",
        {"login": "victim@example.org", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    other.post(
        "/accounts/login/",
        {"login": "victim@example.org", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.77",
    )
    assert (_signed_in(guesser), _signed_in(other)) == (False, True)
