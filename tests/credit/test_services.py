"""Services: who may change what, the exact rows and activity they leave, the e-mails they queue."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from activity.models import ActivityLog
from credit import services
from credit.models import Contributor, CreditSettings, Output
from credit.services import ContributorEntry
from tests.factories import UserFactory

from .factories import ContributorFactory


def _log(**filters):
    return list(
        ActivityLog.objects.filter(action__startswith="credit.", **filters)
        .order_by("pk")
        .values_list("action", "actor__email", "subject__email", "from_state", "to_state")
    )


def test_create_output_by_a_chair_for_their_group_records_it(chair, group):
    output = services.create_output(
        actor=chair, working_groups=[group], kind="paper", title="Multilingual prompting", status="submitted"
    )
    assert (output.slug, output.created_by, list(output.working_groups.all())) == (
        "multilingual-prompting",
        chair,
        [group],
    )
    assert _log() == [("credit.output.created", chair.email, None, "", "submitted")]
    assert ActivityLog.objects.get().working_group == group


def test_create_output_gives_a_fresh_address_when_the_title_repeats(organizer, group):
    first = services.create_output(actor=organizer, working_groups=[group], title="New", kind="paper")
    second = services.create_output(actor=organizer, working_groups=[group], title="New", kind="paper")
    assert (first.slug, second.slug) == ("new-output", "new-output-2")  # "new" is the creation page


@pytest.mark.parametrize("who", ["member", "volunteer", "other_chair"])
def test_create_output_for_a_group_one_does_not_chair_is_refused(who, group, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.create_output(actor=actor, working_groups=[group], title="Mine", kind="paper")
    assert (Output.objects.count(), _log()) == (0, [])


def test_create_output_without_a_group_or_with_a_reversed_period_changes_nothing(organizer, group):
    with pytest.raises(ValidationError):
        services.create_output(actor=organizer, working_groups=[], title="T", kind="paper")
    with pytest.raises(ValidationError):
        services.create_output(
            actor=organizer,
            working_groups=[group],
            title="T",
            kind="paper",
            work_started=datetime.date(2022, 1, 2),
            work_ended=datetime.date(2022, 1, 1),
        )
    assert Output.objects.count() == 0


def test_update_output_by_the_chair_records_the_changed_fields(chair, output):
    services.update_output(actor=chair, output=output, title="BLOOM, revised", status="published")
    output.refresh_from_db()
    assert output.title == "BLOOM, revised"
    assert _log() == [("credit.output.updated", chair.email, None, "published", "published")]
    assert ActivityLog.objects.get().note == "title"


def test_update_output_by_another_groups_chair_is_refused(other_chair, output):
    with pytest.raises(PermissionDenied):
        services.update_output(actor=other_chair, output=output, title="Taken over")
    assert Output.objects.get().title == "BLOOM"


def test_a_chair_cannot_add_a_group_they_do_not_chair(chair, output, other_group):
    with pytest.raises(PermissionDenied):
        services.update_output(actor=chair, output=output, working_groups=[output.working_groups.get(), other_group])
    assert list(output.working_groups.all()) != [other_group]
    assert output.working_groups.count() == 1


def test_add_contributors_appends_in_order_and_asks_each_account_once(
    chair, output, member, volunteer, group, run_on_commit
):
    with_account = ContributorEntry(user=member, roles=["software", "conceptualization"], working_group=group)
    name_alone = ContributorEntry(name="Ada Lovelace", affiliations=["Analytical Engines"])
    with run_on_commit():
        services.add_contributors(actor=chair, output=output, entries=[with_account, name_alone])
    with run_on_commit():
        services.add_contributors(actor=chair, output=output, entries=[ContributorEntry(user=volunteer), with_account])
    rows = list(output.contributors.values_list("position", "user__email", "name", "roles", "state"))
    assert rows == [
        (1, member.email, member.profile.display_name, ["conceptualization", "software"], "pending"),
        (2, None, "Ada Lovelace", [], "stated"),
        (3, volunteer.email, "Vera Volunteer", [], "pending"),
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([member.email], "Please confirm how you are credited on “BLOOM”"),
        ([volunteer.email], "Please confirm how you are credited on “BLOOM”"),
    ]
    assert "/credits/confirm/" in mail.outbox[0].body
    assert _log() == [
        ("credit.contributor.added", chair.email, member.email, "", "pending"),
        ("credit.contributor.added", chair.email, None, "", "stated"),
        ("credit.contributor.added", chair.email, volunteer.email, "", "pending"),
    ]
    assert Contributor.objects.filter(asked_at__isnull=False).count() == 2


def test_add_contributors_takes_the_profile_affiliation_when_none_is_given(chair, output, member):
    member.profile.affiliation = "Inria"
    member.profile.save()
    (entry,) = services.add_contributors(actor=chair, output=output, entries=[ContributorEntry(user=member)])
    assert entry.affiliations == ["Inria"]


@pytest.mark.parametrize(
    "entry",
    [
        ContributorEntry(name="  "),
        ContributorEntry(name="X", roles=["dancing"]),
        ContributorEntry(name="X", affiliations=[f"Lab {i}" for i in range(11)]),
    ],
)
def test_add_contributors_with_bad_input_changes_nothing(chair, output, entry):
    with pytest.raises(ValidationError):
        services.add_contributors(actor=chair, output=output, entries=[ContributorEntry(name="Fine"), entry])
    assert (output.contributors.count(), _log(), mail.outbox) == (0, [], [])


def test_add_contributors_through_a_group_outside_the_output_is_refused(chair, output, other_group):
    with pytest.raises(ValidationError):
        services.add_contributors(
            actor=chair, output=output, entries=[ContributorEntry(name="X", working_group=other_group)]
        )
    assert output.contributors.count() == 0


def test_add_contributors_by_a_member_is_refused(member, output):
    with pytest.raises(PermissionDenied):
        services.add_contributors(actor=member, output=output, entries=[ContributorEntry(name="Me")])
    assert output.contributors.count() == 0


def test_confirm_by_the_person_sets_name_orcid_and_listing(member, output):
    entry = ContributorFactory(output=output, user=member, name="M. Member", position=1)
    services.confirm_contribution(
        actor=member,
        contributor=entry,
        name="María Member-Núñez",
        affiliations=["Inria", "Sorbonne Université", "Inria"],
        orcid="https://orcid.org/0000-0002-1825-0097",
        listed=False,
    )
    entry.refresh_from_db()
    assert (entry.name, entry.affiliations, entry.orcid, entry.listed, entry.state) == (
        "María Member-Núñez",
        ["Inria", "Sorbonne Université"],
        "0000-0002-1825-0097",
        False,
        "confirmed",
    )
    assert entry.confirmed_at is not None
    assert _log() == [("credit.contributor.confirmed", member.email, member.email, "pending", "confirmed")]


def test_confirm_with_a_mistyped_orcid_changes_nothing(member, output):
    entry = ContributorFactory(output=output, user=member, name="M. Member", position=1)
    with pytest.raises(ValidationError):
        services.confirm_contribution(
            actor=member, contributor=entry, name="New", affiliations=[], orcid="0000-0002-1825-0098", listed=True
        )
    entry.refresh_from_db()
    assert (entry.name, entry.state, entry.orcid, _log()) == ("M. Member", "pending", "", [])


@pytest.mark.parametrize("who", ["chair", "organizer", "volunteer"])
def test_nobody_but_the_person_confirms_their_entry(who, member, output, request):
    entry = ContributorFactory(output=output, user=member, name="M. Member", position=1)
    with pytest.raises(PermissionDenied):
        services.confirm_contribution(
            actor=request.getfixturevalue(who), contributor=entry, name="X", affiliations=[], orcid="", listed=True
        )
    assert Contributor.objects.get().state == "pending"


def test_chairs_keep_roles_but_not_the_confirmed_name(chair, member, output, group):
    entry = ContributorFactory(output=output, user=member, name="Mine", position=1)
    services.confirm_contribution(
        actor=member, contributor=entry, name="Mine", affiliations=["A"], orcid="", listed=True
    )
    services.update_contributor(
        actor=chair,
        contributor=entry,
        roles=["validation", "software"],
        equal_contribution=True,
        corresponding=False,
        working_group=group,
        name="Changed by a chair",
        affiliations=["B"],
    )
    entry.refresh_from_db()
    assert (entry.name, entry.affiliations, entry.roles, entry.equal_contribution) == (
        "Mine",
        ["A"],
        ["software", "validation"],
        True,
    )


def test_move_and_remove_keep_positions_one_to_n(chair, output):
    entries = services.add_contributors(
        actor=chair, output=output, entries=[ContributorEntry(name=n) for n in ("A", "B", "C", "D")]
    )
    services.move_contributor(actor=chair, contributor=entries[3], position=1)
    assert list(output.contributors.values_list("name", "position")) == [("D", 1), ("A", 2), ("B", 3), ("C", 4)]
    services.move_contributor(actor=chair, contributor=entries[0], position=99)
    services.remove_contributor(actor=chair, contributor=entries[1])
    assert list(output.contributors.values_list("name", "position")) == [("D", 1), ("C", 2), ("A", 3)]
    assert [row[0] for row in _log()][-3:] == [
        "credit.contributor.moved",
        "credit.contributor.moved",
        "credit.contributor.removed",
    ]


def test_a_move_to_where_it_already_is_changes_and_records_nothing(chair, output):
    entries = services.add_contributors(actor=chair, output=output, entries=[ContributorEntry(name=n) for n in "AB"])
    logged = ActivityLog.objects.count()
    services.move_contributor(actor=chair, contributor=entries[0], position=1)
    services.move_contributor(actor=chair, contributor=entries[1], position=5)  # clamped to 2: its place
    assert list(output.contributors.values_list("name", "position")) == [("A", 1), ("B", 2)]
    assert ActivityLog.objects.count() == logged


def test_move_by_someone_else_is_refused(other_chair, output):
    entry = ContributorFactory(output=output, user=None, name="A", state="stated", position=1)
    with pytest.raises(PermissionDenied):
        services.move_contributor(actor=other_chair, contributor=entry, position=2)
    with pytest.raises(PermissionDenied):
        services.remove_contributor(actor=other_chair, contributor=entry)
    assert Contributor.objects.count() == 1


def test_credits_public_is_the_persons_choice(member, volunteer):
    services.set_credits_public(actor=member, person=member, public=True)
    services.set_credits_public(actor=member, person=member, public=True)  # no change, no row
    assert CreditSettings.objects.get(user=member).public is True
    assert _log() == [("credit.settings.changed", member.email, member.email, "private", "public")]
    with pytest.raises(PermissionDenied):
        services.set_credits_public(actor=volunteer, person=member, public=False)
    assert CreditSettings.objects.get(user=member).public is True


def test_a_contributor_entry_needs_a_name_and_a_well_formed_orcid_in_the_database(output):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Contributor.objects.create(output=output, position=1, name="", state="stated")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contributor.objects.create(output=output, position=1, name="X", orcid="1234", state="stated")
    person = UserFactory()
    Contributor.objects.create(output=output, position=1, user=person, name="X")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contributor.objects.create(output=output, position=2, user=person, name="X again")


def test_deleting_an_account_keeps_its_entries_as_names(chair, output, member, volunteer):
    from accounts.services import delete_account

    services.add_contributors(
        actor=chair, output=output, entries=[ContributorEntry(user=member), ContributorEntry(user=volunteer)]
    )
    entry = Contributor.objects.get(user=volunteer)
    services.confirm_contribution(
        actor=volunteer, contributor=entry, name="Vera V.", affiliations=[], orcid="", listed=True
    )
    delete_account(user=member, actor=member)
    delete_account(user=volunteer, actor=volunteer)
    assert list(output.contributors.values_list("position", "user", "name", "state")) == [
        (1, None, member.profile.display_name, "pending"),
        (2, None, "Vera V.", "confirmed"),
    ]
