import logging

from celery import shared_task

from . import mail, outbox
from .models import OutgoingEmail

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=outbox.MAX_ATTEMPTS + 1)
def task_send_email(self, email_id: int) -> str:
    """Send one queued e-mail; a temporary SMTP error retries it with backoff (the row says when)."""
    if not OutgoingEmail.objects.filter(pk=email_id).exists():
        logger.info("E-mail %s is gone; nothing to send", email_id)
        return "missing"
    try:
        return mail.send_email(email_id, job_id=self.request.id)
    except outbox.RetryLater as exc:
        raise self.retry(countdown=exc.countdown) from exc


@shared_task
def task_flush_outbox() -> dict:
    """Beat: send what was queued while the broker was unreachable, or abandoned by a dead worker."""
    return mail.flush_outbox()
