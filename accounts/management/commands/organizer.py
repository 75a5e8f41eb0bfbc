"""Organizer rights from the command line: the first organizer of a new portal, and changes later.

    manage.py organizer create ada@example.org --name "Ada Lovelace"   # asks for the password twice
    manage.py organizer grant chen@example.org
    manage.py organizer revoke chen@example.org
    manage.py organizer list

``create --no-input`` reads the password from DJANGO_ORGANIZER_PASSWORD (for scripts). Each change
goes through ``accounts.services`` and is recorded in the activity log with the operator as actor
(no person: the command runs with the server's own rights).
"""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import User


class Command(BaseCommand):
    help = "Create the first organizer, grant or revoke organizer rights, or list the organizers."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a new account that is an organizer.")
        create.add_argument("email")
        create.add_argument("--name", default="", help="The name shown to others.")
        create.add_argument(
            "--no-input",
            action="store_true",
            dest="no_input",
            help="Do not prompt: read the password from DJANGO_ORGANIZER_PASSWORD.",
        )
        grant = actions.add_parser("grant", help="Make an existing account an organizer.")
        grant.add_argument("email")
        revoke = actions.add_parser("revoke", help="Take organizer rights away (never from the last organizer).")
        revoke.add_argument("email")
        actions.add_parser("list", help="List the organizers.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ValidationError as error:
            raise CommandError(" ".join(str(message) for message in error.messages)) from error

    def _account(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the address {email}. Use `organizer create` for a new one.")
        return user

    def _password(self, no_input: bool) -> str:
        if no_input:
            password = os.environ.get("DJANGO_ORGANIZER_PASSWORD", "")
            if not password:
                raise CommandError("--no-input needs the password in DJANGO_ORGANIZER_PASSWORD.")
            return password
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password

    def _create(self, *, email, name, no_input, **options):
        user = services.create_organizer(email=email, password=self._password(no_input), display_name=name)
        self.stdout.write(self.style.SUCCESS(f"{user.email} is an organizer; they can sign in now."))

    def _grant(self, *, email, **options):
        user = services.grant_organizer(user=self._account(email))
        self.stdout.write(self.style.SUCCESS(f"{user.email} is now an organizer."))

    def _revoke(self, *, email, **options):
        user = services.revoke_organizer(user=self._account(email))
        self.stdout.write(self.style.SUCCESS(f"{user.email} is no longer an organizer."))

    def _list(self, **options):
        for user in services.organizers():
            self.stdout.write(user.email)
