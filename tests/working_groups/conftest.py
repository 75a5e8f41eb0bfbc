from tests.roles.conftest import (  # noqa: F401 - fixtures shared with the roles tests
    _four_roles,
    advisor_role,
    attendant_role,
    chair_role,
    other_chair,
    other_group,
    participant_role,
    seat,
    volunteer,
)
