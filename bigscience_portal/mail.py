"""The one way the portal queues e-mail: render, store in the outbox, send after commit.

Every message is first written to ``OutgoingEmail`` inside the caller's transaction. After
commit a Celery task sends it; if the broker cannot be reached (down, hung, or its circuit open)
the row stays queued and ``task_flush_outbox`` (beat, every minute) sends it later. Claiming,
sending, marking and the handling of SMTP answers are those of every outbox
(``bigscience_portal/outbox.py``), the newsletter's included.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import outbox
from .availability import publish
from .models import OutgoingEmail

logger = logging.getLogger(__name__)

MESSAGE_FIELDS = ("to", "subject", "body_text", "body_html", "headers", "attachments")
# A queued e-mail whose task has not claimed it by then was not queued (broker down) or was lost.
SWEEP_AFTER = timedelta(seconds=15)


def render_text(template_name: str, context: dict) -> str:
    """Render a plain-text template (an e-mail's subject or text body) without HTML escaping.

    Autoescaping is for HTML: in plain text ``O'Brien & <Lab>`` must stay as typed, not show
    ``O&#x27;Brien &amp; &lt;Lab&gt;``. HTML bodies go through ``render_to_string`` and stay escaped.
    """
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def recipient_language(email: str, *, default: str | None = None) -> str:
    """The language e-mails to this address are written in: the account's choice, else ``default``
    when it is offered, else English."""
    from accounts.models import Profile  # the project's app; imported late, mail is used by every app

    offered = dict(settings.LANGUAGES)
    language = Profile.objects.filter(user__email__iexact=email).values_list("language", flat=True).first()
    if language in offered:
        return language
    return default if default in offered else settings.LANGUAGE_CODE


def render_email(template: str, context: dict, *, language: str | None = None) -> tuple[str, str, str]:
    """Render ``templates/emails/<template>/{subject.txt,body.txt,body.html}`` (text unescaped, HTML escaped).

    In ``language`` when given (the recipient's), else in the active one.
    """
    context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
    with translation.override(language or translation.get_language()):
        subject = " ".join(render_text(f"emails/{template}/subject.txt", context).split())
        text = render_text(f"emails/{template}/body.txt", context)
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
    language: str | None = None,
) -> OutgoingEmail | None:
    """Store one e-mail and send it after the surrounding transaction commits.

    ``key`` makes the call idempotent: a second call with the same key queues nothing and
    returns None. Attachments are dicts with ``filename``, ``content`` (text) and ``mimetype``.
    The e-mail is written in ``language``, by default the recipient's (their profile's, else English),
    whatever language the request or task that queues it speaks.
    """
    subject, text, html = render_email(template, context, language=language or recipient_language(to))
    return queue_message(
        to=to, subject=subject, text=text, html=html, key=key, headers=headers, attachments=attachments
    )


def queue_message(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    key: str | None = None,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
) -> OutgoingEmail | None:
    """Store one already rendered e-mail and send it after commit (``queue_email`` renders for you).

    For messages rendered elsewhere, such as allauth's account e-mails; the same outbox guarantees.
    """
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


def enqueue_email(email_id: int) -> bool:
    """Hand an e-mail to the worker; if the broker is down the outbox sweep sends it later."""
    from .tasks import task_send_email

    return publish(task_send_email, email_id)


def build_message(email: OutgoingEmail | dict, connection=None) -> EmailMultiAlternatives:
    """The message of an outbox row (a model instance, or a dict of its fields)."""
    row = email if isinstance(email, dict) else {f: getattr(email, f) for f in MESSAGE_FIELDS}
    message = EmailMultiAlternatives(
        subject=row["subject"],
        body=row["body_text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row["to"]],
        headers=row["headers"],
        connection=connection,
    )
    if row["body_html"]:
        message.attach_alternative(row["body_html"], "text/html")
    for attachment in row["attachments"]:
        message.attach(attachment["filename"], attachment["content"], attachment.get("mimetype", "text/plain"))
    return message


def send_emails(rows: QuerySet, *, job_id: str | None = None, now: datetime | None = None) -> dict:
    """Claim the e-mails of ``rows`` that are due and send them over one connection. Returns counts.

    Raises ``outbox.RetryLater`` when some were queued again after a temporary SMTP error.
    """
    job_id = job_id or uuid.uuid4().hex
    now = now or timezone.now()
    outbox.claim(rows, job_id=job_id, now=now)
    held = OutgoingEmail.objects.filter(pk__in=rows.values("pk"), status=outbox.SENDING, claimed_by=job_id)
    claimed = list(held.order_by("pk").values("pk", "attempts", *MESSAGE_FIELDS))
    return outbox.Sender(OutgoingEmail, job_id=job_id, held=held).send(claimed, build_message)


def send_email(email_id: int, *, job_id: str | None = None) -> str:
    """Send one stored e-mail if it is still due. Returns its status, or "skipped" when nothing was due."""
    result = send_emails(OutgoingEmail.objects.filter(pk=email_id), job_id=job_id)
    if not result["claimed"]:
        return "skipped"
    return OutgoingEmail.objects.filter(pk=email_id).values_list("status", flat=True).first() or "missing"


def due_emails(*, now: datetime | None = None, older_than: timedelta = SWEEP_AFTER, limit: int = 500) -> QuerySet:
    """Queued e-mails nobody has picked up (their task was never queued, or was lost), and claims
    abandoned by a dead worker (lease run out)."""
    now = now or timezone.now()
    ids = (
        OutgoingEmail.objects.filter(Q(status=outbox.QUEUED, queued_at__lt=now - older_than) | outbox.abandoned(now))
        .order_by("queued_at")
        .values_list("pk", flat=True)[:limit]
    )
    return OutgoingEmail.objects.filter(pk__in=list(ids))


def flush_outbox(*, now: datetime | None = None) -> dict:
    """The sweep: send what is due over one connection (``task_flush_outbox``, every minute)."""
    try:
        return send_emails(due_emails(now=now), now=now)
    except outbox.RetryLater as exc:
        logger.warning("Outbox sweep: %s; they are retried later", exc)
        return {"requeued": True}


__all__ = [
    "due_emails",
    "flush_outbox",
    "queue_email",
    "queue_message",
    "recipient_language",
    "render_email",
    "render_text",
    "send_email",
    "send_emails",
]
