"""Two people claiming the last place at once get one place and one clear refusal (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections

from tasks import services
from tasks.models import Claim, Task
from tests.factories import ParticipationFactory, RoleFactory

from .factories import TaskFactory


def _race(target, people) -> tuple[list, list]:
    barrier = threading.Barrier(len(people))
    done, errors = [], []

    def run(person):
        try:
            barrier.wait()
            done.append(target(person))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_claiming_the_last_place_get_one_place_and_one_refusal():
    attendant = RoleFactory(slug="attendant", committee=None)
    task = TaskFactory(unit=Task.Unit.PEOPLE, amount_needed=2)
    services.claim_task(task, user=ParticipationFactory(role=attendant).user)
    people = [ParticipationFactory(role=attendant).user for _ in range(2)]
    done, errors = _race(lambda person: services.claim_task(task, user=person), people)
    assert len(done) == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "Every place on this task is taken" in errors[0].messages[0]
    assert Claim.objects.filter(task=task, status="active").count() == 2
    task.refresh_from_db()
    assert task.active_claims == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_never_exceed_what_the_task_needs():
    attendant = RoleFactory(slug="attendant", committee=None)
    task = TaskFactory(amount_needed=10, over_report=Task.OverReport.CAP)
    people = [ParticipationFactory(role=attendant).user for _ in range(4)]
    claims = {person.pk: services.claim_task(task, user=person) for person in people}
    done, errors = _race(lambda person: services.report_contribution(claims[person.pk], actor=person, items=4), people)
    assert sorted(c.items for c in done) == [2, 4, 4]
    assert len(errors) == 1 and "all the items" in errors[0].messages[0]
