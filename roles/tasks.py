import logging

from celery import shared_task

from . import services
from .models import Application

logger = logging.getLogger(__name__)


@shared_task
def task_remind_unanswered_applications() -> int:
    """Beat, hourly: queue one reminder task per application that owes one."""
    ids = services.due_reminder_application_ids()
    for application_id in ids:
        task_remind_about_application.delay(application_id)
    return len(ids)


@shared_task
def task_remind_about_application(application_id: int) -> int:
    if not Application.objects.filter(pk=application_id).exists():
        logger.info("Application %s is gone; no reminder to send", application_id)
        return 0
    return services.remind_about_application(application_id=application_id)


@shared_task
def task_send_application_digests() -> int:
    """Beat, hourly: the chairs' daily digest of waiting applications (the service sends one a day)."""
    return services.send_application_digests()
