"""The periodic jobs, run in-process for the embedded mode (``make run``: no Redis, no Celery beat).

Each entry of ``CELERY_BEAT_SCHEDULE`` (an interval in seconds) runs in one background thread, in the
order it falls due, through Celery's eager ``apply`` so the task code is the same as under beat. With
``REDIS_URL`` set, beat does this instead and the scheduler is not started.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def _seconds(schedule) -> float:
    if isinstance(schedule, int | float):
        return float(schedule)
    run_every = getattr(schedule, "run_every", None)  # celery.schedules.schedule
    if run_every is not None:
        return run_every.total_seconds()
    raise ValueError(f"The in-process scheduler runs intervals only, not {schedule!r}")


class InProcessScheduler(threading.Thread):
    """Runs each beat entry every ``schedule`` seconds, the first time ``first_after`` seconds after start."""

    def __init__(self, schedule: dict | None = None, *, first_after: float = 5.0, clock=time.monotonic):
        super().__init__(name="portal-scheduler", daemon=True)
        self.entries = {
            name: (entry["task"], _seconds(entry["schedule"]))
            for name, entry in (settings.CELERY_BEAT_SCHEDULE if schedule is None else schedule).items()
        }
        self.clock = clock
        start = clock()
        self.due = {name: start + min(first_after, every) for name, (_, every) in self.entries.items()}
        self.stopping = threading.Event()

    def run_due(self) -> list[str]:
        """Run every entry that is due now; return their names."""
        from bigscience_portal.celery import app

        app.loader.import_default_modules()  # the apps' tasks modules, autodiscovered (once)
        ran = []
        for name in sorted(self.entries, key=lambda n: self.due[n]):
            task_name, every = self.entries[name]
            if self.clock() < self.due[name]:
                continue
            self.due[name] = self.clock() + every
            try:
                app.tasks[task_name].apply(throw=True)
            except Exception:  # one failing job must not stop the others
                logger.exception("Periodic job %s failed", name)
            finally:
                close_old_connections()
            ran.append(name)
        return ran

    def run(self):
        logger.info("In-process scheduler: %s", ", ".join(sorted(self.entries)))
        while not self.stopping.is_set():
            self.run_due()
            self.stopping.wait(1.0)

    def stop(self):
        self.stopping.set()
