"""How every e-mail of the portal is claimed, sent and marked: one way, the newsletter's included.

An outbox row is one message to one address, stored before it is sent: ``OutgoingEmail`` (any
e-mail, see ``mail.queue_email``) and ``newsletter.Delivery`` (one issue to one recipient). Both have
the fields ``status`` (queued, sending, sent, failed; a delivery also bounced), ``attempts``,
``last_error``, ``queued_at``, ``claimed_at``, ``claimed_by`` and ``sent_at``, and go through the
same steps:

1. **Claim** (``claim``): one conditional UPDATE moves the rows a job may take to *sending*, with
   the job's id and the time: queued rows, the job's own rows (Celery redelivered it after its
   worker died: same task id), and rows whose **lease** ran out. A claim is a lease of ``LEASE``:
   the sender renews it (``renew``, one UPDATE every ``RENEW_EVERY`` seconds, not per message)
   while it sends, so a claim older than ``LEASE`` belongs to a worker that died, and the sweeps
   (``task_flush_outbox``, the newsletter's ``task_sweep_newsletter``) take it over within about a
   minute. Two workers or a job run twice never send the same row twice; a sender that finds, when
   it renews, that it lost rows (it stalled past its lease and another took them over) skips them.
2. **Send** (``Sender``): over one SMTP connection, in order.
3. **Mark**: sent rows in bulk UPDATEs every ``MARK_EVERY`` messages; what SMTP answered decides the
   rest (``classify``): a 4xx answer or a lost connection is retried with backoff (the row is queued
   again, ``RetryLater`` tells the task when; after ``MAX_ATTEMPTS`` it is failed); a 5xx answer or
   a refused authentication is a failure, recorded in ``last_error`` (organizers see it in the
   admin and on the issue's page) and not retried; a 5xx refusal of the recipient is a bounce.

The honest gap: a worker killed after the SMTP server accepted a message and before its row is
marked sent leaves it *sending*; whoever takes the claim over sends it again. So a hard kill costs
at most ``MARK_EVERY`` second copies per worker process; nobody is skipped.
"""

import enum
import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

QUEUED, SENDING, SENT, FAILED, BOUNCED = "queued", "sending", "sent", "failed", "bounced"
LEASE = timedelta(seconds=30)  # renewed every RENEW_EVERY; longer than RENEW_EVERY + one SMTP timeout (15 s)
RENEW_EVERY = 10.0
MAX_ATTEMPTS = 5
BACKOFF_FIRST = 30
BACKOFF_MAX = 600
MARK_EVERY = getattr(settings, "NEWSLETTER_MARK_EVERY", 10)


class RetryLater(Exception):
    """Some rows were queued again after a transient SMTP error: retry the job in ``countdown`` seconds."""

    def __init__(self, message: str, *, countdown: int):
        super().__init__(message)
        self.countdown = countdown


class Verdict(enum.Enum):
    RETRY = "retry"  # the connection or the server, for now: this row and the rest, later
    RETRY_ONE = "retry_one"  # this recipient, for now (4xx to RCPT): this row later, the rest now
    FAIL = "fail"  # this message, for good (5xx to MAIL or DATA)
    FAIL_ALL = "fail_all"  # this connection, for good (authentication, 5xx greeting): this row and the rest
    BOUNCE = "bounce"  # this recipient, for good (5xx to RCPT)


def classify(exc: BaseException) -> Verdict | None:
    """What an SMTP error means for the rows; None when it is not an SMTP or network error (a bug)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return Verdict.BOUNCE if codes and min(codes) >= 500 else Verdict.RETRY_ONE
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return Verdict.FAIL_ALL
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPHeloError):
        return Verdict.FAIL_ALL if exc.smtp_code >= 500 else Verdict.RETRY
    if isinstance(exc, smtplib.SMTPResponseException):
        return Verdict.FAIL if exc.smtp_code >= 500 else Verdict.RETRY
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return Verdict.RETRY
    if isinstance(exc, smtplib.SMTPException):  # before OSError, its base class
        return Verdict.FAIL_ALL  # e.g. STARTTLS not supported: a configuration, not a moment
    if isinstance(exc, ConnectionError | TimeoutError | OSError):
        return Verdict.RETRY
    return None


def backoff(attempts: int) -> int:
    """Seconds before the next try of a row that was tried ``attempts`` times: 30, 60, 120, ... 600."""
    return min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** max(0, attempts - 1))


def claimable(job_id: str, now: datetime) -> Q:
    return Q(status=QUEUED) | Q(status=SENDING, claimed_by=job_id) | Q(status=SENDING, claimed_at__lt=now - LEASE)


def claim(rows: QuerySet, *, job_id: str, now: datetime) -> int:
    """Take the rows of ``rows`` that nobody live holds, for ``job_id``: one UPDATE. Returns how many."""
    return rows.filter(claimable(job_id, now)).update(
        status=SENDING, claimed_by=job_id, claimed_at=now, attempts=F("attempts") + 1
    )


def renew(rows: QuerySet, *, job_id: str, now: datetime | None = None) -> int:
    """Extend the lease on what ``job_id`` still holds in ``rows``: one UPDATE."""
    return rows.filter(status=SENDING, claimed_by=job_id).update(claimed_at=now or timezone.now())


def abandoned(now: datetime) -> Q:
    """Claims whose lease ran out: their worker died."""
    return Q(status=SENDING, claimed_at__lt=now - LEASE)


class Sender:
    """Sends rows claimed by one job over one SMTP connection, and marks them in few UPDATEs.

    ``model`` is the outbox model; ``held`` the rows the job holds (to renew the lease);
    ``on_bounce(row)`` is called for a recipient refused for good, whose row becomes ``bounce_status``.
    """

    def __init__(
        self,
        model: type[Model],
        *,
        job_id: str,
        held: QuerySet,
        bounce_status: str = FAILED,
        on_bounce: Callable[[dict], None] | None = None,
    ):
        self.model, self.job_id, self.held = model, job_id, held
        self.bounce_status, self.on_bounce = bounce_status, on_bounce
        self.result = {"claimed": 0, "sent": 0, "bounced": 0, "failed": 0, "requeued": 0}
        self._sent: list[int] = []
        self._written = 0
        self._retry_in: int | None = None

    def send(self, rows: list[dict], build: Callable[[dict], EmailMessage]) -> dict:
        """Send each row's message (``build(row)``); rows are dicts with at least pk and attempts.

        Returns counts per outcome; raises ``RetryLater`` when some rows were queued again.
        """
        self.result["claimed"] = len(rows)
        if not rows:
            return self.result
        connection = get_connection()
        renewed = time.monotonic()
        still_held: set[int] | None = None  # known after the first renewal
        index = 0
        try:
            connection.open()
            for index, row in enumerate(rows):  # noqa: B007 - the except below resumes from index
                if time.monotonic() - renewed >= RENEW_EVERY:
                    self._flush(force=True)
                    renew(self.held, job_id=self.job_id)
                    still_held = self._still_held()
                    renewed = time.monotonic()
                if still_held is not None and row["pk"] not in still_held:
                    self.result["lost"] = self.result.get("lost", 0) + 1
                    continue  # taken over by another job after this one stalled past its lease
                message = build(row)
                message.connection = connection
                try:
                    message.send()
                except Exception as exc:
                    verdict = classify(exc)
                    if verdict is Verdict.BOUNCE:
                        self._bounce(row, exc)
                    elif verdict is Verdict.FAIL:
                        self._fail([row], exc)
                    elif verdict is Verdict.RETRY_ONE:
                        self._requeue([row], exc)
                    else:
                        raise
                    continue
                self._sent.append(row["pk"])
                self._flush()
        except Exception as exc:
            verdict = classify(exc)
            if verdict is None:
                raise  # a bug: the rows stay claimed; the lease runs out and a sweep takes them over
            self._flush(force=True)
            remaining = rows[index:]
            if verdict is Verdict.FAIL_ALL:
                self._fail(remaining, exc)
            else:
                self._requeue(remaining, exc)
        finally:
            self._flush(force=True)
            try:
                connection.close()
            except Exception:  # closing a broken connection must not hide the real outcome
                logger.debug("Closing the SMTP connection failed", exc_info=True)
        self.result["sent"] = len(self._sent)
        if self._retry_in is not None:
            raise RetryLater(f"{self.result['requeued']} message(s) queued again", countdown=self._retry_in)
        return self.result

    def _still_held(self) -> set[int]:
        return set(self.held.filter(status=SENDING, claimed_by=self.job_id).values_list("pk", flat=True))

    def _flush(self, *, force: bool = False) -> None:
        pending = self._sent[self._written :]
        if pending and (force or len(pending) >= MARK_EVERY):
            self.model.objects.filter(pk__in=pending).update(status=SENT, sent_at=timezone.now(), last_error="")
            self._written = len(self._sent)

    def _bounce(self, row: dict, exc: BaseException) -> None:
        self.model.objects.filter(pk=row["pk"]).update(status=self.bounce_status, last_error=str(exc)[:500])
        if self.on_bounce is not None:
            self.on_bounce(row)
        self.result["bounced"] += 1

    def _fail(self, rows: Iterable[dict], exc: BaseException | str) -> None:
        ids = [row["pk"] for row in rows]
        if ids:
            self.model.objects.filter(pk__in=ids).update(status=FAILED, last_error=str(exc)[:500])
            logger.warning("%s %s failed for good: %s", self.model.__name__, ids[:10], exc)
        self.result["failed"] += len(ids)

    def _requeue(self, rows: list[dict], exc: BaseException) -> None:
        exhausted = [row for row in rows if row["attempts"] >= MAX_ATTEMPTS]
        retry = [row for row in rows if row["attempts"] < MAX_ATTEMPTS]
        self._fail(exhausted, exc)
        if not retry:
            return
        delay = backoff(max(row["attempts"] for row in retry))
        # queued_at in the future: the sweeps leave these rows to the job's own retry until then.
        self.model.objects.filter(pk__in=[row["pk"] for row in retry], status=SENDING).update(
            status=QUEUED,
            claimed_by="",
            claimed_at=None,
            queued_at=timezone.now() + timedelta(seconds=delay),
            last_error=str(exc)[:500],
        )
        self.result["requeued"] += len(retry)
        self._retry_in = delay if self._retry_in is None else min(self._retry_in, delay)
