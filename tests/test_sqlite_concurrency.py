"""The embedded default under `make run`: the Celery worker writes to the same SQLite file while
people sign up and crawl the staff pages. Nobody may see a 500 ("database is locked")."""

from tests.sqlite_harness import run_on_sqlite

SCRIPT = r"""
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User

call_command("migrate", "--noinput", verbosity=0)
call_command("seed_demo", "--complaints", "20", verbosity=0)
settings.ADUAN_RATE_SIGNUP = (10_000, 3600)
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The worker: a separate process writing as the sweeps do, each batch holding the write lock
# for a while, until the web side is done.
stop = Path(os.environ["MEDIA_ROOT"]).parent / "stop"
WORKER = '''
import time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from complaints.models import Complaint
stop = Path(%r)
batches = 0
while not stop.exists():
    call_command("sla_sweep", verbosity=0)
    with transaction.atomic():
        for pk in Complaint.objects.values_list("pk", flat=True)[:20]:
            Complaint.objects.filter(pk=pk).update(updated_at=timezone.now())
        time.sleep(0.2)
    batches += 1
print("BATCHES", batches)
''' % str(stop)
worker = subprocess.Popen(
    [sys.executable, "-c", WORKER], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
)

statuses = []
lock = threading.Lock()


def record(label, response):
    with lock:
        statuses.append((label, response.status_code))


def sign_ups(n):
    client = Client(raise_request_exception=False)
    for i in range(6):
        response = client.post(
            reverse("accounts:signup"),
            {
                "full_name": "Warga Baru",
                "email": f"warga{n}-{i}@example.com",
                "password": "kopi-tubruk-pagi",
                "password_again": "kopi-tubruk-pagi",
            },
            HTTP_HOST="127.0.0.1",
        )
        record("signup", response)


def staff_crawl():
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(email="verifikator.bpom@aduan.example"))
    for _ in range(4):
        for url in (reverse("staff:home"), reverse("staff:queue"), reverse("staff:export")):
            record(url, client.get(url, HTTP_HOST="127.0.0.1"))


try:
    threads = [threading.Thread(target=sign_ups, args=(n,)) for n in range(3)]
    threads.append(threading.Thread(target=staff_crawl))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
finally:
    stop.touch()
out, err = worker.communicate(timeout=120)
signed_up = User.objects.filter(email__startswith="warga").count()
print("RESULT:" + json.dumps({
    "failures": [s for s in statuses if s[1] >= 500],
    "answers": len(statuses),
    "signed_up": signed_up,
    "worker_rc": worker.returncode,
    "worker_batches": out.strip(),
    "worker_err": err[-2000:],
}))
"""


def test_worker_and_web_write_at_once_without_a_500(tmp_path):
    result = run_on_sqlite(SCRIPT, tmp_path)
    assert result["failures"] == []
    assert result["answers"] == 3 * 6 + 4 * 3
    assert result["signed_up"] == 18
    assert result["worker_rc"] == 0, result["worker_err"]
    assert result["worker_batches"] != "BATCHES 0"
