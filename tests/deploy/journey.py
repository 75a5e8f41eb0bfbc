"""The volunteer journey on a portal deployed from nothing, run as its own process with the production settings.

``tests/deploy/test_from_empty_database.py`` runs this module (``python -m tests.deploy.journey``) after
``migrate`` and ``manage.py organizer create`` against a fresh PostgreSQL database, with DJANGO_DEBUG unset.
It drives the site with Django's test client through the full middleware stack, CSRF checks enforced,
over HTTPS to the production host name, reads the e-mails from EMAIL_URL's file backend, and prints
what it finds as JSON for the test to assert.
"""

import json
import os
import re
import sys
from pathlib import Path

import django

HOST = "portal.example.org"
ORIGIN = f"https://{HOST}"


class Browser:
    """One person's client: HTTPS to the production host, CSRF enforced, the token taken from the cookie."""

    def __init__(self):
        from django.test import Client

        self.client = Client(enforce_csrf_checks=True, HTTP_HOST=HOST)
        self.get("/accounts/login/")  # a page with a form: sets the CSRF cookie (renewed at each sign-in)

    def get(self, path):
        response = self.client.get(path, secure=True)
        if response.status_code >= 400:
            raise AssertionError(f"GET {path} answered {response.status_code}")
        return response

    def post(self, path, data, *, expect=302):
        token = self.client.cookies["csrftoken"].value
        response = self.client.post(
            path, {**data, "csrfmiddlewaretoken": token}, secure=True, HTTP_ORIGIN=ORIGIN, HTTP_REFERER=ORIGIN + "/"
        )
        if response.status_code != expect:
            body = response.content.decode(errors="replace")
            errors = re.findall(r'class="(?:error|form-errors)"[^>]*>(.*?)</', body, re.S)
            raise AssertionError(f"POST {path} answered {response.status_code}, not {expect}: {errors}")
        return response


def mails() -> list[tuple[str, str, str]]:
    """(recipient, subject, body) of every e-mail written by the file backend, oldest first."""
    from email import message_from_string, policy

    found = []
    for path in sorted(Path(os.environ["JOURNEY_MAIL_DIR"]).glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                message = message_from_string(raw.strip(), policy=policy.default)
                text = message.get_body(("plain",)).get_content() if message.is_multipart() else message.get_content()
                found.append((str(message["To"]), str(message["Subject"]), text))
    return found


def sign_up(name: str, email: str, password: str) -> Browser:
    """Sign up, open the link of the verification e-mail and confirm: signed in and verified."""
    browser = Browser()
    browser.post("/accounts/signup/", {"name": name, "email": email, "password1": password, "password2": password})
    links = [
        re.search(rf"{ORIGIN}(/accounts/confirm-email/[^/\s]+/)", body).group(1)
        for to, _subject, body in mails()
        if to == email and "/accounts/confirm-email/" in body
    ]
    if not links:
        from django.conf import settings

        from bigscience_portal.models import OutgoingEmail

        outbox = list(OutgoingEmail.objects.values_list("to", "subject", "status", "last_error"))
        raise AssertionError(
            f"no verification link to {email} in {mails()}; outbox {outbox}; "
            f"{settings.EMAIL_BACKEND} {getattr(settings, 'EMAIL_FILE_PATH', '')} {os.listdir(os.environ['JOURNEY_MAIL_DIR'])}"
        )
    link = links[-1]
    browser.get(link)
    browser.post(link, {})
    return browser


def main() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bigscience_portal.settings")
    django.setup()
    from django.conf import settings

    from accounts.models import User
    from roles.models import Application, Committee, Participation, Role
    from working_groups.models import WorkingGroup

    organizer = Browser()
    organizer.post(
        "/accounts/login/", {"login": os.environ["JOURNEY_ORGANIZER"], "password": os.environ["JOURNEY_PASSWORD"]}
    )
    organizer.post(
        "/groups/new/",
        {
            "name": "Data governance",
            "slug": "data-governance",
            "short_description": "How the workshop's data is collected, shared and governed.",
            "description": "",
            "guidelines": "",
            "links": "",
            "is_open": "on",
            "capacity": "",
        },
    )
    group = WorkingGroup.objects.get(slug="data-governance")

    chair = sign_up("Chen Chair", "chen@example.org", "chen-chairs-the-data-group")
    organizer.post(f"/groups/{group.slug}/manage/chairs/appoint/", {"email": "chen@example.org", "note": "First chair"})

    volunteer = sign_up("Vera Volunteer", "vera@example.org", "vera-volunteers-in-2021")
    volunteer.post(
        "/me/profile/",
        {
            "display_name": "Vera",
            "affiliation": "University of Lagos",
            "country": "NG",
            "languages": ["en", "yo"],
            "time_zone": "Africa/Lagos",
            "expertise": "Data licensing.",
        },
    )
    participant = Role.objects.get(slug="participant")
    volunteer.post(
        f"/roles/{participant.slug}/apply/", {"working_group": group.pk, "motivation": "I know data licences."}
    )
    application = Application.objects.get(user__email="vera@example.org")
    chair.post(f"/roles/applications/{application.pk}/decide/", {"decision": "approve", "note": "Welcome!"})

    return {
        "debug": settings.DEBUG,
        "development": settings.DEVELOPMENT,
        "database": settings.DATABASES["default"]["NAME"],
        "committees": sorted(Committee.objects.values_list("slug", flat=True)),
        "roles": list(Role.objects.values_list("slug", "time_commitment")),
        "people": sorted(User.objects.values_list("email", flat=True)),
        "participations": sorted(
            Participation.objects.values_list("user__email", "role__slug", "working_group__slug", "status")
        ),
        "application": Application.objects.values_list("status", "reviewer__email").get(pk=application.pk),
        "mail": [(to, subject) for to, subject, _ in mails()],
        "confirm_greeting": next(
            body.strip().splitlines()[0] for _to, subject, body in mails() if "Confirm" in subject
        ),
        "group_page": volunteer.get(f"/groups/{group.slug}/").status_code,
    }


if __name__ == "__main__":
    result = main()
    json.dump(result, sys.stdout, default=list)
