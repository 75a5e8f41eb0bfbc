import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RENDER_LOGIN = (
    "from django.core.management import call_command; call_command('migrate', verbosity=0);"
    "from django.test import Client; print(Client().get('/accounts/login/').content.decode())"
)


def _login_page(extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "HUGGINGFACE_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": "sqlite:///:memory:", **extra_env})
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", RENDER_LOGIN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("env", "expected", "absent"),
    [
        ({}, set(), {"GitHub", "Hugging Face"}),
        ({"GITHUB_CLIENT_ID": "id", "GITHUB_CLIENT_SECRET": "secret"}, {"GitHub"}, {"Hugging Face"}),
        ({"GITHUB_CLIENT_ID": "id"}, set(), {"GitHub"}),  # a client id without its secret is not enough
        ({"HUGGINGFACE_CLIENT_ID": "id", "HUGGINGFACE_CLIENT_SECRET": "secret"}, {"Hugging Face"}, {"GitHub"}),
    ],
)
def test_social_login_buttons_appear_only_when_configured(env, expected, absent):
    page = _login_page(env)
    for name in expected:
        assert name in page
    for name in absent:
        assert name not in page
