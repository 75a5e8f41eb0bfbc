"""Deleting one's account goes through the domain (roles left, registrations cancelled, waiting lists moved
up, recorded); the data export holds everything the portal keeps about the person, read back as JSON."""

import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts import services
from accounts.models import User
from accounts.tokens import create_token
from activity.models import ActivityLog
from events.models import CalendarToken, Registration
from roles.models import Application, Participation
from tests.events.factories import EventFactory, SessionFactory, SpeakerFactory
from tests.factories import (
    DeliveryFactory,
    FeedbackFactory,
    IssueFactory,
    ParticipationFactory,
    RoleFactory,
    SubscriptionFactory,
    UserFactory,
    WorkingGroupFactory,
)
from tests.security.conftest import changed_tables, snapshot
from working_groups.models import ProgressUpdate, WorkingGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    """Someone who holds a bit of everything the portal keeps, next to other people who wait for places."""
    dana = UserFactory(
        email="dana@example.org",
        profile={"display_name": "Dana", "affiliation": "INRIA", "country": "FR", "languages": ["en", "fr"]},
    )
    participant, chair = RoleFactory(slug="participant"), RoleFactory(slug="chair")
    advisor = RoleFactory(slug="advisor", committee__slug="steering")
    tokenization = WorkingGroupFactory(name="Tokenization", slug="tokenization", capacity=2)
    ParticipationFactory(user__email="tok-chair@example.org", role=chair, working_group=tokenization)
    ParticipationFactory(user=dana, role=participant, working_group=tokenization)
    ParticipationFactory(
        user__email="tok-waiting@example.org", role=participant, working_group=tokenization, status="waiting"
    )
    evaluation = WorkingGroupFactory(name="Evaluation", slug="evaluation")
    ParticipationFactory(user=dana, role=chair, working_group=evaluation)
    ParticipationFactory(user__email="eval-cochair@example.org", role=chair, working_group=evaluation)
    Application.objects.create(user=dana, role=advisor, motivation="I advise.")
    launch = EventFactory(slug="launch", title="Launch", capacity=1)
    Registration.objects.create(event=launch, user=dana, status="registered")
    waiting = UserFactory(email="launch-waiting@example.org")
    Registration.objects.create(event=launch, user=waiting, status="waiting")
    round_table = SessionFactory(event=launch, title="Round table", capacity=5)
    Registration.objects.create(event=launch, session=round_table, user=dana, status="registered")
    CalendarToken.objects.create(user=dana)
    create_token(user=dana, name="forum bot")
    SpeakerFactory(name="Dana", affiliation="INRIA", user=dana)
    issue = IssueFactory(number=3)
    SubscriptionFactory(email="dana@example.org", name="Dana", user=dana)
    DeliveryFactory(issue=issue, user=dana, email="dana@example.org")
    FeedbackFactory(issue=issue, user=dana, email="dana@example.org", body="Loved the tokenizer news.")
    ProgressUpdate.objects.create(working_group=evaluation, author=dana, title="Week 1", body="Benchmarks chosen.")
    mail.outbox.clear()
    return dana


def test_the_export_holds_every_part_of_what_the_portal_keeps(client, person):
    client.force_login(person)
    response = client.post("/me/export/")
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["account"]["email"] == "dana@example.org"
    assert data["profile"] | {"languages": sorted(data["profile"]["languages"])} == {
        "display_name": "Dana",
        "affiliation": "INRIA",
        "country": "FR",
        "languages": ["en", "fr"],
        "time_zone": "UTC",
        "language": "",
        "expertise": "",
        "show_in_directory": False,
        "session_reminders": False,
        "application_digest": False,
    }
    assert [(a["role__slug"], a["status"], a["motivation"]) for a in data["roles"]["applications"]] == [
        ("advisor", "pending", "I advise.")
    ]
    assert sorted(
        (p["role__slug"], p["working_group__name"], p["status"]) for p in data["roles"]["participations"]
    ) == [
        ("chair", "Evaluation", "active"),
        ("participant", "Tokenization", "active"),
    ]
    assert [(r["event__slug"], r["session__title"], r["status"]) for r in data["events"]["registrations"]] == [
        ("launch", None, "registered"),
        ("launch", "Round table", "registered"),
    ]
    assert data["events"]["calendar_token"]["exists"] is True
    assert data["events"]["calendar_token"]["created_at"]
    assert "token" not in data["events"]["calendar_token"]
    assert data["events"]["speaker_records"] == [{"name": "Dana", "affiliation": "INRIA"}]
    assert [(t["name"], t["last_used_at"]) for t in data["api_tokens"]] == [("forum bot", None)]
    assert data["api_tokens"][0]["created_at"]
    assert set(data["api_tokens"][0]) == {"name", "created_at", "last_used_at"}
    assert data["newsletter"]["subscription"]["email"] == "dana@example.org"
    assert [(d["issue__number"], d["email"]) for d in data["newsletter"]["deliveries"]] == [(3, "dana@example.org")]
    assert [f["body"] for f in data["newsletter"]["feedback"]] == ["Loved the tokenizer news."]
    assert [(u["working_group__name"], u["title"], u["body"]) for u in data["working_groups"]["progress_updates"]] == [
        ("Evaluation", "Week 1", "Benchmarks chosen.")
    ]


def test_the_export_holds_nothing_of_another_person(client, person):
    other = UserFactory(email="other@example.org")
    client.force_login(other)
    data = json.loads(client.post("/me/export/").content)
    assert data["roles"]["applications"] == data["roles"]["participations"] == []
    assert data["events"]["registrations"] == data["events"]["speaker_records"] == []
    assert data["events"]["calendar_token"] == {"exists": False, "created_at": None}
    assert data["api_tokens"] == []
    assert data["newsletter"]["deliveries"] == data["newsletter"]["feedback"] == []
    assert data["working_groups"]["progress_updates"] == []


def test_deleting_the_account_leaves_roles_cancels_places_and_moves_waiting_lists_up(client, person, run_on_commit):
    pk = person.pk
    client.force_login(person)
    with run_on_commit():
        response = client.post("/me/delete/", {"confirm": "delete my account"})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert not User.objects.filter(pk=pk).exists()
    # The group's waiting list and the event's waiting list moved up, each person told once.
    assert Participation.objects.get(user__email="tok-waiting@example.org").status == "active"
    assert Registration.objects.get(user__email="launch-waiting@example.org", session=None).status == "registered"
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("launch-waiting@example.org", "A place freed up: Launch"),
        ("tok-waiting@example.org", "A seat is free: you are now a member of Tokenization"),
    ]
    # The co-chair still chairs Evaluation.
    assert list(
        Participation.objects.filter(working_group__slug="evaluation", status="active").values_list(
            "user__email", flat=True
        )
    ) == ["eval-cochair@example.org"]
    # The roles' trail: withdrawn, left twice, one moved up (actor and subject gone with the account).
    assert sorted(
        ActivityLog.objects.filter(action__startswith="roles.").values_list("action", "from_state", "to_state")
    ) == [
        ("roles.application.withdrawn", "pending", "withdrawn"),
        ("roles.participation.left", "active", "ended"),
        ("roles.participation.left", "active", "ended"),
        ("roles.participation.moved_up", "waiting", "active"),
    ]
    row = ActivityLog.objects.get(action="accounts.account.deleted")
    assert (row.actor, row.from_state, row.to_state, row.note) == (
        None,
        "active",
        "deleted",
        f"Account #{pk} deleted by its owner.",
    )
    groups = dict(WorkingGroup.objects.values_list("slug", "pk"))
    launch = Registration.objects.filter(event__slug="launch").values_list("event_id", flat=True).first()
    assert row.data == {
        "user_id": pk,
        "applications_withdrawn": 1,
        # participant seats first, the chair seat last; the round table went with the event's place
        "roles_left": [["participant", groups["tokenization"]], ["chair", groups["evaluation"]]],
        "registrations_cancelled": [[launch, None]],
    }
    assert "dana@example.org" not in json.dumps(row.data) + row.note


def test_the_only_chair_of_a_group_is_told_to_hand_over_and_nothing_changes(person):
    Participation.objects.filter(user__email="eval-cochair@example.org").update(
        status="ended", ended_at="2021-06-01T00:00Z"
    )
    client = Client()
    client.force_login(person)
    before = snapshot()
    response = client.post("/me/delete/", {"confirm": "delete my account"})
    assert response.status_code == 200
    assert "You are the only chair of Evaluation. Promote a co-chair" in response.content.decode()
    assert changed_tables(before, snapshot()) == []
    assert mail.outbox == []
    assert client.get("/me/profile/").status_code == 200  # still signed in


def test_the_last_organizer_cannot_delete_the_account(organizer):
    with pytest.raises(ValidationError) as refused:
        services.delete_account(user=organizer, actor=organizer)
    assert refused.value.messages == ["You are the last organizer. Make someone else an organizer first."]
    assert User.objects.filter(pk=organizer.pk).exists()


def test_nobody_deletes_someone_else_s_account(person, organizer):
    with pytest.raises(PermissionDenied):
        services.delete_account(user=person, actor=organizer)
    assert User.objects.filter(pk=person.pk).exists()
    assert ActivityLog.objects.filter(action="accounts.account.deleted").count() == 0
