"""Settings of the API benchmark's server: the bench settings with a URLconf that adds a bare
DRF view beside the API (bench/api_urls.py), and throttles out of the way of the load test."""

from config.settings.bench import *  # noqa: F403
from config.settings.bench import REST_FRAMEWORK

ROOT_URLCONF = "bench.api_urls"
REST_FRAMEWORK = REST_FRAMEWORK | {
    "DEFAULT_THROTTLE_RATES": {"token": "100000000/min", "anon": "100000000/min"}
}
