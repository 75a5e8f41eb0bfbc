"""Objects of another group or of nobody answer exactly like objects that do not exist, and a
write to a field the caller may not change changes nothing."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from events.models import Event
from roles.models import Application, Participation

pytestmark = pytest.mark.django_db
MISSING = 999_999


def _normalised(response) -> tuple:
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return response.status_code, re.sub(r"\d{4,}|/\d+/", "", body)


def _other_group_objects(world) -> dict:
    other_membership = Participation.objects.filter(working_group=world.other_group).first()
    hidden_event = Event.objects.create(
        slug="draft-event",
        title="Draft",
        start=timezone.now() + timezone.timedelta(days=3),
        end=timezone.now() + timezone.timedelta(days=3, hours=1),
        is_published=False,
    )
    return {"membership": other_membership, "application": world.objects["other_application"], "event": hidden_event}


def _pairs(world, other) -> list[tuple]:
    """(person, method, URL of something that exists but is not theirs, URL of nothing)."""
    group = world.group.slug
    mine = world.objects
    return [
        (
            "chair",
            "get",
            f"/groups/{group}/manage/members/{other['membership'].pk}/remove/",
            f"/groups/{group}/manage/members/{MISSING}/remove/",
        ),
        (
            "chair",
            "post",
            f"/groups/{group}/manage/members/{other['membership'].pk}/chair/",
            f"/groups/{group}/manage/members/{MISSING}/chair/",
        ),
        (
            "chair",
            "post",
            f"/roles/applications/{other['application'].pk}/decide/",
            f"/roles/applications/{MISSING}/decide/",
        ),
        (
            "member",
            "post",
            f"/roles/applications/{mine['application'].pk}/withdraw/",
            f"/roles/applications/{MISSING}/withdraw/",
        ),
        (
            "volunteer",
            "get",
            f"/roles/participations/{mine['membership'].pk}/leave/",
            f"/roles/participations/{MISSING}/leave/",
        ),
        ("volunteer", "get", "/events/draft-event/", "/events/no-such-event/"),
        ("member", "get", "/news/issues/8/", f"/news/issues/{MISSING}/"),
        ("chair", "get", f"/api/v1/applications/{other['application'].pk}/", f"/api/v1/applications/{MISSING}/"),
        ("chair", "get", f"/api/v1/participations/{other['membership'].pk}/", f"/api/v1/participations/{MISSING}/"),
        ("member", "get", f"/api/v1/me/applications/{mine['application'].pk}/", f"/api/v1/me/applications/{MISSING}/"),
        (
            "member",
            "get",
            f"/api/v1/me/registrations/{mine['registration'].pk}/",
            f"/api/v1/me/registrations/{MISSING}/",
        ),
        ("volunteer", "get", "/api/v1/events/draft-event/", "/api/v1/events/no-such-event/"),
        ("volunteer", "get", "/api/v1/newsletter-issues/8/", f"/api/v1/newsletter-issues/{MISSING}/"),
    ]


def test_objects_of_others_answer_exactly_like_missing_ones(world):
    other = _other_group_objects(world)
    different = {}
    for person, method, hidden, missing in _pairs(world, other):
        client = world.client_for(person)
        hidden_answer = _normalised(getattr(client, method)(hidden))
        missing_answer = _normalised(getattr(client, method)(missing))
        if hidden_answer != missing_answer or hidden_answer[0] != 404:
            different[hidden] = (hidden_answer[0], missing_answer[0])
    assert different == {}
    assert Application.objects.get(pk=other["application"].pk).status == "pending"
    assert Participation.objects.get(pk=other["membership"].pk).role.slug == "chair"


def test_profile_form_ignores_fields_the_person_may_not_change(world):
    person = world.people["volunteer"]
    client = world.client_for("volunteer")
    response = client.post(
        "/me/profile/",
        {
            "display_name": "New name",
            "affiliation": "Somewhere",
            "country": "FR",
            "languages": ["en"],
            "time_zone": "UTC",
            "email": "stolen@example.org",
            "is_staff": "on",
            "is_superuser": "on",
            "user": world.people["organizer"].pk,
            "groups": [Group.objects.get(name="Organizers").pk],
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.email, person.is_staff, person.is_superuser) == ("volunteer@example.org", False, False)
    assert list(person.groups.all()) == []
    assert person.profile.display_name == "New name"
    assert world.people["organizer"].profile.display_name != "New name"


def test_api_profile_ignores_fields_the_person_may_not_change(world):
    client = world.client_for("volunteer")
    response = client.patch(
        "/api/v1/me/profile/",
        json.dumps({"display_name": "Via API", "email": "stolen@example.org", "is_staff": True, "user": 1}),
        content_type="application/json",
    )
    assert response.status_code in (200, 400)
    person = User.objects.get(pk=world.people["volunteer"].pk)
    assert (person.email, person.is_staff) == ("volunteer@example.org", False)


def test_api_application_cannot_be_created_approved(world):
    client = world.client_for("advisor")
    response = client.post(
        "/api/v1/me/applications/",
        json.dumps(
            {
                "role": "participant",
                "working_group": world.other_group.slug,
                "motivation": "Let me in.",
                "status": "approved",
                "user": world.people["organizer"].pk,
                "reviewer": world.people["organizer"].pk,
            }
        ),
        content_type="application/json",
    )
    created = Application.objects.filter(working_group=world.other_group, motivation="Let me in.")
    if response.status_code == 201:
        assert [(a.user_id, a.status, a.reviewer_id) for a in created] == [
            (world.people["advisor"].pk, "pending", None)
        ]
    else:
        assert response.status_code == 400
        assert not created.exists()
    assert not Participation.objects.filter(user=world.people["advisor"], working_group=world.other_group).exists()
