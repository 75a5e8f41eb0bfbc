import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bigscience_portal import caching

# Each app contributes its part of the 2021 workshop, in this order (later ones use earlier ones).
# The committees, the roles and the Organizers group are reference data: migrations create them.
DEMO_LOADERS = [
    "working_groups.demo.load",
    "accounts.demo.load",
    "newsletter.demo.load_news",
    "events.demo.load",
    "newsletter.demo.load_issues",
    "tasks.demo.load",
    "credit.demo.load",
]


class Command(BaseCommand):
    help = "Load the 2021 BigScience workshop as demo data. Safe to run again: the same rows result."

    def handle(self, *args, **options):
        # The demo accounts have published passwords: never in production, with no way to insist.
        if not settings.DEVELOPMENT:
            raise CommandError(
                "Refusing to load demo accounts in production (DJANGO_DEBUG is off). "
                "A production portal starts from `migrate` and `create_organizer`; see the README."
            )
        context: dict = {}
        with transaction.atomic():
            for path in DEMO_LOADERS:
                module_path, name = path.rsplit(".", 1)
                if importlib.util.find_spec(module_path) is None:
                    continue  # that app has no demo data yet
                loader = getattr(importlib.import_module(module_path), name, None)
                if loader is not None:
                    loader(context)
        caching.bump()  # the demo was written outside any request: cached public pages are stale
        self.stdout.write(self.style.SUCCESS("Demo data loaded: the 2021 BigScience workshop."))
        accounts = context.get("accounts", {})
        if accounts:
            self.stdout.write("Demo accounts (e-mail / password):")
            for label, (email, password) in accounts.items():
                self.stdout.write(f"  {label:<10} {email:<28} {password}")
