import pytest

from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory


@pytest.fixture
def participant_role(db):
    return RoleFactory(slug="participant")


@pytest.fixture
def chair_role(db):
    return RoleFactory(slug="chair")


@pytest.fixture
def advisor_role(db):
    return RoleFactory(slug="advisor", committee__slug="steering")


@pytest.fixture
def attendant_role(db):
    return RoleFactory(slug="attendant", committee=None)


@pytest.fixture
def other_group(db):
    return WorkingGroupFactory()


@pytest.fixture
def other_chair(other_group, chair_role):
    """A chair of ANOTHER group: must never manage ``group``."""
    return ParticipationFactory(role=chair_role, working_group=other_group).user


@pytest.fixture
def volunteer(db):
    """Verified, with a complete profile: may apply."""
    return UserFactory(profile={"display_name": "Valentina Volunteer"})


@pytest.fixture
def seat(group, participant_role):
    """Factory: an active (or waiting) participant seat in ``group``."""

    def make(user=None, status="active", **kwargs):
        return ParticipationFactory(
            user=user or UserFactory(), role=participant_role, working_group=group, status=status, **kwargs
        )

    return make


@pytest.fixture(autouse=True)
def _four_roles(participant_role, chair_role, advisor_role, attendant_role):
    """The four roles exist on every real site (migrations of the demo or the admin create them)."""
