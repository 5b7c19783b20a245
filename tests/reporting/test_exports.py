"""Staff exports of the complaint list: built by the task with progress, scope and masking
kept, formulas neutralised, read back as CSV and XLSX; only the owner downloads."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Membership, Role
from reporting.exports import export_job_build
from reporting.facts import facts_refresh_due
from reporting.models import ExportJob
from reporting.tasks import export_build_task
from tests import factories as f
from tests.reporting.helpers import Actor
from tests.reporting.test_views import read_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = f.AgencyFactory(name="Badan Obat")
    b = f.AgencyFactory(name="Dinas Lain")
    f.complaint(a, title="=cmd|' /C calc'!A0", reporter_name="Siti Aminah")
    f.complaint(a, title="Antrean panjang", reporter_name="Rahasia Orang", is_anonymous=True)
    f.complaint(b, title="Di luar lingkup", reporter_name="Orang Lain")
    facts_refresh_due()  # the period is read from the facts, as the dashboards read it
    return {"a": a, "verifier": f.staff(a, Role.VERIFIER), "other": f.staff(b, Role.VERIFIER)}


def _start(client, user, fmt: str, django_capture_on_commit_callbacks) -> ExportJob:
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("reporting:export_start"), {"format": fmt})
    assert len(callbacks) == 1  # the task is queued after commit
    job = ExportJob.objects.get()
    assert response.url == reverse("reporting:export_status", args=[job.key])
    return job


def _body(client, job: ExportJob) -> bytes:
    response = client.get(reverse("reporting:export_download", args=[job.key]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_csv_export_keeps_scope_and_masking_and_neutralises_formulas(
    client, world, django_capture_on_commit_callbacks
):
    job = _start(client, world["verifier"], "csv", django_capture_on_commit_callbacks)
    status = client.get(reverse("reporting:export_status", args=[job.key])).content.decode()
    assert 'http-equiv="refresh"' in status
    export_job_build(job_id=job.pk)
    rows = list(csv.reader(io.StringIO(_body(client, job).decode("utf-8-sig"))))
    titles = {r[1] for r in rows[1:]}
    assert titles == {"'=cmd|' /C calc'!A0", "Antrean panjang"}  # not Dinas Lain's
    anonymous = next(r for r in rows if r[1] == "Antrean panjang")
    assert "Rahasia Orang" not in anonymous
    assert anonymous[9] == "Identitas dirahasiakan"
    assert "Siti Aminah" in {r[9] for r in rows}
    status = client.get(reverse("reporting:export_status", args=[job.key])).content.decode()
    assert "2 laporan" in status
    assert 'http-equiv="refresh"' not in status


def test_xlsx_export_reads_back_without_formulas(client, world, django_capture_on_commit_callbacks):
    job = _start(client, world["verifier"], "xlsx", django_capture_on_commit_callbacks)
    export_job_build(job_id=job.pk)
    values, formulas = read_xlsx(_body(client, job))
    assert formulas == 0
    assert "'=cmd|' /C calc'!A0" in {row[1] for row in values[1:]}
    assert all("Rahasia Orang" not in row for row in values)


def test_only_the_owner_sees_the_export(client, world, django_capture_on_commit_callbacks):
    job = _start(client, world["verifier"], "csv", django_capture_on_commit_callbacks)
    export_job_build(job_id=job.pk)
    client.force_login(world["other"])
    assert client.get(reverse("reporting:export_status", args=[job.key])).status_code == 404
    assert client.get(reverse("reporting:export_download", args=[job.key])).status_code == 404


def test_task_name_and_twice_builds_once(client, world, django_capture_on_commit_callbacks):
    assert export_build_task.name == "reporting.export_build"
    job = _start(client, world["verifier"], "csv", django_capture_on_commit_callbacks)
    export_build_task.apply(args=[job.pk])
    first = ExportJob.objects.get().file.name
    assert export_job_build(job_id=job.pk) is None
    export_build_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.file.name, job.rows_done) == ("done", first, 2)


@pytest.mark.parametrize("n", [1, 10])
def test_export_build_query_count(world, django_assert_num_queries, n):
    for _ in range(n):
        f.complaint(world["a"])
    job = ExportJob.objects.create(
        owner=world["verifier"],
        key=f"k{n}",
        format="csv",
        filters={},
        created_at="2026-12-01T00:00Z",
    )
    # claim, load the job, the owner's memberships (scope), the count and its update, the
    # rows (one server-side cursor, read in chunks), the done update, the refresh
    with django_assert_num_queries(8):
        export_job_build(job_id=job.pk)


def test_coordinator_export_holds_exactly_what_their_dashboard_shows(
    client, focal_world, settings, tmp_path, django_capture_on_commit_callbacks
):
    # given a coordinator of agencies A and B who also verifies at C, outside the group, and
    # complaints at A, A's unit A1, B, C, and one A forwarded to C
    settings.MEDIA_ROOT = tmp_path
    w = focal_world
    Membership.objects.create(user=w.coordinator, agency=w.c, role=Role.VERIFIER)
    actor = Actor()
    titles = {"A": w.a, "A1": w.a1, "B": w.b, "C": w.c, "A to C": w.a}
    for title, agency in titles.items():
        c = f.complaint(agency.parent or agency, title=title)
        if agency.parent is not None:
            actor.verify(c, None)
            services.complaint_route(complaint_id=c.pk, actor=actor.user, unit=agency)
        if title == "A to C":
            actor.forward(c, w.c, None)
    facts_refresh_due()
    client.force_login(w.coordinator)
    page = client.get(reverse("focal:statistics"))
    board = page.context["board"]
    # when they export the complaint list from their statistics page
    export_url = reverse("focal:statistics_export")
    assert f'action="{export_url}"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(export_url, {"format": "csv"})
    job = ExportJob.objects.get(owner=w.coordinator)
    assert response.url == reverse("reporting:export_status", args=[job.key])
    export_job_build(job_id=job.pk)
    rows = list(csv.reader(io.StringIO(_body(client, job).decode("utf-8-sig"))))
    # then the file holds the complaints the dashboard counts, and only those
    assert board.received == 3
    assert sorted(r[1] for r in rows[1:]) == ["A", "A1", "B"]
    # and an agency filter outside the page's scope is ignored, as on the page
    with django_capture_on_commit_callbacks(execute=False):
        client.post(export_url, {"format": "csv", "agency": w.c.pk})
    job = ExportJob.objects.filter(owner=w.coordinator).latest("pk")
    export_job_build(job_id=job.pk)
    rows = list(csv.reader(io.StringIO(_body(client, job).decode("utf-8-sig"))))
    assert sorted(r[1] for r in rows[1:]) == ["A", "A1", "B"]


def test_the_period_is_the_agencys_local_filing_date_as_on_the_dashboard(world):
    """00:30 on 1 April in WITA is still 31 March in WIB (the server's zone): an April export
    holds it, as the April dashboard counts it."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    wita = f.AgencyFactory(name="Dinas WITA", time_zone="Asia/Makassar")
    staff = f.staff(wita, Role.VERIFIER)
    april = dt.datetime(2026, 4, 1, 0, 30, tzinfo=ZoneInfo("Asia/Makassar"))
    early = f.complaint(wita, title="Dini hari April", now=april)
    f.complaint(wita, title="Akhir Maret", now=april - dt.timedelta(hours=2))
    facts_refresh_due()
    job = ExportJob.objects.create(
        owner=staff,
        key="wita-april",
        format="csv",
        filters={"start": "2026-04-01", "end": "2026-04-30"},
        created_at=april,
    )
    export_job_build(job_id=job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as fh:
        rows = list(csv.reader(io.StringIO(fh.read().decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [early.display_tracking_number]
