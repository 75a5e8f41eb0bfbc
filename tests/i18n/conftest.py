from tests.newsletter.conftest import approved_issue, make_advisors  # noqa: F401 - the newsletter's fixtures
