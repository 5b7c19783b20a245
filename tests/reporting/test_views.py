"""The dashboards: staff scope, the public page (no rahasia, counts under 5 suppressed under
every filter), the tables' CSV and XLSX downloads read back, query counts at 1 and N."""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile

import pytest
from django.urls import reverse

from complaints.models import Role
from reporting.facts import facts_refresh_due
from tests import factories as f
from tests.reporting.helpers import Actor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def read_xlsx(content: bytes) -> tuple[list[list[str]], int]:
    """The first sheet's rows of an XLSX file (shared or inline strings), and how many
    formula cells it holds."""
    book = zipfile.ZipFile(io.BytesIO(content))
    strings: list[str] = []
    if "xl/sharedStrings.xml" in book.namelist():
        shared = book.read("xl/sharedStrings.xml").decode()
        strings = [
            _unescape(re.sub(r"<[^>]+>", "", s))
            for s in re.findall(r"<si>(.*?)</si>", shared, re.S)
        ]
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    rows = []
    for row in re.findall(r"<row[^>]*>(.*?)</row>", sheet, re.S):
        cells = []
        for attrs, inner in re.findall(r"<c ([^>]*)>(.*?)</c>", row, re.S):
            if 't="s"' in attrs:
                cells.append(strings[int(re.search(r"<v>(\d+)</v>", inner).group(1))])
            else:
                cells.append(_unescape(re.sub(r"<[^>]+>", "", inner)))
        rows.append(cells)
    return rows, sheet.count("<f>")


def _unescape(text: str) -> str:
    return (
        text.replace("&quot;", '"')
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


@pytest.fixture
def world(db):
    actor = Actor()
    a = f.AgencyFactory(name="Badan Obat", responses_need_approval=False)
    b = f.AgencyFactory(name="Dinas Lain", responses_need_approval=False)
    cat = f.CategoryFactory(agency=a, name='=HYPERLINK("http://x")')
    for _ in range(6):
        c = f.complaint(a)
        actor.verify(c, None, category=cat)  # the category is set at verification
    for _ in range(2):
        f.complaint(a, is_confidential=True)
    for _ in range(3):
        f.complaint(b)
    facts_refresh_due()
    return {"a": a, "b": b, "cat": cat, "verifier_a": f.staff(a, Role.VERIFIER)}


def test_staff_dashboard_shows_only_the_scope(client, world):
    client.force_login(world["verifier_a"])
    html = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Badan Obat" in html
    assert "Dinas Lain" not in html
    # 6 + 2 rahasia complaints of agency A: staff see the rahasia ones counted
    assert "<dt>Laporan diterima</dt><dd>8</dd>" in html
    assert "<svg" in html
    assert "<table" in html


def test_staff_dashboard_needs_a_membership(client, world):
    client.force_login(f.UserFactory())
    assert client.get(reverse("reporting:dashboard")).status_code == 404
    client.logout()
    assert client.get(reverse("reporting:dashboard")).status_code == 302


def test_public_statistics_leave_rahasia_out_and_suppress_small_counts(client, world):
    html = client.get(reverse("statistics:public_statistics")).content.decode()
    assert "<dt>Laporan diterima</dt><dd>9</dd>" in html  # 6 + 3, no rahasia
    # Dinas Lain has 3 complaints: shown as <5
    assert '<th scope="row">Dinas Lain</th><td class="numeric">&lt;5</td>' in html


@pytest.mark.parametrize(
    ("period", "agency_key", "status_filter"),
    list(itertools.product(["this_month", "this_year", "12m"], [None, "a", "b"], [None])),
)
def test_every_public_filter_suppresses_and_excludes(
    client, world, period, agency_key, status_filter
):
    query = {"period": period}
    if agency_key:
        query["agency"] = world[agency_key].pk
    for table in ("status", "kind", "agency_id", "category_id", "channel", "month", "clocks"):
        response = client.get(
            reverse("statistics:public_statistics"), {**query, "table": table, "format": "csv"}
        )
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        for row in rows[1:]:
            for cell in row[1:]:
                assert cell in ("", "<5") or not cell.isdigit() or int(cell) >= 5


def test_exports_read_back_with_formulas_neutralised(client, world):
    client.force_login(world["verifier_a"])
    url = reverse("reporting:dashboard")
    response = client.get(url, {"table": "category_id", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Kelompok", "Jumlah laporan"]
    assert ['\'=HYPERLINK("http://x")', "6"] in rows
    response = client.get(url, {"table": "category_id", "format": "xlsx"})
    values, formulas = read_xlsx(response.content)
    assert ['\'=HYPERLINK("http://x")', "6"] in values
    assert formulas == 0
    assert client.get(url, {"table": "nope", "format": "csv"}).status_code == 404


@pytest.mark.parametrize("n", [1, 8])
def test_dashboard_query_count(client, django_assert_num_queries, n):
    agency = f.AgencyFactory()
    unit = f.UnitFactory(parent=agency)
    for _ in range(n):
        f.complaint(agency)
    facts_refresh_due()
    # the agencies of the filter; whether the national monthly figures cover the period, the
    # figures, top categories; the agencies' names (the categories: none to look up, Django
    # skips an empty IN)
    with django_assert_num_queries(5):
        client.get(reverse("statistics:public_statistics"))
    # one agency: its units and categories for the filter form; whether its monthly figures
    # cover the period, its figures, top categories; the agencies' names
    with django_assert_num_queries(7):
        client.get(reverse("statistics:public_statistics"), {"agency": agency.pk})
    # one unit: from the facts (volume, clocks, durations, backlog) instead of the figures,
    # top categories (the unit holds no complaint: no names to look up)
    with django_assert_num_queries(8):
        client.get(reverse("statistics:public_statistics"), {"agency": agency.pk, "unit": unit.pk})


def test_focal_dashboard_covers_the_coordination_group(client, focal_world):
    w = focal_world
    f.complaint(w.a)
    f.complaint(w.b)
    f.complaint(w.c)  # outside the group
    facts_refresh_due()
    client.force_login(w.coordinator)
    html = client.get(reverse("focal:statistics")).content.decode()
    assert "<dt>Laporan diterima</dt><dd>2</dd>" in html
    assert "Kementerian Lain" not in html
    # the staff export form is offered, posting to the focal export (the page's scope)
    assert f'action="{reverse("focal:statistics_export")}"' in html


def test_page_tables_show_their_largest_rows_and_the_download_all():
    from reporting.presentation import PAGE_TABLE_ROWS, dashboard_sections

    # given a volume table of more rows than a page shows, and a table of months as long
    rows = [[f"Unit {i}", 100 - i] for i in range(PAGE_TABLE_ROWS + 5)]
    tables = {
        "unit_id": ("By unit", ["Group", "Number"], rows),
        "month": ("By month", ["Month", "Number"], rows),
    }
    # when laid out for a page
    units, months = dashboard_sections(tables, public=True, max_rows=PAGE_TABLE_ROWS)
    # then the page shows the largest rows and says how many there are
    assert units["cut"] is True
    assert units["rows_total"] == PAGE_TABLE_ROWS + 5
    assert [r[0] for r in units["rows"]] == [f"Unit {i}" for i in range(PAGE_TABLE_ROWS)]
    # the chart draws the first of those rows
    assert [b["label"] for b in units["bars"]] == [f"Unit {i}" for i in range(15)]
    # a table in the order of time is never cut, nor a table laid out for the downloads
    assert months["cut"] is False
    assert len(months["rows"]) == PAGE_TABLE_ROWS + 5
    (whole,) = dashboard_sections({"unit_id": tables["unit_id"]}, public=True)
    assert len(whole["rows"]) == PAGE_TABLE_ROWS + 5


def test_page_says_when_a_table_shows_only_its_largest_rows(client, monkeypatch):
    from reporting import views

    # given complaints at two agencies, and a page that shows one row per table
    for _ in range(2):
        f.complaint(f.AgencyFactory())
    facts_refresh_due()
    monkeypatch.setattr(views, "PAGE_TABLE_ROWS", 1)
    # when the public page is shown
    html = client.get(reverse("statistics:public_statistics")).content.decode()
    # then the agencies' table says it holds the largest row of two, the download all
    assert "1 baris terbesar dari 2 baris; unduhan memuat semua baris." in html
    response = client.get(
        reverse("statistics:public_statistics"), {"table": "agency_id", "format": "csv"}
    )
    assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) == 3
