"""The proposal of contributors: members of the output's groups while the work was done, and the task source."""

import datetime
import sys
import types

import pytest
from django.utils import timezone

from credit import selectors
from roles.models import Participation
from tests.factories import ParticipationFactory, RoleFactory, UserFactory

from .factories import ContributorFactory, OutputFactory


def _at(day: str):
    return timezone.make_aware(datetime.datetime.fromisoformat(day))


@pytest.fixture
def paper(group):
    return OutputFactory(
        groups=[group], work_started=datetime.date(2021, 6, 1), work_ended=datetime.date(2021, 12, 31), date=None
    )


def _member(group, name, *, role="participant", started="2021-05-01", ended=None, status="active"):
    user = UserFactory(profile={"display_name": name})
    ParticipationFactory(
        user=user,
        role=RoleFactory(slug=role),
        working_group=group,
        started_at=_at(started),
        ended_at=_at(ended) if ended else None,
        status=status,
        end_reason="left" if ended else "",
    )
    return user


def test_proposal_is_the_members_during_the_period_each_once(paper, group, other_group):
    during = _member(group, "During")
    chair = _member(group, "Chair", role="chair")
    left_in_time = _member(group, "Left in August", ended="2021-08-01", status="ended")
    _member(group, "Left before", ended="2021-05-20", status="ended")
    _member(group, "Joined after", started="2022-02-01")
    _member(group, "Waiting", status="waiting")
    _member(other_group, "Other group")
    # A second role of the same person in the group: still proposed once, with both reasons.
    ParticipationFactory(user=during, role=RoleFactory(slug="chair"), working_group=group, started_at=_at("2021-09-01"))
    proposals = selectors.proposal_for(paper)
    assert [(p.user, p.already) for p in proposals] == [(chair, False), (during, False), (left_in_time, False)]
    assert sorted(proposals[1].reasons) == sorted([f"Participant · {group.name}", f"Chair · {group.name}"])
    assert proposals[2].reasons == [f"Participant · {group.name} (→ 2021-08-01)"]


def test_proposal_marks_people_already_on_the_list_and_puts_them_last(paper, group):
    first = _member(group, "Aaron")
    second = _member(group, "Zed")
    ContributorFactory(output=paper, user=first, position=1)
    assert [(p.user, p.already) for p in selectors.proposal_for(paper)] == [(second, False), (first, True)]


def test_task_contributors_is_empty_until_a_tasks_app_provides_them(paper, group):
    assert selectors.task_contributors([group], None, None) == []


def test_task_contributors_are_proposed_when_the_tasks_app_answers(paper, group, monkeypatch):
    helper = UserFactory(profile={"display_name": "Task Helper"})
    seen = []

    def accepted_contributors(groups, since, until):
        seen.append((list(groups), since, until))
        return [(helper, group, 3)]

    module = types.ModuleType("tasks.selectors")
    module.accepted_contributors = accepted_contributors
    monkeypatch.setitem(sys.modules, "tasks", types.ModuleType("tasks"))
    monkeypatch.setitem(sys.modules, "tasks.selectors", module)
    proposals = selectors.proposal_for(paper)
    assert [(p.user, p.reasons) for p in proposals] == [(helper, [f"3 accepted task contributions · {group.name}"])]
    ((groups, since, until),) = seen
    assert (groups, since.date(), until.date()) == ([group], datetime.date(2021, 6, 1), datetime.date(2021, 12, 31))


def test_proposal_without_a_period_takes_every_member_until_today(group):
    paper = OutputFactory(groups=[group], date=None)
    current = _member(group, "Current")
    old = _member(group, "Long gone", started="2019-01-01", ended="2019-02-01", status="ended")
    assert {p.user for p in selectors.proposal_for(paper)} == {current, old}
    assert Participation.objects.count() == 2
