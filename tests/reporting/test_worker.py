"""reporting's tasks on a real Celery worker and the real broker: the facts' pass drains the
queue the event trigger fills, and a staff export started from the page is built by the worker
and then downloaded."""

from __future__ import annotations

import time

from django.urls import reverse

from complaints.models import Role
from reporting.models import ComplaintFact, ExportJob
from reporting.tasks import facts_refresh_task
from tests import factories as f
from tests.complaints.test_lapor_worker import worker  # noqa: F401 - the real worker fixture


def _wait(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():
        time.sleep(0.5)
    assert condition()


def test_real_worker_refreshes_facts_and_builds_an_export(worker, client):  # noqa: F811
    agency = f.AgencyFactory(name="Badan Obat")
    complaints = [f.complaint(agency, title=f"Laporan {i}") for i in range(3)]
    verifier = f.staff(agency, Role.VERIFIER)
    # the facts' pass, as beat sends it
    facts_refresh_task.apply_async(expires=60)
    _wait(lambda: ComplaintFact.objects.filter(is_current=True).count() == len(complaints))
    # an export started from the dashboard
    client.force_login(verifier)
    response = client.post(reverse("reporting:export_start"), {"format": "csv"})
    job = ExportJob.objects.get()
    assert response.url == reverse("reporting:export_status", args=[job.key])
    _wait(lambda: ExportJob.objects.get(pk=job.pk).state == ExportJob.State.DONE)
    html = client.get(response.url).content.decode()
    assert "Berkas siap: 3 laporan." in html
    download = client.get(reverse("reporting:export_download", args=[job.key]))
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 4
    job.refresh_from_db()
    job.file.delete(save=False)
