"""`make run`'s pieces: the in-process scheduler, the start-up output, and a README that matches the settings."""

import re
from io import StringIO
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.core import mail

from bigscience_portal.management.commands.serve import Command, where_emails_go
from bigscience_portal.scheduler import InProcessScheduler

ROOT = Path(settings.BASE_DIR)


def test_every_variable_the_settings_read_is_in_the_readme_table():
    source = (ROOT / "bigscience_portal" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', source))
    assert {"DJANGO_SECURE_SSL_REDIRECT", "DJANGO_SECURE_COOKIES", "SITE_NAME"} <= read
    table = {
        name
        for line in (ROOT / "README.md").read_text().splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`([A-Z][A-Z_]+)`", line.split("|")[1])
    }
    assert read - table == set()


def test_the_readmes_file_email_example_works_as_written(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    example = re.search(r"EMAIL_URL=(filemail://\S+) make run", readme).group(1)
    config = environ.Env.email_url_config(example)
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert config["EMAIL_FILE_PATH"] == "var/mail"  # relative to the project, where make runs
    monkeypatch.chdir(tmp_path)
    from django.core.mail import get_connection
    from django.core.mail.message import EmailMessage

    connection = get_connection(config["EMAIL_BACKEND"], file_path=config["EMAIL_FILE_PATH"])
    EmailMessage("Hi", "Body", "a@example.org", ["b@example.org"], connection=connection).send()
    assert len(list((tmp_path / "var" / "mail").iterdir())) == 1


@pytest.mark.django_db
def test_the_scheduler_runs_each_job_when_due_and_again_after_its_interval():
    now = [100.0]
    scheduler = InProcessScheduler(
        {
            "fast": {"task": "bigscience_portal.tasks.task_flush_outbox", "schedule": 60.0},
            "slow": {"task": "roles.tasks.task_remind_unanswered_applications", "schedule": 3600.0},
        },
        first_after=5,
        clock=lambda: now[0],
    )
    assert scheduler.run_due() == []
    now[0] += 5
    assert scheduler.run_due() == ["fast", "slow"]
    now[0] += 59
    assert scheduler.run_due() == []
    now[0] += 1
    assert scheduler.run_due() == ["fast"]


@pytest.mark.django_db(transaction=True)
def test_every_beat_job_runs_in_process_without_error(caplog):
    scheduler = InProcessScheduler(first_after=0)
    assert sorted(scheduler.run_due()) == sorted(settings.CELERY_BEAT_SCHEDULE)
    assert "failed" not in caplog.text


@pytest.mark.django_db
def test_startup_output_says_where_emails_go_and_lists_the_demo_accounts(settings):
    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert where_emails_go() == "E-mails are printed in this terminal (the sign-up verification link is there)."
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = "var/mail"
    assert where_emails_go() == "E-mails are written as files to var/mail/ (one .log file per message)."
    out = StringIO()
    command = Command(stdout=out)
    command.print_demo_accounts()
    lines = out.getvalue().splitlines()
    assert lines[0] == "Demo accounts (e-mail / password):"
    assert [line.split()[0] for line in lines[1:]] == ["organizer", "chair", "advisor", "attendant"]
    assert "organizer@example.org" in lines[1]
    assert mail.outbox == []
