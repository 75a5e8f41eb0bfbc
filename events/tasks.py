"""Celery tasks for events: thin, take ids, re-fetch, safe to run twice (outbox keys)."""

import logging

from celery import shared_task

from . import services
from .models import Event, EventMessage

logger = logging.getLogger(__name__)


@shared_task
def task_send_event_reminders() -> int:
    """Beat: the 24-hour and 1-hour reminders that are due, reminders of starred sessions, and recordings to announce."""
    from . import programme_services

    queued = services.send_due_reminders() + programme_services.send_session_reminders()
    for event_id in services.due_recording_announcements():
        task_announce_recording.delay(event_id)
    return queued


@shared_task
def task_deliver_event_message(message_id: int) -> int:
    message = EventMessage.objects.select_related("event").filter(pk=message_id).first()
    if message is None:
        logger.info("Event message %s is gone; nothing to send", message_id)
        return 0
    return services.deliver_event_message(message=message)


@shared_task
def task_announce_recording(event_id: int) -> int:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        logger.info("Event %s is gone; no recording to announce", event_id)
        return 0
    return services.announce_recording(event=event)


@shared_task
def task_deliver_pending_event_messages() -> int:
    """Beat, every minute: deliver the messages whose task never reached the broker. Outbox keys: once each."""
    return sum(services.deliver_event_message(message=message) for message in services.pending_event_messages())
