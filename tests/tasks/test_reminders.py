"""The beat job that reminds silent claims once, then releases them: each e-mail once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from activity.models import ActivityLog
from tasks import services
from tasks.models import Claim, Task
from tasks.tasks import task_check_idle_claims, task_remind_or_release_claim

from .factories import ClaimFactory

pytestmark = pytest.mark.django_db


def _aged(claim, days):
    Claim.objects.filter(pk=claim.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_silent_claim_is_reminded_once_when_the_job_runs_twice(task, attendant, run_on_commit):
    claim = services.claim_task(task, user=attendant)
    _aged(claim, 8)
    with run_on_commit():
        assert task_check_idle_claims() == 1
    with run_on_commit():
        assert task_check_idle_claims() == 0
        assert task_remind_or_release_claim(claim.pk) == "nothing"
    assert [(m.to, m.subject) for m in mail.outbox] == [([attendant.email], f"Still working on “{task.title}”?")]
    claim.refresh_from_db()
    assert claim.status == "active" and claim.reminded_at is not None
    assert list(ActivityLog.objects.filter(action__startswith="tasks.claim.r").values_list("action", flat=True)) == [
        "tasks.claim.reminded"
    ]


def test_claim_with_a_recent_report_is_not_reminded(task, attendant):
    claim = services.claim_task(task, user=attendant)
    _aged(claim, 8)
    services.report_contribution(claim, actor=attendant, items=1)
    assert services.idle_claim_ids() == []


def test_claim_still_silent_a_week_after_the_reminder_is_released_once(task, attendant, run_on_commit):
    claim = services.claim_task(task, user=attendant)
    _aged(claim, 8)
    with run_on_commit():
        task_check_idle_claims()
    later = timezone.now() + timedelta(days=8)
    assert services.idle_claim_ids(now=later) == [claim.pk]
    mail.outbox.clear()
    with run_on_commit():
        assert services.remind_or_release_claim(claim_id=claim.pk, now=later) == "released"
        assert services.remind_or_release_claim(claim_id=claim.pk, now=later) == "nothing"
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([attendant.email], f"Your claim on “{task.title}” is released")
    ]
    claim.refresh_from_db()
    task.refresh_from_db()
    assert claim.status == Claim.Status.RELEASED and task.active_claims == 0
    assert ActivityLog.objects.filter(action="tasks.claim.released", actor=None, subject=attendant).count() == 1


def test_job_for_a_missing_claim_does_nothing(db):
    assert task_remind_or_release_claim(999_999) == "missing"
    assert services.remind_or_release_claim(claim_id=999_999) == "missing"
    assert mail.outbox == []


def test_released_claims_are_not_reminded_again(task, attendant):
    claim = ClaimFactory(task=task, user=attendant, status=Claim.Status.RELEASED)
    _aged(claim, 30)
    assert services.idle_claim_ids() == []


def test_job_is_in_the_beat_schedule(settings):
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tasks.tasks.task_check_idle_claims" in entries
    assert Task  # the app's models load with the beat's task module
