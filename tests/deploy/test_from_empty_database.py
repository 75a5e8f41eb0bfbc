"""From an empty PostgreSQL database to a working workshop, with the production settings and the README's steps.

A fresh database is created on the test database's server and dropped at the end. Everything runs in child
processes whose environment is a production one (DJANGO_DEBUG unset, no development default): ``check --deploy
--fail-level WARNING`` (what ``make prod`` runs first), ``migrate``, ``organizer create`` and then the volunteer
journey (tests/deploy/journey.py), with no demo loader.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.postgres


@pytest.fixture
def empty_database(db):
    """A new, empty database on the same PostgreSQL server as the tests'; dropped afterwards."""
    import psycopg2
    from psycopg2 import sql

    params = connection.settings_dict
    server = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
    }
    name = f"portal_fresh_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(dbname="postgres", **server)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    auth = server["user"] + (f":{server['password']}" if server["password"] else "")
    try:
        yield name, f"postgres://{auth}@{server['host']}:{server['port']}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


def _production_env(database_url: str, mail_dir: Path) -> dict:
    """What an operator sets, and nothing of the test configuration (no DJANGO_DEBUG, no test Redis numbering)."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "PORTAL_"))
        and key not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "bigscience_portal.settings",
        "DJANGO_SECRET_KEY": "a-production-secret-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        "SITE_URL": "https://portal.example.org",
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"filemail:///{mail_dir}",  # an absolute path: filemail:////tmp/...
        "DJANGO_STATIC_ROOT": str(mail_dir.parent / "static"),
        "DEFAULT_FROM_EMAIL": "BigScience Workshop <workshop@portal.example.org>",
        "PYTHONPATH": str(ROOT),
    }


def _run(env: dict, *args: str, extra: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**env, **(extra or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_a_fresh_production_database_reaches_a_working_workshop(empty_database, tmp_path):
    name, database_url = empty_database
    mail_dir = tmp_path / "mail"
    env = _production_env(database_url, mail_dir)

    # The README's production steps, in order (the database was created above).
    check = _run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in check.stdout
    _run(env, "manage.py", "migrate", "--noinput", "-v0")
    _run(env, "manage.py", "collectstatic", "--noinput", "-v0")
    created = _run(
        env,
        "manage.py",
        "organizer",
        "create",
        "ada@example.org",
        "--name",
        "Ada",
        "--no-input",
        extra={"DJANGO_ORGANIZER_PASSWORD": "ada-organizes-the-workshop"},
    )
    assert "ada@example.org is an organizer" in created.stdout
    # The demo loader is refused on this portal.
    refused = subprocess.run(
        [sys.executable, "manage.py", "load_demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode != 0
    assert "Refusing to load demo accounts in production" in refused.stderr

    journey = _run(
        env,
        "-m",
        "tests.deploy.journey",
        extra={
            "JOURNEY_ORGANIZER": "ada@example.org",
            "JOURNEY_PASSWORD": "ada-organizes-the-workshop",
            "JOURNEY_MAIL_DIR": str(mail_dir),
        },
    )
    result = json.loads(journey.stdout.strip().splitlines()[-1])

    assert (result["debug"], result["development"], result["database"]) == (False, False, name)
    assert result["committees"] == ["organization", "steering"]
    assert result["roles"] == [
        ["advisor", "Light: read a newsletter every two weeks, give feedback"],
        ["participant", "Medium: depends on the chosen working group"],
        ["chair", "More significant: also depends on the working group"],
        ["attendant", "Free: up to you"],
    ]
    # Nobody but the operator's organizer and the two people who signed up: no demo account.
    assert result["people"] == ["ada@example.org", "chen@example.org", "vera@example.org"]
    assert result["participations"] == [
        ["chen@example.org", "chair", "data-governance", "active"],
        ["vera@example.org", "participant", "data-governance", "active"],
    ]
    assert result["application"] == ["approved", "chen@example.org"]
    assert sorted(result["mail"]) == [
        ["chen@example.org", "New application to Data governance: Vera"],  # the chair hears of it at once
        ["chen@example.org", "You are now a chair of Data governance"],
        ["chen@example.org", "[BigScience Workshop] Confirm your e-mail address"],
        ["vera@example.org", "We received your application: Working Group Participant in Data governance"],
        ["vera@example.org", "Welcome: you are now Working Group Participant in Data governance"],
        ["vera@example.org", "[BigScience Workshop] Confirm your e-mail address"],
    ]
    # The site's domain comes from the reference data migration (SITE_URL), not Django's example.com;
    # its name (SITE_NAME) is in the subjects above.
    assert result["confirm_greeting"] == "Someone signed up on portal.example.org with this e-mail address."
    assert result["group_page"] == 200
