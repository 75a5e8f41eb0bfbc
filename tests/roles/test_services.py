from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activity.models import ActivityLog
from roles import services
from roles.models import Application, Participation
from tests.activity.rows import activity_rows
from tests.factories import ParticipationFactory, ProfileFactory, UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


def _audit_rows(**filters):
    return activity_rows(**filters)


def _apply(user, role, group, run_on_commit, motivation="I can help."):
    with run_on_commit():
        return services.submit_application(user=user, role=role, working_group=group, motivation=motivation)


# --- submitting ---------------------------------------------------------------------------


def test_submit_application_creates_a_pending_application_audit_row_and_email(
    volunteer, group, participant_role, run_on_commit
):
    application = _apply(volunteer, participant_role, group, run_on_commit)
    assert application.status == Application.Status.PENDING
    assert application.motivation == "I can help."
    assert _audit_rows(application=application) == [("roles.application.applied", "", "pending")]
    assert ActivityLog.objects.get(data__application=application.pk).working_group == group
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([volunteer.email], f"We received your application: Working Group Participant in {group.name}")
    ]


def test_submit_application_refuses_an_unverified_account(group, participant_role):
    unverified = UserFactory(verified=False)
    with pytest.raises(PermissionDenied):
        services.submit_application(user=unverified, role=participant_role, working_group=group)
    assert not Application.objects.exists()


def test_submit_application_names_what_the_profile_lacks(group, participant_role):
    user = UserFactory(profile=False)
    ProfileFactory(user=user, affiliation="", country="", languages=[])
    with pytest.raises(ValidationError) as error:
        services.submit_application(user=user, role=participant_role, working_group=group)
    assert error.value.messages == [
        "Complete your profile before applying: add your affiliation, country, languages spoken."
    ]
    assert not Application.objects.exists()


def test_submit_application_needs_a_working_group_for_participants(volunteer, participant_role):
    with pytest.raises(ValidationError, match="Choose the working group"):
        services.submit_application(user=volunteer, role=participant_role, working_group=None)


def test_submit_application_refuses_a_closed_group(volunteer, participant_role):
    closed = WorkingGroupFactory(is_open=False)
    with pytest.raises(ValidationError, match="closed to applications"):
        services.submit_application(user=volunteer, role=participant_role, working_group=closed)
    assert not Application.objects.exists()


def test_a_second_pending_application_is_refused_with_a_clear_message(volunteer, group, participant_role):
    services.submit_application(user=volunteer, role=participant_role, working_group=group)
    with pytest.raises(ValidationError) as error:
        services.submit_application(user=volunteer, role=participant_role, working_group=group)
    assert "already have a pending application" in error.value.messages[0]
    assert Application.objects.count() == 1


def test_the_database_refuses_two_pending_applications(volunteer, group, participant_role, advisor_role):
    Application.objects.create(user=volunteer, role=participant_role, working_group=group)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(user=volunteer, role=participant_role, working_group=group)
    Application.objects.create(user=volunteer, role=advisor_role)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(user=volunteer, role=advisor_role)
    # A decided one does not block a new one.
    Application.objects.filter(role=advisor_role).update(status="declined")
    Application.objects.create(user=volunteer, role=advisor_role)


def test_applying_for_a_role_already_held_is_refused(member, group, participant_role):
    with pytest.raises(ValidationError, match="already hold"):
        services.submit_application(user=member, role=participant_role, working_group=group)


def test_attendant_is_granted_at_once(volunteer, attendant_role, run_on_commit):
    application = _apply(volunteer, attendant_role, None, run_on_commit)
    assert application.status == Application.Status.APPROVED
    participation = Participation.objects.get(user=volunteer)
    assert (participation.role, participation.status, participation.working_group) == (attendant_role, "active", None)
    assert _audit_rows(subject=volunteer) == [("roles.application.granted", "", "active")]
    assert [m.subject for m in mail.outbox] == ["Welcome: you are now Workshop Attendant"]


# --- withdrawing ----------------------------------------------------------------------------


def test_withdraw_application_by_its_applicant(volunteer, group, participant_role):
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    services.withdraw_application(application, actor=volunteer)
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert _audit_rows(application=application) == [
        ("roles.application.applied", "", "pending"),
        ("roles.application.withdrawn", "pending", "withdrawn"),
    ]
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.withdraw_application(application, actor=volunteer)


def test_withdraw_application_refuses_anyone_else(volunteer, group, participant_role, chair, organizer):
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    for someone in (chair, organizer, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.withdraw_application(application, actor=someone)
    application.refresh_from_db()
    assert application.status == "pending"


# --- deciding -------------------------------------------------------------------------------


def test_chair_approves_a_participant_application(volunteer, group, participant_role, chair, run_on_commit):
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    mail.outbox.clear()
    with run_on_commit():
        services.decide_application(application, approve=True, actor=chair, note="Welcome!")
    application.refresh_from_db()
    assert (application.status, application.reviewer, application.review_note) == ("approved", chair, "Welcome!")
    assert application.decided_at is not None
    participation = Participation.objects.get(user=volunteer)
    assert (participation.status, participation.working_group, participation.role) == (
        "active",
        group,
        participant_role,
    )
    entry = ActivityLog.objects.get(action="roles.application.approved")
    assert (entry.actor, entry.subject, entry.content_object, entry.data["participation"], entry.note) == (
        chair,
        volunteer,
        application,
        participation.pk,
        "Welcome!",
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([volunteer.email], f"Welcome: you are now Working Group Participant in {group.name}")
    ]
    assert "Welcome!" in mail.outbox[0].body


def test_decline_sends_the_reviewers_note(volunteer, group, participant_role, chair, run_on_commit):
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    mail.outbox.clear()
    with run_on_commit():
        services.decide_application(application, approve=False, actor=chair, note="We are full this season.")
    assert not Participation.objects.filter(user=volunteer).exists()
    assert _audit_rows(action="roles.application.declined") == [("roles.application.declined", "pending", "declined")]
    assert [m.subject for m in mail.outbox] == [f"Your application as Working Group Participant in {group.name}"]
    assert "The reviewer's note: We are full this season." in mail.outbox[0].body


def test_decide_application_refuses_the_wrong_people(volunteer, group, participant_role, member, other_chair, advisor):
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    for someone in (volunteer, member, other_chair, advisor, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.decide_application(application, approve=True, actor=someone)
    application.refresh_from_db()
    assert application.status == "pending"
    assert not Participation.objects.filter(user=volunteer).exists()


def test_advisor_and_chair_applications_are_for_organizers_only(
    volunteer, group, chair, organizer, advisor_role, chair_role
):
    advisor_app = services.submit_application(user=volunteer, role=advisor_role)
    chair_app = services.submit_application(user=volunteer, role=chair_role, working_group=group)
    for application in (advisor_app, chair_app):
        with pytest.raises(PermissionDenied):
            services.decide_application(application, approve=True, actor=chair)
        services.decide_application(application, approve=True, actor=organizer)
    assert set(Participation.objects.filter(user=volunteer).values_list("role__slug", "status")) == {
        ("advisor", "active"),
        ("chair", "active"),
    }


def test_deciding_twice_is_refused(volunteer, group, participant_role, chair):
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    services.decide_application(application, approve=True, actor=chair)
    with pytest.raises(ValidationError, match="already approved"):
        services.decide_application(application, approve=False, actor=chair)
    assert Participation.objects.filter(user=volunteer).count() == 1


def test_approving_a_chair_ends_the_participant_seat(member, group, chair_role, organizer):
    application = services.submit_application(user=member, role=chair_role, working_group=group)
    services.decide_application(application, approve=True, actor=organizer)
    assert set(Participation.objects.filter(user=member).values_list("role__slug", "status", "end_reason")) == {
        ("participant", "ended", "promoted"),
        ("chair", "active", ""),
    }


# --- capacity and the waiting list ----------------------------------------------------------


def test_approval_into_a_full_group_goes_to_the_waiting_list(
    volunteer, group, participant_role, chair, seat, run_on_commit
):
    group.capacity = 2
    group.save()
    seat()  # chair + one participant: full
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    mail.outbox.clear()
    with run_on_commit():
        services.decide_application(application, approve=True, actor=chair)
    assert Participation.objects.get(user=volunteer).status == "waiting"
    assert _audit_rows(subject=volunteer, action="roles.participation.waitlisted") == [
        ("roles.participation.waitlisted", "", "waiting")
    ]
    assert [m.subject for m in mail.outbox] == [f"You are on the waiting list of {group.name}"]


def test_leaving_moves_the_first_waiting_person_up_with_an_email(group, chair, seat, run_on_commit):
    group.capacity = 2
    group.save()
    leaver = seat()
    first = seat(status="waiting", started_at=timezone.now() - timedelta(days=2))
    second = seat(status="waiting", started_at=timezone.now() - timedelta(days=1))
    with run_on_commit():
        services.leave_role(leaver, actor=leaver.user)
    statuses = dict(Participation.objects.filter(working_group=group).values_list("pk", "status"))
    assert (statuses[leaver.pk], statuses[first.pk], statuses[second.pk]) == ("ended", "active", "waiting")
    assert _audit_rows(participation=first) == [("roles.participation.moved_up", "waiting", "active")]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([first.user.email], f"A seat is free: you are now a member of {group.name}")
    ]


def test_remove_member_needs_a_reason_emails_it_and_moves_the_list_up(group, chair, seat, run_on_commit):
    group.capacity = 2
    group.save()
    removed, waiting = seat(), seat(status="waiting")
    with pytest.raises(ValidationError, match="Give a reason"):
        services.remove_member(removed, actor=chair, reason="  ")
    with run_on_commit():
        services.remove_member(removed, actor=chair, reason="Inactive for three months.")
    removed.refresh_from_db()
    waiting.refresh_from_db()
    assert (removed.status, removed.end_reason, waiting.status) == ("ended", "removed", "active")
    entry = ActivityLog.objects.get(action="roles.participation.removed")
    assert (entry.actor, entry.subject, entry.note) == (chair, removed.user, "Inactive for three months.")
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (removed.user.email, f"You are no longer Working Group Participant in {group.name}"),
            (waiting.user.email, f"A seat is free: you are now a member of {group.name}"),
        ]
    )
    assert "Inactive for three months." in mail.outbox[0].body


def test_remove_member_refuses_the_wrong_people(group, seat, member, other_chair, advisor, organizer):
    target = seat()
    for someone in (member, other_chair, advisor, target.user, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.remove_member(target, actor=someone, reason="No.")
    target.refresh_from_db()
    assert target.status == "active"
    services.remove_member(target, actor=organizer, reason="Organizer's call.")


def test_raising_the_capacity_moves_people_up(group, chair, seat, run_on_commit):
    from working_groups.services import update_group

    group.capacity = 1
    group.save()
    waiting = seat(status="waiting")
    with run_on_commit():
        update_group(group, actor=chair, capacity=5)
    waiting.refresh_from_db()
    assert waiting.status == "active"
    assert _audit_rows(working_group=group) == [
        ("working_groups.group.updated", "", ""),
        ("roles.participation.moved_up", "waiting", "active"),
    ]


# --- chairs ---------------------------------------------------------------------------------


def test_the_last_chair_cannot_leave_be_demoted_or_removed(group, chair, organizer):
    seat = Participation.objects.get(user=chair)
    with pytest.raises(ValidationError, match="no chair left"):
        services.leave_role(seat, actor=chair)
    with pytest.raises(ValidationError, match="no chair left"):
        services.set_chair(seat, actor=organizer, chair=False)
    with pytest.raises(ValidationError, match="no chair left"):
        services.remove_member(seat, actor=organizer, reason="Stepping down.")
    seat.refresh_from_db()
    assert seat.status == "active"


def test_promote_a_participant_to_co_chair_and_back(group, chair, organizer, seat, run_on_commit):
    participant = seat()
    with run_on_commit():
        co_chair = services.set_chair(participant, actor=organizer, chair=True)
    assert (co_chair.role.slug, co_chair.status) == ("chair", "active")
    participant.refresh_from_db()
    assert (participant.status, participant.end_reason) == ("ended", "promoted")
    assert [m.subject for m in mail.outbox] == [f"You are now a chair of {group.name}"]
    # Two chairs now: the original one can step down themself.
    original = Participation.objects.get(user=chair, status="active")
    back = services.set_chair(original, actor=chair, chair=False)
    assert (back.role.slug, back.user) == ("participant", chair)
    assert _audit_rows(
        working_group=group, action__in=["roles.participation.promoted", "roles.participation.demoted"]
    ) == [
        ("roles.participation.promoted", "participant", "chair"),
        ("roles.participation.demoted", "chair", "participant"),
    ]


def test_set_chair_refuses_members_and_chairs_of_other_groups(group, seat, member, chair, other_chair):
    participant = seat()
    for someone in (member, chair, other_chair, participant.user, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.set_chair(participant, actor=someone, chair=True)
    assert not Participation.objects.filter(working_group=group, role__slug="chair", user=participant.user).exists()


def test_only_organizers_appoint_and_remove_chairs(group, chair, organizer, volunteer, chair_role, run_on_commit):
    with pytest.raises(PermissionDenied):
        services.appoint_chair(group=group, user=volunteer, actor=chair)
    with run_on_commit():
        new = services.appoint_chair(group=group, user=volunteer, actor=organizer, note="Kick-off")
    assert _audit_rows(participation=new) == [("roles.participation.appointed", "", "active")]
    with pytest.raises(PermissionDenied):
        services.remove_member(new, actor=chair, reason="Chairs do not remove chairs.")
    services.remove_member(new, actor=organizer, reason="Swap.")
    with pytest.raises(ValidationError, match="already chairs"):
        services.appoint_chair(group=group, user=chair, actor=organizer)


# --- invitations ----------------------------------------------------------------------------


def test_invite_by_email_sends_a_link_that_expires_in_two_weeks(group, chair, run_on_commit):
    with run_on_commit():
        invitation = services.invite_by_email(group=group, email="New.Person@Example.org ", actor=chair)
    assert invitation.email == "new.person@example.org"
    assert invitation.expires_at - invitation.sent_at == timedelta(days=14)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["new.person@example.org"], f"You are invited to join {group.name} at the BigScience workshop")
    ]
    assert f"/roles/invitations/{invitation.token}/" in mail.outbox[0].body
    assert _audit_rows(invitation=invitation) == [("roles.invitation.sent", "", "pending")]


def test_invite_refuses_duplicates_members_and_bad_addresses(group, chair, member):
    services.invite_by_email(group=group, email="someone@example.org", actor=chair)
    with pytest.raises(ValidationError, match="already has a pending invitation"):
        services.invite_by_email(group=group, email="SOMEONE@example.org", actor=chair)
    with pytest.raises(ValidationError, match="already a member"):
        services.invite_by_email(group=group, email=member.email, actor=chair)
    with pytest.raises(ValidationError):
        services.invite_by_email(group=group, email="not an address", actor=chair)


def test_invitations_refuse_the_wrong_people(group, chair, member, other_chair):
    invitation = services.invite_by_email(group=group, email="someone@example.org", actor=chair)
    for someone in (member, other_chair, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.invite_by_email(group=group, email="x@example.org", actor=someone)
        with pytest.raises(PermissionDenied):
            services.resend_invitation(invitation, actor=someone)
        with pytest.raises(PermissionDenied):
            services.withdraw_invitation(invitation, actor=someone)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.send_count) == ("pending", 1)


def test_resend_extends_and_sends_again_withdraw_stops_the_link(group, chair, volunteer, run_on_commit):
    with run_on_commit():
        invitation = services.invite_by_email(group=group, email="someone@example.org", actor=chair)
    type(invitation).objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with run_on_commit():
        invitation = services.resend_invitation(invitation, actor=chair)
    assert invitation.send_count == 2 and not invitation.is_expired
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["someone@example.org"]
    services.withdraw_invitation(invitation, actor=chair)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.accept_invitation(invitation, user=volunteer)
    with pytest.raises(ValidationError):
        services.resend_invitation(invitation, actor=chair)
    assert not Participation.objects.filter(user=volunteer).exists()


def test_accept_invitation_puts_the_person_in_the_group_once(group, chair, volunteer):
    invitation = services.invite_by_email(group=group, email=volunteer.email, actor=chair)
    participation = services.accept_invitation(invitation, user=volunteer)
    assert (participation.user, participation.working_group, participation.status) == (volunteer, group, "active")
    assert _audit_rows(invitation=invitation) == [
        ("roles.invitation.sent", "", "pending"),
        ("roles.invitation.accepted", "pending", "active"),
    ]
    with pytest.raises(ValidationError, match="accepted"):
        services.accept_invitation(invitation, user=UserFactory(email=volunteer.email.upper()))


def test_an_expired_invitation_cannot_be_accepted(group, chair, volunteer):
    invitation = services.invite_by_email(group=group, email=volunteer.email, actor=chair)
    invitation.expires_at = timezone.now() - timedelta(seconds=1)
    invitation.save()
    with pytest.raises(ValidationError, match="expired"):
        services.accept_invitation(invitation, user=volunteer)
    assert not Participation.objects.filter(user=volunteer).exists()


def test_accepting_needs_a_verified_account(group, chair):
    invitation = services.invite_by_email(group=group, email="late@example.org", actor=chair)
    with pytest.raises(PermissionDenied):
        services.accept_invitation(invitation, user=UserFactory(verified=False))


def test_accepting_into_a_full_group_waits(group, chair, volunteer):
    group.capacity = 1
    group.save()
    invitation = services.invite_by_email(group=group, email=volunteer.email, actor=chair)
    assert services.accept_invitation(invitation, user=volunteer).status == "waiting"


# --- reminders ------------------------------------------------------------------------------


def _age(application, days):
    Application.objects.filter(pk=application.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_reminders_go_to_chairs_after_7_days_and_organizers_after_14_once_each(
    volunteer, group, participant_role, chair, organizer, run_on_commit
):
    co_chair = ParticipationFactory(role=Participation.objects.get(user=chair).role, working_group=group).user
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    mail.outbox.clear()
    _age(application, 6)
    assert services.due_reminder_application_ids() == []
    _age(application, 8)
    assert services.due_reminder_application_ids() == [application.pk]
    with run_on_commit():
        assert services.remind_about_application(application_id=application.pk) == 2
        assert services.remind_about_application(application_id=application.pk) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chair.email, co_chair.email])
    assert {m.subject for m in mail.outbox} == {f"An application to {group.name} is waiting for an answer"}
    mail.outbox.clear()
    _age(application, 15)
    with run_on_commit():
        assert services.remind_about_application(application_id=application.pk) == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([organizer.email], f"Unanswered for two weeks: Working Group Participant application to {group.name}")
    ]
    assert services.due_reminder_application_ids() == []


def test_decided_applications_get_no_reminder(volunteer, group, participant_role, chair):
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    services.decide_application(application, approve=True, actor=chair)
    _age(application, 20)
    assert services.due_reminder_application_ids() == []
    assert services.remind_about_application(application_id=application.pk) == 0


def test_an_invitation_is_accepted_only_by_the_invited_verified_address(group, chair, volunteer):
    """Another signed-in account, or one holding the address unverified, is refused and nothing changes."""
    from allauth.account.models import EmailAddress

    invitation = services.invite_by_email(group=group, email="invitee@example.org", actor=chair)
    squatter = UserFactory(email="squatter@example.org")
    EmailAddress.objects.create(user=squatter, email="Invitee@Example.org", verified=False, primary=False)
    for someone in (volunteer, squatter):
        with pytest.raises(PermissionDenied, match="sent to another address"):
            services.accept_invitation(invitation, user=someone)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == ("pending", None)
    assert not Participation.objects.filter(working_group=group, user__in=[volunteer, squatter]).exists()
    assert _audit_rows(invitation=invitation) == [("roles.invitation.sent", "", "pending")]
    # the invited address, verified on an account as a secondary address, is accepted (case aside)
    invitee = UserFactory(email="main@example.org")
    EmailAddress.objects.create(user=invitee, email="INVITEE@example.org", verified=True, primary=False)
    assert services.accept_invitation(invitation, user=invitee).user == invitee
