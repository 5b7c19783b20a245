from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-only-aduan-3x!q9v$k2m#r7w")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])

# SQLite (the embedded default) cannot enforce the two "nulls not distinct" unique constraints;
# services guard those rows and PostgreSQL enforces them in production.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "models.W047"]

# Static files straight from the app and project folders, with or without DEBUG (make run
# turns DEBUG off so the site's own error pages show), no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The intake webhooks' secret for trying them locally (scripts/intake_gateway.py signs with it).
ADUAN_INTAKE_WEBHOOK_SECRET = env("ADUAN_INTAKE_WEBHOOK_SECRET", default="local-intake-secret")

# Trying webhooks on one machine: receivers on 127.0.0.1 (e.g. `python -m http.server`) are
# allowed here; production refuses private addresses unless configured.
ADUAN_WEBHOOK_ALLOW_PRIVATE = env.bool("ADUAN_WEBHOOK_ALLOW_PRIVATE", default=True)
