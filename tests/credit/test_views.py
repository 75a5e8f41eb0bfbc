"""The pages: who sees what (the same 404 as a missing output), the chairs' flow, and constant query counts."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activity.models import ActivityLog
from credit.exports import FORMATS
from credit.models import Contributor, CreditSettings, Output
from tests.factories import ParticipationFactory, RoleFactory

from .factories import ContributorFactory, OutputFactory, many_contributors

OUTPUT_PAGES = ["credit:output_detail", "credit:output_edit", "credit:contributors", "credit:contributor_add"] + [
    f"credit:export_{fmt}" for fmt in FORMATS
]


def _without_csrf(content: bytes) -> str:
    # The sign-out form carries a CSRF token masked afresh on every page.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("who", [None, "member", "other_chair", "volunteer"])
def test_a_draft_answers_like_a_missing_output_to_those_who_may_not_see_it(who, draft, client, request):
    _client(client, request.getfixturevalue(who) if who else None)
    for name in OUTPUT_PAGES:
        hidden = client.get(reverse(name, args=[draft.slug]))
        missing = client.get(reverse(name, args=["no-such-output"]))
        if who is None and name in ("credit:output_edit", "credit:contributors", "credit:contributor_add"):
            assert hidden.status_code == missing.status_code == 302  # sign in first, whatever exists
            continue
        assert (hidden.status_code, _without_csrf(hidden.content)) == (404, _without_csrf(missing.content)), name


@pytest.mark.parametrize("who", ["chair", "organizer"])
def test_the_groups_chairs_and_organizers_see_and_edit_a_draft(who, draft, client, request):
    _client(client, request.getfixturevalue(who))
    assert {name: client.get(reverse(name, args=[draft.slug])).status_code for name in OUTPUT_PAGES} == dict.fromkeys(
        OUTPUT_PAGES, 200
    )


def test_another_groups_chair_may_read_a_public_output_but_not_edit_it(output, other_chair, client):
    _client(client, other_chair)
    assert client.get(reverse("credit:output_detail", args=[output.slug])).status_code == 200
    assert client.get(reverse("credit:output_edit", args=[output.slug])).status_code == 403
    response = client.post(reverse("credit:output_edit", args=[output.slug]), {"title": "Mine now", "kind": "paper"})
    assert (response.status_code, Output.objects.get().title) == (403, "BLOOM")


def test_list_shows_drafts_only_to_their_editors_and_filters_by_kind_and_group(
    output, draft, group, other_group, chair, client
):
    dataset = OutputFactory(title="ROOTS", kind="dataset", groups=[other_group])

    def titles(**params):
        return [o.title for o in client.get(reverse("credit:output_list"), params).context["outputs"]]

    assert sorted(titles()) == ["BLOOM", "ROOTS"]
    _client(client, chair)
    assert sorted(titles()) == ["A draft", "BLOOM", "ROOTS"]
    assert titles(kind="dataset") == [dataset.title]
    assert sorted(titles(group=group.slug)) == ["A draft", "BLOOM"]
    assert sorted(titles(kind="nonsense")) == ["A draft", "BLOOM", "ROOTS"]


def test_chair_registers_an_output_only_for_their_own_groups(chair, group, other_group, client):
    _client(client, chair)
    form = client.get(reverse("credit:output_create")).context["form"]
    assert list(form.fields["working_groups"].queryset) == [group]
    refused = client.post(
        reverse("credit:output_create"),
        {"title": "Sneaky", "kind": "paper", "status": "in_preparation", "working_groups": [other_group.pk]},
    )
    assert (refused.status_code, Output.objects.count()) == (200, 0)
    response = client.post(
        reverse("credit:output_create"),
        {"title": "Prompting, at scale", "kind": "paper", "status": "submitted", "working_groups": [group.pk]},
    )
    output = Output.objects.get()
    assert response["Location"] == reverse("credit:contributors", args=[output.slug])
    assert (output.title, list(output.working_groups.all()), output.is_public) == (
        "Prompting, at scale",
        [group],
        False,
    )


def test_pick_from_the_proposal_adds_the_people_with_the_roles_and_asks_them(
    output, chair, group, client, django_capture_on_commit_callbacks
):
    output.date = None  # the period runs to today: everyone who is a member now is proposed
    output.save()
    members = [
        ParticipationFactory(
            role=RoleFactory(slug="participant"), working_group=group, user__email=f"m{i}@example.org"
        ).user
        for i in range(3)
    ]
    _client(client, chair)
    page = client.get(reverse("credit:contributors", args=[output.slug]))
    offered = {int(value) for value, _label in page.context["pick_form"].fields["people"].choices}
    assert offered == {chair.pk, *(m.pk for m in members)}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("credit:contributors_pick", args=[output.slug]),
            {"people": [members[0].pk, members[2].pk], "roles": ["software", "investigation"]},
        )
    rows = list(output.contributors.values_list("user", "roles", "working_group", "state"))
    assert sorted(rows) == [
        (members[0].pk, ["investigation", "software"], group.pk, "pending"),
        (members[2].pk, ["investigation", "software"], group.pk, "pending"),
    ]
    assert list(output.contributors.values_list("position", flat=True)) == [1, 2]
    assert sorted(m.to[0] for m in mail.outbox) == ["m0@example.org", "m2@example.org"]
    page = client.get(reverse("credit:contributors", args=[output.slug]))
    assert {int(v) for v, _l in page.context["pick_form"].fields["people"].choices} == {chair.pk, members[1].pk}


def test_pick_with_nobody_or_someone_not_proposed_adds_nobody(output, chair, volunteer, client):
    output.date = None
    output.save()
    _client(client, chair)
    client.post(reverse("credit:contributors_pick", args=[output.slug]), {"people": [volunteer.pk]})
    client.post(reverse("credit:contributors_pick", args=[output.slug]), {})
    assert output.contributors.count() == 0


def test_add_someone_by_account_address_or_by_name(output, chair, volunteer, client):
    _client(client, chair)
    url = reverse("credit:contributor_add", args=[output.slug])
    unknown = client.post(url, {"email": "nobody@example.org"})
    assert "No account uses this address" in unknown.content.decode()
    client.post(url, {"email": volunteer.email.upper(), "roles": ["resources"], "corresponding": "on"})
    client.post(url, {"name": "Ada Lovelace", "affiliations": "Analytical Engines\n\nRoyal Society\n"})
    assert list(output.contributors.values_list("user", "name", "affiliations", "roles", "corresponding")) == [
        (volunteer.pk, "Vera Volunteer", ["Example University"], ["resources"], True),
        (None, "Ada Lovelace", ["Analytical Engines", "Royal Society"], [], False),
    ]


def test_contributor_confirms_with_an_orcid_id_and_a_typo_is_explained(output, member, client):
    entry = ContributorFactory(output=output, user=member, name="M.", position=1)
    _client(client, member)
    url = reverse("credit:confirm", args=[entry.pk])
    typo = client.post(url, {"name": "María", "affiliations": "Inria", "orcid": "0000-0002-1825-0098", "listed": "on"})
    assert "does not match the others" in typo.content.decode()
    assert Contributor.objects.get().state == "pending"
    response = client.post(url, {"name": "María", "affiliations": "Inria", "orcid": "0000000218250097", "listed": "on"})
    assert response["Location"] == reverse("credit:mine")
    entry.refresh_from_db()
    assert (entry.name, entry.orcid, entry.state, entry.listed) == ("María", "0000-0002-1825-0097", "confirmed", True)


@pytest.mark.parametrize("who", ["chair", "organizer", "volunteer"])
def test_an_entry_to_confirm_is_the_persons_alone(who, output, member, client, request):
    entry = ContributorFactory(output=output, user=member, name="M.", position=1)
    _client(client, request.getfixturevalue(who))
    assert client.get(reverse("credit:confirm", args=[entry.pk])).status_code == 404
    assert client.post(reverse("credit:confirm", args=[entry.pk]), {"name": "X", "listed": "on"}).status_code == 404
    assert Contributor.objects.get().name == "M."


def test_my_participation_asks_for_the_pending_confirmations(output, member, client):
    entry = ContributorFactory(output=output, user=member, name="M.", position=1)
    _client(client, member)
    page = client.get(reverse("my_participation")).content.decode()
    assert reverse("credit:confirm", args=[entry.pk]) in page
    assert "Credits to confirm" in page


def test_credits_page_is_private_until_the_person_makes_it_public(output, draft, member, volunteer, client):
    ContributorFactory(output=output, user=member, name="M.", position=1)
    ContributorFactory(output=draft, user=member, name="M.", position=1)
    hidden = ContributorFactory(output=OutputFactory(title="Unlisted"), user=member, listed=False, position=1)
    url = reverse("credit:person", args=[member.pk])
    assert client.get(url).status_code == 404
    _client(client, member)
    # Their own page: unlisted entries too, and the draft (shown, not linked: they may not open it).
    own = client.get(url)
    assert [(c.output.title, c.can_open) for c in own.context["credits"]] == [
        ("A draft", False),
        ("BLOOM", True),
        ("Unlisted", True),
    ]
    assert reverse("credit:output_detail", args=[draft.slug]) not in own.content.decode()
    client.post(reverse("credit:mine"), {"public": "on"})
    assert CreditSettings.objects.get(user=member).public is True
    assert ActivityLog.objects.filter(action="credit.settings.changed", subject=member).count() == 1
    _client(client, volunteer)
    assert [c.output.title for c in client.get(url).context["credits"]] == ["BLOOM"]
    assert hidden.output.title not in client.get(url).content.decode()


def test_exports_answer_as_downloads_with_the_right_type(output, client):
    ContributorFactory(output=output, name="Zoë", position=1)
    expected = {
        "text": "text/plain",
        "latex": "application/x-tex",
        "bibtex": "application/x-bibtex",
        "cff": "application/x-yaml",
        "csv": "text/csv",
        "json": "application/json",
        "statement": "text/plain",
    }
    answers = {}
    for fmt in FORMATS:
        response = client.get(reverse(f"credit:export_{fmt}", args=[output.slug]))
        answers[fmt] = response["Content-Type"].split(";")[0]
        assert response["Content-Disposition"].startswith('attachment; filename="bloom-')
        assert "Zoë" in response.content.decode()
    assert answers == expected


# --- query counts: the same at 5 contributors and at 400 ------------------------------------


def _count(client, url) -> int:
    client.get(url)  # warm: sessions, content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.mark.parametrize("name", ["credit:output_detail", *(f"credit:export_{fmt}" for fmt in FORMATS)])
def test_output_page_and_exports_cost_the_same_queries_at_5_and_400_contributors(name, group, client):
    small, big = OutputFactory(groups=[group]), OutputFactory(groups=[group])
    many_contributors(small, 5)
    many_contributors(big, 400)
    assert _count(client, reverse(name, args=[small.slug])) == _count(client, reverse(name, args=[big.slug]))


def test_chairs_contributor_page_costs_the_same_queries_at_5_and_400(group, chair, client):
    small, big = OutputFactory(groups=[group]), OutputFactory(groups=[group])
    many_contributors(small, 5)
    many_contributors(big, 400)
    for i in range(40):
        ParticipationFactory(role=RoleFactory(slug="participant"), working_group=group, user__email=f"p{i}@example.org")
    _client(client, chair)
    small_count = _count(client, reverse("credit:contributors", args=[small.slug]))
    assert small_count == _count(client, reverse("credit:contributors", args=[big.slug]))


def test_list_costs_the_same_queries_at_1_and_30_outputs(group, client):
    OutputFactory(groups=[group])
    one = _count(client, reverse("credit:output_list"))
    for _ in range(29):
        OutputFactory(groups=[group], date=datetime.date(2021, 1, 1))
    assert _count(client, reverse("credit:output_list")) == one


def test_an_output_page_of_400_shows_every_listed_name_and_numbered_affiliations(group, client):
    output = OutputFactory(groups=[group])
    many_contributors(output, 400)
    page = client.get(reverse("credit:output_detail", args=[output.slug]))
    assert len(page.context["contributors"]) == 400
    assert page.context["affiliations"][:2] == ["Lab 0", "Lab 1"]
    assert "Université de Montréal" in page.context["affiliations"]
    assert page.content.decode().count('class="contributor-name"') == 400


def test_credits_pages_cost_the_same_queries_at_2_and_20_credits(member, group, client):
    from credit.services import set_credits_public

    set_credits_public(actor=member, person=member, public=True)
    # A draft as well as a public output from the start: asking the rules about a draft costs
    # one look-up of the person's roles, cached for the rest of the request.
    ContributorFactory(output=OutputFactory(groups=[group]), user=member, position=1)
    ContributorFactory(output=OutputFactory(groups=[group], is_public=False), user=member, position=1)
    _client(client, member)
    mine, public = reverse("credit:mine"), reverse("credit:person", args=[member.pk])
    counts = (_count(client, mine), _count(client, public))
    for i in range(18):
        ContributorFactory(output=OutputFactory(groups=[group], is_public=i % 2 == 0), user=member, position=1)
    assert (_count(client, mine), _count(client, public)) == counts


def test_typed_content_never_runs_script_on_the_credit_pages(output, chair, member, client):
    from tests.security.test_hostile_input import HOSTILE, SHORT, DangerScanner

    Output.objects.filter(pk=output.pk).update(title=SHORT, description=HOSTILE, venue=SHORT, doi=SHORT)
    entry = ContributorFactory(output=output, user=member, name=SHORT, affiliations=[HOSTILE], position=1)
    _client(client, chair)
    pages = [
        reverse("credit:output_list"),
        reverse("credit:output_detail", args=[output.slug]),
        reverse("credit:contributors", args=[output.slug]),
        reverse("credit:contributor_edit", args=[output.slug, entry.pk]),
    ]
    dangers = {}
    for url in pages:
        scanner = DangerScanner()
        scanner.feed(client.get(url).content.decode())
        dangers[url] = scanner.dangers
    client.force_login(member)
    for url in (reverse("credit:confirm", args=[entry.pk]), reverse("credit:mine"), reverse("my_participation")):
        scanner = DangerScanner()
        scanner.feed(client.get(url).content.decode())
        dangers[url] = scanner.dangers
    assert dangers == {url: [] for url in dangers}
