import pytest

from tests.factories import ParticipationFactory, RoleFactory, UserFactory

from .factories import TaskFactory


@pytest.fixture
def attendant_role(db):
    return RoleFactory(slug="attendant", committee=None)


@pytest.fixture
def task(group, chair):
    return TaskFactory(working_group=group, languages=["sw", "en"])


@pytest.fixture
def attendant(attendant_role):
    """A person who already holds the attendant role and speaks Swahili."""
    person = UserFactory(profile={"display_name": "Zawadi", "languages": ["sw", "en"]})
    ParticipationFactory(user=person, role=attendant_role)
    return person
