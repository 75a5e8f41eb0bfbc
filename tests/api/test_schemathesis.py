"""Fuzz the whole API from its own schema against a live server with the demo data.

Starts gunicorn on a free port with a fresh SQLite database, loads the demo data, gives the demo
chair a personal token, and runs ``schemathesis run`` with a bounded number of examples and a time
budget. Passes when schemathesis finds no server error and no response that the schema does not
describe (status code, content type, headers, body).

Two of schemathesis' checks are left out on purpose: ``positive_data_acceptance`` (a request that
fits the schema may still be refused by the rules, e.g. 409 for a duplicate application) and
``negative_data_rejection`` (query filters ignore an empty value rather than refuse it).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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
def live_server_with_demo(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fuzz.sqlite3'}",
        "DJANGO_DEBUG": "true",
        "REDIS_URL": "",
        "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
        # Generous limits: the fuzzer is one caller sending thousands of requests.
        "API_RATE_PER_TOKEN": "100000/min",
        "API_RATE_PER_USER": "100000/min",
        "API_RATE_PER_ADDRESS": "100000/min",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "load_demo")
    token = _manage(
        env,
        "shell",
        "-c",
        "from accounts.models import User; from accounts.tokens import create_token; "
        "print(create_token(user=User.objects.get(email='chair@example.org'), name='fuzz')[1])",
    ).split()[-1]
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
        yield f"http://127.0.0.1:{port}", token, tmp_path / "server.log"
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.mark.fuzz
def test_schemathesis_finds_no_server_error_and_no_undocumented_response(live_server_with_demo):
    base, token, server_log = live_server_with_demo
    command = [
        str(BIN / "schemathesis"), "run", f"{base}/api/schema/",
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
