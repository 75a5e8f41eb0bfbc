import pytest
from django.core.management import call_command
from django.db.models import Sum

from tasks.models import Claim, Contribution, Task

pytestmark = pytest.mark.django_db


def _state():
    return (
        sorted(Task.objects.values_list("title", "status", "accepted_items", "accepted_people", "active_claims")),
        Claim.objects.count(),
        Contribution.objects.count(),
    )


def test_demo_has_tasks_in_every_state_with_swahili_and_loads_twice_the_same():
    with open("/dev/null", "w") as quiet:
        call_command("load_demo", stdout=quiet)
        first = _state()
        call_command("load_demo", stdout=quiet)
    assert _state() == first
    assert set(Task.objects.values_list("status", flat=True)) == {"draft", "open", "paused", "closed"}
    assert Task.objects.values("working_group").distinct().count() >= 4
    swahili = Task.objects.get(languages__code="sw", working_group__slug="data-sourcing")
    assert swahili.status == "open"
    accepted = swahili.contributions.filter(status="accepted").aggregate(n=Sum("items"))["n"]
    assert swahili.accepted_items == accepted == 55
    assert set(Contribution.objects.values_list("status", flat=True)) == {
        "submitted",
        "accepted",
        "changes",
        "rejected",
    }
    assert Claim.objects.filter(status="active").count() >= 3
