"""The one way the portal sends e-mail: render, store in the outbox, send after commit.

Every message is first written to ``OutgoingEmail`` inside the caller's transaction. After
commit a Celery task sends it; if the broker cannot be reached the row stays queued and
``task_flush_outbox`` (beat, every minute) sends it later. Sending claims the row with a
conditional UPDATE, so two workers or a job run twice never send the same row twice. The
one honest gap: a worker killed between the SMTP hand-off and marking the row sent leaves it
``sending``; it is retried after ``STALE_AFTER``, so a hard kill costs at most one extra copy.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 5
TRANSIENT_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError, OSError)


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Render ``templates/emails/<template>/{subject.txt,body.txt,body.html}``."""
    context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
    subject = " ".join(render_to_string(f"emails/{template}/subject.txt", context).split())
    text = render_to_string(f"emails/{template}/body.txt", context)
    html = render_to_string(f"emails/{template}/body.html", context)
    return subject, text, html


def queue_email(
    *,
    template: str,
    to: str,
    context: dict,
    key: str | None = None,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
) -> OutgoingEmail | None:
    """Store one e-mail and send it after the surrounding transaction commits.

    ``key`` makes the call idempotent: a second call with the same key queues nothing and
    returns None. Attachments are dicts with ``filename``, ``content`` (text) and ``mimetype``.
    """
    subject, text, html = render_email(template, context)
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                key=key,
                to=to,
                subject=subject,
                body_text=text,
                body_html=html,
                headers=headers or {},
                attachments=attachments or [],
            )
    except IntegrityError:
        if key and OutgoingEmail.objects.filter(key=key).exists():
            return None
        raise
    transaction.on_commit(lambda: enqueue_email(email.pk))
    return email


def enqueue_email(email_id: int) -> None:
    """Hand an e-mail to the worker; if the broker is down the outbox sweep sends it later."""
    from .tasks import task_send_email

    try:
        task_send_email.delay(email_id)
    except Exception:
        logger.warning("Could not enqueue e-mail %s; the outbox sweep will send it", email_id, exc_info=True)


def claim(email_id: int) -> bool:
    """Mark the e-mail as being sent, unless it is sent or another worker holds a fresh claim."""
    now = timezone.now()
    return bool(
        OutgoingEmail.objects.filter(pk=email_id)
        .filter(
            Q(status=OutgoingEmail.Status.QUEUED)
            | Q(status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - STALE_AFTER)
        )
        .update(status=OutgoingEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def build_message(email: OutgoingEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers=email.headers,
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment.get("mimetype", "text/plain"))
    return message


def send_email(email_id: int, *, connection=None) -> str:
    """Send one stored e-mail if it is still due. Returns the resulting status.

    Raises a transient error (after putting the row back in the queue) so the caller can retry.
    """
    if not claim(email_id):
        return "skipped"
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        build_message(email, connection=connection or get_connection()).send()
    except smtplib.SMTPRecipientsRefused as exc:
        OutgoingEmail.objects.filter(pk=email_id).update(status=OutgoingEmail.Status.FAILED, last_error=str(exc)[:2000])
        return OutgoingEmail.Status.FAILED
    except TRANSIENT_ERRORS as exc:
        status = OutgoingEmail.Status.FAILED if email.attempts >= MAX_ATTEMPTS else OutgoingEmail.Status.QUEUED
        OutgoingEmail.objects.filter(pk=email_id).update(status=status, last_error=str(exc)[:2000])
        if status == OutgoingEmail.Status.QUEUED:
            raise
        return status
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return OutgoingEmail.Status.SENT


def due_email_ids(*, older_than: timedelta = timedelta(minutes=1), limit: int = 500) -> list[int]:
    """Queued e-mails nobody has picked up, and claims abandoned by a dead worker."""
    now = timezone.now()
    return list(
        OutgoingEmail.objects.filter(
            Q(status=OutgoingEmail.Status.QUEUED, created_at__lt=now - older_than)
            | Q(status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - STALE_AFTER)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


__all__ = ["due_email_ids", "queue_email", "render_email", "send_email"]
