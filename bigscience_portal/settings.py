"""Settings for the workshop portal, read from the environment.

Production is the default and fails closed: with ``DJANGO_DEBUG`` unset or false, start-up stops with a
message naming every missing variable among ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``,
``SITE_URL``, ``DATABASE_URL`` and ``EMAIL_URL``. The conveniences of a developer's machine (debug, a
development secret key, SQLite under ``var/``, e-mail printed to the console) come only with
``DJANGO_DEBUG=true``, which ``make run`` sets; the tests use ``tests/settings.py``, which sets it too
and adds the test-only switches. ``REDIS_URL`` switches to a real broker and cache. See ``.env.example``
and the README for the full table.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# What the environment asked for. The test runner turns DEBUG off at run time; this stays.
DEVELOPMENT = DEBUG

_missing: list[str] = []


def _setting(name: str, *, development: str, production_hint: str) -> str:
    """The variable's value; without it, the development default, or (in production) a note of what is missing."""
    value = env.str(name, default="")
    if value:
        return value
    if DEVELOPMENT:
        return development
    _missing.append(f"{name} is not set: {production_hint}")
    return ""


SECRET_KEY = _setting(
    "DJANGO_SECRET_KEY",
    development="insecure-development-key-do-not-use-in-production",
    production_hint="a long random string (python -c 'import secrets; print(secrets.token_urlsafe(50))').",
)
ALLOWED_HOSTS = _setting(
    "DJANGO_ALLOWED_HOSTS",
    development="localhost,127.0.0.1,[::1],testserver",
    production_hint="the site's host names, comma-separated (portal.example.org).",
).split(",")
ALLOWED_HOSTS = [host.strip() for host in ALLOWED_HOSTS if host.strip()]
SITE_URL = _setting(
    "SITE_URL",
    development="http://127.0.0.1:8000",
    production_hint="the site's public address, the base of links in e-mails (https://portal.example.org).",
).rstrip("/")
_DATABASE_URL = _setting(
    "DATABASE_URL",
    development=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
    production_hint="the database (postgres://user:password@host:5432/portal).",
)
_EMAIL_URL = _setting(
    "EMAIL_URL",
    development="consolemail://",
    production_hint="how e-mail leaves (smtp+tls://user:password@smtp.example.org:587).",
)
if _missing:
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is off (production, the default) and the configuration is incomplete:\n  "
        + "\n  ".join(_missing)
        + "\nOn a developer's machine, set DJANGO_DEBUG=true (make run does) for the development defaults."
    )
# The name pages, e-mails (allauth's too, through accounts.adapters) and feeds call the site by.
SITE_NAME = env.str("SITE_NAME", default="BigScience Workshop")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django_countries",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "bigscience_portal",
    "activity",
    "accounts",
    "roles",
    "working_groups",
    "events",
    "newsletter",
    "tasks",
    "credit",
]

# Social login appears only for the providers whose client id and secret are set.
# Hugging Face is an OpenID Connect provider, so it goes through allauth's generic OIDC provider.
SOCIALACCOUNT_PROVIDERS = {}
_github = (env.str("GITHUB_CLIENT_ID", default=""), env.str("GITHUB_CLIENT_SECRET", default=""))
if all(_github):
    INSTALLED_APPS.append("allauth.socialaccount.providers.github")
    SOCIALACCOUNT_PROVIDERS["github"] = {"APPS": [{"client_id": _github[0], "secret": _github[1]}]}
_huggingface = (env.str("HUGGINGFACE_CLIENT_ID", default=""), env.str("HUGGINGFACE_CLIENT_SECRET", default=""))
if all(_huggingface):
    INSTALLED_APPS.append("allauth.socialaccount.providers.openid_connect")
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "huggingface",
                "name": "Hugging Face",
                "client_id": _huggingface[0],
                "secret": _huggingface[1],
                "settings": {"server_url": "https://huggingface.co", "scope": ["openid", "profile", "email"]},
            }
        ]
    }

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",  # the profile's language over the cookie and the browser's
    "bigscience_portal.cache_headers.PrivateWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "bigscience_portal.input_guard.HostileInputMiddleware",  # NUL bytes, impossible times: 400/404 first
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "bigscience_portal.middleware.DatabaseUnavailableMiddleware",
    "bigscience_portal.caching.PublicPageCacheMiddleware",  # last: it stores the view's own output
]

# Public pages served from the cache to visitors, invalidated by any write (bigscience_portal/caching.py).
# Off in tests (data is created behind the pages' back; the cache's own tests turn it on), in debug, and
# without Redis (PUBLIC_PAGE_CACHE_ENABLED is set below, with the cache).
PUBLIC_PAGE_CACHE_SECONDS = 300
# Query parameters the cached pages read (the API's are taken from its view classes); any other makes
# the request uncached rather than a new entry.
PUBLIC_PAGE_CACHE_QUERY_PARAMS = {"events:detail": ["tz"]}
PUBLIC_PAGE_CACHE_VIEWS = [
    "home",
    "roles:list",
    "roles:detail",
    "roles:steering",
    "roles:figures",
    "working_groups:list",
    "working_groups:detail",
    "events:list",
    "events:detail",
    "events:public_feed",
    "events:ics",
    "newsletter:news_list",
    "newsletter:news_detail",
    "newsletter:news_feed",
    "newsletter:issue_list",
    "newsletter:issue_detail",
    "tasks:board",
    "tasks:detail",
    "tasks:languages",
    "role-list",
    "working-group-list",
    "working-group-detail",
    "working-group-member-list",
    "event-list",
    "event-detail",
    "session-list",
    "news-post-list",
    "news-post-detail",
    "newsletter-issue-list",
    "newsletter-issue-detail",
]

ROOT_URLCONF = "bigscience_portal.urls"
WSGI_APPLICATION = "bigscience_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bigscience_portal.context_processors.portal",
            ],
        },
    },
]

# Database: DATABASE_URL (in development, a SQLite file under var/ without it).
DATABASES = {"default": env.db_url_config(_DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before reuse so a restarted PostgreSQL is survived.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default takes a burst of writes: readers do not block the writer (WAL), a write
    # transaction takes the lock when it begins (IMMEDIATE) instead of failing at its first write
    # when another one got there first, and waits its turn for up to 20 s instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker, result backend and cache when set; otherwise in-process.
# The broker and results use REDIS_URL's database; the cache the other one of its pair (0 and 1, 2 and 3,
# ..., 14 and 15: /0 gives the cache /1, /15 gives it /14), so a cache flush or an eviction never reaches
# a queue. REDIS_CACHE_URL puts the cache elsewhere (a Redis of its own with maxmemory; see the README).
REDIS_URL = env.str("REDIS_URL", default="")


def _redis_db(url: str) -> int:
    path = urlsplit(url).path.strip("/")
    return int(path) if path.isdigit() else 0


def _with_redis_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default="") or (
    _with_redis_db(REDIS_URL, _redis_db(REDIS_URL) ^ 1) if REDIS_URL else ""
)
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {
                # A cache outage must not take pages down: reads miss, writes are dropped; a server that
                # failed a moment ago is not asked again for a few seconds (bigscience_portal/availability.py).
                "CLIENT_CLASS": "bigscience_portal.availability.CircuitBreakerClient",
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    # The circuit logs once when it opens; a traceback per skipped call would flood the log.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}

# The page cache's content version must be shared by every process that serves pages: with the
# local-memory cache each process would keep its own, and visitors of the others would see a page
# up to PUBLIC_PAGE_CACHE_SECONDS old after an edit. So without Redis the page cache is off.
PUBLIC_PAGE_CACHE_ENABLED = env.bool("PUBLIC_PAGE_CACHE", default=bool(REDIS_CACHE_URL) and not DEVELOPMENT)
if PUBLIC_PAGE_CACHE_ENABLED and not REDIS_CACHE_URL:
    raise ImproperlyConfigured(
        "PUBLIC_PAGE_CACHE=true needs REDIS_URL (or REDIS_CACHE_URL): with the local-memory cache each "
        "process keeps its own copy, and visitors would see pages that are out of date."
    )

SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.VerifiedAddressBackend",  # allauth's, refusing unverified secondary addresses
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

# django-allauth: e-mail only, verified before the account can act.
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Subjects are prefixed with "[SITE_NAME] " by accounts.adapters.AccountAdapter.format_email_subject.
# Sign-up asks for a name, and does the same work whether the address has an account or not.
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Sign-in with a code sent by e-mail: it still works when password sign-in is paused for an account.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated here so they are visible; the cache is shared across processes.
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    # Per address across accounts, and per account across addresses (the outer brute-force bound;
    # see accounts/lockout.py for the per account-and-address wait, and docs/architecture.md).
    "login_failed": "10/m/ip,20/15m/key",
    "confirm_email": "1/3m/key",
}
# Behind the TLS proxy every request comes from the proxy's address. X-Forwarded-For is believed only
# from these addresses or networks (bigscience_portal/client_ip.py), for sign-in, sign-up and API limits;
# from anyone else the connection's own address counts, so a forged header changes nothing.
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

# E-mail: EMAIL_URL (in development, printed to the console without it).
EMAIL_CONFIG = env.email_url_config(_EMAIL_URL)
vars().update(EMAIL_CONFIG)
# A hung SMTP server must not hold a claim past its lease (bigscience_portal/outbox.py: LEASE is 30 s).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=15)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="BigScience Workshop <workshop@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages of the interface and the e-mails. Adding one: append it here, run makemessages, translate
# locale/<code>/LC_MESSAGES/django.po; `make install` compiles the catalogues (see the README).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The header's switcher remembers a visitor's choice for a year; a signed-in person's profile wins.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEVELOPMENT
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEVELOPMENT
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
MEDIA_ROOT = VAR_DIR / "media"

# Security. Production values are the defaults whenever debug is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEVELOPMENT)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEVELOPMENT else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEVELOPMENT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything comes from this site; no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Celery: a real broker when REDIS_URL is set, otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing a task while the broker is down must not hold a request for seconds: try briefly, then give
# up; e-mails stay in the outbox and the sweep sends them when the broker is back.
# A hung Redis (accepts, never answers) is bounded by the socket timeout, and the circuit of
# bigscience_portal/availability.py stops asking it for a few seconds after one failure.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 1, "socket_timeout": 1}
CELERY_BEAT_SCHEDULE = {
    "flush-outbox": {"task": "bigscience_portal.tasks.task_flush_outbox", "schedule": 60.0},
    "remind-unanswered-applications": {
        "task": "roles.tasks.task_remind_unanswered_applications",
        "schedule": 3600.0,
    },
    "application-digests": {"task": "roles.tasks.task_send_application_digests", "schedule": 3600.0},
    "event-reminders": {"task": "events.tasks.task_send_event_reminders", "schedule": 300.0},
    "event-messages-sweep": {"task": "events.tasks.task_deliver_pending_event_messages", "schedule": 60.0},
    # Cheap check; the service decides whether an issue is due, due to go out, or overdue.
    "newsletter-schedule": {"task": "newsletter.tasks.task_run_newsletter_schedule", "schedule": 600.0},
    # Claims silent for a week are reminded once, then released a week later; the service decides.
    "task-claims-idle": {"task": "tasks.tasks.task_check_idle_claims", "schedule": 3600.0},
    # Resumes a dead worker's batches within about a minute (outbox.LEASE + this interval).
    "newsletter-sweep": {"task": "newsletter.tasks.task_sweep_newsletter", "schedule": 15.0},
}
CELERY_TIMEZONE = "UTC"

# Django REST Framework and the OpenAPI schema.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "bigscience_portal.api.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "bigscience_portal.api_schema.PortalAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "bigscience_portal.api.PortalPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "bigscience_portal.api.TokenRateThrottle",
        "bigscience_portal.api.UserRateThrottle",
        "bigscience_portal.api.AddressRateThrottle",
    ],
    # Counted in the cache (Redis in production), so the limits hold across processes.
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_RATE_PER_TOKEN", default="120/min"),
        "user": env.str("API_RATE_PER_USER", default="300/min"),
        "address": env.str("API_RATE_PER_ADDRESS", default="600/min"),
    },
    "EXCEPTION_HANDLER": "bigscience_portal.api.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BigScience workshop portal API",
    "DESCRIPTION": (
        "Read the workshop's public data and act as yourself, under the same rules as the site's pages. "
        "Authenticate with a personal token from /me/tokens/ (`Authorization: Bearer <token>`) or, "
        "from the site's own pages, with the session cookie and the CSRF token. Errors are JSON: "
        '`{"detail": "...", "code": "..."}`, with `fields` for invalid input.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "roles.models.Application.Status",
        "ParticipationStatusEnum": "roles.models.Participation.Status",
        "RegistrationStatusEnum": "events.models.Registration.Status",
        "TaskStatusEnum": "tasks.models.Task.Status",
        "ClaimStatusEnum": "tasks.models.Claim.Status",
        "ContributionStatusEnum": "tasks.models.Contribution.Status",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.security.csrf": {"level": "WARNING"}},
}
