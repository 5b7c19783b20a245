"""`make run` uses the embedded defaults (SQLite, filesystem broker): the demo data loads and
every main page answers for every demo role there too, not only on PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from complaints.models import Complaint

call_command("migrate", "--noinput", verbosity=0)
call_command("seed_demo", "--complaints", "60", verbosity=0)
call_command("seed_demo", "--complaints", "60", verbosity=0)  # idempotent

case = Complaint.objects.filter(agency__short_name="BPOM").order_by("pk").first()
pages = {
    None: ["/", reverse("complaints:file_kind"), reverse("complaints:track"),
           reverse("accounts:login"), reverse("accounts:signup")],
    "admin@aduan.example": ["/admin/", "/admin/complaints/complaint/", reverse("staff:queue")],
    "verifikator.bpom@aduan.example": [
        reverse("staff:home"), reverse("staff:queue"),
        reverse("staff:queue") + "?q=obat", reverse("staff:queue") + "?clock=overdue",
        reverse("staff:case", args=[case.pk]), reverse("staff:export"),
    ],
    "petugas.bbpom-jakarta@aduan.example": [reverse("staff:home"), reverse("staff:queue")],
    "focal.bpom@aduan.example": [reverse("focal:board"), reverse("focal:scorecard")],
    "koordinator.polhukam@aduan.example": [
        reverse("focal:board"), reverse("focal:scorecard"),
        reverse("focal:corrective_action_list"), reverse("focal:directory"),
    ],
    "pelapor@aduan.example": [reverse("accounts:my_complaints")],
}
failures = []
for email, urls in pages.items():
    client = Client(raise_request_exception=False)
    if email:
        client.force_login(User.objects.get(email=email))
    for url in urls:
        response = client.get(url, HTTP_HOST="127.0.0.1")
        if response.status_code != 200:
            failures.append(f"{email} {url} -> {response.status_code}")
print("FAILURES:" + "|".join(failures))
"""


def test_demo_data_and_pages_work_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    last = [line for line in result.stdout.splitlines() if line.startswith("FAILURES:")]
    assert last == ["FAILURES:"], result.stdout[-4000:] + result.stderr[-4000:]
