"""``manage.py serve``: runserver plus, in the embedded mode, the periodic jobs in-process.

What ``make run`` starts. Without ``REDIS_URL`` there is no broker and no beat, so reminders, the newsletter's
schedule, the outbox sweep and the chairs' digests run in a thread of the serving process
(``bigscience_portal.scheduler``). At the end of the start-up output it prints the demo accounts again and
where e-mails go.
"""

from django.conf import settings
from django.core.management.commands.runserver import Command as RunserverCommand

from bigscience_portal.scheduler import InProcessScheduler


def where_emails_go() -> str:
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    if backend == "console":
        return "E-mails are printed in this terminal (the sign-up verification link is there)."
    if backend == "filebased":
        return f"E-mails are written as files to {settings.EMAIL_FILE_PATH}/ (one .log file per message)."
    if backend == "locmem":
        return "E-mails are kept in memory (tests)."
    return f"E-mails are sent through {settings.EMAIL_BACKEND} ({getattr(settings, 'EMAIL_HOST', '')})."


class Command(RunserverCommand):
    help = "Serve the portal for development, with the periodic jobs in-process when no Redis is set."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-jobs", action="store_true", help="Do not run the periodic jobs in-process.")

    def inner_run(self, *args, **options):
        self._run_jobs = not options.get("no_jobs") and not settings.REDIS_URL
        return super().inner_run(*args, **options)

    def on_bind(self, server_port):
        super().on_bind(server_port)
        if self._run_jobs:
            InProcessScheduler().start()
            jobs = ", ".join(sorted(settings.CELERY_BEAT_SCHEDULE))
            self.stdout.write(f"Periodic jobs run in this process: {jobs}.")
        elif settings.REDIS_URL:
            self.stdout.write("REDIS_URL is set: run `make worker` and `make beat` for tasks and periodic jobs.")
        self.stdout.write(where_emails_go())
        self.print_demo_accounts()

    def print_demo_accounts(self):
        from accounts.demo import DEMO_ACCOUNTS
        from accounts.models import User

        present = set(User.objects.filter(email__in=[a[1] for a in DEMO_ACCOUNTS]).values_list("email", flat=True))
        if not present:
            return
        self.stdout.write("Demo accounts (e-mail / password):")
        for label, email, password, *_ in DEMO_ACCOUNTS:
            if email in present:
                self.stdout.write(f"  {label:<10} {email:<28} {password}")
