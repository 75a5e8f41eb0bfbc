"""The people of the security suite: one of every kind, around two working groups."""

from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
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

    def client_for(self, person: str, **client_kwargs) -> Client:
        client = Client(**client_kwargs)
        if self.people[person] is not None:
            client.force_login(self.people[person])
        return client


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
    EmailAddress.objects.create(user=people["unverified"], email=people["unverified"].email, verified=False, primary=True)
    world = World(group=group, other_group=other_group, people=people)
    for build in WORLD_BUILDERS:
        build(world)
    return world


# Each app adds the objects its URLs need (events, issues, applications...) with a function here.
WORLD_BUILDERS: list = []


@pytest.fixture
def world(db) -> World:
    return build_world()


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
