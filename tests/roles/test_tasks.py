from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from roles import services, tasks
from roles.models import Application

pytestmark = pytest.mark.django_db


def _old_application(volunteer, group, participant_role, days):
    application = services.submit_application(user=volunteer, role=participant_role, working_group=group)
    Application.objects.filter(pk=application.pk).update(created_at=timezone.now() - timedelta(days=days))
    mail.outbox.clear()
    return application


def test_task_remind_about_application_missing_object_sends_nothing():
    assert tasks.task_remind_about_application.delay(999999).get() == 0
    assert mail.outbox == []


def test_task_remind_unanswered_applications_run_twice_sends_once(
    volunteer, group, participant_role, chair, run_on_commit
):
    _old_application(volunteer, group, participant_role, days=8)
    with run_on_commit():
        assert tasks.task_remind_unanswered_applications.delay().get() == 1
    with run_on_commit():
        assert tasks.task_remind_unanswered_applications.delay().get() == 0
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([chair.email], f"An application to {group.name} is waiting for an answer")
    ]


def test_task_remind_about_application_run_twice_sends_once(volunteer, group, participant_role, chair, run_on_commit):
    application = _old_application(volunteer, group, participant_role, days=8)
    with run_on_commit():
        assert tasks.task_remind_about_application.delay(application.pk).get() == 1
        assert tasks.task_remind_about_application.delay(application.pk).get() == 0
    assert len(mail.outbox) == 1


def test_beat_schedule_runs_the_reminders(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "roles.tasks.task_remind_unanswered_applications" in tasks_scheduled
