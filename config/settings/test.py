from .base import *
from .base import BASE_DIR, env, postgres_session_options

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="django-insecure-test-only-aduan-8p@t4z!c1n")
ALLOWED_HOSTS = ["*"]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/aduan"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = 0
postgres_session_options(DATABASES["default"])

# Tests run against a real Redis broker; tasks are asserted via on_commit
# callbacks or run explicitly, never eagerly behind the test's back.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_TASK_ALWAYS_EAGER = False

# The tests' webhook receivers listen on 127.0.0.1 (tests/complaints/test_webhooks.py checks
# the refusal with this off).
ADUAN_WEBHOOK_ALLOW_PRIVATE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule-test")

# Serve static files from app/static dirs without collectstatic (as DEBUG does).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
