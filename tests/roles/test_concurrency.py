"""Two approvals at the same instant: the group lock keeps capacity and uniqueness (PostgreSQL)."""

import pytest

from roles import services
from roles.models import Application, Participation
from tests.concurrency import race
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _setup(capacity):
    participant = RoleFactory(slug="participant")
    group = WorkingGroupFactory(capacity=capacity)
    chair = ParticipationFactory(role=RoleFactory(slug="chair"), working_group=group).user
    return participant, group, chair


def test_two_concurrent_approvals_cannot_exceed_the_capacity():
    participant, group, chair = _setup(capacity=2)  # the chair holds one seat: one left
    applications = [
        Application.objects.create(user=UserFactory(), role=participant, working_group=group) for _ in range(2)
    ]
    outcomes = race(
        [
            lambda a=a: services.decide_application(Application.objects.get(pk=a.pk), approve=True, actor=chair)
            for a in applications
        ]
    )
    assert outcomes == [None, None]
    statuses = sorted(
        Participation.objects.filter(working_group=group, role=participant).values_list("status", flat=True)
    )
    assert statuses == ["active", "waiting"]


def test_two_concurrent_approvals_of_one_application_create_one_participation():
    participant, group, chair = _setup(capacity=None)
    volunteer = UserFactory()
    application = Application.objects.create(user=volunteer, role=participant, working_group=group)
    organizer = UserFactory(is_superuser=True)
    outcomes = race(
        [
            lambda: services.decide_application(Application.objects.get(pk=application.pk), approve=True, actor=chair),
            lambda: services.decide_application(
                Application.objects.get(pk=application.pk), approve=True, actor=organizer
            ),
        ]
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["NoneType", "ValidationError"]
    assert Participation.objects.filter(user=volunteer).count() == 1
