"""Chairs adding contributors at the same instant: the output lock keeps positions 1..n (PostgreSQL)."""

import pytest

from accounts.models import User
from credit import services
from credit.models import Contributor, Output
from credit.services import ContributorEntry
from tests.concurrency import race
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

from .factories import OutputFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_additions_and_a_move_leave_positions_one_to_n_and_each_person_once():
    group = WorkingGroupFactory()
    chairs = [ParticipationFactory(role=RoleFactory(slug="chair"), working_group=group).user for _ in range(2)]
    output = OutputFactory(groups=[group])
    shared = UserFactory()
    first = Contributor.objects.create(output=output, position=1, name="First", state="stated")

    def add(chair_pk, label):
        actor = User.objects.get(pk=chair_pk)
        entries = [ContributorEntry(user=User.objects.get(pk=shared.pk))]
        entries += [ContributorEntry(name=f"{label} {i}") for i in range(5)]
        services.add_contributors(actor=actor, output=Output.objects.get(pk=output.pk), entries=entries)

    def move():
        actor = User.objects.get(pk=chairs[0].pk)
        services.move_contributor(actor=actor, contributor=Contributor.objects.get(pk=first.pk), position=99)

    outcomes = race([lambda: add(chairs[0].pk, "A"), lambda: add(chairs[1].pk, "B"), move])
    assert outcomes == [None, None, None]
    positions = list(output.contributors.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, 13))
    assert output.contributors.filter(user=shared).count() == 1
