import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from newsletter.models import NewsPost
from roles.models import Committee, Participation, Role
from working_groups.models import WorkingGroup

pytestmark = pytest.mark.django_db


def _snapshot():
    """Every row of every project model, as (model, pk) pairs."""
    rows = set()
    for model in apps.get_models():
        if model._meta.app_label in {"accounts", "roles", "working_groups", "events", "newsletter", "account"}:
            rows.update((model._meta.label, pk) for pk in model.objects.values_list("pk", flat=True))
    return rows


def test_load_demo_twice_leaves_the_same_rows():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == first


def test_load_demo_loads_the_2021_workshop(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert set(Committee.objects.values_list("slug", flat=True)) == {"steering", "organization"}
    assert list(Role.objects.values_list("slug", flat=True)) == ["advisor", "participant", "chair", "attendant"]
    assert Role.objects.get(slug="advisor").time_commitment.startswith("Light")
    assert WorkingGroup.objects.count() >= 12
    assert {"Data Governance", "Tokenization", "Prompt Engineering", "Carbon Footprint"} <= set(
        WorkingGroup.objects.values_list("name", flat=True)
    )
    assert {"On to the moon 🚀", "Preparing a kick-off event", "BigScience Episode #1 🎉"} <= set(
        NewsPost.objects.values_list("title", flat=True)
    )
    for email in ("organizer@example.org", "chair@example.org", "advisor@example.org", "attendant@example.org"):
        assert email in out
        assert User.objects.filter(email=email, emailaddress__verified=True).exists()
    chair = User.objects.get(email="chair@example.org")
    assert Participation.objects.filter(user=chair, role__slug="chair", status="active").exists()


def test_demo_passwords_printed_let_the_accounts_sign_in(client, capsys):
    call_command("load_demo")
    line = next(line for line in capsys.readouterr().out.splitlines() if "organizer@example.org" in line)
    password = line.split()[-1]
    response = client.post("/accounts/login/", {"login": "organizer@example.org", "password": password})
    assert response.status_code == 302
    assert client.get("/me/profile/").status_code == 200
