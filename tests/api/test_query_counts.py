"""Every list endpoint answers in the same number of queries with one row and with many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from roles.models import Application, Participation, Role
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory, SpeakerFactory
from tests.factories import (
    IssueFactory,
    IssueItemFactory,
    NewsPostFactory,
    ParticipationFactory,
    RoleFactory,
    UserFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db
MANY = 6


def _get(url, user=None):
    """GET as this user, re-fetched so nothing the permission rules cached carries over."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=User.objects.get(pk=user.pk))
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response


def _assert_constant(django_assert_num_queries, url, add_row, user=None):
    add_row()
    with CaptureQueriesContext(connection) as one:
        assert _get(url, user).json()["count"] == 1
    for _ in range(MANY):
        add_row()
    with django_assert_num_queries(len(one.captured_queries)):
        assert _get(url, user).json()["count"] == MANY + 1


def _group_with_member():
    group = WorkingGroupFactory()
    ParticipationFactory(working_group=group, role=RoleFactory(slug="chair"))
    return group


def test_roles(django_assert_num_queries):
    Role.objects.all().delete()  # the four reference roles: this test counts from one
    slugs = iter(["advisor", "participant", "chair", "attendant", "r5", "r6", "r7"])
    _assert_constant(django_assert_num_queries, "/api/v1/roles/", lambda: RoleFactory(slug=next(slugs)))


def test_working_groups(django_assert_num_queries):
    _assert_constant(django_assert_num_queries, "/api/v1/working-groups/", _group_with_member)


def test_public_members(django_assert_num_queries, group):
    role = RoleFactory(slug="participant")

    def add():
        ParticipationFactory(
            working_group=group, role=role, user__profile={"show_in_directory": True, "languages": ["en", "fr"]}
        )

    _assert_constant(django_assert_num_queries, f"/api/v1/working-groups/{group.slug}/members/", add)


def test_events(django_assert_num_queries, group):
    def add():
        event = EventFactory()
        event.working_groups.add(group)
        RegistrationFactory(event=event)

    _assert_constant(django_assert_num_queries, "/api/v1/events/", add)


def test_sessions(django_assert_num_queries):
    def add():
        session = SessionFactory()
        session.speakers.add(SpeakerFactory(), SpeakerFactory())

    _assert_constant(django_assert_num_queries, "/api/v1/sessions/", add)


def test_news(django_assert_num_queries):
    author = UserFactory()
    _assert_constant(django_assert_num_queries, "/api/v1/news/", lambda: NewsPostFactory(author=author))


def test_newsletter_issues(django_assert_num_queries, advisor):
    def add():
        IssueItemFactory(issue=IssueFactory())

    _assert_constant(django_assert_num_queries, "/api/v1/newsletter-issues/", add, user=advisor)


def test_my_registrations(django_assert_num_queries, user):
    _assert_constant(
        django_assert_num_queries, "/api/v1/me/registrations/", lambda: RegistrationFactory(user=user), user=user
    )


def test_my_participations(django_assert_num_queries, user):
    role = RoleFactory(slug="participant")
    _assert_constant(
        django_assert_num_queries,
        "/api/v1/me/participations/",
        lambda: ParticipationFactory(user=user, role=role),
        user=user,
    )


def test_my_applications(django_assert_num_queries, user):
    role = RoleFactory(slug="participant")
    _assert_constant(
        django_assert_num_queries,
        "/api/v1/me/applications/",
        lambda: Application.objects.create(user=user, role=role, working_group=WorkingGroupFactory()),
        user=user,
    )


def test_applications_to_review(django_assert_num_queries, chair, group):
    role = RoleFactory(slug="participant")

    def add():
        applicant = UserFactory(profile={"languages": ["en", "fr"]})
        Application.objects.create(user=applicant, role=role, working_group=group)

    _assert_constant(django_assert_num_queries, "/api/v1/applications/", add, user=chair)


def test_rosters(django_assert_num_queries, organizer, group):
    role = RoleFactory(slug="participant")
    Participation.objects.all().delete()
    _assert_constant(
        django_assert_num_queries,
        "/api/v1/participations/",
        lambda: ParticipationFactory(working_group=group, role=role),
        user=organizer,
    )
