"""The monthly report of an agency: its headline figures, the charts and the list of
complaints open past a deadline; a printable page and a PDF (WeasyPrint). Written by beat on
the first working day of the next month, and on demand."""

from __future__ import annotations

import datetime as dt

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from complaints.clock import WorkingCalendar
from complaints.models import Agency, Complaint
from reporting.dashboards import Filters, dashboard
from reporting.models import ComplaintFact, MonthlyReport
from reporting.presentation import dashboard_sections, dashboard_tables

OVERDUE_LIMIT = 200
LATE = Q(verify_state="late") | Q(response_state="late") | Q(resolution_state="late")


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def monthly_report_context(*, agency: Agency, month: dt.date) -> dict:
    """Everything the report shows: the dashboard of the agency for the month, and the
    agency's complaints open past a deadline now (oldest first, at most OVERDUE_LIMIT)."""
    start, end = month_bounds(month)
    board = dashboard(Filters(start=start, end=end, agency_id=agency.pk))
    tables = dashboard_tables(board)
    keep = ("clocks", "durations", "status", "unit_id", "category_id", "channel")
    sections = [s for s in dashboard_sections(tables, public=False) if s["key"] in keep]
    late_ids = ComplaintFact.objects.filter(LATE, agency=agency, is_current=True).values(
        "complaint_id"
    )
    overdue = list(
        Complaint.objects.filter(pk__in=late_ids)
        .select_related("unit")
        .only("tracking_number", "title", "status", "submitted_at", "unit__name")
        .order_by("submitted_at")[:OVERDUE_LIMIT]
    )
    return {
        "agency": agency,
        "month": start,
        "board": board,
        "sections": sections,
        "overdue": overdue,
        "overdue_limit": OVERDUE_LIMIT,
        "generated_at": timezone.now(),
    }


def monthly_report_html(*, agency: Agency, month: dt.date, for_pdf: bool = False) -> str:
    context = monthly_report_context(agency=agency, month=month) | {"for_pdf": for_pdf}
    return render_to_string("reporting/monthly.html", context)


def monthly_report_pdf(*, agency: Agency, month: dt.date) -> bytes:
    import weasyprint

    with override("id"):
        html = monthly_report_html(agency=agency, month=month, for_pdf=True)
    # The page's stylesheet, read from the static files (no server to fetch it from).
    css = weasyprint.CSS(filename=finders.find("css/report-print.css"))
    return weasyprint.HTML(string=html).write_pdf(stylesheets=[css])


def monthly_report_store(*, agency: Agency, month: dt.date) -> MonthlyReport:
    """The stored PDF of a finished month, written once (a second run finds it)."""
    month = month.replace(day=1)
    found = MonthlyReport.objects.filter(agency=agency, month=month).first()
    if found is not None:
        return found
    pdf = monthly_report_pdf(agency=agency, month=month)
    report = MonthlyReport(agency=agency, month=month, created_at=timezone.now())
    report.file.save(f"{agency.slug}-{month:%Y-%m}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        report.file.delete(save=False)
        return MonthlyReport.objects.get(agency=agency, month=month)
    return report


def is_first_working_day_of_month(day: dt.date) -> bool:
    cal = WorkingCalendar.for_agency(None)
    first = day.replace(day=1)
    if not cal.is_working_day(first):
        first = cal.next_working_day(first)
    return day == first


def monthly_reports_due(*, today: dt.date | None = None) -> int:
    """On the first working day of a month, the last month's report of every agency (the
    top-level ones) that has none yet. Returns how many were written."""
    today = today or timezone.localdate()
    if not is_first_working_day_of_month(today):
        return 0
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    done = set(MonthlyReport.objects.filter(month=last_month).values_list("agency_id", flat=True))
    written = 0
    for agency in Agency.objects.filter(parent__isnull=True, is_active=True).order_by("pk"):
        if agency.pk not in done:
            monthly_report_store(agency=agency, month=last_month)
            written += 1
    return written
