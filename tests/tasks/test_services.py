import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Language
from activity.models import ActivityLog
from roles.models import Participation
from tasks import services
from tasks.models import Claim, Contribution, Task, TaskReviewer
from tests.factories import ParticipationFactory, RoleFactory, UserFactory, WorkingGroupFactory

from .factories import ClaimFactory, ContributionFactory, TaskFactory

pytestmark = pytest.mark.django_db


def actions(**filters) -> list[tuple]:
    return list(
        ActivityLog.objects.filter(action__startswith="tasks.", **filters)
        .order_by("pk")
        .values_list("action", "from_state", "to_state")
    )


# --- publishing ---------------------------------------------------------------------------------


def test_create_task_by_chair_is_a_draft_with_rendered_guidelines(group, chair):
    task = services.create_task(
        actor=chair,
        group=group,
        languages=Language.objects.filter(code="sw"),
        title=" Find sources ",
        summary="Sources in Swahili",
        guidelines="Do **this**.\n\n<script>alert(1)</script>",
        level="first",
        unit="items",
        amount_needed=50,
        work_url="https://sheet.example.org/",
        over_report="cap",
    )
    assert task.status == Task.Status.DRAFT
    assert task.title == "Find sources"
    assert "<strong>this</strong>" in task.guidelines_html and "<script" not in task.guidelines_html
    assert [lang.code for lang in task.languages.all()] == ["sw"]
    assert actions() == [("tasks.task.created", "", "draft")]


def test_create_task_refused_to_a_member_and_to_another_groups_chair(group, member):
    other_chair = ParticipationFactory(role=RoleFactory(slug="chair"), working_group=WorkingGroupFactory()).user
    for person in (member, other_chair):
        with pytest.raises(PermissionDenied):
            services.create_task(actor=person, group=group, title="x", guidelines="x", amount_needed=1)
    assert Task.objects.count() == 0


def test_create_task_with_no_amount_is_refused(group, chair):
    with pytest.raises(ValidationError) as error:
        services.create_task(
            actor=chair, group=group, title="x", summary="x", guidelines="x", amount_needed=0, work_url="https://a.b/"
        )
    assert "at least one" in str(error.value)
    assert Task.objects.count() == 0


def test_publish_pause_close_reopen_are_logged(task, chair):
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DRAFT, published_at=None)
    for status in ("open", "paused", "closed", "open"):
        task = services.set_task_status(task, actor=chair, status=status)
    assert task.published_at is not None
    assert actions() == [
        ("tasks.task.published", "draft", "open"),
        ("tasks.task.paused", "open", "paused"),
        ("tasks.task.closed", "paused", "closed"),
        ("tasks.task.reopened", "closed", "open"),
    ]


def test_a_published_task_cannot_go_back_to_draft(task, chair):
    with pytest.raises(ValidationError):
        services.set_task_status(task, actor=chair, status="draft")
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_copy_task_makes_a_draft_with_the_same_needs(task, chair):
    copy = services.copy_task(task, actor=chair)
    assert copy.status == Task.Status.DRAFT and copy.copied_from == task
    assert copy.title == f"{task.title} (copy)"
    assert set(copy.languages.values_list("code", flat=True)) == {"sw", "en"}
    assert copy.guidelines == task.guidelines and copy.amount_needed == task.amount_needed
    assert copy.accepted_items == 0
    assert actions() == [("tasks.task.copied", "", "draft")]


# --- claiming -----------------------------------------------------------------------------------


def test_claim_by_attendant_counts_and_is_logged(task, attendant):
    claim = services.claim_task(task, user=attendant)
    task.refresh_from_db()
    assert claim.status == Claim.Status.ACTIVE and task.active_claims == 1
    assert actions() == [("tasks.claim.created", "", "active")]
    assert ActivityLog.objects.get(action="tasks.claim.created").subject == attendant


def test_claim_without_a_role_needs_consent_then_grants_attendant(task, attendant_role, run_on_commit):
    person = UserFactory(profile={"languages": ["sw"]})
    with pytest.raises(ValidationError) as error:
        services.claim_task(task, user=person)
    assert "tick the box" in str(error.value)
    assert not Claim.objects.exists()
    assert not Participation.objects.filter(user=person).exists()

    with run_on_commit():
        services.claim_task(task, user=person, become_attendant=True)
    held = Participation.objects.get(user=person)
    assert (held.role.slug, held.status, held.working_group) == ("attendant", "active", None)
    assert Claim.objects.filter(user=person, task=task, status="active").count() == 1
    assert [m.to for m in mail.outbox] == [[person.email]]  # the role's welcome, from the roles service


def test_claim_twice_is_refused(task, attendant):
    services.claim_task(task, user=attendant)
    with pytest.raises(ValidationError, match="already have a claim"):
        services.claim_task(task, user=attendant)
    assert Claim.objects.count() == 1


@pytest.mark.parametrize(("status", "message"), [("paused", "paused"), ("closed", "closed")])
def test_paused_or_closed_task_refuses_claims(task, attendant, status, message):
    Task.objects.filter(pk=task.pk).update(status=status)
    task.refresh_from_db()
    with pytest.raises(ValidationError, match=message):
        services.claim_task(task, user=attendant)
    assert not Claim.objects.exists()


def test_draft_task_refuses_claims(task, attendant):
    Task.objects.filter(pk=task.pk).update(status="draft")
    task.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.claim_task(task, user=attendant)


def test_unverified_person_cannot_claim(task):
    with pytest.raises(PermissionDenied, match="Verify"):
        services.claim_task(task, user=UserFactory(verified=False))


def test_people_task_refuses_the_claim_past_its_last_place(group, attendant_role):
    task = TaskFactory(working_group=group, unit=Task.Unit.PEOPLE, amount_needed=1)
    first, second = (ParticipationFactory(role=attendant_role).user for _ in range(2))
    services.claim_task(task, user=first)
    with pytest.raises(ValidationError, match="Every place"):
        services.claim_task(task, user=second)
    assert list(Claim.objects.values_list("user", flat=True)) == [first.pk]


def test_release_frees_the_place(group, attendant_role):
    task = TaskFactory(working_group=group, unit=Task.Unit.PEOPLE, amount_needed=1)
    first, second = (ParticipationFactory(role=attendant_role).user for _ in range(2))
    claim = services.claim_task(task, user=first)
    with pytest.raises(PermissionDenied):
        services.release_claim(claim, actor=second)
    services.release_claim(claim, actor=first)
    services.claim_task(task, user=second)
    task.refresh_from_db()
    assert task.active_claims == 1
    assert [a[0] for a in actions()] == ["tasks.claim.created", "tasks.claim.withdrawn", "tasks.claim.created"]


# --- reporting ----------------------------------------------------------------------------------


def test_report_creates_a_submitted_contribution(task, attendant):
    claim = services.claim_task(task, user=attendant)
    swahili = Language.objects.get(code="sw")
    contribution = services.report_contribution(
        claim, actor=attendant, items=30, language=swahili, link="https://x.org/1", note="Taifa Leo"
    )
    claim.refresh_from_db()
    assert (contribution.items, contribution.status, contribution.language_id) == (30, "submitted", "sw")
    assert claim.last_report_at is not None
    task.refresh_from_db()
    assert task.accepted_items == 0  # counts only once accepted
    assert actions()[-1] == ("tasks.contribution.reported", "", "submitted")


def test_report_on_someone_elses_claim_is_refused(task, attendant):
    claim = services.claim_task(task, user=attendant)
    with pytest.raises(PermissionDenied):
        services.report_contribution(claim, actor=UserFactory(), items=3)
    assert not Contribution.objects.exists()


def test_report_in_a_language_the_task_does_not_ask_for_is_refused(task, attendant):
    claim = services.claim_task(task, user=attendant)
    with pytest.raises(ValidationError, match="does not ask"):
        services.report_contribution(claim, actor=attendant, items=3, language=Language.objects.get(code="fr"))
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("items", [0, -2])
def test_report_of_no_items_is_refused(task, attendant, items):
    claim = services.claim_task(task, user=attendant)
    with pytest.raises(ValidationError):
        services.report_contribution(claim, actor=attendant, items=items)
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("status", ["paused", "closed"])
def test_paused_or_closed_task_refuses_reports(task, attendant, status):
    claim = services.claim_task(task, user=attendant)
    Task.objects.filter(pk=task.pk).update(status=status)
    with pytest.raises(ValidationError, match=status):
        services.report_contribution(claim, actor=attendant, items=3)
    assert not Contribution.objects.exists()


def test_report_above_what_is_needed_is_capped(group, attendant):
    task = TaskFactory(working_group=group, amount_needed=10, over_report=Task.OverReport.CAP)
    claim = services.claim_task(task, user=attendant)
    services.report_contribution(claim, actor=attendant, items=4)
    capped = services.report_contribution(claim, actor=attendant, items=50)
    assert capped.items == 6
    assert (
        ActivityLog.objects.filter(action="tasks.contribution.reported").order_by("pk").last().note
        == "6 items (capped from 50)"
    )
    with pytest.raises(ValidationError, match="all the items"):
        services.report_contribution(claim, actor=attendant, items=1)


def test_report_above_what_is_needed_is_refused_when_the_chair_said_so(group, attendant):
    task = TaskFactory(working_group=group, amount_needed=10, over_report=Task.OverReport.REFUSE)
    claim = services.claim_task(task, user=attendant)
    with pytest.raises(ValidationError, match="at most that many"):
        services.report_contribution(claim, actor=attendant, items=11)
    assert not Contribution.objects.exists()
    assert services.report_contribution(claim, actor=attendant, items=10).items == 10


# --- review -------------------------------------------------------------------------------------


def test_chair_accepts_and_progress_moves_at_once(task, attendant, chair, run_on_commit):
    claim = services.claim_task(task, user=attendant)
    contribution = services.report_contribution(
        claim, actor=attendant, items=30, language=Language.objects.get(code="sw")
    )
    mail.outbox.clear()
    with run_on_commit():
        services.review_contribution(contribution, actor=chair, decision="accept", note="Thank you")
    task.refresh_from_db()
    contribution.refresh_from_db()
    assert (task.accepted_items, task.accepted_people, task.percent) == (30, 1, 30)
    assert (contribution.status, contribution.reviewer, contribution.review_note) == ("accepted", chair, "Thank you")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([attendant.email], f"Your contribution to “{task.title}” is accepted")
    ]
    assert actions()[-1] == ("tasks.contribution.accepted", "submitted", "accepted")


@pytest.mark.parametrize(("decision", "subject"), [("changes", "Changes asked"), ("reject", "is not accepted")])
def test_changes_or_reject_need_a_note_and_tell_the_contributor(
    task, attendant, chair, decision, subject, run_on_commit
):
    claim = services.claim_task(task, user=attendant)
    contribution = services.report_contribution(claim, actor=attendant, items=3)
    with pytest.raises(ValidationError, match="note"):
        services.review_contribution(contribution, actor=chair, decision=decision)
    mail.outbox.clear()
    with run_on_commit():
        services.review_contribution(contribution, actor=chair, decision=decision, note="Add the licences.")
    task.refresh_from_db()
    assert task.accepted_items == 0
    assert len(mail.outbox) == 1 and subject in mail.outbox[0].subject
    assert "Add the licences." in mail.outbox[0].body


def test_nobody_reviews_their_own_contribution_not_even_a_chair_or_superuser(task, chair):
    chair.is_superuser = True
    chair.save()
    claim = ClaimFactory(task=task, user=chair)
    contribution = ContributionFactory(claim=claim)
    with pytest.raises(PermissionDenied, match="own"):
        services.review_contribution(contribution, actor=chair, decision="accept")
    contribution.refresh_from_db()
    assert contribution.status == "submitted"


def test_named_reviewer_reviews_and_others_are_refused(task, attendant, chair):
    reviewer, stranger = UserFactory(), UserFactory()
    services.name_reviewer(task, actor=chair, user=reviewer)
    claim = services.claim_task(task, user=attendant)
    first = services.report_contribution(claim, actor=attendant, items=2)
    with pytest.raises(PermissionDenied):
        services.review_contribution(first, actor=stranger, decision="accept")
    services.review_contribution(first, actor=reviewer, decision="accept")
    with pytest.raises(ValidationError, match="already reviewed"):
        services.review_contribution(first, actor=chair, decision="reject", note="no")
    assert TaskReviewer.objects.filter(task=task).count() == 1
    with pytest.raises(PermissionDenied):
        services.name_reviewer(task, actor=reviewer, user=stranger)


def test_accepted_people_counts_each_person_once(task, attendant, chair):
    claim = services.claim_task(task, user=attendant)
    for items in (2, 3):
        services.review_contribution(
            services.report_contribution(claim, actor=attendant, items=items), actor=chair, decision="accept"
        )
    task.refresh_from_db()
    assert (task.accepted_items, task.accepted_people) == (5, 1)


def test_a_superuser_cannot_report_on_or_give_up_someone_elses_claim(task, attendant):
    claim = services.claim_task(task, user=attendant)
    boss = UserFactory(is_superuser=True)
    with pytest.raises(PermissionDenied):
        services.report_contribution(claim, actor=boss, items=3)
    with pytest.raises(PermissionDenied):
        services.release_claim(claim, actor=boss)
    claim.refresh_from_db()
    assert claim.status == "active" and not Contribution.objects.exists()
