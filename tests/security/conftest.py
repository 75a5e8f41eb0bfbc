"""The people of the security suite: one of every kind, around two working groups."""

from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client

from roles.rules import ORGANIZERS_GROUP
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

PERSONS = ("anonymous", "unverified", "volunteer", "member", "chair", "other_chair", "advisor", "organizer")


@dataclass
class World:
    """Two working groups, one person of each kind, and named objects the URL table points at."""

    group: object
    other_group: object
    people: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)  # person -> a signed-in session key, made once

    def client_for(self, person: str, **client_kwargs) -> Client:
        client = Client(**client_kwargs)
        if person in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[person]
        elif self.people[person] is not None:
            client.force_login(self.people[person])
        return client

    def sign_everyone_in(self) -> None:
        for person, user in self.people.items():
            if user is not None:
                client = Client()
                client.force_login(user)
                self.sessions[person] = client.cookies[settings.SESSION_COOKIE_NAME].value


def build_world() -> World:
    group = WorkingGroupFactory(name="Data governance", slug="data-governance")
    other_group = WorkingGroupFactory(name="Evaluation", slug="evaluation")
    chair_role, participant_role = RoleFactory(slug="chair"), RoleFactory(slug="participant")
    organizer = UserFactory(email="organizer@example.org", is_staff=True)
    organizer.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    people = {
        "anonymous": None,
        "unverified": UserFactory(email="unverified@example.org", verified=False),
        "volunteer": UserFactory(email="volunteer@example.org"),
        "member": ParticipationFactory(
            user__email="member@example.org", role=participant_role, working_group=group
        ).user,
        "chair": ParticipationFactory(user__email="chair@example.org", role=chair_role, working_group=group).user,
        "other_chair": ParticipationFactory(
            user__email="other-chair@example.org", role=chair_role, working_group=other_group
        ).user,
        "advisor": ParticipationFactory(
            user__email="advisor@example.org", role=RoleFactory(slug="advisor", committee__slug="steering")
        ).user,
        "organizer": organizer,
    }
    # An account that signed up and never verified has its address on file, unverified.
    EmailAddress.objects.create(
        user=people["unverified"], email=people["unverified"].email, verified=False, primary=True
    )
    world = World(group=group, other_group=other_group, people=people)
    from . import rows as feature_rows

    for build in WORLD_BUILDERS + feature_rows.builders():
        build(world)
    return world


def _roles_objects(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from roles.models import Application, Invitation, Participation, Role

    participant = Role.objects.get(slug="participant")
    world.objects["application"] = Application.objects.create(
        user=world.people["volunteer"], role=participant, working_group=world.group, motivation="I like data."
    )
    world.objects["other_application"] = Application.objects.create(
        user=UserFactory(email="applicant@example.org"), role=participant, working_group=world.other_group
    )
    world.objects["membership"] = Participation.objects.get(user=world.people["member"], working_group=world.group)
    now = timezone.now()
    world.objects["invitation"] = Invitation.objects.create(
        working_group=world.group,
        role=participant,
        email="invitee@example.org",
        token="invitation-token-of-the-group",
        invited_by=world.people["chair"],
        sent_at=now,
        expires_at=now + timedelta(days=14),
    )


def _events_objects(world: World) -> None:
    from events.models import CalendarToken, Registration
    from tests.events.factories import EventFactory, PosterFactory, SessionFactory

    event = EventFactory(slug="launch-event", title="Launch event", created_by=world.people["organizer"])
    world.objects["event"] = event
    world.objects["session"] = SessionFactory(event=event, title="Opening talk")
    world.objects["poster"] = PosterFactory(session__event=event, title="A poster")
    world.objects["registration"] = Registration.objects.create(
        event=event, user=world.people["volunteer"], status=Registration.Status.REGISTERED
    )
    world.objects["calendar_token"] = CalendarToken.objects.create(user=world.people["volunteer"])


def _newsletter_objects(world: World) -> None:
    from django.utils import timezone

    from newsletter import tokens
    from newsletter.models import Issue
    from tests.factories import NewsPostFactory

    now = timezone.now()
    dates = {"period_end": now, "scheduled_for": now}
    world.objects["issue"] = Issue.objects.create(
        number=7, title="Newsletter #7", status=Issue.Status.SENT, sending_started_at=now, sent_at=now, **dates
    )
    world.objects["draft_issue"] = Issue.objects.create(number=8, title="Newsletter #8", **dates)
    world.objects["news"] = NewsPostFactory(slug="dataset-released", author=world.people["organizer"])
    advisor = world.people["advisor"].email
    world.objects["unsubscribe_token"] = tokens.unsubscribe_token(advisor)
    world.objects["confirm_token"] = tokens.confirm_token("subscriber@example.org")


# Each app adds the objects its URLs need (events, issues, applications...) with a function here.
WORLD_BUILDERS: list = [_roles_objects, _events_objects, _newsletter_objects]


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world for a whole module of read-only tests: built once, rolled back at the end.

    Each test still runs in its own savepoint (the ``db`` fixture), so what a test changes is undone.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world.sign_everyone_in()
        yield world
        transaction.set_rollback(True)


def snapshot() -> dict:
    """Every row of every table except sessions, to show that a request changed nothing."""
    state = {}
    for model in apps.get_models():
        if model is Session or model._meta.proxy:
            continue
        state[model._meta.label] = list(model._default_manager.order_by("pk").values_list())
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])
