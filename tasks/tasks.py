"""Celery tasks of the guided tasks: the daily check of silent claims."""

import logging

from celery import shared_task

from bigscience_portal import caching

from . import services
from .models import Claim

logger = logging.getLogger(__name__)


@shared_task
def task_check_idle_claims() -> int:
    """Beat, hourly: one task per claim that owes a reminder or a release."""
    ids = services.idle_claim_ids()
    for claim_id in ids:
        task_remind_or_release_claim.delay(claim_id)
    return len(ids)


@shared_task
def task_remind_or_release_claim(claim_id: int) -> str:
    if not Claim.objects.filter(pk=claim_id).exists():
        logger.info("Claim %s is gone; nothing to remind", claim_id)
        return "missing"
    outcome = services.remind_or_release_claim(claim_id=claim_id)
    if outcome == "released":
        caching.bump()  # a freed place shows on the public task page
    return outcome
