"""Staff pages: pages past the end of the queue, home badges that agree with their links,
the received date, the title limit, saved-view errors, empty results and finished clocks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from complaints import services
from complaints.models import Complaint, Kind, SavedFilter
from complaints.selectors import queue as queue_module
from tests import factories as f
from tests.complaints.staff_world import client_for, routed_complaint

pytestmark = pytest.mark.django_db

QUEUE = reverse("staff:queue")


# 4. A page past the end


def test_a_page_past_the_end_is_an_error_and_shows_the_first_page(world, monkeypatch):
    monkeypatch.setattr(queue_module, "PER_PAGE", 2)
    for _ in range(5):
        f.complaint(world.agency)
    client = client_for(world.verifier)
    r = client.get(QUEUE, {"page": 99, "kind": Kind.COMPLAINT})
    html = r.content.decode()
    assert r.status_code == 200
    assert "<title>Kesalahan: " in html
    assert "Nomor halaman harus 3 atau kurang" in html
    page = r.context["page"]
    assert page.number == 1
    assert len(page.rows) == 2
    assert "halaman 1 dari 3" in html
    assert "halaman 99" not in html
    assert [link["number"] for link in r.context["page_links"]] == [1, 2, 3]
    # the last page itself is fine
    r = client.get(QUEUE, {"page": 3})
    assert len(r.context["page"].rows) == 1
    assert "Kesalahan" not in r.content.decode().split("</title>")[0]


def test_a_page_past_the_end_costs_no_query_more_than_a_page(world, django_assert_num_queries):
    f.complaint(world.agency)
    qs = Complaint.objects.all().order_by("id")
    # 1 the capped ids (none past the offset): no second query for the rows
    with django_assert_num_queries(1):
        page = queue_module.queue_page(qs, number=5)
    assert page.out_of_range
    assert page.num_pages == 1


def test_a_list_counted_apart_pages_and_counts_as_the_one_walk(
    world, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(queue_module, "PER_PAGE", 3)
    monkeypatch.setattr(queue_module, "COUNT_CAP", 5)
    for _ in range(8):
        f.complaint(world.agency)
    qs = Complaint.objects.all().order_by("id")
    # page 1 capped at 5 ("5+"), page 2 with the exact total, the last, one past the end
    for number, (count, capped, has_next, out) in {
        1: (5, True, True, False),
        2: (8, False, True, False),
        3: (8, False, False, False),
        4: (8, False, False, True),
    }.items():
        walk = queue_module.queue_page(qs, number=number)
        apart = queue_module.queue_page(qs, number=number, count_apart=True)
        for page in (walk, apart):
            assert (page.count, page.capped, page.has_next, page.out_of_range) == (
                count,
                capped,
                has_next,
                out,
            ), (number, page is apart)
        assert [c.pk for c in apart.rows] == [c.pk for c in walk.rows]
    # the page's ids, the count, the rows; a list that ends on the page is not counted
    with django_assert_num_queries(3):
        queue_module.queue_page(qs, number=1, count_apart=True)
    with django_assert_num_queries(2):
        queue_module.queue_page(qs, number=3, count_apart=True)


# 5. The verifier's title limit, no maxlength


@override_settings(ADUAN_TITLE_MAX_LENGTH=150)
def test_verify_title_has_the_citizen_limit_and_no_maxlength(world):
    c = f.complaint(world.agency, category=world.category)
    client = client_for(world.verifier)
    html = client.get(reverse("staff:case", args=[c.pk])).content.decode()
    assert "maxlength" not in html
    r = client.post(
        reverse("staff:action", args=[c.pk, "verify"]),
        {"version": c.version, "title": "x" * 151, "kind": Kind.COMPLAINT, "tier": "standard"},
    )
    assert r.status_code == 400
    assert "Judul laporan harus 150 karakter atau kurang" in r.content.decode()
    c.refresh_from_db()
    assert c.title != "x" * 151
    html = client.get(reverse("staff:new")).content.decode()
    assert "maxlength" not in html


# 6. Home badges: only the roles' badges, each agreeing with its link; the zone of the time


def test_home_badges_agree_with_their_links_and_follow_the_roles(world):
    # given complaints without an assignee in several statuses
    f.complaint(world.agency)  # submitted: not counted as "not yet assigned"
    held = f.complaint(world.agency)
    services.complaint_hold_for_info(complaint_id=held.pk, actor=world.verifier, message="Foto")
    routed = routed_complaint(world)
    verified = f.complaint(world.agency)
    services.complaint_verify(complaint_id=verified.pk, actor=world.verifier)
    client = client_for(world.verifier)
    r = client.get(reverse("staff:home"))
    html = r.content.decode()
    views = {v["key"]: v for v in r.context["views"]}
    assert views["unassigned"]["count"] == 2
    listed = client.get(views["unassigned"]["url"]).context["page"]
    assert {row["id"] for row in listed.rows} == {routed.pk, verified.pk}
    assert listed.count == views["unassigned"]["count"]
    assert "to_verify" in views
    assert "mine" not in views
    assert "approval" not in views
    assert re.search(r"Jumlah per pukul \d\d\.\d\d WIB\.", html)
    # the officer sees no "waiting for verification" badge
    officer = client_for(world.officer).get(reverse("staff:home"))
    keys = {v["key"] for v in officer.context["views"]}
    assert "to_verify" not in keys
    assert "approval" not in keys
    assert {"mine", "unassigned", "overdue"} <= keys
    assert "Menunggu verifikasi" not in officer.content.decode()


# 8. "Received" is created_at on the case page, the filter, the sort and the CSV


def test_received_date_is_the_same_field_on_the_case_page_filter_sort_and_export(world):
    c = f.complaint(world.agency)
    created = timezone.now() - dt.timedelta(days=3)
    Complaint.objects.filter(pk=c.pk).update(
        created_at=created, submitted_at=created - dt.timedelta(days=40)
    )
    local = created.astimezone(ZoneInfo("Asia/Jakarta"))
    client = client_for(world.verifier)
    html = client.get(reverse("staff:case", args=[c.pk])).content.decode()
    with translation.override("id"):
        assert date_format(local, "j F Y") in html
        assert date_format(local - dt.timedelta(days=40), "j F Y") not in html
    day = local.date().isoformat()
    r = client.get(QUEUE, {"date_from": day, "date_to": day})
    assert [row["pk"] for row in r.context["rows"]] == [c.pk]
    export = client.get(reverse("staff:export"), {"date_from": day, "date_to": day})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[1][8] == local.isoformat(timespec="minutes")


# 9. Saved view without a name, empty results, finished clocks


def test_saving_a_view_without_a_name_shows_the_error_summary(world):
    client = client_for(world.verifier)
    r = client.post(reverse("staff:saved_filter_create"), {"name": " ", "query": "kind=complaint"})
    html = r.content.decode()
    assert r.status_code == 400
    assert "<title>Kesalahan: " in html
    assert 'href="#id_name">Masukkan nama tampilan ini</a>' in html
    assert 'id="id_name-error"' in html
    assert 'aria-invalid="true"' in html
    # the same view is shown, and its links lead to the queue, not to the save address
    assert r.context["form"].cleaned_data["kind"] == ["complaint"]
    assert 'href="?' not in html
    assert not SavedFilter.objects.exists()


def test_an_empty_result_draws_no_table(world):
    f.complaint(world.agency, kind=Kind.COMPLAINT)
    html = client_for(world.verifier).get(QUEUE, {"kind": Kind.SUGGESTION}).content.decode()
    assert "data-queue-empty" in html
    assert "<thead" not in html
    assert "Tidak ada laporan yang cocok" in html or "data-queue-empty" in html


def test_a_finished_clock_says_when_it_finished(world):
    c = f.complaint(world.agency, category=world.category)
    services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
    c.refresh_from_db()
    html = client_for(world.verifier).get(reverse("staff:case", args=[c.pk])).content.decode()
    block = html.split('data-clock="verify"')[1].split("</li>")[0]
    assert "Selesai" in block
    assert "data-clock-finished" in block
    local = c.verified_at.astimezone(ZoneInfo("Asia/Jakarta"))
    with translation.override("id"):
        assert date_format(local, "j F Y") in block
