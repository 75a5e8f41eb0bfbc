"""Fuzz the whole API from its own schema against a live server with the demo data.

Starts gunicorn on a free port with a fresh database (PostgreSQL when the suite runs on it: a
throwaway database on the same server, dropped afterwards; SQLite otherwise), loads the demo data,
gives the demo chair a personal token, and runs ``schemathesis run`` with a bounded number of
examples and a time budget. The API's rate limits are raised for that server, and the path
parameters of operations on existing objects (slugs, ids, issue numbers) are drawn from the demo
data most of the time, so that the fuzzer reaches the real views, authenticated, rather than 404s.
Passes when schemathesis finds no server error and no response that the schema does not describe
(status code, content type, headers, body).

Two of schemathesis' checks are left out on purpose: ``positive_data_acceptance`` (a request that
fits the schema may still be refused by the rules, e.g. 409 for a duplicate application) and
``negative_data_rejection`` (query filters ignore an empty value rather than refuse it).
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TIME_BUDGET = 100  # seconds of fuzzing; the whole test stays near two minutes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped while starting"
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own http://127.0.0.1 address
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the server did not answer {url}")


@pytest.fixture
def fuzz_database_url(tmp_path):
    """A fresh database for the fuzzed server: on the suite's PostgreSQL server if it uses one."""
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'fuzz.sqlite3'}"
        return
    import psycopg2

    parts = urlsplit(suite_url)
    name = f"{parts.path.lstrip('/') or 'portal'}_fuzz_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))

    def run(sql):
        connection = psycopg2.connect(admin)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The path parameters of operations on existing objects, and where their valid values come from.
EXISTING = {
    "^/api/v1/events/\\{slug\\}/$": ("slug", "events.Event", "slug"),
    "^/api/v1/news/\\{slug\\}/$": ("slug", "newsletter.NewsPost", "slug"),
    "^/api/v1/roles/\\{slug\\}/$": ("slug", "roles.Role", "slug"),
    "^/api/v1/working-groups/\\{slug\\}/$": ("slug", "working_groups.WorkingGroup", "slug"),
    "^/api/v1/working-groups/\\{group_slug\\}/members/$": ("group_slug", "working_groups.WorkingGroup", "slug"),
    "^/api/v1/newsletter-issues/\\{number\\}/": ("number", "newsletter.Issue", "number"),
    "^/api/v1/sessions/\\{id\\}/$": ("id", "events.Session", "pk"),
    "^/api/v1/(me/)?applications/\\{id\\}/": ("id", "roles.Application", "pk"),
    "^/api/v1/(me/)?participations/\\{id\\}/": ("id", "roles.Participation", "pk"),
    "^/api/v1/me/registrations/\\{id\\}/": ("id", "events.Registration", "pk"),
}
_VALUES_SCRIPT = """
import json
from django.apps import apps
wanted = json.loads({wanted!r})
print(json.dumps({{key: sorted({{v for v in apps.get_model(model).objects.values_list(field, flat=True)[:200] if v is not None}}, key=str)
                  for key, (model, field) in wanted.items()}}))
"""


def _write_config(env, path: Path) -> Path:
    """A schemathesis.toml that draws those parameters from the demo data 80% of the time."""
    wanted = {f"{model}.{field}": (model, field) for _, model, field in EXISTING.values()}
    output = _manage(env, "shell", "-c", _VALUES_SCRIPT.format(wanted=json.dumps(wanted)))
    values = json.loads(output.strip().splitlines()[-1])
    lines = []
    for key, found in values.items():
        assert found, f"the demo data has no {key}"
        lines += [f'[dictionaries."{key}"]', f"values = {json.dumps(found)}", ""]
    for regex, (parameter, model, field) in EXISTING.items():
        lines += [
            "[[operations]]",
            f"include-path-regex = '{regex}'",
            f'parameters = {{ "path.{parameter}" = {{ dictionary = "{model}.{field}", probability = 0.8 }} }}',
            "",
        ]
    path.write_text("\n".join(lines))
    return path


@pytest.fixture
def live_server_with_demo(tmp_path, fuzz_database_url):
    env = {
        **os.environ,
        "DATABASE_URL": fuzz_database_url,
        "DJANGO_DEBUG": "true",
        "REDIS_URL": "",
        "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
        # Generous limits: the fuzzer is one caller sending thousands of requests.
        "API_RATE_PER_TOKEN": "100000/min",
        "API_RATE_PER_USER": "100000/min",
        "API_RATE_PER_ADDRESS": "100000/min",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "load_demo")
    token = _manage(
        env,
        "shell",
        "-c",
        "from accounts.models import User; from accounts.tokens import create_token; "
        "print(create_token(user=User.objects.get(email='chair@example.org'), name='fuzz')[1])",
    ).split()[-1]
    config = _write_config(env, tmp_path / "schemathesis.toml")
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "bigscience_portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "30",
         # Django, not gunicorn, should answer long query strings, so the schema's answers apply.
         "--limit-request-line", "0"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/livez", server)
        yield f"http://127.0.0.1:{port}", token, tmp_path / "server.log", config
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.mark.fuzz
def test_the_fuzz_config_draws_existing_ids_from_the_demo_data(tmp_path, fuzz_database_url):
    """Quick: the generated configuration names a dictionary of real values for every such parameter."""
    env = {**os.environ, "DATABASE_URL": fuzz_database_url, "REDIS_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "load_demo")
    text = _write_config(env, tmp_path / "schemathesis.toml").read_text()
    import tomllib

    config = tomllib.loads(text)
    assert len(config["operations"]) == len(EXISTING)
    assert all(config["dictionaries"][key]["values"] for key in config["dictionaries"])


@pytest.mark.fuzz
def test_schemathesis_finds_no_server_error_and_no_undocumented_response(live_server_with_demo):
    base, token, server_log, config = live_server_with_demo
    command = [
        str(BIN / "schemathesis"), "--config-file", str(config), "run", f"{base}/api/schema/",
        "--header", f"Authorization: Bearer {token}",
        "--exclude-checks", "positive_data_acceptance,negative_data_rejection",
        "--max-examples", "10",
        "--max-time", str(TIME_BUDGET),
        "--seed", "20210428",
        "--workers", "1",
        "--request-timeout", "10",
        "--output-truncate", "true",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIME_BUDGET + 60)
    report = result.stdout[-6000:] + result.stderr[-2000:]
    assert "Traceback" not in server_log.read_text(), server_log.read_text()[-4000:]
    assert result.returncode == 0, report
