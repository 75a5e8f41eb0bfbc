"""Read endpoints: what each caller sees, filters and ordering, and what must not leak."""

from datetime import timedelta

import pytest
from django.utils import timezone

from roles.models import Participation
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory, in_days
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


def _slugs(response, key="slug"):
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


# --- roles and working groups ------------------------------------------------------------------


def test_roles_are_listed_in_order(api):
    # The four roles are reference data (roles/migrations/0003_reference_data), in the seed's order.
    assert _slugs(api.get("/api/v1/roles/")) == ["advisor", "participant", "chair", "attendant"]
    assert api.get("/api/v1/roles/chair/").json()["reviewed_by"] == "organizers"


def test_groups_filter_by_open_or_closed_and_order(api):
    WorkingGroupFactory(name="Beta", slug="beta", is_open=False)
    WorkingGroupFactory(name="Alpha", slug="alpha", is_open=True)
    WorkingGroupFactory(name="Gamma", slug="gamma", is_open=True)
    assert _slugs(api.get("/api/v1/working-groups/")) == ["alpha", "beta", "gamma"]
    assert _slugs(api.get("/api/v1/working-groups/?is_open=true")) == ["alpha", "gamma"]
    assert _slugs(api.get("/api/v1/working-groups/?is_open=false")) == ["beta"]
    assert _slugs(api.get("/api/v1/working-groups/?ordering=-name")) == ["gamma", "beta", "alpha"]


def test_group_member_count_counts_active_people_once(api, group):
    participant = RoleFactory(slug="participant")
    ParticipationFactory(working_group=group, role=participant)
    ParticipationFactory(working_group=group, role=RoleFactory(slug="chair"))
    ParticipationFactory(working_group=group, role=participant, status=Participation.Status.WAITING)
    assert api.get(f"/api/v1/working-groups/{group.slug}/").json()["member_count"] == 2


def test_public_members_are_only_those_in_the_directory(api, group):
    participant, chair = RoleFactory(slug="participant"), RoleFactory(slug="chair")
    listed = ParticipationFactory(
        working_group=group, role=participant, user__profile={"display_name": "Listed", "show_in_directory": True}
    )
    ParticipationFactory(
        working_group=group, role=chair, user__profile={"display_name": "Listed chair", "show_in_directory": True}
    )
    # What could leak: a member who did not opt in, someone waiting, someone who left, another group's member.
    ParticipationFactory(working_group=group, role=participant, user__profile={"display_name": "Private"})
    ParticipationFactory(
        working_group=group,
        role=participant,
        status=Participation.Status.WAITING,
        user__profile={"display_name": "Waiting", "show_in_directory": True},
    )
    ParticipationFactory(
        working_group=group,
        role=participant,
        status=Participation.Status.ENDED,
        ended_at=timezone.now(),
        user__profile={"display_name": "Left", "show_in_directory": True},
    )
    ParticipationFactory(role=participant, user__profile={"display_name": "Elsewhere", "show_in_directory": True})
    response = api.get(f"/api/v1/working-groups/{group.slug}/members/")
    assert {(m["display_name"], m["role"]) for m in response.json()["results"]} == {
        ("Listed", "participant"),
        ("Listed chair", "chair"),
    }
    assert set(response.json()["results"][0]) == {"display_name", "affiliation", "country", "role", "since"}
    assert listed.user.email.encode() not in response.content


def test_members_of_an_unknown_group_answer_404(api):
    assert api.get("/api/v1/working-groups/nope/members/").status_code == 404


# --- events and sessions -----------------------------------------------------------------------


def test_events_hide_drafts_except_from_organizers(api, as_user, organizer, user):
    EventFactory(slug="public")
    EventFactory(slug="draft", is_published=False)
    assert _slugs(api.get("/api/v1/events/")) == ["public"]
    assert _slugs(as_user(user).get("/api/v1/events/")) == ["public"]
    assert api.get("/api/v1/events/draft/").status_code == 404
    assert as_user(user).get("/api/v1/events/draft/").status_code == 404
    assert sorted(_slugs(as_user(organizer).get("/api/v1/events/"))) == ["draft", "public"]
    assert as_user(organizer).get("/api/v1/events/draft/").json()["is_published"] is False


def test_events_filter_by_date_and_group(api, group):
    soon = EventFactory(slug="soon", start=in_days(2))
    later = EventFactory(slug="later", start=in_days(20))
    later.working_groups.add(group)
    EventFactory(slug="past", start=in_days(-20))
    cut = (timezone.now() + timedelta(days=5)).isoformat().replace("+00:00", "Z")
    assert _slugs(api.get("/api/v1/events/", {"starts_after": cut})) == ["later"]
    assert _slugs(api.get("/api/v1/events/", {"starts_before": cut})) == ["past", "soon"]
    assert _slugs(api.get("/api/v1/events/", {"start_date": soon.start.date().isoformat()})) == ["soon"]
    assert _slugs(api.get("/api/v1/events/", {"working_group": group.slug})) == ["later"]
    assert _slugs(api.get("/api/v1/events/", {"ordering": "-start"})) == ["later", "soon", "past"]
    bad = api.get("/api/v1/events/", {"starts_after": "yesterday"})
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"starts_after"}


def test_event_counts_registrations_and_waiting_list(api):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status="waiting")
    RegistrationFactory(event=event, status="cancelled")
    body = api.get(f"/api/v1/events/{event.slug}/").json()
    assert (body["registered_count"], body["waiting_count"], body["capacity"]) == (1, 1, 1)


def test_sessions_of_draft_events_do_not_leak(api, as_user, organizer):
    SessionFactory(title="Public talk", event=EventFactory(slug="public"))
    hidden = SessionFactory(title="Secret talk", event=EventFactory(slug="draft", is_published=False))
    assert _slugs(api.get("/api/v1/sessions/"), "title") == ["Public talk"]
    assert api.get(f"/api/v1/sessions/{hidden.pk}/").status_code == 404
    assert as_user(organizer).get(f"/api/v1/sessions/{hidden.pk}/").json()["title"] == "Secret talk"


def test_sessions_filter_by_event_and_kind(api):
    event = EventFactory(slug="kickoff")
    SessionFactory(event=event, title="Keynote", kind="keynote")
    SessionFactory(event=event, title="Panel", kind="panel", start=event.start + timedelta(hours=1))
    SessionFactory(title="Elsewhere")
    assert _slugs(api.get("/api/v1/sessions/", {"event": "kickoff"}), "title") == ["Keynote", "Panel"]
    assert _slugs(api.get("/api/v1/sessions/", {"kind": "panel"}), "title") == ["Panel"]
    assert api.get("/api/v1/sessions/", {"kind": "dance"}).status_code == 400


# --- news and the newsletter -------------------------------------------------------------------


def test_news_shows_only_published_posts(api):
    NewsPostFactory(slug="out", title="Out")
    NewsPostFactory(slug="unpublished", is_published=False)
    NewsPostFactory(slug="scheduled", published_at=timezone.now() + timedelta(days=1))
    assert _slugs(api.get("/api/v1/news/")) == ["out"]
    assert api.get("/api/v1/news/unpublished/").status_code == 404
    assert api.get("/api/v1/news/scheduled/").status_code == 404


def test_newsletter_archive_for_the_public_shows_only_sent_public_issues(api, as_user, user):
    IssueFactory(number=1, is_public=True)
    IssueFactory(number=2, is_public=False)
    IssueFactory(number=3, status="draft")
    for client in (api, as_user(user)):
        assert _slugs(client.get("/api/v1/newsletter-issues/"), "number") == [1]
        assert client.get("/api/v1/newsletter-issues/2/").status_code == 404
        assert client.get("/api/v1/newsletter-issues/3/").status_code == 404


def test_newsletter_archive_for_members_shows_every_sent_issue(as_user, advisor, member, organizer):
    IssueFactory(number=1, is_public=True)
    IssueFactory(number=2, is_public=False)
    IssueFactory(number=3, status="draft")
    for person in (advisor, member, organizer):
        assert _slugs(as_user(person).get("/api/v1/newsletter-issues/"), "number") == [2, 1]
        assert as_user(person).get("/api/v1/newsletter-issues/3/").status_code == 404


def test_newsletter_issue_shows_only_included_items(api):
    issue = IssueFactory(number=7, is_public=True)
    IssueItemFactory(issue=issue, title="Kept")
    IssueItemFactory(issue=issue, title="Left out", included=False)
    body = api.get("/api/v1/newsletter-issues/7/").json()
    assert [item["title"] for item in body["items"]] == ["Kept"]


# --- the caller's own data ------------------------------------------------------------------------


def test_callers_lists_show_only_their_own_rows(as_user, user):
    other = UserFactory()
    role = RoleFactory(slug="attendant", committee=None)
    mine = ParticipationFactory(user=user, role=role)
    theirs = ParticipationFactory(user=other, role=role)
    my_registration = RegistrationFactory(user=user)
    their_registration = RegistrationFactory(user=other)
    client = as_user(user)
    assert _slugs(client.get("/api/v1/me/participations/"), "id") == [mine.pk]
    assert _slugs(client.get("/api/v1/me/registrations/"), "id") == [my_registration.pk]
    assert client.get(f"/api/v1/me/participations/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/me/registrations/{their_registration.pk}/").status_code == 404
