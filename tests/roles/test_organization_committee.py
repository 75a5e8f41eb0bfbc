import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roles.rules import ORGANIZERS_GROUP
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


def _organizer(**profile):
    person = UserFactory(profile=profile)
    person.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    return person


def _chair(group, **profile):
    return ParticipationFactory(
        role=RoleFactory(slug="chair"), working_group=group, user=UserFactory(profile=profile)
    ).user


def test_the_page_lists_organizers_and_each_groups_chairs_opted_in_only(client):
    _organizer(display_name="Olga Organizer", affiliation="Hugging Face", show_in_directory=True)
    _organizer(display_name="Private Organizer", show_in_directory=False)
    data = WorkingGroupFactory(name="Data")
    WorkingGroupFactory(name="Evaluation")
    _chair(data, display_name="Chloe Chair", affiliation="INRIA", show_in_directory=True)
    _chair(data, display_name="Secret Chair", show_in_directory=False)
    ParticipationFactory(
        role=RoleFactory(slug="participant"),
        working_group=data,
        user=UserFactory(profile={"display_name": "Paula Participant", "show_in_directory": True}),
    )
    page = client.get(reverse("roles:organization")).content.decode()
    assert "Olga Organizer" in page and "Hugging Face" in page
    assert "1 organizer keeps their profile private." in page
    assert "Chloe Chair" in page and "; 1 with a private profile" in page
    assert "No chair yet: the organizers review its applications." in page  # Evaluation
    for private in ("Private Organizer", "Secret Chair", "Paula Participant"):
        assert private not in page


def test_the_page_runs_the_same_queries_for_one_or_many_groups(client):
    _chair(WorkingGroupFactory(), show_in_directory=True)
    _organizer(show_in_directory=True)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("roles:organization"))
    for _ in range(6):
        _chair(WorkingGroupFactory(), show_in_directory=True)
        _organizer(show_in_directory=True)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("roles:organization"))
    assert len(many) == len(one)
