import logging

from celery import shared_task

from . import mail
from .models import OutgoingEmail

logger = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=mail.TRANSIENT_ERRORS, retry_backoff=10, retry_backoff_max=600, max_retries=5)
def task_send_email(self, email_id: int) -> str:
    if not OutgoingEmail.objects.filter(pk=email_id).exists():
        logger.info("E-mail %s is gone; nothing to send", email_id)
        return "missing"
    return mail.send_email(email_id)


@shared_task
def task_flush_outbox() -> int:
    """Send what was queued while the broker was unreachable, or abandoned by a dead worker."""
    sent = 0
    for email_id in mail.due_email_ids():
        try:
            if mail.send_email(email_id) == OutgoingEmail.Status.SENT:
                sent += 1
        except mail.TRANSIENT_ERRORS:
            logger.warning("E-mail %s could not be sent yet", email_id, exc_info=True)
    return sent
