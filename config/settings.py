"""Jobmål's one settings module. Everything that differs between machines comes from the environment, and on a
development checkout from its `.env` (config/envfile.py). Importing it starts nothing: the embedded servers are
only located here and started by the entry points (config/services.py)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from config import envfile, services

BASE_DIR = Path(__file__).resolve().parent.parent
envfile.load()  # before anything below reads the environment; real variables win over the file


YES, NO = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    """A yes/no setting. A value that is neither is refused, naming it: `DEBUG=ture` must not quietly mean false."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value not in YES | NO:
        raise ImproperlyConfigured(f"{name}={raw!r} is neither true nor false: use true/false, 1/0, yes/no or on/off")
    return value in YES


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# Production is anything not explicitly DEBUG: it must be given a real secret, never a fallback.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment when DEBUG is off. On a development checkout, run "
            "`make run` once or create .env with DEBUG=true."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"  # noqa: S105 (never used without DEBUG)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# Without DATABASE_URL / REDIS_URL, the embedded servers under EMBEDDED_DIR (var/ by default). Their place is
# computed here; the entry points start them (config/services.py).
EMBEDDED_DIR = services.embedded_dir()

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {"default": services.postgres_settings(EMBEDDED_DIR / "pg")}
# A kept connection is checked before a request uses it: after a database restart the next request reconnects
# instead of failing on the dead connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_jobmaal")}

REDIS_URL = os.environ.get("REDIS_URL") or services.redis_url()
# REDIS_DB picks another of the server's numbered databases than the URL names. The test suite gives each of its
# parallel processes its own (tests/env.py): one server, never a shared key, queue or lock.
if os.environ.get("REDIS_DB"):
    REDIS_URL = services.with_redis_db(REDIS_URL, envint("REDIS_DB", 0))

# Rendered page fragments, shared by all web workers. They carry the version of the data behind them
# (municipalities/data_version.py), and the prefix carries the database, so two databases on one Redis (a developer's
# `make run` and the test suite, say) never see each other's pages.
# Nothing in it is the only copy (sessions are written through to PostgreSQL), so while Redis is down the cache
# answers "not cached" and pages are served from PostgreSQL (config/cache.py). Short timeouts: a hung Redis must
# not hold a page for long.
CACHES = {
    "default": {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", DATABASES["default"].get("NAME") or "jobmaal"),
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "config.storage.StaticFiles",  # django.contrib.staticfiles, collecting only what pages use
    "django.contrib.humanize",
    "django_celery_beat",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "municipalities",
    "indicators",
    "goals",
    "dashboard",
    "reports",
]

MIDDLEWARE = [
    "config.middleware.HealthCheckMiddleware",
    "config.middleware.RequestSizeMiddleware",  # before anything reads the body
    "config.middleware.RefuseNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Danish unless the reader chose English (never the browser's Accept-Language); needs the user, so after auth.
    "municipalities.language.DanishFirstMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    # Last, so that its process_exception is the first to see a view's exception (an outage: 503, config/outage.py).
    "config.outage.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "indicators.context_processors.demo",
                "config.menu.menu",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Danish first, English available; Danish formats (decimal comma, thousands dot, "1. marts 2020").
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]  # Danish times with a full stop: "kl. 17.40" (config/formats/da)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("dkfds", NODE_MODULES / "dkfds" / "dist"),
    # plotly.js from the installed plotly package, so the browser draws exactly what Python built.
    ("plotly", Path(__import__("plotly").__file__).parent / "package_data"),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.js's stylesheets, cut from that plotly.min.js, so that styles need no 'unsafe-inline' (plotly_css.py).
    "config.plotly_css.PlotlyCSSFinder",
]
# Collected, hashed and compressed (Brotli and gzip, config/storage.py) in production and under `make run`, which
# collects them first and sets STATIC_COMPRESSED: a goal page's plotly.js is 4.8 MB as a file and 1.1 MB as sent.
# Tests and runserver serve the files as they are from the finders, with nothing to collect.
STATIC_COMPRESSED = envbool("STATIC_COMPRESSED", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "config.storage.StaticStorage"
        if STATIC_COMPRESSED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_COMPRESSED
# Not compressed: what is compressed already, and what no browser is sent here (source maps; TTF and EOT fonts, as
# the design system's CSS offers WOFF2 first). Brotli at its best over them took 16 s of a first `make run`.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map", "ttf", "eot"]
WHITENOISE_AUTOREFRESH = not STATIC_COMPRESSED  # tests run with DEBUG forced off; keep serving from the finders there

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Celery: Redis as broker and result store; tasks acknowledged after they finish so a lost worker's
# job is redelivered.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 3600)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 3300)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Queue chart rebuilds in the worker after each import and each target or own-indicator edit (goals/rendering.py).
# The test suite turns it off and renders itself, so that its edits do not leave work for some other worker.
RENDER_CHARTS_AFTER_IMPORT = envbool("RENDER_CHARTS_AFTER_IMPORT", True)
# Committee reports are built on queues of their own, so that a release pack (two files for each of 192 areas)
# never holds up an import or a chart rebuild: a report somebody asked for on REPORTS_QUEUE, the pack's on
# PACKS_QUEUE. The worker takes its queues in the order given (`-Q celery,reports,packs`) and always the first that
# holds a task ("priority" order), so a person's report waits only for the builds already running, never for the
# pack's queue. With one task reserved per process (acks late, prefetch 1), nothing else waits in a process.
REPORTS_QUEUE = os.environ.get("REPORTS_QUEUE", "reports")
PACKS_QUEUE = os.environ.get("PACKS_QUEUE", "packs")
WORKER_QUEUES = f"celery,{REPORTS_QUEUE},{PACKS_QUEUE}"
CELERY_BROKER_TRANSPORT_OPTIONS = {"queue_order_strategy": "priority"}
REPORT_TIME_LIMIT = envint("REPORT_TIME_LIMIT", 300)
# After an import of national figures: build every municipality's and jobcentre's pack and e-mail subscribers.
BUILD_REPORT_PACKS = envbool("BUILD_REPORT_PACKS", True)
# Links in e-mails point here (no request to take the host from in a worker).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The analysts' read-only JSON API (indicators/api.py): a session or a token (`Authorization: Token …`) is
# always needed. JSON only; the browsable API only while developing. Decimals go out as JSON numbers.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header turns "not logged in" into a 401 rather than a 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "indicators.parsers.BoundedJSONParser",  # a depth limit: deep nesting was a RecursionError
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # indicators.api.Pagination adds the `page_size` query parameter, capped at 5000.
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 500,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jobmål API",
    "DESCRIPTION": (
        "Read-only access for analysts to Jobmål's indicators, areas and observations (the figures behind the "
        "employment-policy goals). Log in or send `Authorization: Token <key>`. Demo data is always flagged."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {"AreaKindEnum": "municipalities.models.Area.Kind"},  # Area.kind, Indicator.area_level
}

# The goal set pages show unless `?aar=` asks for another (goals.models.GoalSetQuerySet.current).
DEFAULT_GOAL_YEAR = envint("DEFAULT_GOAL_YEAR", 2020)

JOBINDSATS_API_KEY = os.environ.get("JOBINDSATS_API_KEY", "")
JOBINDSATS_BASE_URL = os.environ.get("JOBINDSATS_BASE_URL", "https://api.jobindsats.dk")

# In development the e-mails (report subscriptions) are written as files to EMAIL_FILE_PATH, which `make run` names.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jobmaal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers; the production values are what `manage.py check --deploy` asks for.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# A request body over this is refused from its Content-Length before it is read (config/middleware.py): an upload
# may be 2 MB (goals/local_indicators.py), the rest of a form is small. Up to it, an upload is held in memory.
MAX_REQUEST_BODY = envint("MAX_REQUEST_BODY", 3 * 2**20)
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY
# Sessions read from Redis and written through to PostgreSQL: no database query per page to find the session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTHENTICATION_BACKENDS = ["municipalities.backends.RoleBackend"]
# Failed log-ins are counted in the cache; past a limit within LOGIN_LOCKOUT_SECONDS log-in is locked for that
# long (municipalities/login_throttle.py). An address gets more tries than a username: a town hall shares one.
LOGIN_FAILURES_PER_USERNAME = 5
LOGIN_FAILURES_PER_ADDRESS = 20
LOGIN_LOCKOUT_SECONDS = 15 * 60
# How many proxies in front of the app append the client's address to X-Forwarded-For: set by the deployment, which
# alone knows. 0 (the default) trusts no such header, as a client that reaches the app directly can write it itself
# and so escape the per-address lock; behind one TLS proxy that appends the address, 1 (docker-compose.yml).
NUM_PROXIES = envint("NUM_PROXIES", 0)
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Chatty libraries: pgserver narrates every handle it opens and closes, chromium's driver every start and stop.
    "loggers": {name: {"level": "WARNING"} for name in ("pgserver", "choreographer", "logistro", "browser_proc")},
}
