"""Settings of the staff benchmark's server: the bench settings with a trivial view beside the
portal's URLs (bench/staff_urls.py)."""

from config.settings.bench import *  # noqa: F403

ROOT_URLCONF = "bench.staff_urls"
