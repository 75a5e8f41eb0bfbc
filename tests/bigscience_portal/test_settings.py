import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 60 + "-a-long-random-production-secret",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "SITE_URL": "https://portal.example.org",
}


def _run(args, extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k not in ("SITE_URL",)}
    env.update(extra_env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_settings_without_secret_key_and_debug_off_refuse_to_start():
    result = _run(["manage.py", "check"], {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "DJANGO_DEBUG is off" in result.stderr


def test_settings_with_debug_on_start_without_secret_key():
    result = _run(["manage.py", "check"], {"DJANGO_DEBUG": "true", "DJANGO_SECRET_KEY": ""})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_with_production_values_prints_no_warning():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
