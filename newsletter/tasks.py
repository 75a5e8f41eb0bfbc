"""Celery tasks of the newsletter: thin, take ids, safe to run twice."""

import logging

from celery import shared_task

from bigscience_portal import outbox

from . import sending, services
from .models import Issue

logger = logging.getLogger(__name__)


@shared_task
def task_run_newsletter_schedule() -> dict:
    """Beat: draft a due issue, send approved ones whose time came, remind organizers, resume stalled batches."""
    return services.run_newsletter_schedule()


@shared_task
def task_start_sending_issue(issue_id: int) -> int:
    if not Issue.objects.filter(pk=issue_id).exists():
        logger.info("Newsletter issue %s is gone; nothing to send", issue_id)
        return 0
    return sending.start_sending(issue_id)


@shared_task(bind=True, max_retries=outbox.MAX_ATTEMPTS + 1)
def task_send_newsletter_batch(self, issue_id: int, first_id: int, last_id: int) -> dict:
    """Send deliveries ``first_id``..``last_id`` of an issue; the task id is the claim, so a redelivery resumes it."""
    if not Issue.objects.filter(pk=issue_id).exists():
        logger.info("Newsletter issue %s is gone; nothing to send", issue_id)
        return {"missing": 1}
    try:
        return sending.send_batch(issue_id, first_id, last_id, job_id=self.request.id)
    except outbox.RetryLater as exc:
        raise self.retry(countdown=exc.countdown) from exc


@shared_task
def task_sweep_newsletter() -> dict:
    """Beat, every 15 seconds: start approved issues whose time came, resume stalled or abandoned batches."""
    return sending.sweep()
