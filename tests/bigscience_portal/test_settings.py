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
    "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.org:587",
}


def _run(args, extra_env):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in ("SITE_URL", "DATABASE_URL", "EMAIL_URL", "REDIS_URL")
    }
    env.update(extra_env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_settings_without_secret_key_and_debug_off_refuse_to_start():
    result = _run(["manage.py", "check"], {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "DJANGO_DEBUG is off" in result.stderr


def test_settings_without_any_variable_are_production_and_name_every_missing_one():
    result = _run(["manage.py", "check"], {})
    assert result.returncode != 0
    assert "DJANGO_DEBUG is off (production, the default)" in result.stderr
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "EMAIL_URL"):
        assert f"{name} is not set" in result.stderr


def test_production_without_email_url_refuses_instead_of_printing_mail_to_the_console():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_URL"}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "EMAIL_URL is not set" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" not in result.stderr


def test_production_settings_have_no_debug_no_development_key_and_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.DEVELOPMENT, s.SECRET_KEY.startswith('insecure'), s.EMAIL_BACKEND, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.PUBLIC_PAGE_CACHE_ENABLED, s.PASSWORD_HASHERS[0])"
    )
    result = _run(["manage.py", "shell", "-c", code], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "False",
        "False",
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
        "True",
        "True",
        "False",  # no page cache without Redis: each process's memory would serve stale pages (README)
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


def test_load_demo_is_refused_in_production():
    result = _run(["manage.py", "load_demo"], PRODUCTION_ENV)
    assert result.returncode != 0
    assert "Refusing to load demo accounts in production" in result.stderr


def test_settings_with_debug_on_start_without_secret_key():
    result = _run(["manage.py", "check"], {"DJANGO_DEBUG": "true", "DJANGO_SECRET_KEY": ""})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_with_production_values_prints_no_warning():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
