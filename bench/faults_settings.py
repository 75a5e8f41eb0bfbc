"""Settings for the fault script's beat processes: production settings, with beat asking every second.

Two beat processes firing the newsletter schedule every second, instead of every ten minutes,
make the race they could have in a fortnight happen many times a minute.
"""

from bigscience_portal.settings import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    "newsletter-schedule": {"task": "newsletter.tasks.task_run_newsletter_schedule", "schedule": 1.0},
}
