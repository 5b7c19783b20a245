FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# gettext: translations; Pango, HarfBuzz and a font: the monthly report's PDF (WeasyPrint).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext curl \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY common ./common
COPY accounts ./accounts
COPY complaints ./complaints
COPY focal_points ./focal_points
COPY reporting ./reporting
RUN pip install .
COPY . .

# Static files are baked into the image; the dummy values only satisfy settings import.
RUN SECRET_KEY=build-only-dummy-key ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 CELERY_BROKER_URL=memory:// \
    python manage.py collectstatic --noinput

RUN useradd --system --create-home --uid 1000 aduan \
    && mkdir -p /app/var/media \
    && chown -R aduan:aduan /app/var
USER aduan

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "-b", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
