"""Sending an issue to every recipient exactly once, in batches, whatever crashes.

1. ``start_sending`` moves an approved issue to *sending* with a conditional UPDATE (so a job
   run twice starts it once), writes one ``Delivery`` per recipient (unique per issue and
   address in the database) and, after commit, enqueues one task per batch of deliveries.
2. ``send_batch`` claims its queued rows with one conditional UPDATE, renders the issue once,
   personalises each message by substitution, sends them over one SMTP connection and marks
   them sent with bulk UPDATEs. A second run of the same batch finds nothing left to claim.
3. Transient SMTP errors put the unsent rows back in the queue and the task retries with
   backoff; a refused address is marked bounced and never tried again.

The honest gap: a worker killed hard (SIGKILL, out of memory, power) after the SMTP server
accepted a message but before its row is marked sent leaves that row *sending*. The batch is
redelivered (late acknowledgement, same task id: its own claims are taken back at once) or
resumed by beat once the claim is older than ``STALE_AFTER``, and such a row is sent again.
Rows are marked sent every ``MARK_EVERY`` messages (a bulk UPDATE), so a hard kill costs at most
that many second copies per worker process; nobody is skipped. A warm shutdown finishes the batch.
"""

import html
import logging
import smtplib
import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from bigscience_portal import caching
from bigscience_portal.markdown import render_markdown
from roles.models import Participation, Role

from . import tokens
from .models import Delivery, Issue, IssueEvent, Subscription

logger = logging.getLogger(__name__)

BATCH_SIZE = getattr(settings, "NEWSLETTER_BATCH_SIZE", 200)
MARK_EVERY = getattr(settings, "NEWSLETTER_MARK_EVERY", 10)
MAX_ATTEMPTS = 5
STALE_AFTER = timedelta(minutes=10)  # longer than the task hard time limit: a claim this old is abandoned
RESUME_AFTER = timedelta(minutes=15)  # longer than the longest retry backoff
TRANSIENT_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError, OSError)

# Placeholders substituted per recipient, so the issue is rendered once per batch.
NAME, READER, UNSUBSCRIBE = "NLxNAMExNL", "NLxREADERxNL", "NLxUNSUBSCRIBExNL"


class TransientSendError(Exception):
    """The batch stopped on a temporary error; its unsent rows are queued again."""


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    user_id: int | None


# Who receives it --------------------------------------------------------------------------------


def recipients() -> list[Recipient]:
    """Active advisors and confirmed subscribers, minus who unsubscribed or bounced; one per address."""
    stopped_users, stopped_emails, found = set(), set(), {}
    subscriptions = Subscription.objects.values_list(
        "email", "user_id", "name", "confirmed_at", "unsubscribed_at", "bounced_at"
    )
    confirmed = []
    for email, user_id, name, confirmed_at, unsubscribed_at, bounced_at in subscriptions:
        if unsubscribed_at or bounced_at:
            stopped_emails.add(email.lower())
            if user_id:
                stopped_users.add(user_id)
        elif confirmed_at:
            confirmed.append(Recipient(email.lower(), name, user_id))
    advisors = Participation.objects.filter(
        role__slug=Role.ADVISOR, status=Participation.Status.ACTIVE, user__is_active=True
    ).values_list("user_id", "user__email", "user__profile__display_name")
    for user_id, email, name in advisors:
        if user_id not in stopped_users and email.lower() not in stopped_emails:
            found.setdefault(email.lower(), Recipient(email.lower(), name or "", user_id))
    for recipient in confirmed:
        if recipient.user_id not in stopped_users:
            found.setdefault(recipient.email, recipient)
    return sorted(found.values(), key=lambda r: r.email)


# What they receive ------------------------------------------------------------------------------


def _email_html(text: str) -> str:
    """Sanitised Markdown with site-relative links made absolute: an e-mail has no base URL."""
    return render_markdown(text).replace('href="/', f'href="{settings.SITE_URL}/')


def _markdown_text(text: str) -> str:
    return html.unescape(strip_tags(render_markdown(text))).strip()


def issue_email_context(issue: Issue, *, reader_name: str, reader_email: str | None = None) -> dict:
    """The template context of the issue e-mail; placeholders stand for the reader when rendering in bulk."""
    site = settings.SITE_URL
    reader = tokens.reader_token(issue.pk, reader_email) if reader_email else READER
    unsubscribe = tokens.unsubscribe_token(reader_email) if reader_email else UNSUBSCRIBE
    items = list(issue.items.filter(included=True).select_related("working_group"))
    for item in items:
        item.body_html = _email_html(item.body)
        item.body_text = _markdown_text(item.body)
    return {
        "issue": issue,
        "reader_name": reader_name,
        "editorial_html": _email_html(issue.editorial),
        "editorial_text": _markdown_text(issue.editorial),
        "news": [i for i in items if i.kind == i.Kind.NEWS],
        "progress": [i for i in items if i.kind == i.Kind.PROGRESS],
        "events": [i for i in items if i.kind == i.Kind.EVENT],
        "figures": issue.figures,
        "issue_url": f"{site}{issue.get_absolute_url()}?r={reader}",
        "unsubscribe_url": f"{site}{reverse('newsletter:unsubscribe', args=[unsubscribe])}",
        "preferences_url": f"{site}{reverse('newsletter:preferences')}",
    }


def list_headers(unsubscribe_url: str) -> dict:
    """RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs to the link."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": "BigScience newsletter <newsletter.bigscience.invalid>",
    }


@dataclass
class RenderedIssue:
    subject: str
    text: str
    html: str

    def personalise(self, issue_id: int, recipient_email: str, name: str) -> EmailMultiAlternatives:
        reader = tokens.reader_token(issue_id, recipient_email)
        unsubscribe = tokens.unsubscribe_token(recipient_email)
        text = self.text.replace(NAME, name).replace(READER, reader).replace(UNSUBSCRIBE, unsubscribe)
        body = self.html.replace(NAME, html.escape(name)).replace(READER, reader).replace(UNSUBSCRIBE, unsubscribe)
        unsubscribe_url = f"{settings.SITE_URL}{reverse('newsletter:unsubscribe', args=[unsubscribe])}"
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient_email],
            headers=list_headers(unsubscribe_url),
        )
        message.attach_alternative(body, "text/html")
        return message


def reader_zone(name: str | None) -> str:
    """The reader's time zone name if it is a real one, else UTC (subscribers without an account)."""
    try:
        return zoneinfo.ZoneInfo(name).key if name else "UTC"
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "UTC"


def render_issue(
    issue: Issue,
    *,
    reader_name: str = NAME,
    reader_email: str | None = None,
    is_test=False,
    zone: str = "UTC",
):
    """Render subject, text and HTML once; with the default arguments it keeps the placeholders.

    Times (the upcoming events) are shown in ``zone``, named in the e-mail: a batch renders once per zone.
    """
    zone = reader_zone(zone)
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        **issue_email_context(issue, reader_name=reader_name, reader_email=reader_email),
        "is_test": is_test,
        "reader_zone": zone,
    }
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        subject = " ".join(render_to_string("emails/newsletter_issue/subject.txt", context).split())
        text = render_to_string("emails/newsletter_issue/body.txt", context)
        body = render_to_string("emails/newsletter_issue/body.html", context)
    return RenderedIssue(subject=subject, text=text, html=body)


# Fan-out ----------------------------------------------------------------------------------------


def start_sending(issue_id: int, *, now: datetime | None = None) -> int:
    """Move an approved, due issue to sending and queue one delivery per recipient.

    Returns the number of deliveries created; 0 when the issue was not approved (a job run twice).
    Side effects: batch tasks are enqueued after commit.
    """
    now = now or timezone.now()
    with transaction.atomic():
        started = Issue.objects.filter(pk=issue_id, status=Issue.Status.APPROVED).update(
            status=Issue.Status.SENDING, sending_started_at=now, updated_at=now
        )
        if not started:
            return 0
        rows = [
            Delivery(issue_id=issue_id, email=r.email, name=r.name, user_id=r.user_id, queued_at=now)
            for r in recipients()
        ]
        Delivery.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        IssueEvent.objects.create(
            issue_id=issue_id, action=IssueEvent.Action.SENDING, note=f"{len(rows)} recipient{pluralize(len(rows))}"
        )
        transaction.on_commit(lambda: enqueue_batches(issue_id))
    if not rows:
        finish_if_done(issue_id)
    return len(rows)


def _chunks(ids: list[int], size: int):
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        yield chunk[0], chunk[-1]


def enqueue_batches(issue_id: int, *, ids: list[int] | None = None) -> int:
    """One task per batch of queued deliveries; the broker being down is survived (beat resumes)."""
    from .tasks import task_send_newsletter_batch

    if ids is None:
        ids = list(
            Delivery.objects.filter(issue_id=issue_id, status=Delivery.Status.QUEUED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    count = 0
    for first_id, last_id in _chunks(ids, BATCH_SIZE):
        try:
            task_send_newsletter_batch.delay(issue_id, first_id, last_id)
            count += 1
        except Exception:  # the broker: beat's resume_stalled picks the rows up later
            if getattr(task_send_newsletter_batch.app.conf, "task_always_eager", False):
                raise
            logger.warning(
                "Could not enqueue newsletter batch %s-%s; beat will resume it", first_id, last_id, exc_info=True
            )
    return count


def _claimable(job_id: str, now: datetime) -> Q:
    return (
        Q(status=Delivery.Status.QUEUED)
        # The same job redelivered after its worker died: its claims are abandoned.
        | Q(status=Delivery.Status.SENDING, claimed_by=job_id)
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_AFTER)
    )


def claim_batch(issue_id: int, first_id: int, last_id: int, *, job_id: str, now: datetime) -> list[dict]:
    """Claim this batch's deliveries with one conditional UPDATE; return the rows this job now holds."""
    batch = Delivery.objects.filter(issue_id=issue_id, pk__gte=first_id, pk__lte=last_id)
    batch.filter(_claimable(job_id, now)).update(
        status=Delivery.Status.SENDING, claimed_by=job_id, claimed_at=now, attempts=F("attempts") + 1
    )
    return list(
        batch.filter(status=Delivery.Status.SENDING, claimed_by=job_id)
        .order_by("pk")
        .values("pk", "email", "name", "attempts", zone=F("user__profile__time_zone"))
    )


class _Marks:
    """Collects per-row outcomes and writes them in few UPDATEs."""

    def __init__(self):
        self.sent: list[int] = []
        self.written = 0

    def flush(self, *, force=False) -> None:
        pending = self.sent[self.written :]
        if pending and (force or len(pending) >= MARK_EVERY):
            Delivery.objects.filter(pk__in=pending).update(
                status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
            )
            self.written = len(self.sent)


def send_batch(issue_id: int, first_id: int, last_id: int, *, job_id: str | None = None, now=None) -> dict:
    """Send one batch of an issue's deliveries over one SMTP connection.

    Returns counts per outcome. Raises TransientSendError after queueing the unsent rows
    again, so the task retries with backoff.
    """
    job_id = job_id or uuid.uuid4().hex
    now = now or timezone.now()
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None:
        return {"missing": 1}
    rows = claim_batch(issue_id, first_id, last_id, job_id=job_id, now=now)
    result = {"claimed": len(rows), "sent": 0, "bounced": 0, "failed": 0, "requeued": 0}
    try:
        if rows:
            _send_rows(issue, rows, result)
    finally:
        finish_if_done(issue_id)
    return result


def _send_rows(issue: Issue, rows: list[dict], result: dict) -> None:
    by_zone: dict[str, RenderedIssue] = {}

    def rendered_for(row) -> RenderedIssue:
        zone = reader_zone(row.get("zone"))
        if zone not in by_zone:
            by_zone[zone] = render_issue(issue, zone=zone)
        return by_zone[zone]

    marks = _Marks()
    connection = get_connection()
    index = 0
    try:
        connection.open()
        for index, row in enumerate(rows):  # noqa: B007 - the except below resumes from index
            message = rendered_for(row).personalise(issue.pk, row["email"], row["name"])
            message.connection = connection
            try:
                message.send()
            except smtplib.SMTPRecipientsRefused as exc:
                _refused(row, exc, result)
                continue
            except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                if exc.smtp_code >= 500:
                    _fail([row["pk"]], str(exc), result)
                    continue
                raise
            marks.sent.append(row["pk"])
            marks.flush()
    except (*TRANSIENT_ERRORS, smtplib.SMTPResponseException) as exc:
        marks.flush(force=True)
        _requeue_or_fail(rows[index:], str(exc), result)
        result["sent"] = len(marks.sent)
        if result["requeued"]:
            raise TransientSendError(str(exc)) from exc
    finally:
        marks.flush(force=True)
        try:
            connection.close()
        except Exception:  # closing a broken connection must not hide the real outcome
            logger.debug("Closing the SMTP connection failed", exc_info=True)
    result["sent"] = len(marks.sent)


def _refused(row: dict, exc: smtplib.SMTPRecipientsRefused, result: dict) -> None:
    codes = [code for code, _ in exc.recipients.values()]
    if codes and min(codes) >= 500:
        from .services import record_bounce

        Delivery.objects.filter(pk=row["pk"]).update(status=Delivery.Status.BOUNCED, last_error=str(exc)[:500])
        record_bounce(email=row["email"])
        result["bounced"] += 1
    else:
        _requeue_or_fail([row], str(exc), result)


def _fail(ids: list[int], error: str, result: dict) -> None:
    Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.FAILED, last_error=error[:500])
    result["failed"] += len(ids)


def _requeue_or_fail(rows: list[dict], error: str, result: dict) -> None:
    exhausted = [r["pk"] for r in rows if r["attempts"] >= MAX_ATTEMPTS]
    retry = [r["pk"] for r in rows if r["attempts"] < MAX_ATTEMPTS]
    _fail(exhausted, error, result)
    Delivery.objects.filter(pk__in=retry, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED, claimed_by="", claimed_at=None, queued_at=timezone.now(), last_error=error[:500]
    )
    result["requeued"] += len(retry)


def finish_if_done(issue_id: int) -> bool:
    """Mark the issue sent once no delivery is waiting; once."""
    waiting = Delivery.objects.filter(
        issue_id=issue_id, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    ).exists()
    if waiting:
        return False
    now = timezone.now()
    with transaction.atomic():
        done = Issue.objects.filter(pk=issue_id, status=Issue.Status.SENDING).update(
            status=Issue.Status.SENT, sent_at=now, updated_at=now
        )
        if done:
            IssueEvent.objects.create(issue_id=issue_id, action=IssueEvent.Action.SENT)
            # Sent outside any request: the cached public archive must learn it.
            transaction.on_commit(caching.bump)
    return bool(done)


def resend_failed(issue: Issue, *, actor) -> int:
    """Queue the failed deliveries of an issue again (not the bounced ones). Returns how many."""
    from .rules import can_manage_newsletter

    if not can_manage_newsletter(actor):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Only organizers can do this.")
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update()
            .filter(issue=issue, status=Delivery.Status.FAILED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.QUEUED, attempts=0, claimed_by="", claimed_at=None, queued_at=now
        )
        if ids:
            IssueEvent.objects.create(
                issue=issue, actor=actor, action=IssueEvent.Action.RESENT, note=f"{len(ids)} deliveries"
            )
            transaction.on_commit(lambda: enqueue_batches(issue.pk, ids=ids))
    return len(ids)


def resume_stalled(*, now: datetime | None = None) -> int:
    """Beat: batches that never ran (broker down) or whose worker died. Claims keep it to one send each."""
    now = now or timezone.now()
    stalled = Delivery.objects.filter(
        Q(status=Delivery.Status.QUEUED, queued_at__lt=now - RESUME_AFTER)
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_AFTER)
    )
    by_issue: dict[int, list[int]] = {}
    for issue_id, pk in stalled.order_by("issue_id", "pk").values_list("issue_id", "pk")[:50000]:
        by_issue.setdefault(issue_id, []).append(pk)
    batches = 0
    for issue_id, ids in by_issue.items():
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(queued_at=now)
        batches += enqueue_batches(issue_id, ids=ids)
    return batches
