"""The connector with a real Celery worker on the real broker: the beat's relay task writes
the rows, the worker delivers them to the stand-in national system."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from complaints.lapor.tasks import connectors_relay_task
from complaints.management.commands.lapor_standin import StandinServer
from complaints.models import Complaint
from config.celery import app
from tests import factories as f
from tests.complaints.lapor_support import TOKEN, make_world

CELERY = Path(sys.executable).parent / "celery"


@pytest.fixture
def standin():
    server = StandinServer(token=TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def worker(transactional_db):
    with app.connection_for_write() as conn:
        for queue in ("celery", "mail"):
            conn.default_channel.queue_purge(queue)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    process = subprocess.Popen(
        [
            str(CELERY),
            "-A",
            "config",
            "worker",
            "-Q",
            "celery,mail",
            "--pool=solo",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield process
    process.terminate()
    _out, err = process.communicate(timeout=30)
    assert "Traceback" not in err, err[-3000:]


def test_a_real_worker_relays_and_delivers_to_the_national_system(worker, standin):
    # given a linked agency and a complaint filed for it (committed)
    w = make_world(standin)
    c = f.complaint(w.agency)
    # when beat's relay task runs on the worker
    connectors_relay_task.apply_async(expires=60)
    # then the worker writes the row and delivers it: the national system has the complaint
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not standin.state.complaints:
        time.sleep(0.5)
    assert len(standin.state.complaints) == 1
    while time.monotonic() < deadline and not Complaint.objects.get(pk=c.pk).lapor_id:
        time.sleep(0.5)
    c.refresh_from_db()
    assert c.lapor_id in standin.state.complaints
