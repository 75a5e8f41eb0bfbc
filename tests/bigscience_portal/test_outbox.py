"""One outbox for every e-mail: claim with a lease, send, mark, and what each SMTP answer means."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bigscience_portal import mail as portal_mail
from bigscience_portal import outbox
from bigscience_portal.models import OutgoingEmail
from bigscience_portal.outbox import Verdict
from bigscience_portal.tasks import task_flush_outbox, task_send_email

from .smtp_backends import ScriptedBackend

pytestmark = pytest.mark.django_db

REFUSED_FOR_GOOD = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"5.1.1 No such mailbox")})
REFUSED_FOR_NOW = smtplib.SMTPRecipientsRefused({"x@example.org": (450, b"4.2.1 Mailbox busy")})


@pytest.mark.parametrize(
    ("error", "verdict"),
    [
        (REFUSED_FOR_GOOD, Verdict.BOUNCE),
        (REFUSED_FOR_NOW, Verdict.RETRY_ONE),
        (smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication failed"), Verdict.FAIL_ALL),
        (smtplib.SMTPConnectError(554, b"No SMTP service here"), Verdict.FAIL_ALL),
        (smtplib.SMTPConnectError(421, b"Too many connections"), Verdict.RETRY),
        (smtplib.SMTPHeloError(501, b"Bad HELO"), Verdict.FAIL_ALL),
        (smtplib.SMTPDataError(554, b"5.7.1 Message rejected as spam"), Verdict.FAIL),
        (smtplib.SMTPDataError(451, b"4.3.0 Try again later"), Verdict.RETRY),
        (smtplib.SMTPSenderRefused(553, b"5.7.1 Sender not allowed", "w@localhost"), Verdict.FAIL),
        (smtplib.SMTPSenderRefused(452, b"4.3.1 Insufficient storage", "w@localhost"), Verdict.RETRY),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), Verdict.RETRY),
        (ConnectionRefusedError(111, "Connection refused"), Verdict.RETRY),
        (TimeoutError("timed out"), Verdict.RETRY),
        (smtplib.SMTPNotSupportedError("STARTTLS extension not supported"), Verdict.FAIL_ALL),
        (ValueError("a bug"), None),
    ],
)
def test_smtp_answers_are_classified_by_code(error, verdict):
    assert outbox.classify(error) is verdict


def test_backoff_doubles_up_to_ten_minutes():
    assert [outbox.backoff(n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 600, 600]


@pytest.fixture
def scripted(settings):
    settings.EMAIL_BACKEND = "tests.bigscience_portal.smtp_backends.ScriptedBackend"
    ScriptedBackend.reset()
    yield ScriptedBackend
    ScriptedBackend.reset()


def _email(to="ada@example.org", **fields) -> OutgoingEmail:
    return OutgoingEmail.objects.create(to=to, subject=f"Hello {to}", body_text="Hi", **fields)


def _row(email: OutgoingEmail) -> tuple:
    email.refresh_from_db()
    return email.status, email.attempts, email.claimed_by


def test_an_email_is_sent_once_and_marked(scripted):
    email = _email()
    assert portal_mail.send_email(email.pk) == "sent"
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 1, "")
    assert email.sent_at is not None


def test_the_send_task_run_twice_sends_once(scripted):
    email = _email()
    assert task_send_email.apply(args=[email.pk]).get() == "sent"
    assert task_send_email.apply(args=[email.pk]).get() == "skipped"
    assert len(mail.outbox) == 1


def test_the_send_task_returns_when_the_email_is_gone(scripted):
    assert task_send_email.apply(args=[987654]).get() == "missing"
    assert mail.outbox == []


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPDataError(451, b"4.3.0 Try again later"),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        REFUSED_FOR_NOW,
    ],
)
def test_a_temporary_answer_queues_the_email_again_with_backoff(scripted, error):
    email = _email(to="x@example.org")
    scripted.answers = {"x@example.org": error}
    before = timezone.now()
    with pytest.raises(outbox.RetryLater) as raised:
        portal_mail.send_email(email.pk)
    assert raised.value.countdown == 30
    assert _row(email) == ("queued", 1, "")
    assert email.last_error == str(error)
    assert before + timedelta(seconds=29) < email.queued_at < timezone.now() + timedelta(seconds=31)
    scripted.answers = {}
    assert portal_mail.send_email(email.pk) == "sent"  # the task's retry
    assert [m.to for m in mail.outbox] == [["x@example.org"]]


def test_a_lost_connection_at_opening_is_retried(scripted):
    email = _email()
    scripted.on_open = ConnectionRefusedError(111, "Connection refused")
    with pytest.raises(outbox.RetryLater):
        portal_mail.send_email(email.pk)
    assert _row(email) == ("queued", 1, "")


@pytest.mark.parametrize(
    ("on_open", "answer"),
    [
        (None, smtplib.SMTPDataError(554, b"5.7.1 Message rejected as spam")),
        (None, REFUSED_FOR_GOOD),
        (smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication failed"), None),
    ],
)
def test_a_permanent_answer_fails_the_email_and_it_is_not_retried(scripted, on_open, answer):
    email = _email(to="x@example.org")
    scripted.on_open = on_open
    scripted.answers = {"x@example.org": answer} if answer else {}
    assert portal_mail.send_email(email.pk) == "failed"
    assert _row(email)[:2] == ("failed", 1)
    assert email.last_error == str(on_open or answer)
    scripted.reset()
    assert portal_mail.send_email(email.pk) == "skipped"
    assert task_flush_outbox.apply().get()["claimed"] == 0
    assert mail.outbox == []


def test_after_the_last_attempt_a_temporary_error_fails_the_email(scripted):
    email = _email(to="x@example.org")
    scripted.answers = {"x@example.org": smtplib.SMTPServerDisconnected("gone")}
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        with pytest.raises(outbox.RetryLater):
            portal_mail.send_email(email.pk)
    assert portal_mail.send_email(email.pk) == "failed"
    assert _row(email)[:2] == ("failed", outbox.MAX_ATTEMPTS)


def test_the_sweep_sends_what_nobody_queued_over_one_connection(scripted):
    old = timezone.now() - timedelta(minutes=2)
    emails = [_email(to=f"p{n}@example.org", queued_at=old) for n in range(3)]
    fresh = _email(to="fresh@example.org")  # its task may be on the way
    result = task_flush_outbox.apply().get()
    assert (result["claimed"], result["sent"]) == (3, 3)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.to for e in emails)
    assert scripted.opened == 1
    assert _row(fresh) == ("queued", 0, "")


def test_the_sweep_leaves_a_retry_to_its_time(scripted):
    email = _email(queued_at=timezone.now() + timedelta(seconds=60))  # queued again after a 4xx
    assert task_flush_outbox.apply().get()["claimed"] == 0
    assert portal_mail.flush_outbox(now=timezone.now() + timedelta(seconds=120))["sent"] == 1
    assert _row(email)[0] == "sent"


def test_a_live_claim_is_left_alone_and_a_dead_workers_is_taken_over_after_its_lease(scripted):
    now = timezone.now()
    live = _email(to="live@example.org", status="sending", claimed_by="w1", claimed_at=now - timedelta(seconds=20))
    dead = _email(to="dead@example.org", status="sending", claimed_by="w2", claimed_at=now - timedelta(seconds=46))
    assert portal_mail.flush_outbox(now=now)["sent"] == 1
    assert [m.to for m in mail.outbox] == [["dead@example.org"]]
    assert _row(live) == ("sending", 0, "w1")
    assert _row(dead)[0] == "sent"


def test_a_redelivered_job_takes_back_its_own_claim_at_once(scripted):
    email = _email(status="sending", claimed_by="task-9", claimed_at=timezone.now())
    assert portal_mail.send_email(email.pk, job_id="other") == "skipped"
    assert portal_mail.send_email(email.pk, job_id="task-9") == "sent"
    assert len(mail.outbox) == 1


def test_the_lease_is_renewed_while_sending(scripted, monkeypatch):
    monkeypatch.setattr(outbox, "RENEW_EVERY", 0)  # every message
    renewed = []
    original = outbox.renew
    monkeypatch.setattr(outbox, "renew", lambda rows, **kw: renewed.append(original(rows, **kw)))
    old = timezone.now() - timedelta(minutes=2)
    for n in range(3):
        _email(to=f"p{n}@example.org", queued_at=old)
    portal_mail.flush_outbox()
    assert renewed == [3, 2, 1]  # what the job still held before each message: its lease moved on


def test_a_sender_that_lost_its_lease_skips_the_rows_taken_over(scripted, monkeypatch):
    monkeypatch.setattr(outbox, "RENEW_EVERY", 0)  # renew (and look) before every message
    old = timezone.now() - timedelta(minutes=2)
    emails = [_email(to=f"p{n}@example.org", queued_at=old) for n in range(3)]
    original = outbox.renew

    def stalled_then_renew(rows, **kwargs):
        # This job stalled past its lease: another job took the last e-mail over before it renewed.
        OutgoingEmail.objects.filter(pk=emails[2].pk).update(claimed_by="other-job")
        return original(rows, **kwargs)

    monkeypatch.setattr(outbox, "renew", stalled_then_renew)
    result = portal_mail.flush_outbox()
    assert (result["sent"], result["lost"]) == (2, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.org", "p1@example.org"]
    assert _row(emails[2]) == ("sending", 1, "other-job")
