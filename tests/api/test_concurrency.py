"""Two identical requests at the same moment: the database decides, the API answers 201 and 409."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.tokens import create_token
from roles.models import Application
from tests.factories import RoleFactory, UserFactory, WorkingGroupFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_application_sent_twice_at_once_is_created_once():
    RoleFactory(slug="participant")
    group = WorkingGroupFactory()
    person = UserFactory()
    raw = create_token(user=person, name="twice")[1]
    barrier = threading.Barrier(2)
    statuses = []

    def apply():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        barrier.wait()
        try:
            response = client.post(
                "/api/v1/me/applications/", {"role": "participant", "working_group": group.slug}, format="json"
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [201, 409]
    assert Application.objects.filter(user=person).count() == 1
