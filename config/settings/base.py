"""Shared settings. Every value comes from the environment (django-environ);
local/test/production only change defaults or tighten."""

from pathlib import Path

import environ
from celery.schedules import crontab
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

# Core ---------------------------------------------------------------------
# local.py/test.py provide an insecure default; production.py requires it.
SECRET_KEY = env("SECRET_KEY", default=None)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies in front of Django that each append the address they saw to X-Forwarded-For
# (docker-compose: the nginx `proxy`, so 1). Rate limits key on the address that many entries
# from the right, which no client can forge; 0 = REMOTE_ADDR is the client (`make run`).
ADUAN_TRUSTED_PROXY_COUNT = env.int("ADUAN_TRUSTED_PROXY_COUNT", default=0)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # django.contrib.admin, open to national administrators only (common/admin_site.py).
    "common.admin_site.NationalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "common",
    "accounts",
    "complaints",
    "focal_points",
    "reporting",
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
# Where a signed-in reporter lands (staff go to their workspace, /staf/).
LOGIN_REDIRECT_URL = "complaints:my_complaints"
LOGOUT_REDIRECT_URL = "/"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.middleware.PrivatePagesNoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (UX §6) under `make run` too; static files come compressed from WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.middleware.IndonesianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "common.middleware.MaintenanceModeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The fields kept by a language switch go back into the page's form (common.carry).
    "common.carry.CarriedFormMiddleware",
    # Before any view (and CSRF's process_view) reads the body.
    "common.middleware.RequestBodyLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "common.middleware.MethodNotAllowedPageMiddleware",
]

# Plain widgets drawn in Python, byte for byte as Django's templates draw them (common/widgets.py).
FORM_RENDERER = "common.widgets.FastWidgetRenderer"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    # Emails are plain text: nothing in them is HTML-escaped (a title "Jum'at & Sabtu" is
    # mailed as typed, not as "Jum&#x27;at &amp; Sabtu"). Used only for templates/emails/.
    {
        "NAME": "email",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": False},
    },
]

# Non-key (INCLUDE) index columns are a PostgreSQL feature; SQLite (the embedded default of
# `make run`) builds the same indexes without them, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Database -----------------------------------------------------------------
# Services own their transactions (STYLE rule 19), so ATOMIC_REQUESTS stays off.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

# Per-session memory for sorts and bitmaps. PostgreSQL's 4 MB default turns the queue's
# full-text bitmap lossy on large agencies (every row of a lossy page is re-checked): 16 MB
# keeps a searched queue page at 1M complaints near 25 ms instead of 150 ms.
DATABASE_WORK_MEM = env("DATABASE_WORK_MEM", default="16MB")


def postgres_session_options(database: dict) -> dict:
    if database["ENGINE"].endswith("postgresql"):
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c work_mem={DATABASE_WORK_MEM}".strip()
    return database


postgres_session_options(DATABASES["default"])


def sqlite_concurrency_options(database: dict) -> dict:
    """SQLite (the embedded default of `make run`) shared by the web server and the Celery
    worker: write-ahead logging lets readers run beside the one writer, IMMEDIATE transactions
    take the write lock at BEGIN (a read lock upgraded mid-transaction fails at once with
    "database is locked", whatever the timeout), and a writer waits up to 20 s for the lock."""
    if database["ENGINE"].endswith("sqlite3"):
        options = database.setdefault("OPTIONS", {})
        options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 20)
    return database


sqlite_concurrency_options(DATABASES["default"])

# Auth ---------------------------------------------------------------------
# A password-reset link works for one hour, and only until the password changes.
PASSWORD_RESET_TIMEOUT = 60 * 60
AUTH_PASSWORD_VALIDATORS = [
    # Django's checks with UX.md wording (accounts/password_validation.py).
    {"NAME": "accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_validation.NumericPasswordValidator"},
]

# Sessions in the database, one SQL statement per read and per write (common/sessions.py).
SESSION_ENGINE = "common.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every page: scripts and styles only from our own
# static files, so no inline script or handler runs even if markup were injected. A response
# that sets its own policy keeps it (downloads: "default-src 'none'; sandbox"). The API docs
# pages load Swagger UI / ReDoc from a CDN with an inline start-up script and are left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs/", "/api/redoc/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Pages no browser or proxy may store (Cache-Control: no-store): the staff workspace, focal
# oversight, staff reports, the admin, accounts, and a reporter's filing and tracking pages.
ADUAN_NO_STORE_PREFIXES = [
    "/staf/",
    "/focal/",
    "/laporan-statistik/",
    "/admin/",
    "/akun/",
    "/lacak/",
    "/lapor/",
]

# I18N / time --------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"

# Static and media ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Attachments live outside the web root and are never served by a MEDIA URL
# pattern; only the authorised download view streams them.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Email --------------------------------------------------------------------
# EMAIL_URL (e.g. smtp+tls://user:pass@mail.example.org:587) switches to SMTP.
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Aduan <no-reply@aduan.localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Cache --------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Celery -------------------------------------------------------------------
# Default: the kombu filesystem transport, so `make run` needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem"):
    _celery_queue = BASE_DIR / "var" / "celery" / "out"
    _celery_processed = BASE_DIR / "var" / "celery" / "processed"
    _celery_control = BASE_DIR / "var" / "celery" / "control"
    for _folder in (_celery_queue, _celery_processed, _celery_control):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_queue),
        "data_folder_out": str(_celery_queue),
        "processed_folder": str(_celery_processed),
        "control_folder": str(_celery_control),
        "store_processed": False,
    }
else:
    # Redis re-delivers a message nobody acknowledged within the visibility timeout (a worker
    # that died with acks_late). It must exceed the longest countdown (retry backoff, at most
    # 600 s) plus the longest hard time limit (600 s), or a live task would run twice: 3600 s.
    # Deferred messages use not_before in the outbox, never long ETAs.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
# acks_late is safe only because every task is idempotent (STYLE rule 13); a worker killed
# mid-task gets its message redelivered instead of losing it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Defaults; each task in complaints/tasks.py sets its own tighter limits.
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 120
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Two queues: `celery` for the sweeps and the work they hand out, `mail` for delivering
# outbox rows. A catch-up that queues a hundred thousand messages, or a slow mail server,
# never delays the next SLA sweep. A worker started without -Q consumes both (make run);
# docker-compose runs one worker per queue.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = tuple(
    Queue(name, Exchange(name), routing_key=name) for name in ("celery", "mail")
)
CELERY_TASK_ROUTES = {"complaints.notification_deliver": {"queue": "mail"}}
# Publishing from a web request must not hang on a dead broker: the outbox sweep re-sends.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
# Exactly one beat process runs this (DESIGN §8). Times are Asia/Jakarta (CELERY_TIMEZONE);
# `expires` drops a run that waited longer than its interval, as the next tick does the same.
CELERY_BEAT_SCHEDULE: dict = {
    # https://crontab.guru/#*/5_*_*_*_* — every 5 minutes
    "sla-sweep": {
        "task": "complaints.sla_sweep",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 300},
    },
    # https://crontab.guru/#1-59/5_*_*_*_* — every 5 minutes, a minute after the SLA sweep:
    # the reporting facts of new events and of clocks that turned late
    "reporting-facts-refresh": {
        "task": "reporting.facts_refresh",
        "schedule": crontab(minute="1-59/5"),
        "options": {"expires": 300},
    },
    # https://crontab.guru/#30_6_*_*_* — 06:30 daily: on the first working day of a month, the
    # agencies' monthly reports of the month before (the task skips the other days)
    "reporting-monthly-reports": {
        "task": "reporting.monthly_reports",
        "schedule": crontab(minute=30, hour=6),
        "options": {"expires": 3600},
    },
    # https://crontab.guru/#2-59/10_*_*_*_* — every 10 minutes, at 2, 12, 22 … past the hour
    "followups-sweep": {
        "task": "complaints.followups_sweep",
        "schedule": crontab(minute="2-59/10"),
        "options": {"expires": 600},
    },
    # https://crontab.guru/#*_*_*_*_* — every minute
    "outbox-sweep": {
        "task": "complaints.outbox_sweep",
        "schedule": crontab(),
        "options": {"expires": 60},
    },
    # https://crontab.guru/#*_*_*_*_* — every minute: timeline events to SP4N-LAPOR!, webhooks
    "connectors-relay": {
        "task": "complaints.connectors_relay",
        "schedule": crontab(),
        "options": {"expires": 60},
    },
    # https://crontab.guru/#*_*_*_*_* — every minute: the intake mailbox (a no-op without
    # ADUAN_INTAKE_IMAP_URL)
    "intake-mail-poll": {
        "task": "complaints.intake_mail_poll",
        "schedule": crontab(),
        "options": {"expires": 60},
    },
    # https://crontab.guru/#0_7_*_*_1-5 — 07:00 WIB, Monday to Friday (holidays skip inside)
    "focal-digest": {
        "task": "complaints.focal_digest",
        "schedule": crontab(minute=0, hour=7, day_of_week="1-5"),
        "options": {"expires": 3600},
    },
    # https://crontab.guru/#30_2_*_*_* — 02:30 every day
    "draft-uploads-purge": {
        "task": "complaints.draft_uploads_purge",
        "schedule": crontab(minute=30, hour=2),
        "options": {"expires": 3600},
    },
    # https://crontab.guru/#45_2_*_*_* — 02:45 daily: the API's expired Idempotency-Key answers
    "idempotency-purge": {
        "task": "complaints.idempotency_purge",
        "schedule": crontab(minute=45, hour=2),
        "options": {"expires": 3600},
    },
    # https://crontab.guru/#*_*_*_*_* — every minute: the focal board's snapshot
    "focal-board-refresh": {
        "task": "focal_points.board_refresh",
        "schedule": crontab(),
        "options": {"expires": 60},
    },
    # https://crontab.guru/#0_7-17_*_*_1-5 — hourly 07:00-17:00, Monday to Friday
    "focal-corrective-action-sweep": {
        "task": "focal_points.corrective_action_sweep",
        "schedule": crontab(minute=0, hour="7-17", day_of_week="1-5"),
        "options": {"expires": 3600},
    },
    # https://crontab.guru/#0_7_*_*_1 — 07:00 every Monday
    "focal-weekly-digest": {
        "task": "focal_points.weekly_digest",
        "schedule": crontab(minute=0, hour=7, day_of_week="1"),
        "options": {"expires": 3600},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")

# REST framework -----------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # A token first, so that a 401 carries `WWW-Authenticate: Bearer`.
        "accounts.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.api_auth.TokenRateThrottle",
        "accounts.api_auth.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env("API_THROTTLE_TOKEN", default="1200/min"),
        "anon": env("API_THROTTLE_ANON", default="60/min"),
    },
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "common.api_renderers.ProblemJSONRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "common.api_renderers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    # API throttles key on the same client address as the page rate limits.
    "NUM_PROXIES": ADUAN_TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Aduan API",
    "DESCRIPTION": (
        "REST API v1 of the Aduan complaint portal: the same complaints, rules and scope as the "
        "staff workspace. Authenticate with `Authorization: Bearer <token>` (make a token on "
        "the staff workspace's API tokens page). Errors are `application/problem+json` "
        "(RFC 9457) in the language of `Accept-Language` (id, en). Quick start: docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "complaints.models.Status",
        "KindEnum": "complaints.models.Kind",
        "ChannelEnum": "complaints.models.Channel",
        "ClockStateEnum": "complaints.api.serializers.CLOCK_STATES",
        "TierEnum": "complaints.models.ResolutionTier",
    },
}

# Logging ------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# Aduan --------------------------------------------------------------------
ADUAN_TITLE_MAX_LENGTH = env.int("ADUAN_TITLE_MAX_LENGTH", default=150)
ADUAN_BODY_MAX_LENGTH = env.int("ADUAN_BODY_MAX_LENGTH", default=5000)
ADUAN_ATTACHMENT_MAX_BYTES = env.int("ADUAN_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ADUAN_ATTACHMENTS_MAX_COUNT = env.int("ADUAN_ATTACHMENTS_MAX_COUNT", default=5)
# A request body larger than this is answered 413 unread (common.middleware): five attachments
# and the form around them. The proxy's client_max_body_size (deploy/nginx.conf) matches it.
ADUAN_REQUEST_MAX_BYTES = env.int("ADUAN_REQUEST_MAX_BYTES", default=52 * 1024 * 1024)
# Form fields other than files (Django's default); uploads above 1 MiB go to a temporary file
# instead of memory, so parallel uploads cannot exhaust a worker's memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
ADUAN_PUBLIC_BASE_URL = env("ADUAN_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# Intake channels (docs/open311.md, docs/intake.md). Open311 discovery's contact line; the
# shared secret that signs the inbound chat and mail webhooks (empty: they refuse every call);
# how old a signed call may be; the largest inbound mail accepted whole.
ADUAN_OPEN311_CONTACT = env("ADUAN_OPEN311_CONTACT", default="open311@aduan.go.id")
ADUAN_INTAKE_WEBHOOK_SECRET = env("ADUAN_INTAKE_WEBHOOK_SECRET", default="")
ADUAN_INTAKE_WEBHOOK_TOLERANCE = env.int("ADUAN_INTAKE_WEBHOOK_TOLERANCE", default=300)
ADUAN_INTAKE_MAIL_MAX_BYTES = env.int("ADUAN_INTAKE_MAIL_MAX_BYTES", default=48 * 1024 * 1024)
ADUAN_INTAKE_MAILBOX = env("ADUAN_INTAKE_MAILBOX", default="lapor@aduan.go.id")
ADUAN_INTAKE_IMAP_URL = env("ADUAN_INTAKE_IMAP_URL", default="")
# Webhook receivers on loopback or private networks (an agency system beside the portal):
# refused unless allowed, so a subscription cannot make the server call its own network.
ADUAN_WEBHOOK_ALLOW_PRIVATE = env.bool("ADUAN_WEBHOOK_ALLOW_PRIVATE", default=False)
# Every page answers 503 "under maintenance" (health check and static files excepted).
MAINTENANCE_MODE = env.bool("MAINTENANCE_MODE", default=False)
# A form sent from a stale page gets a plain explanation rather than Django's technical page.
CSRF_FAILURE_VIEW = "common.views.csrf_failure"
