"""The dashboards: staff and focal points within their scope (/laporan-statistik/), the public
over published complaints (/statistik/); each table downloadable as CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_POST

from common.cells import cell_safe
from complaints.access import actor_is_national_admin, actor_scope_paths, membership_rows
from complaints.models import Agency, Category
from reporting import opendata
from reporting.dashboards import CLOCKS, SUPPRESS_BELOW, Filters, dashboard
from reporting.exports import export_job_start
from reporting.forms import DashboardFilterForm, period_dates
from reporting.models import ExportJob
from reporting.monthly import monthly_report_html, monthly_report_pdf, monthly_report_store
from reporting.presentation import (
    PAGE_TABLE_ROWS,
    dashboard_sections,
    dashboard_tables,
    shown,
)

EXPORT_FORMATS = ("csv", "xlsx")


def staff_required(view: Callable) -> Callable:
    """Signed in with a membership, or national admin; anyone else gets a 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not membership_rows(user) and not actor_is_national_admin(user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _scope(request: HttpRequest, *, public: bool) -> tuple[str, ...] | None:
    if public or actor_is_national_admin(request.user):
        return None
    return tuple(actor_scope_paths(request.user))


def _in_scope(paths: tuple[str, ...] | None) -> Q:
    if paths is None:
        return Q()
    q = Q(pk__in=[])
    for path in paths:
        # The agencies under the scope, and the agency above a unit member's unit.
        q |= Q(path__startswith=path)
    return q


_OWN_SCOPE = object()


def _filters(
    request: HttpRequest, *, public: bool, data=None, scope_paths=_OWN_SCOPE
) -> tuple[DashboardFilterForm, Filters]:
    """The filter form and what it means. Choices are limited to the viewer's scope, so a
    chosen agency, unit or category outside it is an invalid choice and ignored."""
    scope = _scope(request, public=public) if scope_paths is _OWN_SCOPE else scope_paths
    agencies = list(Agency.objects.filter(_in_scope(scope), parent__isnull=True).order_by("name"))
    data = (request.GET if data is None else data).copy()
    data.setdefault("period", "this_year")
    chosen_agency = data.get("agency") if data.get("agency", "").isdigit() else None
    units: list[Agency] = []
    categories: list[Category] = []
    if chosen_agency and any(str(a.pk) == chosen_agency for a in agencies):
        units = list(Agency.objects.filter(parent_id=chosen_agency).order_by("name"))
        categories = list(
            Category.objects.filter(agency_id=chosen_agency, is_active=True).order_by("name")
        )
    form = DashboardFilterForm(data, agencies=agencies, units=units, categories=categories)
    cleaned = form.cleaned_data if form.is_valid() else {}
    start, end = period_dates(cleaned.get("period") or "this_year", timezone.localdate())
    filters = Filters(
        start=start,
        end=end,
        agency_id=cleaned.get("agency"),
        unit_id=cleaned.get("unit"),
        category_id=cleaned.get("category"),
        scope_paths=scope,
        public=public,
    )
    return form, filters


def _render(
    request: HttpRequest,
    *,
    public: bool,
    scope_paths=_OWN_SCOPE,
    base_template: str | None = None,
    nav: str = "reporting",
    export_url: str | None = None,
) -> HttpResponse:
    form, filters = _filters(request, public=public, scope_paths=scope_paths)
    board = dashboard(filters)
    tables = dashboard_tables(board)
    fmt = request.GET.get("format")
    table = request.GET.get("table")
    if fmt is not None or table is not None:
        if fmt not in EXPORT_FORMATS or table not in tables:
            raise Http404
        return _export(tables[table], fmt=fmt, name=table, public=public)
    sections = dashboard_sections(tables, public=public, max_rows=PAGE_TABLE_ROWS)
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "board": board,
            "sections": sections,
            "public": public,
            "query": query.urlencode(),
            "clocks": CLOCKS,
            "nav": nav,
            "export_url": export_url or reverse("reporting:export_start"),
            "base_template": base_template
            or ("base.html" if public else "complaints/staff/base.html"),
        },
    )


@require_GET
@staff_required
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    return _render(request, public=False)


def render_dashboard(
    request: HttpRequest,
    *,
    scope_paths: tuple[str, ...] | None,
    base_template: str,
    nav: str,
    export_url: str,
) -> HttpResponse:
    """The staff dashboard over a scope another app resolves (focal_points: the agencies a
    focal point or coordinator oversees; None is everything). Its complaint export posts to
    `export_url`, a view of that app which calls `start_export` with the same scope."""
    return _render(
        request,
        public=False,
        scope_paths=scope_paths,
        base_template=base_template,
        nav=nav,
        export_url=export_url,
    )


@require_GET
def public_statistics(request: HttpRequest) -> HttpResponse:
    return _render(request, public=True)


def _export(
    table: tuple[str, list[str], list[list]], *, fmt: str, name: str, public: bool
) -> HttpResponse:
    """One dashboard table as CSV or XLSX: every cell written as text through cell_safe
    (formulas neutralised), suppressed counts as "<5"."""
    title, header, rows = table
    cells = [[cell_safe(h) for h in header]]
    cells += [[cell_safe(shown(c, public) if i else c) for i, c in enumerate(r)] for r in rows]
    filename = f"aduan-{name}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        response.write("\ufeff")
        csv.writer(response).writerows(cells)
        return response
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(str(title)[:31].replace("/", "-").replace(":", ""))
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            sheet.write_string(r, c, cell)
    book.close()
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _open_period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """Open data covers every month up to today unless `from` / `to` (YYYY-MM-DD) say less."""
    today = timezone.localdate()
    start, end = dt.date(2010, 1, 1), today
    try:
        if request.GET.get("from"):
            start = dt.date.fromisoformat(request.GET["from"])
        if request.GET.get("to"):
            end = min(dt.date.fromisoformat(request.GET["to"]), today)
    except ValueError as exc:
        raise Http404 from exc
    return start, end


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/open_data.html",
        {
            "aggregate_fields": opendata.AGGREGATE_FIELDS,
            "record_fields": opendata.RECORD_FIELDS,
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "suppress_below": SUPPRESS_BELOW,
        },
    )


def _csv_stream(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in itertools.chain([list(header)], rows):
        writer.writerow([cell_safe(c) for c in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _json_stream(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    yield '{"licence": ' + json.dumps(opendata.LICENCE) + ', "records": ['
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(dict(zip(header, row, strict=True)))
    yield "]}"


@require_GET
def open_data_download(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    start, end = _open_period(request)
    if dataset == "agregat":
        header = [name for name, _d in opendata.AGGREGATE_FIELDS]
        rows: Iterable = opendata.aggregate_rows(start=start, end=end)
    elif dataset == "laporan":
        header = [name for name, _d in opendata.RECORD_FIELDS]
        rows = opendata.record_rows(start=start, end=end)
    else:
        raise Http404
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_stream(header, rows), content_type="text/csv")
    elif fmt == "json":
        response = StreamingHttpResponse(
            _json_stream(header, rows), content_type="application/json"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="aduan-{dataset}.{fmt}"'
    response["X-License"] = opendata.LICENCE_URL
    return response


@require_GET
def open_data_catalog(request: HttpRequest) -> HttpResponse:
    """The DCAT catalogue entry of the two datasets (JSON-LD)."""
    base = request.build_absolute_uri("/statistik/data/")
    datasets = []
    for dataset, title, fields in (
        ("agregat", "Jumlah pengaduan per bulan, instansi, jenis dan status", "aggregate"),
        ("laporan", "Catatan pengaduan yang dianonimkan", "records"),
    ):
        distributions = [
            {
                "@type": "dcat:Distribution",
                "dcat:downloadURL": {
                    "@id": request.build_absolute_uri(
                        reverse("statistics:open_data_download", args=[dataset, fmt])
                    )
                },
                "dcat:mediaType": media,
                "dct:format": fmt.upper(),
                "dct:license": {"@id": opendata.LICENCE_URL},
            }
            for fmt, media in (("csv", "text/csv"), ("json", "application/json"))
        ]
        datasets.append(
            {
                "@type": "dcat:Dataset",
                "@id": f"{base}#{dataset}",
                "dct:title": title,
                "dct:description": (
                    "Pengaduan publik tanpa laporan rahasia dan tanpa data pribadi; "
                    f"jumlah di bawah {SUPPRESS_BELOW} disembunyikan ({fields})."
                ),
                "dct:language": "id",
                "dct:license": {"@id": opendata.LICENCE_URL},
                "dct:accrualPeriodicity": {"@id": "http://purl.org/cld/freq/daily"},
                "dcat:landingPage": {"@id": base},
                "dcat:distribution": distributions,
            }
        )
    catalog = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
        },
        "@type": "dcat:Catalog",
        "@id": base,
        "dct:title": "Data terbuka Aduan",
        "dct:license": {"@id": opendata.LICENCE_URL},
        "dcat:dataset": datasets,
    }
    return HttpResponse(json.dumps(catalog, ensure_ascii=False), content_type="application/ld+json")


@require_POST
@staff_required
def export_start(request: HttpRequest) -> HttpResponse:
    """Start a spreadsheet of the complaints the viewer may see under the dashboard's filters."""
    return start_export(request)


def start_export(request: HttpRequest, *, scope_paths=_OWN_SCOPE) -> HttpResponse:
    """Start the export of a dashboard's complaints under its filters. `scope_paths`: the
    scope another app resolved for its dashboard (render_dashboard), kept with the job so
    that the file holds the complaints that dashboard counts; by default the viewer's own."""
    _form, filters = _filters(request, public=False, data=request.POST, scope_paths=scope_paths)
    scope = {} if scope_paths is _OWN_SCOPE else {"scope_paths": filters.scope_paths}
    fmt = request.POST.get("format")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    job = export_job_start(
        actor=request.user,
        fmt=fmt,
        filters={
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            **{
                name: getattr(filters, name)
                for name in ("agency_id", "unit_id", "category_id")
                if getattr(filters, name) is not None
            },
            **scope,
            "language": translation.get_language(),
        },
    )
    return redirect("reporting:export_status", key=job.key)


def _own_job(request: HttpRequest, key: str) -> ExportJob:
    job = ExportJob.objects.filter(key=key, owner=request.user).first()
    if job is None:
        raise Http404
    return job


@require_GET
@staff_required
def export_status(request: HttpRequest, key: str) -> HttpResponse:
    """The export's progress; the page reloads itself every few seconds (a meta refresh, no
    script) until the file is ready, then offers it."""
    job = _own_job(request, key)
    return render(request, "reporting/export_status.html", {"job": job, "nav": "reporting"})


@require_GET
@staff_required
def export_download(request: HttpRequest, key: str) -> HttpResponse:
    job = _own_job(request, key)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    response = FileResponse(job.file.open("rb"), as_attachment=True)
    response["Content-Disposition"] = f'attachment; filename="aduan-laporan.{job.format}"'
    response["Cache-Control"] = "no-store"
    return response


def _monthly_agency_and_month(request: HttpRequest) -> tuple[Agency, dt.date]:
    """The agency (in the viewer's scope) and the month (YYYY-MM, default the last one)."""
    scope = _scope(request, public=False)
    agency_id = request.GET.get("agency", "")
    agency = (
        Agency.objects.filter(_in_scope(scope), parent__isnull=True, pk=agency_id).first()
        if agency_id.isdigit()
        else None
    )
    if agency is None:
        raise Http404
    today = timezone.localdate()
    default = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    try:
        month = (
            dt.date.fromisoformat(f"{request.GET['month']}-01")
            if request.GET.get("month")
            else default
        )
    except ValueError as exc:
        raise Http404 from exc
    return agency, month


@require_GET
@staff_required
def monthly_report(request: HttpRequest) -> HttpResponse:
    """The monthly report as a printable page, or (`format=pdf`) its PDF: the stored one of a
    finished month when beat wrote it, else built now."""
    agency, month = _monthly_agency_and_month(request)
    if request.GET.get("format") == "pdf":
        today = timezone.localdate()
        if month < today.replace(day=1):
            with monthly_report_store(agency=agency, month=month).file.open("rb") as stored:
                pdf = stored.read()
        else:
            pdf = monthly_report_pdf(agency=agency, month=month)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="laporan-bulanan-{agency.slug}-{month:%Y-%m}.pdf"'
        )
        return response
    return HttpResponse(monthly_report_html(agency=agency, month=month))
