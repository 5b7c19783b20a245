"""Spreadsheets of the complaint list a staff member may see, built by a Celery task.

The rows come from complaints' scope selector (complaint_list_for_actor), which masks the
identity of anonymous reporters for everyone but the national admin, exactly as the queue and
its CSV do; every cell goes through common.cells.cell_safe (formulas neutralised)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
import tempfile
from collections.abc import Iterator

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from common.cells import cell_safe
from complaints.access import paths_q
from complaints.selectors.scope import complaint_list_for_actor
from reporting.models import ComplaintFact, ExportJob

EXPORT_FORMATS = ("csv", "xlsx")
PROGRESS_EVERY = 1000


def export_job_start(*, actor: User, fmt: str, filters: dict) -> ExportJob:
    """Record the export and hand it to the worker after commit."""
    from reporting.tasks import export_build_task

    if fmt not in EXPORT_FORMATS:
        raise ValueError(fmt)
    job = ExportJob.objects.create(
        owner=actor,
        key=secrets.token_urlsafe(16),
        format=fmt,
        filters=filters,
        created_at=timezone.now(),
    )
    transaction.on_commit(lambda: export_build_task.delay(job.pk))
    return job


def _queryset(job: ExportJob):
    filters = dict(job.filters)
    # A scope another app resolved for its dashboard (focal_points: what a focal point or
    # coordinator oversees): the complaints that dashboard counts, those now under its paths
    # (not the history of ones forwarded away), within what the owner may read.
    page_scope = "scope_paths" in filters
    qs = complaint_list_for_actor(
        actor=job.owner,
        filters={k: filters[k] for k in ("agency_id", "unit_id", "category_id") if k in filters},
        include_history=not page_scope,
    )
    if page_scope and filters["scope_paths"] is not None:
        qs = qs.filter(paths_q("scope_path", filters["scope_paths"]))
    if filters.get("start") or filters.get("end"):
        # The period as the dashboards count it: the filing date in the agency's own zone
        # (the facts' submitted_on of the current stint), not the server's.
        filed = ComplaintFact.objects.filter(is_current=True)
        if filters.get("start"):
            filed = filed.filter(submitted_on__gte=dt.date.fromisoformat(filters["start"]))
        if filters.get("end"):
            filed = filed.filter(submitted_on__lte=dt.date.fromisoformat(filters["end"]))
        qs = qs.filter(pk__in=filed.values("complaint_id"))
    return qs.order_by("pk")


def _header() -> list[str]:
    return [
        _("Tracking number"),
        _("Title"),
        _("Kind"),
        _("Status"),
        _("Agency"),
        _("Unit"),
        _("Category"),
        _("Channel"),
        _("Received (ISO 8601, agency local time)"),
        _("Reporter"),
        _("Reporter email"),
        _("Anonymous"),
        _("Confidential"),
    ]


def _rows(job: ExportJob) -> Iterator[list[str]]:
    hidden = _("Identity withheld")
    yes, no = _("Yes"), _("No")
    for c in _queryset(job).iterator(chunk_size=2000):
        masked = c.identity_masked
        yield [
            cell_safe(v)
            for v in (
                c.display_tracking_number,
                c.title,
                c.get_kind_display(),
                c.get_status_display(),
                c.agency.name if c.agency else _("National triage"),
                c.unit.name if c.unit else "",
                c.category.name if c.category else "",
                c.get_channel_display(),
                timezone.localtime(c.submitted_at or c.created_at).isoformat(timespec="minutes"),
                hidden if masked else c.reporter_name,
                hidden if masked else c.reporter_email,
                yes if c.is_anonymous else no,
                yes if c.is_confidential else no,
            )
        ]


def export_job_build(*, job_id: int) -> ExportJob | None:
    """Build the file of a waiting export; None when another run took it (redelivery)."""
    if not ExportJob.objects.filter(pk=job_id, state=ExportJob.State.PENDING).update(
        state=ExportJob.State.RUNNING
    ):
        return None
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    try:
        # The file is written in the language of the page that asked for it.
        with override(job.filters.get("language") or "id"):
            ExportJob.objects.filter(pk=job.pk).update(rows_total=_queryset(job).count())
            with tempfile.TemporaryFile() as out:
                done = _write(job, out)
                out.seek(0)
                job.file.save(f"{job.key}.{job.format}", File(out), save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.DONE,
            file=job.file.name,
            rows_done=done,
            finished_at=timezone.now(),
        )
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, finished_at=timezone.now()
        )
        raise
    job.refresh_from_db()
    return job


def _progress(job: ExportJob, done: int) -> None:
    if done % PROGRESS_EVERY == 0:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done)


def _write(job: ExportJob, out) -> int:
    done = 0
    if job.format == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow([cell_safe(h) for h in _header()])
        for row in _rows(job):
            writer.writerow(row)
            done += 1
            _progress(job, done)
        text.flush()
        text.detach()
        return done
    import xlsxwriter

    # constant_memory: each row is flushed to disk as it is written.
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    for c, h in enumerate(_header()):
        sheet.write_string(0, c, cell_safe(h))
    for r, row in enumerate(_rows(job), start=1):
        for c, cell in enumerate(row):
            sheet.write_string(r, c, cell)
        done += 1
        _progress(job, done)
    book.close()
    return done
