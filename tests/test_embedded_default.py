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

# A citizen files on SQLite too: the session store, the similar-reports step (compared in
# Python there) and the receipt.
from complaints.selectors.public import SIMILAR_STATUSES

known = (
    Complaint.objects.filter(
        status__in=SIMILAR_STATUSES, is_confidential=False, category__isnull=False
    )
    .exclude(location_text="")
    .order_by("pk")
    .first()
)
citizen = Client(raise_request_exception=False)
steps = [
    ("file_kind", {"kind": "complaint"}),
    ("file_agency", {"agency": str(known.agency_id)}),
    ("file_category", {"category": str(known.category_id)}),
    ("file_story", {"title": known.title, "body": "Hal yang sama terjadi lagi di tempat ini."}),
    ("file_when", {"location": known.location_text}),
]
for name, answers in steps:
    response = citizen.post(reverse(f"complaints:{name}"), answers, HTTP_HOST="127.0.0.1")
    if response.status_code != 302:
        failures.append(f"citizen {name} -> {response.status_code}")
if response.get("Location") != reverse("complaints:file_similar"):
    failures.append(f"no similar-reports step after {known.title!r}: {response.get('Location')}")
page = citizen.get(reverse("complaints:file_similar"), HTTP_HOST="127.0.0.1")
if known.title not in page.content.decode():
    failures.append("the close report is not offered")
for name, answers in [
    ("file_similar", {"action": "new"}),
    ("file_attachments", {"action": "continue"}),
    ("file_privacy", {}),
    ("file_contact", {"name": "Siti Aminah", "email": "siti@example.com", "phone": ""}),
]:
    response = citizen.post(reverse(f"complaints:{name}"), answers, HTTP_HOST="127.0.0.1")
    if response.status_code != 302:
        failures.append(f"citizen {name} -> {response.status_code}")
check = citizen.get(reverse("complaints:file_check"), HTTP_HOST="127.0.0.1").content.decode()
import re
token = re.search(r'name="token" value="([^"]+)"', check).group(1)
response = citizen.post(
    reverse("complaints:file_check"), {"token": token, "consent": "on"}, HTTP_HOST="127.0.0.1"
)
receipt = citizen.get(reverse("complaints:file_receipt"), HTTP_HOST="127.0.0.1")
if receipt.status_code != 200 or 'data-testid="tracking-number"' not in receipt.content.decode():
    failures.append(f"no receipt: {response.status_code} {response.get('Location')}")
print("RESULT:" + json.dumps(failures))
"""


def test_demo_data_and_pages_work_on_sqlite(tmp_path):
    failures = run_on_sqlite(SCRIPT, tmp_path)
    assert failures == []
