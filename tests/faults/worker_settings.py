"""Settings of the Celery workers the fault tests start: the test settings, with mail written
to files the test can read (EMAIL_FILE_PATH)."""

import os

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["FAULTS_EMAIL_DIR"]
