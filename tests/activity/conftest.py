"""The roles fixtures (other groups, their chairs, seats) serve the activity tests too."""

from tests.roles.conftest import chair_role, other_chair, other_group, participant_role, seat  # noqa: F401
