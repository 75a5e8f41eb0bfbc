"""What the database itself guarantees, checked on PostgreSQL."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from newsletter import sending
from newsletter.models import Delivery
from tests.factories import IssueFactory


@pytest.mark.postgres
@pytest.mark.django_db
def test_one_delivery_per_issue_and_recipient():
    issue = IssueFactory()
    Delivery.objects.create(issue=issue, email="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(issue=issue, email="a@example.org")
    assert issue.deliveries.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_one_issue_in_preparation_at_a_time():
    IssueFactory(status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        IssueFactory(status="approved")
    IssueFactory(status="sent")  # sent ones are not limited


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_batch_at_once_split_it():
    issue = IssueFactory(status="sending")
    Delivery.objects.bulk_create([Delivery(issue=issue, email=f"r{n}@example.org") for n in range(400)])
    first, last = issue.deliveries.order_by("pk").values_list("pk", flat=True)[::399]
    claimed: dict[str, list[int]] = {}
    barrier = threading.Barrier(2)

    def claim(job_id):
        try:
            barrier.wait()
            rows = sending.claim_batch(issue.pk, first, last, job_id=job_id, now=timezone.now())
            claimed[job_id] = [row["pk"] for row in rows]
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(job,)) for job in ("worker-a", "worker-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    a, b = set(claimed["worker-a"]), set(claimed["worker-b"])
    assert a.isdisjoint(b)
    assert a | b == set(issue.deliveries.values_list("pk", flat=True))
