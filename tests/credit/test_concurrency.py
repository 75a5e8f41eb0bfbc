"""Chairs adding contributors at the same instant: the output lock keeps positions 1..n (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from accounts.models import User
from credit import services
from credit.models import Contributor, Output
from credit.services import ContributorEntry
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

from .factories import OutputFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what happened
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


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

    outcomes = _race([lambda: add(chairs[0].pk, "A"), lambda: add(chairs[1].pk, "B"), move])
    assert outcomes == [None, None, None]
    positions = list(output.contributors.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, 13))
    assert output.contributors.filter(user=shared).count() == 1
