import pytest
from django.utils import timezone

from newsletter import services
from tests.factories import IssueFactory, IssueItemFactory, ParticipationFactory, RoleFactory, UserFactory


@pytest.fixture
def make_advisors(db):
    """make_advisors(n) -> n active advisors with names."""

    def make(count: int):
        role = RoleFactory(slug="advisor", committee__slug="steering")
        return [ParticipationFactory(role=role).user for _ in range(count)]

    return make


@pytest.fixture
def approved_issue(organizer):
    """An approved issue, due now, with one news item."""
    issue = IssueFactory(status="draft", scheduled_for=timezone.now() - timezone.timedelta(minutes=1))
    IssueItemFactory(issue=issue, title="On to the moon", body="2.5 million GPU hours <script>alert(1)</script>")
    services.approve_issue(issue, actor=organizer)
    issue.refresh_from_db()
    return issue


@pytest.fixture
def other_user(db):
    return UserFactory()
