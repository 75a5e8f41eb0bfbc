from datetime import timedelta

import pytest
from django.utils import timezone

from tasks.models import Contribution
from tasks.selectors import accepted_contributors
from tests.factories import UserFactory, WorkingGroupFactory

from .factories import ClaimFactory, ContributionFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _accepted(task, user, items, days_ago=1, status="accepted"):
    claim = ClaimFactory(task=task, user=user)
    return ContributionFactory(
        claim=claim, items=items, status=status, reviewed_at=timezone.now() - timedelta(days=days_ago)
    )


def test_accepted_contributors_per_person_with_groups_and_bounds(django_assert_num_queries):
    data, tools = WorkingGroupFactory(name="Data"), WorkingGroupFactory(name="Tools")
    ada, bo, cy = UserFactory(), UserFactory(), UserFactory()
    data_task, tools_task = TaskFactory(working_group=data), TaskFactory(working_group=tools)
    _accepted(data_task, ada, 10)
    _accepted(tools_task, ada, 5)
    _accepted(data_task, bo, 20, days_ago=40)
    _accepted(data_task, cy, 99, status=Contribution.Status.SUBMITTED)
    with django_assert_num_queries(3):
        everyone = accepted_contributors()
    assert [(r["user"], r["items"], r["contributions"], [g.name for g in r["groups"]]) for r in everyone] == [
        (bo, 20, 1, ["Data"]),
        (ada, 15, 2, ["Data", "Tools"]),
    ]
    recent = accepted_contributors([data], since=timezone.now() - timedelta(days=7))
    assert [(r["user"], r["items"]) for r in recent] == [(ada, 10)]
    assert accepted_contributors([tools.pk], until=timezone.now() - timedelta(days=7)) == []
