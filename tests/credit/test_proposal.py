"""The proposal of contributors: members of the output's groups while the work was done, and the task source."""

import datetime

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
    assert sorted(proposals[1].reasons) == sorted(
        [f"Working Group Participant · {group.name}", f"Working Group Chair or co-chair · {group.name}"]
    )
    assert proposals[2].reasons == [f"Working Group Participant · {group.name} (→ 2021-08-01)"]


def test_proposal_marks_people_already_on_the_list_and_puts_them_last(paper, group):
    first = _member(group, "Aaron")
    second = _member(group, "Zed")
    ContributorFactory(output=paper, user=first, position=1)
    assert [(p.user, p.already) for p in selectors.proposal_for(paper)] == [(second, False), (first, True)]


def test_task_contributors_are_proposed_from_accepted_contributions_in_the_period(paper, group):
    from django.utils import timezone

    from tasks.models import Claim, Contribution, Task

    helper = UserFactory(profile={"display_name": "Task Helper"})
    late = UserFactory(profile={"display_name": "Too Late"})
    task = Task.objects.create(
        working_group=group, title="Describe sources", amount_needed=100, status=Task.Status.OPEN
    )
    in_period = timezone.make_aware(datetime.datetime(2021, 9, 1, 12))
    after = timezone.make_aware(datetime.datetime(2022, 3, 1, 12))
    for user, when, n in ((helper, in_period, 3), (late, after, 1)):
        claim = Claim.objects.create(task=task, user=user)
        for _ in range(n):
            Contribution.objects.create(
                task=task, claim=claim, user=user, items=2, status=Contribution.Status.ACCEPTED, reviewed_at=when
            )
    assert selectors.task_contributors([group], None, None) == [(helper, group, 3), (late, group, 1)]
    proposals = selectors.proposal_for(paper)
    assert [(p.user, p.reasons) for p in proposals] == [(helper, [f"3 accepted task contributions · {group.name}"])]


def test_proposal_without_a_period_takes_every_member_until_today(group):
    paper = OutputFactory(groups=[group], date=None)
    current = _member(group, "Current")
    old = _member(group, "Long gone", started="2019-01-01", ended="2019-02-01", status="ended")
    assert {p.user for p in selectors.proposal_for(paper)} == {current, old}
    assert Participation.objects.count() == 2
