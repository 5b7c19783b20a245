"""Settings of the bare server of the staff benchmark: Django with no middleware and one
trivial view (bench/bare_urls.py)."""

from config.settings.bench import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.bare_urls"
