"""`make run` uses the embedded defaults (SQLite, filesystem broker): the demo data loads and
every main page answers for every demo role there too, not only on PostgreSQL."""

from tests.sqlite_harness import run_on_sqlite

SCRIPT = r"""
import json

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
call_command("sla_sweep", verbosity=0)  # as `make run` does before it starts

case = Complaint.objects.filter(agency__short_name="BPOM").order_by("pk").first()
pages = {
    None: ["/", reverse("complaints:file_kind"), reverse("complaints:track"),
           reverse("accounts:login"), reverse("accounts:signup"), "/health/"],
    "admin@aduan.example": ["/admin/", "/admin/complaints/complaint/", reverse("staff:queue")],
    "verifikator.bpom@aduan.example": [
        reverse("staff:home"), reverse("staff:queue"),
        reverse("staff:queue") + "?q=obat", reverse("staff:queue") + "?clock=overdue",
        reverse("staff:case", args=[case.pk]), reverse("staff:export"),
    ],
    "petugas.bbpom-jakarta@aduan.example": [reverse("staff:home"), reverse("staff:queue")],
    "focal.bpom@aduan.example": [reverse("focal:board"), reverse("focal:scorecard")],
    "koordinator.polkam@aduan.example": [
        reverse("focal:board"), reverse("focal:scorecard"),
        reverse("focal:corrective_action_list"), reverse("focal:directory"),
    ],
    "pelapor@aduan.example": [reverse("complaints:my_complaints")],
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
print("RESULT:" + json.dumps(failures))
"""


def test_demo_data_and_pages_work_on_sqlite(tmp_path):
    failures = run_on_sqlite(SCRIPT, tmp_path)
    assert failures == []
