"""Settings for the fault script's beat processes: production settings, with one task fired often.

``FAULTS_BEAT=newsletter`` (the default): the newsletter schedule every second, so two beat
processes race many times a minute instead of once a fortnight. ``FAULTS_BEAT=outbox``: the outbox
sweep every five seconds instead of every minute (``make faults --small``, to keep CI short).
``FAULTS_BEAT=sweep``: the newsletter's sweep alone, at its production interval (the
killed-worker scenario waits for it in real time).
"""

import os

from bigscience_portal.settings import *  # noqa: F403

_TASKS = {
    "newsletter": ("newsletter-schedule", "newsletter.tasks.task_run_newsletter_schedule", 1.0),
    "outbox": ("flush-outbox", "bigscience_portal.tasks.task_flush_outbox", 5.0),
    "sweep": (
        "newsletter-sweep",
        "newsletter.tasks.task_sweep_newsletter",
        CELERY_BEAT_SCHEDULE["newsletter-sweep"]["schedule"],  # noqa: F405 - from the production settings
    ),
}
_name, _task, _every = _TASKS[os.environ.get("FAULTS_BEAT", "newsletter")]
CELERY_BEAT_SCHEDULE = {_name: {"task": _task, "schedule": _every}}
