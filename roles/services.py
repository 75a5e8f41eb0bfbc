"""Writes about roles: applications and their review, participations, chairs, invitations, reminders.

Every service checks permission through the rule book (``user.has_perm``), runs in one transaction,
records each change in the activity log (``audit`` below, through ``activity.services.record``) and
queues its e-mails through the outbox (sent after commit).
Bad input raises ``ValidationError`` with a message meant for the person; a refused actor raises
``PermissionDenied``. Anything that touches a group's membership locks the group row first, so
capacity and the waiting list hold under concurrent requests.
"""

import secrets
from datetime import UTC, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activity.services import record
from bigscience_portal.mail import queue_email
from working_groups.models import WorkingGroup

from . import rules
from .models import Application, Invitation, Participation, Role

User = get_user_model()

INVITATION_VALID_FOR = timedelta(days=14)
REMIND_CHAIRS_AFTER = timedelta(days=7)
REMIND_ORGANIZERS_AFTER = timedelta(days=14)
CURRENT = [Participation.Status.ACTIVE, Participation.Status.WAITING]


# --- helpers -----------------------------------------------------------------------------


def audit(
    *,
    actor,
    action: str,
    subject=None,
    application=None,
    participation=None,
    invitation=None,
    working_group=None,
    role=None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
):
    """Record one change in the activity log. The group and role default to those of what changed.

    The object is the one the action names (``roles.<application|participation|invitation>.<verb>``,
    or the group for ``working_groups.group.*``); the others involved are kept in ``data`` by id.
    """
    source = application or participation or invitation
    if working_group is None and source is not None:
        working_group = source.working_group
    if role is None and source is not None:
        role = source.role
    kind = action.split(".")[1]
    obj = {"application": application, "participation": participation, "invitation": invitation}.get(kind)
    data = {
        name: value.pk
        for name, value in (("application", application), ("participation", participation), ("invitation", invitation))
        if value is not None
    }
    if role is not None:
        data["role"] = role.slug
    return record(
        actor=actor,
        action=action,
        obj=obj if obj is not None else (working_group if kind == "group" else None),
        subject=subject,
        working_group=working_group,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data,
    )


def _lock_group(group_id) -> WorkingGroup | None:
    """Lock the group row: every membership change of one group goes through here one at a time."""
    if group_id is None:
        return None
    return WorkingGroup.objects.select_for_update().get(pk=group_id)


def _lock_person(user) -> None:
    """Lock the person's row: their roles outside any group change one request at a time."""
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def _role(slug: str) -> Role:
    return Role.objects.get(slug=slug)


def active_count(group: WorkingGroup) -> int:
    return Participation.objects.filter(working_group=group, status=Participation.Status.ACTIVE).count()


def is_full(group: WorkingGroup) -> bool:
    return group.capacity is not None and active_count(group) >= group.capacity


def active_chairs(group: WorkingGroup):
    return Participation.objects.filter(
        working_group=group, role__slug=Role.CHAIR, status=Participation.Status.ACTIVE
    ).select_related("user__profile")


def organizer_emails() -> list[str]:
    return sorted(
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=rules.ORGANIZERS_GROUP) | Q(is_superuser=True))
        .values_list("email", flat=True)
        .distinct()
    )


def _end(participation: Participation, *, reason: str) -> str:
    previous = participation.status
    participation.status = Participation.Status.ENDED
    participation.ended_at = timezone.now()
    participation.end_reason = reason
    participation.save(update_fields=["status", "ended_at", "end_reason"])
    return previous


def _check_not_last_chair(participation: Participation) -> None:
    if participation.role.slug != Role.CHAIR or participation.status != Participation.Status.ACTIVE:
        return
    others = active_chairs(participation.working_group).exclude(pk=participation.pk)
    if not others.exists():
        raise ValidationError(
            f"{participation.working_group} would have no chair left. Appoint or promote another chair first."
        )


def _grant(*, user, role: Role, group: WorkingGroup | None, actor, application=None, invitation=None) -> Participation:
    """Give the role; participants of a full group wait. The caller holds the group lock."""
    current = Participation.objects.filter(user=user, role=role, working_group=group, status__in=CURRENT).first()
    if current is not None:
        return current
    if role.slug == Role.CHAIR and group is not None:
        for seat in Participation.objects.filter(
            user=user, role__slug=Role.PARTICIPANT, working_group=group, status__in=CURRENT
        ):
            _end(seat, reason=Participation.EndReason.PROMOTED)
    waits = role.slug == Role.PARTICIPANT and group is not None and is_full(group)
    participation = Participation.objects.create(
        user=user,
        role=role,
        working_group=group,
        status=Participation.Status.WAITING if waits else Participation.Status.ACTIVE,
        started_at=timezone.now(),
    )
    if waits:
        audit(
            actor=actor,
            action="roles.participation.waitlisted",
            subject=user,
            participation=participation,
            application=application,
            invitation=invitation,
            to_state=participation.status,
        )
    rules.forget(user)
    return participation


def fill_from_waiting_list(group: WorkingGroup, *, actor) -> list[Participation]:
    """Move waiting people up while the group has room, first come first served; e-mail each.

    The caller holds the group lock.
    """
    moved = []
    waiting = Participation.objects.filter(working_group=group, status=Participation.Status.WAITING)
    for participation in waiting.select_related("user", "role").order_by("started_at", "pk"):
        if is_full(group):
            break
        participation.status = Participation.Status.ACTIVE
        participation.save(update_fields=["status"])
        audit(
            actor=actor,
            action="roles.participation.moved_up",
            subject=participation.user,
            participation=participation,
            from_state="waiting",
            to_state="active",
        )
        queue_email(
            template="membership_moved_up",
            to=participation.user.email,
            context={"participation": participation, "group": group, "user": participation.user},
            key=f"membership-moved-up:{participation.pk}",
        )
        moved.append(participation)
    return moved


# --- applications ------------------------------------------------------------------------


def _check_can_submit(*, user, role: Role, working_group: WorkingGroup | None) -> None:
    from accounts.services import ensure_profile

    if not user.has_perm("roles.apply_for_role"):
        raise PermissionDenied(_("Verify your e-mail address before applying for a role."))
    missing = ensure_profile(user=user).missing_fields()
    if missing:
        raise ValidationError(
            _("Complete your profile before applying: add your %(missing)s.")
            % {"missing": ", ".join(str(field) for field in missing)}
        )
    if role.needs_working_group and working_group is None:
        raise ValidationError(_("Choose the working group you apply to as %(name)s.") % {"name": role.label})
    if working_group is not None and not working_group.is_open:
        raise ValidationError(
            _("%(working_group)s is closed to applications at the moment.") % {"working_group": working_group}
        )
    current = Participation.objects.filter(user=user, role=role, working_group=working_group, status__in=CURRENT)
    if current.exists():
        if working_group:
            text = _("You already hold the role %(name)s in %(group)s (or are on its waiting list).")
        else:
            text = _("You already hold the role %(name)s (or are on its waiting list).")
        raise ValidationError(text % {"name": role.label, "group": working_group})
    if working_group is not None and role.slug == Role.PARTICIPANT and rules.chairs_group(user, working_group):
        raise ValidationError(_("You already chair %(working_group)s.") % {"working_group": working_group})


def _duplicate_message(role: Role, working_group) -> str:
    if working_group:
        text = _("You already have a pending application as %(name)s in %(group)s. Withdraw it first to apply again.")
    else:
        text = _("You already have a pending application as %(name)s. Withdraw it first to apply again.")
    return str(text % {"name": role.label, "group": working_group})


def submit_application(
    *, user, role: Role, working_group: WorkingGroup | None = None, motivation: str = ""
) -> Application:
    """Apply for a role. Attendant is granted at once.

    Side effects: an ``applied`` (or ``granted``) audit row; e-mails the applicant
    ("received", or "approved" for a role granted at once) after commit.
    """
    if not role.needs_working_group:
        working_group = None
    _check_can_submit(user=user, role=role, working_group=working_group)
    motivation = (motivation or "").strip()
    if len(motivation) > 2000:
        raise ValidationError(_("Keep the motivation under 2000 characters."))
    granted_at_once = role.reviewed_by == Role.Reviewer.NOBODY
    with transaction.atomic():
        _lock_group(working_group.pk if working_group else None)
        _lock_person(user)
        if Application.objects.filter(
            user=user, role=role, working_group=working_group, status=Application.Status.PENDING
        ).exists():
            raise ValidationError(_duplicate_message(role, working_group))
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    user=user,
                    role=role,
                    working_group=working_group,
                    motivation=motivation,
                    status=Application.Status.APPROVED if granted_at_once else Application.Status.PENDING,
                    decided_at=timezone.now() if granted_at_once else None,
                )
        except IntegrityError as exc:
            raise ValidationError(_duplicate_message(role, working_group)) from exc
        if granted_at_once:
            participation = _grant(user=user, role=role, group=working_group, actor=user, application=application)
            audit(
                actor=user,
                action="roles.application.granted",
                subject=user,
                application=application,
                participation=participation,
                to_state=participation.status,
            )
            template = "application_approved"
        else:
            audit(
                actor=user,
                action="roles.application.applied",
                subject=user,
                application=application,
                to_state=application.status,
                note=motivation[:200],
            )
            template = "application_received"
            _tell_reviewers(application)
        queue_email(
            template=template,
            to=user.email,
            context={"application": application, "user": user},
            key=f"{template}:{application.pk}",
        )
    return application


def _tell_reviewers(application: Application) -> None:
    """E-mail who will review a new participant application, once each: the group's chairs (those who chose
    the daily digest get it there instead), or the organizers when the group has no chair."""
    if application.role.reviewed_by != Role.Reviewer.CHAIRS or not application.working_group_id:
        return
    chairs = list(active_chairs(application.working_group))
    context = {"application": application, "by_organizers": not chairs}
    if chairs:
        recipients = [seat.user.email for seat in chairs if not getattr(seat.user.profile, "application_digest", False)]
    else:
        recipients = organizer_emails()
    for email in recipients:
        queue_email(
            template="application_arrived",
            to=email,
            context=context,
            key=f"application-arrived:{application.pk}:{email}",
        )


def send_application_digests(*, now=None) -> int:
    """The daily digest for chairs who chose it: the applications waiting in the groups they chair.

    Idempotent per chair and UTC day (the key), so the hourly beat job sends one a day at most.
    Side effects: e-mails only. Returns the number queued.
    """
    now = now or timezone.now()
    day = now.astimezone(UTC).date().isoformat()
    seats = (
        Participation.objects.filter(
            role__slug=Role.CHAIR, status=Participation.Status.ACTIVE, user__profile__application_digest=True
        )
        .select_related("user", "working_group")
        .order_by("user_id", "working_group__name")
    )
    groups_by_chair: dict = {}
    for seat in seats:
        groups_by_chair.setdefault(seat.user, []).append(seat.working_group)
    pending = (
        Application.objects.filter(
            status=Application.Status.PENDING,
            role__reviewed_by=Role.Reviewer.CHAIRS,
            working_group__in={g.pk for groups in groups_by_chair.values() for g in groups},
        )
        .select_related("user__profile", "working_group")
        .order_by("created_at", "pk")
    )
    by_group: dict = {}
    for application in pending:
        by_group.setdefault(application.working_group_id, []).append(application)
    sent = 0
    for chair, groups in groups_by_chair.items():
        sections = [(group, by_group[group.pk]) for group in groups if by_group.get(group.pk)]
        if not sections:
            continue
        with transaction.atomic():
            if queue_email(
                template="application_digest",
                to=chair.email,
                context={"chair": chair, "sections": sections, "count": sum(len(a) for _, a in sections)},
                key=f"application-digest:{chair.pk}:{day}",
            ):
                sent += 1
    return sent


def withdraw_application(application: Application, *, actor) -> Application:
    """The applicant withdraws a pending application. Side effects: an audit row."""
    if not actor.has_perm("roles.withdraw_application", application):
        raise PermissionDenied(_("Only the applicant can withdraw an application."))
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Application.Status.PENDING:
            raise ValidationError(
                _("This application is already %(value)s.") % {"value": application.get_status_display().lower()}
            )
        application.status = Application.Status.WITHDRAWN
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decided_at"])
        audit(
            actor=actor,
            action="roles.application.withdrawn",
            subject=application.user,
            application=application,
            from_state="pending",
            to_state="withdrawn",
        )
    return application


def decide_application(application: Application, *, approve: bool, actor, note: str = "") -> Application:
    """Approve or decline a pending application.

    Side effects: on approval creates the participation (waiting when a participant's group is
    full); audit rows; e-mails the applicant (approved, on the waiting list, or declined with
    the note) after commit.
    """
    if not actor.has_perm("roles.review_application", application):
        raise PermissionDenied(_("You cannot review this application."))
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError(_("Keep the note under 2000 characters."))
    with transaction.atomic():
        group = _lock_group(application.working_group_id)
        _lock_person(application.user)
        application = Application.objects.select_for_update().select_related("role", "user").get(pk=application.pk)
        if application.status != Application.Status.PENDING:
            raise ValidationError(
                _("This application is already %(value)s.") % {"value": application.get_status_display().lower()}
            )
        application.status = Application.Status.APPROVED if approve else Application.Status.DECLINED
        application.reviewer = actor
        application.review_note = note
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "reviewer", "review_note", "decided_at"])
        participation = None
        if approve:
            participation = _grant(
                user=application.user, role=application.role, group=group, actor=actor, application=application
            )
        audit(
            actor=actor,
            action="roles.application.approved" if approve else "roles.application.declined",
            subject=application.user,
            application=application,
            participation=participation,
            from_state="pending",
            to_state=application.status,
            note=note,
        )
        template = "application_approved" if approve else "application_declined"
        queue_email(
            template=template,
            to=application.user.email,
            context={"application": application, "participation": participation, "user": application.user},
            key=f"{template}:{application.pk}",
        )
    return application


# --- participations ----------------------------------------------------------------------


def _locked_current(participation: Participation) -> tuple[WorkingGroup | None, Participation]:
    group = _lock_group(participation.working_group_id)
    participation = Participation.objects.select_for_update().select_related("role", "user").get(pk=participation.pk)
    if participation.status not in CURRENT:
        raise ValidationError(_("This role has already ended."))
    return group, participation


def leave_role(participation: Participation, *, actor) -> Participation:
    """The holder leaves a role (or the waiting list). The last chair of a group cannot leave.

    Side effects: an audit row; the first person waiting moves up (with an e-mail).
    """
    if not actor.has_perm("roles.leave_role", participation):
        raise PermissionDenied(_("Only the holder can leave a role."))
    with transaction.atomic():
        group, participation = _locked_current(participation)
        _check_not_last_chair(participation)
        previous = _end(participation, reason=Participation.EndReason.LEFT)
        audit(
            actor=actor,
            action="roles.participation.left",
            subject=participation.user,
            participation=participation,
            from_state=previous,
            to_state="ended",
        )
        if group is not None:
            fill_from_waiting_list(group, actor=actor)
    rules.forget(actor)
    return participation


def remove_member(participation: Participation, *, actor, reason: str) -> Participation:
    """A chair (or organizer) removes a member; only organizers remove a chair, never the last one.

    Side effects: an audit row with the reason; e-mails the person removed; the first person
    waiting moves up (with an e-mail).
    """
    if not actor.has_perm("roles.remove_member", participation):
        raise PermissionDenied(_("You cannot remove this member."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason: the member receives it."))
    with transaction.atomic():
        group, participation = _locked_current(participation)
        _check_not_last_chair(participation)
        previous = _end(participation, reason=Participation.EndReason.REMOVED)
        audit(
            actor=actor,
            action="roles.participation.removed",
            subject=participation.user,
            participation=participation,
            from_state=previous,
            to_state="ended",
            note=reason,
        )
        queue_email(
            template="membership_removed",
            to=participation.user.email,
            context={"participation": participation, "reason": reason, "user": participation.user},
            key=f"membership-removed:{participation.pk}",
        )
        if group is not None:
            fill_from_waiting_list(group, actor=actor)
    rules.forget(participation.user)
    return participation


def set_chair(participation: Participation, *, actor, chair: bool) -> Participation:
    """Promote an active participant to co-chair (``chair=True``) or a chair back to participant.

    Organizers promote and demote; a chair may step down themself (``roles.promote_to_chair``,
    ``roles.demote_chair``). The last chair cannot step down. Side effects: the old participation ends (promoted or
    demoted) and a new one starts; an audit row; e-mails the person. Returns the new participation.
    """
    if not actor.has_perm("roles.promote_to_chair" if chair else "roles.demote_chair", participation):
        raise PermissionDenied(
            "Only organizers make a co-chair." if chair else "Only organizers demote a chair; a chair may step down."
        )
    with transaction.atomic():
        group, participation = _locked_current(participation)
        if participation.status != Participation.Status.ACTIVE:
            raise ValidationError(_("Only an active member can be promoted or step down."))
        wanted_from = Role.PARTICIPANT if chair else Role.CHAIR
        if participation.role.slug != wanted_from:
            raise ValidationError(_("Already a chair.") if chair else _("Not a chair."))
        if not chair:
            _check_not_last_chair(participation)
        _end(participation, reason=Participation.EndReason.PROMOTED if chair else Participation.EndReason.DEMOTED)
        new = Participation.objects.create(
            user=participation.user,
            role=_role(Role.CHAIR if chair else Role.PARTICIPANT),
            working_group=group,
            status=Participation.Status.ACTIVE,
            started_at=timezone.now(),
        )
        audit(
            actor=actor,
            action="roles.participation.promoted" if chair else "roles.participation.demoted",
            subject=new.user,
            participation=new,
            from_state=wanted_from,
            to_state=new.role.slug,
        )
        queue_email(
            template="chairs_changed",
            to=new.user.email,
            context={"participation": new, "promoted": chair, "user": new.user},
            key=f"chairs-changed:{new.pk}",
        )
    rules.forget(new.user)
    rules.forget(actor)
    return new


def appoint_chair(*, group: WorkingGroup, user, actor, note: str = "") -> Participation:
    """An organizer makes someone a chair of a group (their participant seat, if any, ends).

    Side effects: an audit row; e-mails the new chair.
    """
    if not actor.has_perm("roles.appoint_chair", group):
        raise PermissionDenied(_("Only organizers appoint chairs."))
    with transaction.atomic():
        group = _lock_group(group.pk)
        if active_chairs(group).filter(user=user).exists():
            raise ValidationError(_("%(user)s already chairs %(group)s.") % {"user": user, "group": group})
        participation = _grant(user=user, role=_role(Role.CHAIR), group=group, actor=actor)
        audit(
            actor=actor,
            action="roles.participation.appointed",
            subject=user,
            participation=participation,
            to_state="active",
            note=note,
        )
        queue_email(
            template="chairs_changed",
            to=user.email,
            context={"participation": participation, "promoted": True, "user": user},
            key=f"chairs-changed:{participation.pk}",
        )
    return participation


# --- invitations -------------------------------------------------------------------------


def invitation_url(invitation: Invitation) -> str:
    return reverse("roles:invitation", args=[invitation.token])


def _send_invitation(invitation: Invitation) -> None:
    queue_email(
        template="invitation_sent",
        to=invitation.email,
        context={"invitation": invitation, "url": invitation_url(invitation)},
        key=f"invitation:{invitation.pk}:{invitation.send_count}",
    )


def invite_by_email(*, group: WorkingGroup, email: str, actor) -> Invitation:
    """Invite someone (with or without an account) to join a group as a participant.

    Side effects: an audit row; e-mails the link after commit. The link carries a random,
    unguessable token stored on the row, so it can be withdrawn, and it expires.
    """
    if not actor.has_perm("roles.invite_to_group", group):
        raise PermissionDenied(_("You cannot invite people to this group."))
    email = User.objects.normalize_email((email or "").strip()).lower()
    from django.core.validators import validate_email

    validate_email(email)
    with transaction.atomic():
        group = _lock_group(group.pk)
        if Participation.objects.filter(user__email__iexact=email, working_group=group, status__in=CURRENT).exists():
            raise ValidationError(_("%(email)s is already a member of %(group)s.") % {"email": email, "group": group})
        if Invitation.objects.filter(working_group=group, email=email, status=Invitation.Status.PENDING).exists():
            raise ValidationError(
                _("%(email)s already has a pending invitation: resend it from the list instead.") % {"email": email}
            )
        now = timezone.now()
        invitation = Invitation.objects.create(
            working_group=group,
            role=_role(Role.PARTICIPANT),
            email=email,
            token=secrets.token_urlsafe(32),
            invited_by=actor,
            sent_at=now,
            expires_at=now + INVITATION_VALID_FOR,
        )
        audit(actor=actor, action="roles.invitation.sent", invitation=invitation, to_state="pending", note=email)
        _send_invitation(invitation)
    return invitation


def resend_invitation(invitation: Invitation, *, actor) -> Invitation:
    """Send a pending invitation again, valid for another two weeks. Side effects: audit row, e-mail."""
    if not actor.has_perm("roles.manage_invitation", invitation):
        raise PermissionDenied(_("You cannot manage this group's invitations."))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise ValidationError(
                _("This invitation is %(value)s: it cannot be resent.")
                % {"value": invitation.get_status_display().lower()}
            )
        now = timezone.now()
        invitation.sent_at = now
        invitation.expires_at = now + INVITATION_VALID_FOR
        invitation.send_count += 1
        invitation.save(update_fields=["sent_at", "expires_at", "send_count"])
        audit(
            actor=actor,
            action="roles.invitation.resent",
            invitation=invitation,
            from_state="pending",
            to_state="pending",
            note=invitation.email,
        )
        _send_invitation(invitation)
    return invitation


def withdraw_invitation(invitation: Invitation, *, actor) -> Invitation:
    """Withdraw a pending invitation: its link stops working. Side effects: an audit row."""
    if not actor.has_perm("roles.manage_invitation", invitation):
        raise PermissionDenied(_("You cannot manage this group's invitations."))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise ValidationError(
                _("This invitation is already %(value)s.") % {"value": invitation.get_status_display().lower()}
            )
        invitation.status = Invitation.Status.WITHDRAWN
        invitation.save(update_fields=["status"])
        audit(
            actor=actor,
            action="roles.invitation.withdrawn",
            invitation=invitation,
            from_state="pending",
            to_state="withdrawn",
            note=invitation.email,
        )
    return invitation


NOT_YOUR_INVITATION = _(
    "This invitation was sent to another address. Sign in with the account that has that address, "
    "or add it to this account and verify it, then open the link again."
)


def accept_invitation(invitation: Invitation, *, user) -> Participation:
    """The invited person (signed in, holding the invited address verified) joins the group; waits if it is full.

    Side effects: audit rows; the invitation is used up.
    """
    if not rules.is_verified(user):
        raise PermissionDenied(_("Verify your e-mail address before accepting the invitation."))
    with transaction.atomic():
        group = _lock_group(invitation.working_group_id)
        invitation = Invitation.objects.select_for_update().select_related("role").get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise ValidationError(
                f"This invitation is {invitation.get_status_display().lower()}: it can no longer be used."
            )
        if invitation.is_expired:
            raise ValidationError(_("This invitation has expired. Ask the group's chairs to send it again."))
        if not user.has_perm("roles.accept_invitation", invitation):
            raise PermissionDenied(NOT_YOUR_INVITATION)
        if rules.chairs_group(user, group):
            raise ValidationError(_("You already chair %(group)s.") % {"group": group})
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_by = user
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
        participation = _grant(user=user, role=invitation.role, group=group, actor=user, invitation=invitation)
        audit(
            actor=user,
            action="roles.invitation.accepted",
            subject=user,
            invitation=invitation,
            participation=participation,
            from_state="pending",
            to_state=participation.status,
        )
    return participation


# --- reminders ---------------------------------------------------------------------------


def due_reminder_application_ids(*, now=None) -> list[int]:
    """Pending applications that still owe a reminder."""
    now = now or timezone.now()
    pending = Application.objects.filter(status=Application.Status.PENDING)
    chairs_due = Q(
        role__reviewed_by=Role.Reviewer.CHAIRS,
        chairs_reminded_at__isnull=True,
        created_at__lte=now - REMIND_CHAIRS_AFTER,
    )
    organizers_due = Q(organizers_reminded_at__isnull=True, created_at__lte=now - REMIND_ORGANIZERS_AFTER)
    return list(pending.filter(chairs_due | organizers_due).order_by("pk").values_list("pk", flat=True))


def remind_about_application(*, application_id: int, now=None) -> int:
    """Send the reminders this application is due (chairs after 7 days, organizers after 14), once each.

    Each stage is claimed with a conditional UPDATE, so a job run twice sends once.
    Returns the number of e-mails queued.
    """
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        claim_chairs = Application.objects.filter(
            pk=application_id,
            status=Application.Status.PENDING,
            role__reviewed_by=Role.Reviewer.CHAIRS,
            chairs_reminded_at__isnull=True,
            created_at__lte=now - REMIND_CHAIRS_AFTER,
        ).update(chairs_reminded_at=now)
        claim_organizers = Application.objects.filter(
            pk=application_id,
            status=Application.Status.PENDING,
            organizers_reminded_at__isnull=True,
            created_at__lte=now - REMIND_ORGANIZERS_AFTER,
        ).update(organizers_reminded_at=now)
        if not (claim_chairs or claim_organizers):
            return 0
        application = Application.objects.select_related("user__profile", "role", "working_group").get(
            pk=application_id
        )
        context = {"application": application}
        if claim_chairs and application.working_group_id:
            for chair in active_chairs(application.working_group):
                queue_email(
                    template="application_reminder_chairs",
                    to=chair.user.email,
                    context=context,
                    key=f"application-reminder-chairs:{application.pk}:{chair.user_id}",
                )
                sent += 1
        if claim_organizers:
            for email in organizer_emails():
                queue_email(
                    template="application_reminder_organizers",
                    to=email,
                    context=context,
                    key=f"application-reminder-organizers:{application.pk}:{email}",
                )
                sent += 1
    return sent
