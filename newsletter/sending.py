"""Sending an issue to every recipient exactly once, in batches, whatever crashes.

1. ``start_sending`` moves an approved issue to *sending* with a conditional UPDATE (so a job
   run twice starts it once), writes one ``Delivery`` per recipient (unique per issue and
   address in the database) and, after commit, enqueues one task per batch of deliveries.
2. ``send_batch`` claims its rows, renders the issue once, personalises each message by
   substitution and sends them over one SMTP connection, marking them in bulk UPDATEs: the
   claim, its lease, the marks and what each SMTP answer means are the outbox's
   (``bigscience_portal/outbox.py``), the same as for every other e-mail. A second run of the
   same batch finds nothing left to claim; a refused address is marked bounced.
3. ``sweep`` (beat, every 15 seconds) starts approved issues whose time came and resumes what
   stalled: claims whose lease ran out (their worker died: resumed within about a minute), and
   queued rows of an issue nobody is sending (their task never reached the broker, or was
   reserved by a worker that died).
"""

import html
import logging
import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from activity.services import record
from bigscience_portal import caching, outbox
from bigscience_portal.availability import publish
from bigscience_portal.localized import localized, untranslated
from bigscience_portal.mail import render_text
from bigscience_portal.markdown import render_markdown
from roles.models import Participation, Role

from . import tokens
from .models import Delivery, Issue, Subscription

logger = logging.getLogger(__name__)

BATCH_SIZE = getattr(settings, "NEWSLETTER_BATCH_SIZE", 200)
MARK_EVERY = outbox.MARK_EVERY

# Placeholders substituted per recipient, so the issue is rendered once per batch.
NAME, READER, UNSUBSCRIBE = "NLxNAMExNL", "NLxREADERxNL", "NLxUNSUBSCRIBExNL"


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


def issue_email_context(
    issue: Issue, *, reader_name: str, reader_email: str | None = None, language: str | None = None
) -> dict:
    """The template context of the issue e-mail; placeholders stand for the reader when rendering in bulk.

    Titles, editorial and items are in ``language`` (default: the active one) where the organizers wrote
    it; otherwise the English text, flagged ``untranslated`` so the e-mail says so.
    """
    site = settings.SITE_URL
    reader = tokens.reader_token(issue.pk, reader_email) if reader_email else READER
    unsubscribe = tokens.unsubscribe_token(reader_email) if reader_email else UNSUBSCRIBE
    items = list(issue.items.filter(included=True).select_related("working_group"))
    for item in items:
        body = localized(item, "body", language)
        item.untranslated = item.kind != item.Kind.EVENT and (
            untranslated(item, "title", language) or untranslated(item, "body", language)
        )
        item.title = localized(item, "title", language)  # this copy is only rendered, never saved
        item.body_html = _email_html(body)
        item.body_text = _markdown_text(body)
    editorial = localized(issue, "editorial", language)
    return {
        "issue": issue,
        "issue_title": localized(issue, "title", language),
        "reader_name": reader_name,
        "editorial_html": _email_html(editorial),
        "editorial_text": _markdown_text(editorial),
        "editorial_untranslated": untranslated(issue, "editorial", language),
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


def reader_language(code: str | None) -> str:
    """The reader's chosen language if the portal offers it, else English (subscribers without an account)."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render_issue(
    issue: Issue,
    *,
    reader_name: str = NAME,
    reader_email: str | None = None,
    is_test=False,
    zone: str = "UTC",
    language: str | None = None,
):
    """Render subject, text and HTML once; with the default arguments it keeps the placeholders.

    Times (the upcoming events) are shown in ``zone``, named in the e-mail, and the text is written in
    ``language`` (default English): a batch renders once per zone and language of its readers.
    """
    zone = reader_zone(zone)
    language = reader_language(language)
    with timezone.override(zoneinfo.ZoneInfo(zone)), translation.override(language):
        context = {
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            **issue_email_context(issue, reader_name=reader_name, reader_email=reader_email, language=language),
            "is_test": is_test,
            "reader_zone": zone,
        }
        subject = " ".join(render_text("emails/newsletter_issue/subject.txt", context).split())
        text = render_text("emails/newsletter_issue/body.txt", context)
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
        record(
            actor=None,
            action="newsletter.issue.sending",
            obj=Issue(pk=issue_id),
            from_state=Issue.Status.APPROVED,
            to_state=Issue.Status.SENDING,
            note=f"{len(rows)} recipient{pluralize(len(rows))}",
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
    """One task per batch of queued deliveries; the broker being down is survived (the sweep resumes)."""
    from .tasks import task_send_newsletter_batch

    if ids is None:
        ids = list(
            Delivery.objects.filter(issue_id=issue_id, status=Delivery.Status.QUEUED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return sum(
        publish(task_send_newsletter_batch, issue_id, first_id, last_id)
        for first_id, last_id in _chunks(ids, BATCH_SIZE)
    )


def claim_batch(issue_id: int, first_id: int, last_id: int, *, job_id: str, now: datetime) -> list[dict]:
    """Claim this batch's deliveries (the outbox's claim); return the rows this job now holds."""
    batch = Delivery.objects.filter(issue_id=issue_id, pk__gte=first_id, pk__lte=last_id)
    outbox.claim(batch, job_id=job_id, now=now)
    return list(
        batch.filter(status=Delivery.Status.SENDING, claimed_by=job_id)
        .order_by("pk")
        .values(
            "pk",
            "email",
            "name",
            "attempts",
            zone=F("user__profile__time_zone"),
            language=F("user__profile__language"),
        )
    )


def send_batch(issue_id: int, first_id: int, last_id: int, *, job_id: str | None = None, now=None) -> dict:
    """Send one batch of an issue's deliveries over one SMTP connection.

    Returns counts per outcome. Raises ``outbox.RetryLater`` after queueing the unsent rows
    again, so the task retries with backoff.
    """
    job_id = job_id or uuid.uuid4().hex
    now = now or timezone.now()
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None:
        return {"missing": 1}
    rows = claim_batch(issue_id, first_id, last_id, job_id=job_id, now=now)
    held = Delivery.objects.filter(issue_id=issue_id, pk__gte=first_id, pk__lte=last_id)
    sender = outbox.Sender(
        Delivery,
        job_id=job_id,
        held=held,
        bounce_status=Delivery.Status.BOUNCED,
        on_bounce=_record_bounce,
    )
    try:
        if not rows:
            return sender.result
        # A batch renders the issue once per time zone and language of its readers.
        by_reader: dict[tuple[str, str], RenderedIssue] = {}

        def build(row):
            kind = (reader_zone(row.get("zone")), reader_language(row.get("language")))
            if kind not in by_reader:
                by_reader[kind] = render_issue(issue, zone=kind[0], language=kind[1])
            return by_reader[kind].personalise(issue.pk, row["email"], row["name"])

        return sender.send(rows, build)
    finally:
        finish_if_done(issue_id)


def _record_bounce(row: dict) -> None:
    from .services import record_bounce

    record_bounce(email=row["email"])


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
            record(
                actor=None,
                action="newsletter.issue.sent",
                obj=Issue(pk=issue_id),
                from_state=Issue.Status.SENDING,
                to_state=Issue.Status.SENT,
            )
            # Sent outside any request: the cached public archive must learn it.
            transaction.on_commit(caching.bump)
    return bool(done)


def resend_failed(issue: Issue, *, actor) -> int:
    """Queue the failed deliveries of an issue again (not the bounced ones). Returns how many."""
    if not actor.has_perm("newsletter.manage_newsletter"):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only organizers can do this."))
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
            record(actor=actor, action="newsletter.issue.resent", obj=issue, note=f"{len(ids)} deliveries")
            transaction.on_commit(lambda: enqueue_batches(issue.pk, ids=ids))
    return len(ids)


def resume_stalled(*, now: datetime | None = None) -> int:
    """Queue again the batches that stalled; returns how many tasks were queued.

    Stalled: claims whose lease ran out (the worker died), and queued rows waiting longer than a
    lease of an issue nobody is sending now (no live claim, nothing sent within a lease): their
    task never reached the broker, or a worker that died had reserved it. Rows queued again after
    a temporary SMTP error wait until their retry time (``queued_at``) has passed. Claims keep a
    batch queued twice to one send per recipient.
    """
    now = now or timezone.now()
    cut = now - outbox.LEASE
    busy = Delivery.objects.filter(issue_id=OuterRef("issue_id")).filter(
        Q(status=Delivery.Status.SENDING, claimed_at__gte=cut) | Q(sent_at__gte=cut)
    )
    stalled = Delivery.objects.filter(
        outbox.abandoned(now) | (Q(status=Delivery.Status.QUEUED, queued_at__lt=cut) & ~Exists(busy))
    )
    by_issue: dict[int, list[int]] = {}
    for issue_id, pk in stalled.order_by("issue_id", "pk").values_list("issue_id", "pk")[:50000]:
        by_issue.setdefault(issue_id, []).append(pk)
    batches = 0
    for issue_id, ids in by_issue.items():
        # Not picked again by the next sweep unless they stall for another lease.
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(queued_at=now)
        batches += enqueue_batches(issue_id, ids=ids)
    return batches


def start_due_issues(*, now: datetime | None = None) -> list[int]:
    """Start the approved issues whose time came (their start task was lost, or they were scheduled)."""
    now = now or timezone.now()
    due = Issue.objects.filter(status=Issue.Status.APPROVED, scheduled_for__lte=now).values_list("pk", flat=True)
    return [issue_id for issue_id in due if start_sending(issue_id, now=now)]


def sweep(*, now: datetime | None = None) -> dict:
    """Beat, every 15 seconds: start what is due, resume what stalled."""
    now = now or timezone.now()
    return {"started": start_due_issues(now=now), "resumed": resume_stalled(now=now)}
