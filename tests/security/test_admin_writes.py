"""The admin's write table: for every registered ModelAdmin, each kind of person POSTs add, change and delete
on a real object that is someone else's, and gets the answer written here; a refused write changes nothing.

The answers are written out, model by model, not computed from the ModelAdmins: the admin is a window on the
data (bigscience_portal/admin.py), so every add, change and delete is refused, to organizers with 403 and to
everyone else (not staff) with the admin's sign-in page. The actions that organizers may run, which call the
services, are in tests/security/test_admin_actions.py.
"""

import pytest
from django.contrib import admin
from django.test import Client

from .conftest import PERSONS, changed_tables, snapshot
from .test_url_table import answer
from .url_table import ADMIN_LOGIN, everyone

REFUSED = everyone(ADMIN_LOGIN, organizer=403)


def _people(key):
    return lambda world: world.people[key]


def _object(key):
    return lambda world: world.objects[key]


def _first(label, **filters):
    def pick(world):
        from django.apps import apps

        return apps.get_model(label)._default_manager.filter(**filters).order_by("pk").first()

    return pick


# model label: (which object is POSTed at, {"add": answers, "change": answers, "delete": answers})
ADMIN_WRITES = {
    "auth.Group": (_first("auth.Group", name="Organizers"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "sites.Site": (_first("sites.Site"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "account.EmailAddress": (
        _first("account.EmailAddress", email="volunteer@example.org"),
        {"add": REFUSED, "change": REFUSED, "delete": REFUSED},
    ),
    "socialaccount.SocialApp": (_object("social_app"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "socialaccount.SocialAccount": (
        _object("social_account"),
        {"add": REFUSED, "change": REFUSED, "delete": REFUSED},
    ),
    "socialaccount.SocialToken": (_object("social_token"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "bigscience_portal.OutgoingEmail": (_object("email"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "accounts.User": (_people("volunteer"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "accounts.Language": (
        _first("accounts.Language", code="fr"),
        {"add": REFUSED, "change": REFUSED, "delete": REFUSED},
    ),
    "accounts.Profile": (
        _first("accounts.Profile", user__email="volunteer@example.org"),
        {"add": REFUSED, "change": REFUSED, "delete": REFUSED},
    ),
    "roles.Committee": (
        _first("roles.Committee", slug="steering"),
        {"add": REFUSED, "change": REFUSED, "delete": REFUSED},
    ),
    "roles.Role": (_first("roles.Role", slug="participant"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "roles.Application": (_object("application"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "roles.Participation": (_object("membership"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "roles.Invitation": (_object("invitation"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "working_groups.WorkingGroup": (lambda world: world.group, {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "working_groups.ProgressUpdate": (
        _object("progress_update"),
        {"add": REFUSED, "change": REFUSED, "delete": REFUSED},
    ),
    "events.Event": (_object("event"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "events.Session": (_object("session"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "events.Speaker": (_object("speaker"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "events.Poster": (_object("poster"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "events.Registration": (_object("registration"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "events.EventMessage": (_object("event_message"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "events.CalendarToken": (_object("calendar_token"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "newsletter.NewsPost": (_object("news"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "newsletter.Issue": (_object("draft_issue"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "newsletter.Delivery": (_object("delivery"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "newsletter.Subscription": (_object("subscription"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "newsletter.Feedback": (_object("feedback"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "newsletter.IssueItem": (_object("issue_item"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "activity.ActivityLog": (_object("activity_row"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "events.HostEvent": (_object("host_event"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "tasks.Task": (_object("task"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "tasks.Claim": (_object("task_claim"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "tasks.Contribution": (_object("contribution"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "tasks.GroupToken": (_object("group_token"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
    "tasks.Skill": (_first("tasks.Skill"), {"add": REFUSED, "change": REFUSED, "delete": REFUSED}),
}

# What a hostile form would send: a value for the fields most models have, and the delete confirmation.
PAYLOAD = {
    "email": "changed@example.org",
    "name": "Changed",
    "slug": "changed",
    "title": "Changed",
    "status": "cancelled",
    "is_staff": "on",
    "is_superuser": "on",
    "verified": "on",
    "post": "yes",
}


@pytest.fixture(scope="module")
def admin_world(shared_world, django_db_blocker):
    """The security world, plus one row of every model the world does not already hold."""
    from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken

    from activity.services import record
    from bigscience_portal.models import OutgoingEmail
    from events.models import EventMessage, Speaker
    from tests.factories import DeliveryFactory, FeedbackFactory, IssueItemFactory, SubscriptionFactory
    from working_groups.models import ProgressUpdate

    world, people, objects = shared_world, shared_world.people, shared_world.objects
    with django_db_blocker.unblock():
        objects["social_app"] = SocialApp.objects.create(provider="github", name="GitHub", client_id="id", secret="s")
        objects["social_account"] = SocialAccount.objects.create(user=people["volunteer"], provider="github", uid="7")
        objects["social_token"] = SocialToken.objects.create(
            app=objects["social_app"], account=objects["social_account"], token="t"
        )
        from events.models import HostEvent

        objects["host_event"] = HostEvent.objects.create(name="A host workshop", place="Online")
        objects["email"] = OutgoingEmail.objects.create(to="volunteer@example.org", subject="Hello", body_text="Hi")
        objects["progress_update"] = ProgressUpdate.objects.create(
            working_group=world.group, author=people["chair"], title="Week 1", body="Done."
        )
        objects["speaker"] = Speaker.objects.create(name="A speaker", user=people["volunteer"])
        objects["event_message"] = EventMessage.objects.create(
            event=objects["event"], author=people["organizer"], subject="Room change", body="Room 2."
        )
        advisor = people["advisor"]
        objects["delivery"] = DeliveryFactory(issue=objects["issue"], user=advisor, email=advisor.email)
        objects["subscription"] = SubscriptionFactory(email="reader@example.org")
        objects["feedback"] = FeedbackFactory(issue=objects["issue"], user=advisor, email=advisor.email)
        objects["issue_item"] = IssueItemFactory(issue=objects["issue"])
        objects["activity_row"] = record(
            actor=people["chair"],
            action="roles.application.approved",
            obj=objects["application"],
            subject=people["volunteer"],
            working_group=world.group,
        )
    return world


def test_the_table_has_a_row_for_every_registered_model_admin():
    registered = {model._meta.label for model in admin.site._registry}
    assert set(ADMIN_WRITES) == registered


def _urls(label: str, pk) -> dict:
    app_label, model_name = label.lower().split(".")
    base = f"/admin/{app_label}/{model_name}/"
    return {"add": f"{base}add/", "change": f"{base}{pk}/change/", "delete": f"{base}{pk}/delete/"}


@pytest.mark.parametrize("label", sorted(ADMIN_WRITES))
def test_admin_writes_answer_each_person_as_the_table_says_and_refused_ones_change_nothing(label, db, admin_world):
    pick, expected = ADMIN_WRITES[label]
    target = pick(admin_world)
    assert target is not None, f"the world has no {label} to write to"
    urls = _urls(label, target.pk)
    before = snapshot()
    answers = {
        verb: {person: answer(admin_world.client_for(person).post(url, PAYLOAD, secure=True)) for person in PERSONS}
        for verb, url in urls.items()
    }
    assert answers == expected
    assert changed_tables(before, snapshot()) == []


@pytest.mark.parametrize("label", ["accounts.User", "roles.Role", "roles.Participation", "events.Registration"])
def test_a_superuser_cannot_write_in_the_admin_either(label, db, admin_world):
    from tests.factories import UserFactory

    root = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    target = ADMIN_WRITES[label][0](admin_world)
    before = snapshot()
    answers = {
        verb: client.post(url, PAYLOAD, secure=True).status_code for verb, url in _urls(label, target.pk).items()
    }
    assert answers == {"add": 403, "change": 403, "delete": 403}
    assert changed_tables(before, snapshot()) == []
