"""Nobody waits in silence: someone always reviews an application, is told when it arrives, and people on a
group's waiting list see their place."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from roles import selectors, services, tasks
from roles.models import Participation
from tests.factories import ParticipationFactory, UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


def _apply(user, role, group, run_on_commit):
    with run_on_commit():
        return services.submit_application(user=user, role=role, working_group=group, motivation="Tokenizers.")


def test_chairs_are_told_once_each_when_an_application_arrives(
    volunteer, group, participant_role, chair_role, run_on_commit
):
    first = ParticipationFactory(role=chair_role, working_group=group).user
    digest = ParticipationFactory(
        role=chair_role, working_group=group, user=UserFactory(profile={"application_digest": True})
    ).user
    application = _apply(volunteer, participant_role, group, run_on_commit)
    arrived = [(m.to, m.subject) for m in mail.outbox if m.to != [volunteer.email]]
    assert arrived == [([first.email], f"New application to {group.name}: Valentina Volunteer")]
    assert digest.email not in {m.to[0] for m in mail.outbox}
    assert "Tokenizers." in next(m.body for m in mail.outbox if m.to == [first.email])
    # Queuing again with the same key sends nothing more.
    mail.outbox.clear()
    with run_on_commit():
        services._tell_reviewers(application)
    assert mail.outbox == []


def test_an_application_to_a_group_without_chair_goes_to_the_organizers(
    volunteer, group, participant_role, organizer, run_on_commit, client
):
    other_org = UserFactory(is_superuser=True)
    application = _apply(volunteer, participant_role, group, run_on_commit)
    arrived = sorted((m.to[0], m.subject) for m in mail.outbox if m.to != [volunteer.email])
    assert arrived == sorted(
        [
            (organizer.email, f"New application to {group.name}: Valentina Volunteer"),
            (other_org.email, f"New application to {group.name}: Valentina Volunteer"),
        ]
    )
    assert all("/roles/review/" in m.body for m in mail.outbox if m.to != [volunteer.email])
    assert list(selectors.organizer_review_queue()) == [application]

    page = client.get(group.get_absolute_url()).content.decode()
    assert "the group has no chair yet, so the workshop's organizers review your application." in page
    client.force_login(volunteer)
    page = client.get(reverse("my_participation")).content.decode()
    assert "reviewed by the organizers" in page
    client.force_login(organizer)
    page = client.get(reverse("roles:review")).content.decode()
    assert "Valentina Volunteer · Working Group Participant in " + group.name in page
    assert "Waiting for review (1)" in page


def test_the_organizers_queue_leaves_groups_with_chairs_to_them(
    volunteer, group, participant_role, chair_role, run_on_commit, client
):
    ParticipationFactory(role=chair_role, working_group=group)
    _apply(volunteer, participant_role, group, run_on_commit)
    assert list(selectors.organizer_review_queue()) == []
    page = client.get(group.get_absolute_url()).content.decode()
    assert "the group's chairs review your application." in page
    client.force_login(volunteer)
    assert "reviewed by the group's chairs" in client.get(reverse("my_participation")).content.decode()


def test_the_review_queue_pages_oldest_first_with_a_way_to_the_last(
    organizer, participant_role, client, django_assert_num_queries
):
    from roles.models import Application

    groups = WorkingGroupFactory.create_batch(3)
    for i in range(45):
        Application.objects.create(user=UserFactory(), role=participant_role, working_group=groups[i % 3])
    client.force_login(organizer)
    page = client.get(reverse("roles:review")).content.decode()
    assert "Waiting for review (45)" in page and "Page 1 of 3" in page and "?page=3" in page
    assert client.get(reverse("roles:review") + "?page=3").content.decode().count('class="card application"') == 5
    assert client.get(reverse("roles:review") + "?page=999").status_code == 200


def test_review_queue_query_count_does_not_grow(organizer, participant_role, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from roles.models import Application

    client.force_login(organizer)
    Application.objects.create(user=UserFactory(), role=participant_role, working_group=WorkingGroupFactory())
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("roles:review"))
    for _ in range(10):
        Application.objects.create(user=UserFactory(), role=participant_role, working_group=WorkingGroupFactory())
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("roles:review"))
    assert len(many) == len(one)


def test_the_daily_digest_lists_waiting_applications_once_a_day(participant_role, chair_role, run_on_commit):
    group = WorkingGroupFactory(name="Data governance")
    other = WorkingGroupFactory(name="Evaluation")
    chair = UserFactory(profile={"display_name": "Carla Chair", "application_digest": True})
    ParticipationFactory(role=chair_role, working_group=group, user=chair)
    ParticipationFactory(role=chair_role, working_group=other, user=chair)
    plain = ParticipationFactory(role=chair_role, working_group=group).user
    for name in ("Ann", "Ben"):
        _apply(UserFactory(profile={"display_name": name}), participant_role, group, run_on_commit)
    mail.outbox.clear()
    now = datetime(2031, 3, 4, 8, tzinfo=UTC)
    with run_on_commit():
        assert services.send_application_digests(now=now) == 1
    with run_on_commit():
        assert services.send_application_digests(now=now + timedelta(hours=5)) == 0
    [digest] = mail.outbox
    assert digest.to == [chair.email]
    assert digest.subject == "2 applications are waiting for you"
    assert "Data governance" in digest.body and "- Ann (" in digest.body and "- Ben (" in digest.body
    assert "Evaluation" not in digest.body  # nothing waits there
    assert plain.email not in {m.to[0] for m in mail.outbox}
    with run_on_commit():
        assert services.send_application_digests(now=now + timedelta(days=1)) == 1


def test_the_digest_task_run_twice_sends_once(participant_role, chair_role, run_on_commit):
    group = WorkingGroupFactory()
    chair = UserFactory(profile={"application_digest": True})
    ParticipationFactory(role=chair_role, working_group=group, user=chair)
    _apply(UserFactory(), participant_role, group, run_on_commit)
    mail.outbox.clear()
    with run_on_commit():
        tasks.task_send_application_digests()
        tasks.task_send_application_digests()
    assert [m.to for m in mail.outbox] == [[chair.email]]


def test_a_group_shows_a_person_their_place_on_the_waiting_list(participant_role, client):
    group = WorkingGroupFactory(capacity=1)
    ParticipationFactory(role=participant_role, working_group=group)
    start = datetime(2031, 1, 1, tzinfo=UTC)
    people = [UserFactory() for _ in range(3)]
    for i, person in enumerate(people):
        ParticipationFactory(
            role=participant_role,
            working_group=group,
            user=person,
            status=Participation.Status.WAITING,
            started_at=start + timedelta(hours=i),
        )
    client.force_login(people[1])
    page = client.get(group.get_absolute_url()).content.decode()
    assert "You are number 2 on the waiting list." in page
    page = client.get(reverse("my_participation")).content.decode()
    assert "you are number 2 on the waiting list" in page
    client.force_login(people[2])
    assert "You are number 3 on the waiting list." in client.get(group.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert "on the waiting list." not in client.get(group.get_absolute_url()).content.decode()
