"""Journey: an organizer opens a call; a chair proposes a poster; the organizer accepts it and
places it in a poster session; a visitor finds it in the grid, opens the session page and adds
it to a calendar; a signed-in attendant stars two overlapping sessions and is warned."""

import re
from datetime import timedelta

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.core import mail

from events.models import Call, Poster, Proposal, Session, Star
from roles.rules import ORGANIZERS_GROUP
from tests.events.factories import EventFactory, SessionFactory
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    organizer = UserFactory(email="organizer@example.org", is_staff=True)
    organizer.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    group = WorkingGroupFactory(name="Metadata", slug="metadata")
    chair = ParticipationFactory(
        user__email="chair@example.org", role=RoleFactory(slug="chair"), working_group=group
    ).user
    attendant = UserFactory(email="attendant@example.org")
    event = EventFactory(slug="episode-2", title="Episode #2", time_zone="UTC")
    SessionFactory(
        event=event,
        title="Posters of the groups",
        kind="poster_session",
        room="Poster hall",
        end=event.start + timedelta(hours=1),
    )
    for number in (1, 2):
        SessionFactory(
            event=event,
            title=f"Round table {number}",
            kind="round_table",
            room=f"Table {number}",
            start=event.start + timedelta(hours=1, minutes=15 * (number - 1)),
            end=event.start + timedelta(hours=1, minutes=30 + 15 * (number - 1)),
        )
    return organizer, chair, attendant, event


def test_call_proposal_acceptance_placing_grid_calendar_and_a_warned_agenda(journeys):
    organizer, chair, attendant, event = _world()

    # The organizer opens a call for posters.
    boss = journeys("organizer")
    sign_in(boss, organizer.email)
    page = boss.goto(f"/events/{event.slug}/call/")
    page.get_by_role("link", name="Open a call").click()
    page.wait_for_url("**/call/edit/")
    page.get_by_label("Talks").uncheck()
    page.get_by_label("Text").fill("Show your group's work as a **poster**.")
    boss.check("call-form")
    page.get_by_role("button", name="Save the call").click()
    page.wait_for_url("**/call/")
    boss.check("call")
    call = Call.objects.get(event=event)
    assert (call.kinds(), call.is_open) == (["poster"], True)

    # The chair proposes a poster on behalf of the group.
    proposer = journeys("chair")
    sign_in(proposer, chair.email)
    page = proposer.goto(f"/events/{event.slug}/call/")
    page.get_by_role("link", name="Propose").click()
    page.wait_for_url("**/call/propose/")
    page.get_by_label("Title").fill("Metadata helps the model")
    page.get_by_label("Abstract").fill("Using URLs and dates during training.")
    page.get_by_label("Speakers or presenters").fill(f"{chair.email}\nGuest Presenter, Some Lab, guest@example.org")
    proposer.check("proposal-form")
    page.get_by_role("button", name="Send the proposal").click()
    page.wait_for_url("**/proposals/*/")
    proposer.check("proposal")
    proposal = Proposal.objects.get()
    assert (proposal.kind, proposal.working_group.slug, proposal.status) == ("poster", "metadata", "submitted")
    assert sorted(m.to[0] for m in mail.outbox) == ["chair@example.org", "guest@example.org"]

    # The organizer accepts it and places it in the poster session.
    page = boss.goto(f"/events/{event.slug}/proposals/")
    boss.check("proposals")
    page.get_by_role("link", name="Metadata helps the model").click()
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state("load")
    page.get_by_label("Poster session").select_option(label="Posters of the groups")
    boss.check("place")
    page.get_by_role("button", name="Place it").click()
    page.wait_for_url("**/sessions/**")
    poster = Poster.objects.get()
    assert (poster.session.title, poster.working_group.slug, poster.title) == (
        "Posters of the groups",
        "metadata",
        "Metadata helps the model",
    )
    assert page.locator(f"#{poster.anchor}").is_visible()
    assert [m.subject for m in mail.outbox if m.to == ["guest@example.org"]] == [
        "Proposal received: Metadata helps the model",
        "Proposal accepted: Metadata helps the model",
        "In the programme: Metadata helps the model",
    ]

    # A visitor finds it in the grid, opens the session page and adds it to a calendar.
    visitor = journeys("visitor")
    page = visitor.goto(f"/events/{event.slug}/")
    page.get_by_role("link", name="Programme", exact=True).click()
    page.get_by_label("Grid by room and time").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**view=grid**")
    visitor.check("grid")
    grid = page.get_by_role("table")
    assert grid.get_by_role("columnheader", name="Poster hall").is_visible()
    grid.get_by_role("link", name="Posters of the groups").click()
    page.wait_for_url("**/sessions/**")
    visitor.check("session")
    assert page.get_by_role("heading", name="Metadata helps the model").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    (entry,) = icalendar.Calendar.from_ical(download.value.path().read_bytes()).walk("VEVENT")
    session = Session.objects.get(title="Posters of the groups")
    assert (str(entry["UID"]).split("@")[0], entry.decoded("DTSTART")) == (f"session-{session.pk}", session.start)

    # A signed-in attendant stars two overlapping round tables and is warned.
    person = journeys("attendant")
    sign_in(person, attendant.email)
    page = person.goto(f"/events/{event.slug}/programme/")
    person.check("programme")
    page.get_by_role("button", name=re.compile(r"Add to my agenda\W+Round table 1")).click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name=re.compile(r"Add to my agenda\W+Round table 2")).click()
    page.wait_for_load_state("load")
    person.check("starred")
    assert page.get_by_text("It overlaps with: “Round table 1”.").is_visible()
    page = person.goto("/events/my-agenda/")
    person.check("agenda")
    assert page.get_by_text("“Round table 1” and “Round table 2” run at the same time.").is_visible()
    assert sorted(Star.objects.filter(user=attendant).values_list("session__title", flat=True)) == [
        "Round table 1",
        "Round table 2",
    ]
