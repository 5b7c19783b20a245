import gzip
import os
import secrets
import string
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_system_check_passes():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_no_missing_migrations():
    # given the current models / when makemigrations dry-runs / then nothing is pending
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_production_settings_pass_deploy_check():
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    # The browser conftest sets DJANGO_ALLOW_ASYNC_UNSAFE, which --deploy rejects.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/aduan",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified some issues" not in output


def test_javascript_stays_within_the_page_weight_budget():
    """UX §6: at most 20 KB of JavaScript (gzip) on any page, of which at most 4 KB our own."""
    js = ROOT / "static" / "js"

    def gz(name: str) -> int:
        return len(gzip.compress((js / name).read_bytes(), compresslevel=9))

    own = gz("aduan.js") + gz("staff.js")
    assert own <= 4_000, own
    assert gz("htmx.min.js") + own <= 20_000, own
