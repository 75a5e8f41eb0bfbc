from django.core.management.base import BaseCommand

from bigscience_portal.translations import compile_all


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (pure Python: GNU gettext is not needed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rebuild even the .mo files that are up to date.")

    def handle(self, *args, force=False, **options):
        written = compile_all(force=force)
        for path in written:
            self.stdout.write(f"compiled {path.with_suffix('.mo')}")
        if not written and options["verbosity"] > 1:
            self.stdout.write("the compiled catalogues are up to date")
