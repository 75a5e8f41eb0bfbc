import pytest

from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

from .factories import OutputFactory


@pytest.fixture
def other_group(db):
    return WorkingGroupFactory(name="Evaluation", slug="evaluation")


@pytest.fixture
def other_chair(other_group):
    return ParticipationFactory(role=RoleFactory(slug="chair"), working_group=other_group).user


@pytest.fixture
def volunteer(db):
    return UserFactory(email="volunteer@example.org", profile={"display_name": "Vera Volunteer"})


@pytest.fixture
def output(group):
    return OutputFactory(slug="bloom", title="BLOOM", groups=[group])


@pytest.fixture
def draft(group):
    return OutputFactory(slug="draft-paper", title="A draft", is_public=False, groups=[group])
