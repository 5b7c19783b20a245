from .test import *
from .test import env, postgres_session_options

DEBUG = False
DATABASES = {
    "default": env.db(
        "BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/aduan_bench"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A broker database of its own: the committed sweeps queue outbox passes, purged afterwards.
CELERY_BROKER_URL = env("BENCH_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/14")
DATABASES["default"]["CONN_MAX_AGE"] = 60
postgres_session_options(DATABASES["default"])
