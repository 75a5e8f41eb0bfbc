"""Writes about guided tasks: publishing, claiming, reporting, reviewing, reminders, group tokens.

Every service checks permission with the ``tasks.*`` rules, runs in one transaction, writes the
activity log (``activity.services.record``) and queues its e-mails through the outbox (sent after
commit, once each thanks to their keys). Bad input or a refused state raises ``ValidationError``
with a message for the person; a refused actor raises ``PermissionDenied``. Anything that changes a
task's counts (claims, accepted work) holds the task's row lock, so the last place and the
remaining amount hold under concurrent requests.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.services import record
from bigscience_portal.mail import queue_email
from roles.models import Participation, Role

from . import rules as task_rules
from .models import Claim, Contribution, GroupToken, Task, TaskReviewer

REMIND_AFTER = timedelta(days=7)  # a claim with no report for this long is reminded once
RELEASE_AFTER = timedelta(days=7)  # ... and released this long after the reminder if still silent
TASK_FIELDS = (
    "title",
    "summary",
    "guidelines",
    "title_fr",
    "summary_fr",
    "guidelines_fr",
    "level",
    "unit",
    "amount_needed",
    "deadline",
    "work_url",
    "how_to_report",
    "over_report",
)
GROUP_TOKEN_PREFIX = "bsg_"  # noqa: S105 - a marker that tells group tokens from personal ones, not a secret
TRANSITIONS = {
    Task.Status.DRAFT: {Task.Status.OPEN},
    Task.Status.OPEN: {Task.Status.PAUSED, Task.Status.CLOSED},
    Task.Status.PAUSED: {Task.Status.OPEN, Task.Status.CLOSED},
    Task.Status.CLOSED: {Task.Status.OPEN},
}


def _lock_task(task_id: int) -> Task:
    return Task.objects.select_for_update(of=("self",)).select_related("working_group").get(pk=task_id)


def _refuse_unless_open(task: Task) -> None:
    if task.status == Task.Status.PAUSED:
        raise ValidationError(_("This task is paused: it takes no claims or reports for now."))
    if task.status == Task.Status.CLOSED:
        raise ValidationError(_("This task is closed: it takes no more claims or reports."))
    if task.status != Task.Status.OPEN:
        raise ValidationError(_("This task is not published yet."))


def _clean_fields(values: dict) -> dict:
    values = {name: values[name] for name in TASK_FIELDS if name in values}
    for name in ("title", "summary", "guidelines", "how_to_report", "work_url"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "title" in values and not values["title"]:
        raise ValidationError({"title": _("Give the task a title.")})
    if "guidelines" in values and not values["guidelines"]:
        raise ValidationError({"guidelines": _("Write the guidelines: what to do, with an example.")})
    if "amount_needed" in values and (values["amount_needed"] is None or values["amount_needed"] < 1):
        raise ValidationError({"amount_needed": _("A task needs at least one item or person.")})
    return values


# --- tasks ------------------------------------------------------------------------------------


def create_task(*, actor, group, languages=(), skills=(), **fields) -> Task:
    """Create a draft task for the group. Side effects: an activity row ``tasks.task.created``."""
    if not actor.has_perm("tasks.create_task", group):
        raise PermissionDenied(_("Only the group's chairs and the organizers publish its tasks."))
    values = _clean_fields(fields)
    with transaction.atomic():
        task = Task(working_group=group, created_by=actor, status=Task.Status.DRAFT, **values)
        task.full_clean()
        task.save()
        task.languages.set(languages)
        task.skills.set(skills)
        record(actor=actor, action="tasks.task.created", obj=task, working_group=group, to_state=task.status)
    return task


def update_task(task: Task, *, actor, languages=None, skills=None, **fields) -> Task:
    """Edit a task's description and needs. Side effects: an activity row ``tasks.task.edited``."""
    if not actor.has_perm("tasks.edit_task", task):
        raise PermissionDenied(_("Only the group's chairs and the organizers edit its tasks."))
    values = _clean_fields(fields)
    with transaction.atomic():
        task = _lock_task(task.pk)
        for name, value in values.items():
            setattr(task, name, value)
        task.full_clean()
        task.save()
        if languages is not None:
            task.languages.set(languages)
        if skills is not None:
            task.skills.set(skills)
        record(
            actor=actor, action="tasks.task.edited", obj=task, working_group=task.working_group, note=", ".join(values)
        )
    return task


def copy_task(task: Task, *, actor) -> Task:
    """A new draft with the same description and needs as an earlier task, in the same group.

    Side effects: an activity row ``tasks.task.copied``.
    """
    if not actor.has_perm("tasks.create_task", task.working_group):
        raise PermissionDenied(_("Only the group's chairs and the organizers publish its tasks."))
    with transaction.atomic():
        copy = Task(
            working_group=task.working_group,
            created_by=actor,
            status=Task.Status.DRAFT,
            copied_from=task,
            **{name: getattr(task, name) for name in TASK_FIELDS},
        )
        copy.title = _("%(title)s (copy)") % {"title": task.title}
        copy.title = copy.title[:200]
        copy.save()
        copy.languages.set(task.languages.all())
        copy.skills.set(task.skills.all())
        record(
            actor=actor,
            action="tasks.task.copied",
            obj=copy,
            working_group=task.working_group,
            to_state=copy.status,
            note=f"from task {task.pk}",
        )
    return copy


def set_task_status(task: Task, *, actor, status: str) -> Task:
    """Publish, pause, close or reopen a task. Side effects: an activity row ``tasks.task.<status>``."""
    if not actor.has_perm("tasks.edit_task", task):
        raise PermissionDenied(_("Only the group's chairs and the organizers change its tasks."))
    if status not in Task.Status.values:
        raise ValidationError(_("Unknown status."))
    with transaction.atomic():
        task = _lock_task(task.pk)
        previous = task.status
        if status == previous:
            return task
        if status not in TRANSITIONS[previous]:
            raise ValidationError(
                _("A task that is %(from)s cannot become %(to)s.")
                % {"from": task.get_status_display().lower(), "to": Task.Status(status).label.lower()}
            )
        task.status = status
        fields = ["status", "updated_at"]
        if status == Task.Status.OPEN and task.published_at is None:
            task.published_at = timezone.now()
            fields.append("published_at")
        task.save(update_fields=fields)
        verb = {"open": "published" if previous == Task.Status.DRAFT else "reopened"}.get(status, status)
        record(
            actor=actor,
            action=f"tasks.task.{verb}",
            obj=task,
            working_group=task.working_group,
            from_state=previous,
            to_state=status,
        )
    return task


def name_reviewer(task: Task, *, actor, user) -> TaskReviewer:
    """Name a person to review this task's contributions. Side effects: ``tasks.reviewer.named``."""
    if not actor.has_perm("tasks.name_reviewers", task):
        raise PermissionDenied(_("Only the group's chairs and the organizers name reviewers."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                reviewer = TaskReviewer.objects.create(task=task, user=user, named_by=actor)
        except IntegrityError as exc:
            raise ValidationError(_("%(name)s already reviews this task.") % {"name": user.display_name}) from exc
        record(actor=actor, action="tasks.reviewer.named", obj=task, subject=user, working_group=task.working_group)
    task_rules.forget(user)
    return reviewer


def remove_reviewer(task: Task, *, actor, user) -> None:
    """Stop a named reviewer reviewing this task. Side effects: ``tasks.reviewer.removed``."""
    if not actor.has_perm("tasks.name_reviewers", task):
        raise PermissionDenied(_("Only the group's chairs and the organizers name reviewers."))
    with transaction.atomic():
        deleted, _rows = TaskReviewer.objects.filter(task=task, user=user).delete()
        if not deleted:
            raise ValidationError(_("This person does not review this task."))
        record(actor=actor, action="tasks.reviewer.removed", obj=task, subject=user, working_group=task.working_group)
    task_rules.forget(user)


# --- claims -------------------------------------------------------------------------------------


def needs_attendant_role(user) -> bool:
    """A person who holds no role yet becomes a Workshop Attendant when they claim a task."""
    return not Participation.objects.filter(user=user, status=Participation.Status.ACTIVE).exists()


def _grant_attendant(user) -> None:
    from roles.services import submit_application

    submit_application(user=user, role=Role.objects.get(slug=Role.ATTENDANT))


def claim_task(task: Task, *, user, become_attendant: bool = False) -> Claim:
    """Claim a task. Someone with no role yet becomes a Workshop Attendant, if they agree.

    Side effects: the attendant role through ``roles.services.submit_application`` (its own audit
    row and welcome e-mail); an activity row ``tasks.claim.created``; the task's claim count.
    """
    if not user.has_perm("tasks.claim_task", task):
        if not task_rules.is_verified(user):
            raise PermissionDenied(_("Verify your e-mail address before claiming a task."))
        raise PermissionDenied(_("This task is not published."))
    _refuse_unless_open(task)  # before granting a role for nothing; checked again under the lock
    with transaction.atomic():
        if needs_attendant_role(user):
            if not become_attendant:
                raise ValidationError(
                    _("Claiming a task makes you a Workshop Attendant: tick the box to accept the role.")
                )
            _grant_attendant(user)
        task = _lock_task(task.pk)
        _refuse_unless_open(task)
        if Claim.objects.filter(task=task, user=user, status=Claim.Status.ACTIVE).exists():
            raise ValidationError(_("You already have a claim on this task."))
        if task.unit == Task.Unit.PEOPLE and places_taken(task) >= task.amount_needed:
            raise ValidationError(
                _("Every place on this task is taken (%(n)s). Try another task on the board.")
                % {"n": task.amount_needed}
            )
        if task.unit == Task.Unit.ITEMS and task.remaining <= 0:
            raise ValidationError(_("This task has all the items it needs. Try another task on the board."))
        try:
            with transaction.atomic():
                claim = Claim.objects.create(task=task, user=user)
        except IntegrityError as exc:
            raise ValidationError(_("You already have a claim on this task.")) from exc
        Task.objects.filter(pk=task.pk).update(active_claims=F("active_claims") + 1)
        record(
            actor=user,
            action="tasks.claim.created",
            obj=claim,
            subject=user,
            working_group=task.working_group,
            to_state=claim.status,
            note=task.title[:200],
        )
    return claim


def places_taken(task: Task) -> int:
    """People-counted tasks: the people holding a claim or with accepted work, each once."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            Q(task_claims__task=task, task_claims__status=Claim.Status.ACTIVE)
            | Q(task_contributions__task=task, task_contributions__status=Contribution.Status.ACCEPTED)
        )
        .distinct()
        .count()
    )


def _end_claim(claim: Claim, *, status: str, now=None) -> str:
    """End an active claim and free its place; the caller holds the task lock."""
    previous = claim.status
    claim.status = status
    claim.ended_at = now or timezone.now()
    claim.save(update_fields=["status", "ended_at"])
    Task.objects.filter(pk=claim.task_id, active_claims__gt=0).update(active_claims=F("active_claims") - 1)
    return previous


def release_claim(claim: Claim, *, actor) -> Claim:
    """The person gives up a claim. Side effects: ``tasks.claim.withdrawn``; frees a place."""
    # Asked of the rule and of the row: a superuser's has_perm is always true, and a claim is its owner's.
    if claim.user_id != actor.pk or not actor.has_perm("tasks.release_claim", claim):
        raise PermissionDenied(_("Only the person who claimed the task can give it up."))
    with transaction.atomic():
        task = _lock_task(claim.task_id)
        claim = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
        if claim.status != Claim.Status.ACTIVE:
            raise ValidationError(_("This claim has already ended."))
        previous = _end_claim(claim, status=Claim.Status.WITHDRAWN)
        record(
            actor=actor,
            action="tasks.claim.withdrawn",
            obj=claim,
            subject=claim.user,
            working_group=task.working_group,
            from_state=previous,
            to_state=claim.status,
        )
    return claim


# --- contributions ------------------------------------------------------------------------------


def _report(claim: Claim, *, actor, items: int, language=None, link: str = "", note: str = "", token=None):
    if not isinstance(items, int) or items < 1:
        raise ValidationError({"items": _("Report at least one item.")})
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2000 characters.")})
    with transaction.atomic():
        task = _lock_task(claim.task_id)
        claim = Claim.objects.select_for_update(of=("self",)).select_related("user").get(pk=claim.pk)
        _refuse_unless_open(task)
        if claim.status != Claim.Status.ACTIVE:
            raise ValidationError(_("This claim has ended: claim the task again to report more."))
        if language is not None and task.languages.exists() and not task.languages.filter(pk=language.pk).exists():
            raise ValidationError(
                {"language": _("This task does not ask for work in %(language)s.") % {"language": language.name}}
            )
        note_suffix = ""
        if task.unit == Task.Unit.ITEMS:
            pending = Contribution.objects.filter(task=task, status=Contribution.Status.SUBMITTED).aggregate(
                total=Coalesce(Sum("items"), 0)
            )["total"]
            remaining = task.amount_needed - task.accepted_items - pending
            if remaining <= 0:
                raise ValidationError(
                    _("This task has all the items it needs (counting the reports waiting for review).")
                )
            if items > remaining:
                if task.over_report == Task.OverReport.REFUSE:
                    raise ValidationError(
                        {"items": _("This task still needs %(n)s items: report at most that many.") % {"n": remaining}}
                    )
                note_suffix = f" (capped from {items})"
                items = remaining
        contribution = Contribution.objects.create(
            task=task,
            claim=claim,
            user=claim.user,
            items=items,
            language=language,
            link=(link or "").strip(),
            note=note,
            reported_with=token,
        )
        now = timezone.now()
        Claim.objects.filter(pk=claim.pk).update(last_report_at=now)
        record(
            actor=actor,
            action="tasks.contribution.reported",
            obj=contribution,
            subject=claim.user,
            working_group=task.working_group,
            to_state=contribution.status,
            note=f"{items} items{note_suffix}" + (f" via token {token.name}" if token else ""),
        )
    return contribution


def report_contribution(
    claim: Claim, *, actor, items: int, language=None, link: str = "", note: str = ""
) -> Contribution:
    """Report work done on a claimed task; above what the task still needs it is capped or refused.

    Side effects: ``tasks.contribution.reported``; the claim's last report time (which holds off
    the reminder).
    """
    if claim.user_id != actor.pk or not actor.has_perm("tasks.report_on_claim", claim):
        raise PermissionDenied(_("Only the person who claimed the task reports on it."))
    return _report(claim, actor=actor, items=items, language=language, link=link, note=note)


def report_for_person(
    *, token: GroupToken, task: Task, user, items: int, language=None, link: str = "", note: str = ""
):
    """A group's tool reports work for a person, with a token scoped to that group and action.

    Side effects: as ``report_contribution``; the activity row names the token.
    """
    if token.revoked_at is not None or token.action != GroupToken.Action.REPORT:
        raise PermissionDenied(_("This token may not report contributions."))
    if task.working_group_id != token.working_group_id:
        raise PermissionDenied(_("This token belongs to another working group."))
    claim = Claim.objects.filter(task=task, user=user, status=Claim.Status.ACTIVE).first()
    if claim is None:
        raise ValidationError(_("This person has no active claim on this task."))
    return _report(claim, actor=None, items=items, language=language, link=link, note=note, token=token)


def review_contribution(contribution: Contribution, *, actor, decision: str, note: str = "") -> Contribution:
    """Accept, ask for changes or reject a contribution waiting for review; the contributor is told.

    Side effects: on acceptance the task's accepted items (and people) grow at once; an activity
    row ``tasks.contribution.<decision>``; an e-mail to the contributor after commit.
    """
    if contribution.user_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Nobody reviews their own contribution."))
    if not actor.has_perm("tasks.review_contribution", contribution):
        raise PermissionDenied(_("Only the group's chairs and the task's reviewers review contributions."))
    outcomes = {
        "accept": Contribution.Status.ACCEPTED,
        "changes": Contribution.Status.CHANGES,
        "reject": Contribution.Status.REJECTED,
    }
    if decision not in outcomes:
        raise ValidationError({"decision": _("Choose accept, ask for changes or reject.")})
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2000 characters.")})
    if decision != "accept" and not note:
        raise ValidationError({"note": _("Say in a note what to change, or why the contribution is rejected.")})
    with transaction.atomic():
        task = _lock_task(contribution.task_id)
        contribution = (
            Contribution.objects.select_for_update(of=("self",)).select_related("user__profile").get(pk=contribution.pk)
        )
        if contribution.status != Contribution.Status.SUBMITTED:
            raise ValidationError(
                _("This contribution is already reviewed (%(status)s).")
                % {"status": contribution.get_status_display().lower()}
            )
        contribution.status = outcomes[decision]
        contribution.reviewer = actor
        contribution.review_note = note
        contribution.reviewed_at = timezone.now()
        contribution.save(update_fields=["status", "reviewer", "review_note", "reviewed_at"])
        if contribution.status == Contribution.Status.ACCEPTED:
            first = (
                not Contribution.objects.filter(task=task, user=contribution.user, status=Contribution.Status.ACCEPTED)
                .exclude(pk=contribution.pk)
                .exists()
            )
            Task.objects.filter(pk=task.pk).update(
                accepted_items=F("accepted_items") + contribution.items,
                accepted_people=F("accepted_people") + (1 if first else 0),
            )
        record(
            actor=actor,
            action=f"tasks.contribution.{contribution.status}",
            obj=contribution,
            subject=contribution.user,
            working_group=task.working_group,
            from_state=Contribution.Status.SUBMITTED,
            to_state=contribution.status,
            note=note[:500],
        )
        queue_email(
            template="task_contribution_reviewed",
            to=contribution.user.email,
            context={"contribution": contribution, "task": task, "user": contribution.user},
            key=f"task-contribution-reviewed:{contribution.pk}",
        )
    return contribution


# --- reminders (beat) ---------------------------------------------------------------------------


def _last_sign():
    return Coalesce("last_report_at", "created_at")


def idle_claim_ids(*, now=None) -> list[int]:
    """Active claims that owe a reminder, or a release after their reminder went unanswered."""
    now = now or timezone.now()
    claims = Claim.objects.filter(status=Claim.Status.ACTIVE).annotate(last_sign=_last_sign())
    remind = Q(reminded_at__isnull=True, last_sign__lte=now - REMIND_AFTER)
    release = Q(reminded_at__lte=now - RELEASE_AFTER, last_sign__lte=now - REMIND_AFTER - RELEASE_AFTER)
    return list(claims.filter(remind | release).order_by("pk").values_list("pk", flat=True))


def remind_or_release_claim(*, claim_id: int, now=None) -> str:
    """Remind a silent claim once; release it if it stays silent. Returns what was done.

    Each step is taken with a conditional UPDATE, so a job run twice e-mails once (and the
    outbox keys hold even if it did not). Side effects: ``tasks.claim.reminded`` or
    ``tasks.claim.released`` activity rows; an e-mail to the person; a freed place.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claim = Claim.objects.filter(pk=claim_id).select_related("task__working_group", "user__profile").first()
        if claim is None:
            return "missing"
        task = _lock_task(claim.task_id)
        silent = Claim.objects.annotate(last_sign=_last_sign()).filter(pk=claim_id, status=Claim.Status.ACTIVE)
        released = silent.filter(
            reminded_at__lte=now - RELEASE_AFTER, last_sign__lte=now - REMIND_AFTER - RELEASE_AFTER
        ).values_list("pk", flat=True)
        if Claim.objects.filter(pk__in=list(released), status=Claim.Status.ACTIVE).update(
            status=Claim.Status.RELEASED, ended_at=now
        ):
            Task.objects.filter(pk=task.pk, active_claims__gt=0).update(active_claims=F("active_claims") - 1)
            record(
                actor=None,
                action="tasks.claim.released",
                obj=claim,
                subject=claim.user,
                working_group=task.working_group,
                from_state=Claim.Status.ACTIVE,
                to_state=Claim.Status.RELEASED,
            )
            queue_email(
                template="task_claim_released",
                to=claim.user.email,
                context={"claim": claim, "task": task, "user": claim.user},
                key=f"task-claim-released:{claim.pk}",
            )
            return "released"
        reminded = silent.filter(reminded_at__isnull=True, last_sign__lte=now - REMIND_AFTER).values_list(
            "pk", flat=True
        )
        if Claim.objects.filter(pk__in=list(reminded), reminded_at__isnull=True).update(reminded_at=now):
            record(
                actor=None,
                action="tasks.claim.reminded",
                obj=claim,
                subject=claim.user,
                working_group=task.working_group,
            )
            queue_email(
                template="task_claim_reminder",
                to=claim.user.email,
                context={"claim": claim, "task": task, "user": claim.user, "release_after": RELEASE_AFTER.days},
                key=f"task-claim-reminder:{claim.pk}",
            )
            return "reminded"
    return "nothing"


# --- tokens for a group's own tools -------------------------------------------------------------


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_group_token(*, group, actor, name: str, action: str) -> tuple[GroupToken, str]:
    """A token for one of the group's tools, for one action; the raw value is returned once, never stored.

    Side effects: ``tasks.token.created``.
    """
    if not actor.has_perm("tasks.manage_tokens", group):
        raise PermissionDenied(_("Only the group's chairs and the organizers manage its tokens."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the tool that will use the token.")})
    if action not in GroupToken.Action.values:
        raise ValidationError({"action": _("Choose what the token may do.")})
    raw = GROUP_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = GroupToken(
            working_group=group,
            action=action,
            name=name[:100],
            prefix=raw[: len(GROUP_TOKEN_PREFIX) + 6],
            digest=_digest(raw),
            created_by=actor,
        )
        token.full_clean()
        token.save()
        record(actor=actor, action="tasks.token.created", obj=token, working_group=group, note=f"{name} ({action})")
    return token, raw


def revoke_group_token(token: GroupToken, *, actor) -> GroupToken:
    """Revoke a group token: it stops working at once. Side effects: ``tasks.token.revoked``."""
    if not actor.has_perm("tasks.manage_tokens", token.working_group):
        raise PermissionDenied(_("Only the group's chairs and the organizers manage its tokens."))
    with transaction.atomic():
        if not GroupToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
            raise ValidationError(_("This token is already revoked."))
        token.refresh_from_db()
        record(actor=actor, action="tasks.token.revoked", obj=token, working_group=token.working_group, note=token.name)
    return token


def authenticate_group_token(raw: str) -> GroupToken | None:
    """The live group token for this raw value, or None; records the time of use (once a minute)."""
    if not raw or not raw.startswith(GROUP_TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        GroupToken.objects.select_related("working_group").filter(digest=_digest(raw), revoked_at__isnull=True).first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= timedelta(minutes=1):
        GroupToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
