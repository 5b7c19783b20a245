"""Settings of the filing-flow benchmark's server: the bench settings with the per-client rate
limits out of the way (every simulated citizen comes from 127.0.0.1), and a shared cache so
the two workers see the same limits, as in production."""

from config.settings.bench import *  # noqa: F403
from config.settings.bench import env

_UNLIMITED = (100_000_000, 3600)
ADUAN_RATE_FILING = _UNLIMITED
ADUAN_RATE_TRACKING = _UNLIMITED
ADUAN_RATE_UPLOAD = _UNLIMITED
ADUAN_RATE_DRAFT_UPLOAD = _UNLIMITED
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("BENCH_CACHE_URL", default="redis://127.0.0.1:6379/14"),
    }
}
