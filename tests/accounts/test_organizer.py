"""The organizer command and services: the first organizer, later grants and revocations, all in the activity log."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from accounts import services
from accounts.models import User
from activity.models import ActivityLog
from roles.rules import is_organizer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _log():
    return list(
        ActivityLog.objects.order_by("pk").values_list(
            "actor__email", "action", "subject__email", "from_state", "to_state"
        )
    )


def _organizer_emails():
    return set(services.organizers().values_list("email", flat=True))


def test_create_makes_a_verified_staff_organizer_who_can_sign_in(client, monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_ORGANIZER_PASSWORD", "a-first-organizer-password")
    call_command("organizer", "create", "Ada@Example.org", "--name", "Ada", "--no-input")
    assert "ada@example.org is an organizer" in capsys.readouterr().out
    ada = User.objects.get(email="ada@example.org")
    assert (ada.is_staff, ada.is_superuser, ada.profile.display_name) == (True, False, "Ada")
    assert is_organizer(ada)
    assert list(EmailAddress.objects.filter(user=ada).values_list("email", "verified", "primary")) == [
        ("ada@example.org", True, True)
    ]
    assert _log() == [(None, "accounts.organizer.granted", "ada@example.org", "", "organizer")]
    response = client.post("/accounts/login/", {"login": "ada@example.org", "password": "a-first-organizer-password"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_create_refuses_a_weak_password_and_an_existing_address(monkeypatch):
    UserFactory(email="taken@example.org")
    monkeypatch.setenv("DJANGO_ORGANIZER_PASSWORD", "12345")
    with pytest.raises(CommandError, match="too short"):
        call_command("organizer", "create", "new@example.org", "--no-input")
    monkeypatch.setenv("DJANGO_ORGANIZER_PASSWORD", "a-first-organizer-password")
    with pytest.raises(CommandError, match="already has an account"):
        call_command("organizer", "create", "taken@example.org", "--no-input")
    assert not User.objects.filter(email="new@example.org").exists()
    assert _organizer_emails() == set()
    assert _log() == []


def test_create_without_input_needs_the_password_variable(monkeypatch):
    monkeypatch.delenv("DJANGO_ORGANIZER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DJANGO_ORGANIZER_PASSWORD"):
        call_command("organizer", "create", "new@example.org", "--no-input")
    assert not User.objects.filter(email="new@example.org").exists()


def test_grant_then_revoke_are_recorded_and_change_staff_status(organizer, capsys):
    chen = UserFactory(email="chen@example.org")
    call_command("organizer", "grant", "chen@example.org")
    chen.refresh_from_db()
    assert chen.is_staff and is_organizer(chen)
    assert _organizer_emails() == {organizer.email, "chen@example.org"}
    call_command("organizer", "revoke", "CHEN@example.org")
    chen = User.objects.get(pk=chen.pk)
    assert not chen.is_staff and not is_organizer(chen)
    assert _organizer_emails() == {organizer.email}
    assert _log() == [
        (None, "accounts.organizer.granted", "chen@example.org", "", "organizer"),
        (None, "accounts.organizer.revoked", "chen@example.org", "organizer", ""),
    ]
    call_command("organizer", "list")
    assert capsys.readouterr().out.splitlines()[-1] == organizer.email


def test_the_last_organizer_cannot_be_revoked(organizer):
    with pytest.raises(CommandError, match="the last organizer"):
        call_command("organizer", "revoke", organizer.email)
    assert _organizer_emails() == {organizer.email}
    assert _log() == []


def test_grant_refuses_an_unknown_address_and_an_organizer_twice(organizer):
    with pytest.raises(CommandError, match=r"No account has the address nobody@example\.org"):
        call_command("organizer", "grant", "nobody@example.org")
    with pytest.raises(CommandError, match="already an organizer"):
        call_command("organizer", "grant", organizer.email)
    assert _log() == []


def test_a_person_who_is_not_an_organizer_cannot_grant_rights(organizer):
    volunteer, other = UserFactory(), UserFactory()
    with pytest.raises(PermissionDenied):
        services.grant_organizer(user=other, actor=volunteer)
    with pytest.raises(PermissionDenied):
        services.revoke_organizer(user=organizer, actor=volunteer)
    services.grant_organizer(user=other, actor=organizer)
    assert _organizer_emails() == {organizer.email, other.email}
    assert _log() == [(organizer.email, "accounts.organizer.granted", other.email, "", "organizer")]
