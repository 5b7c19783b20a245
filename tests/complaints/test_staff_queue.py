"""The staff queue: filters, search, sorting, capped pagination, saved views, CSV export and
the home badges; complaints forwarded to another agency; the filters' errors in the house
wording."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import policy, services
from complaints.models import Channel, Complaint, Kind, Role, SavedFilter, Status
from complaints.selectors import queue as queue_module
from tests import factories as f
from tests.complaints.staff_world import client_for, forwarded_complaint

pytestmark = pytest.mark.django_db

QUEUE = reverse("staff:queue")


def case_url(c: Complaint) -> str:
    return reverse("staff:case", args=[c.pk])


def numbers(response) -> list[str]:
    return [row["number"] for row in response.context["rows"]]


def test_queue_lists_only_own_agency_open_complaints(world):
    mine = f.complaint(world.agency, title="Obat palsu di pasar")
    theirs = f.complaint(world.other, title="KTP belum jadi")
    closed = f.complaint(world.agency)
    services.complaint_archive(complaint_id=closed.pk, actor=world.verifier, reason="Spam")
    response = client_for(world.verifier).get(QUEUE)
    assert response.status_code == 200
    assert numbers(response) == [mine.display_tracking_number]
    html = response.content.decode()
    assert theirs.title not in html
    assert "<title>Antrean laporan (halaman 1 dari 1) \u2013 Aduan</title>" in html
    assert 'aria-sort="ascending"' in html  # most urgent first by default


def test_filters_status_kind_channel_category_privacy(world):
    a = f.complaint(world.agency, kind=Kind.SUGGESTION, category=world.category)
    b = f.complaint(world.agency, kind=Kind.COMPLAINT, is_anonymous=True)
    c = f.complaint(world.agency, kind=Kind.COMPLAINT, is_confidential=True)
    services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
    client = client_for(world.verifier)
    assert numbers(client.get(QUEUE, {"kind": "suggestion"})) == [a.display_tracking_number]
    assert numbers(client.get(QUEUE, {"privacy": "anonymous"})) == [b.display_tracking_number]
    assert numbers(client.get(QUEUE, {"privacy": "confidential"})) == [c.display_tracking_number]
    assert numbers(client.get(QUEUE, {"status": "verified"})) == [c.display_tracking_number]
    assert numbers(client.get(QUEUE, {"category": world.category.pk})) == [
        a.display_tracking_number
    ]
    assert numbers(client.get(QUEUE, {"channel": Channel.PHONE})) == []
    r = client.get(QUEUE, {"kind": "suggestion"})
    assert "Hapus semua filter" in r.content.decode()


def test_filters_unit_and_assignee(world):
    routed = f.complaint(world.agency)
    services.complaint_verify(complaint_id=routed.pk, actor=world.verifier)
    services.complaint_route(
        complaint_id=routed.pk, actor=world.verifier, unit=world.unit, assignee=world.officer
    )
    unrouted = f.complaint(world.agency)
    services.complaint_verify(complaint_id=unrouted.pk, actor=world.verifier)
    client = client_for(world.verifier)
    assert numbers(client.get(QUEUE, {"unit": world.unit.pk})) == [routed.display_tracking_number]
    assert numbers(client.get(QUEUE, {"assignee": world.officer.pk})) == [
        routed.display_tracking_number
    ]
    assert routed.display_tracking_number not in numbers(client.get(QUEUE, {"assignee": "none"}))
    officer = client_for(world.officer)
    assert numbers(officer.get(QUEUE, {"assignee": "me"})) == [routed.display_tracking_number]
    # the officer's scope is the unit: the unrouted complaint is not in it
    assert numbers(officer.get(QUEUE)) == [routed.display_tracking_number]


def test_clock_state_filters_and_labels(world):
    now = timezone.now()
    overdue = f.complaint(world.agency, now=now - dt.timedelta(days=30))
    fresh = f.complaint(world.agency)
    escalated = f.complaint(world.agency, now=now - dt.timedelta(days=30))
    services.complaint_escalate(
        complaint_id=escalated.pk, clock="verify", cycle=1, level=3, due_at=now
    )
    client = client_for(world.verifier)
    r = client.get(QUEUE, {"clock": "overdue"})
    assert numbers(r) == [overdue.display_tracking_number]
    assert "Lewat " in r.content.decode()
    assert "hari kerja" in r.content.decode()
    r = client.get(QUEUE, {"clock": "escalated"})
    assert numbers(r) == [escalated.display_tracking_number]
    assert "Dieskalasi ke focal point" in r.content.decode()
    r = client.get(QUEUE, {"clock": ["on_track", "due_soon"]})
    assert numbers(r) == [fresh.display_tracking_number]


def test_an_escalation_of_the_resolution_clock_or_the_ceiling_shows_as_escalated(world):
    now = timezone.now()
    by_resolution = f.complaint(world.agency)
    by_ceiling = f.complaint(world.agency)
    services.complaint_verify(complaint_id=by_resolution.pk, actor=world.verifier)
    services.complaint_escalate(
        complaint_id=by_resolution.pk, clock="resolution", cycle=0, level=3, due_at=now
    )
    services.complaint_escalate(
        complaint_id=by_ceiling.pk, clock="hard_ceiling", cycle=0, level=3, due_at=now
    )
    client = client_for(world.verifier)
    r = client.get(QUEUE, {"clock": "escalated"})
    assert sorted(numbers(r)) == sorted(
        [by_resolution.display_tracking_number, by_ceiling.display_tracking_number]
    )
    assert r.content.decode().count("Dieskalasi ke focal point") >= 2
    assert numbers(client.get(QUEUE, {"clock": ["on_track", "due_soon", "overdue"]})) == []


def test_deadline_label_texts():
    from complaints.clock import WorkingCalendar
    from complaints.models import Agency

    cal = WorkingCalendar.for_agency(None)
    now = dt.datetime(2026, 8, 12, 9, 12, tzinfo=cal.tz)  # a Wednesday
    c = Complaint(status=Status.IN_PROGRESS, agency=Agency(time_zone="Asia/Jakarta", path="1/"))
    c.agency.pk = 1
    calendars = {1: cal}
    c.current_due_at = cal.add_working_days(now, 1)
    label = policy.deadline_for(c, now, calendars)
    assert label.state == "due_soon"
    c.current_due_at = cal.add_working_days(now, 4)
    assert policy.deadline_for(c, now, calendars).state == "on_track"
    c.current_due_at = now - dt.timedelta(days=2)
    label = policy.deadline_for(c, now, calendars)
    assert label.state == "overdue"
    assert label.days == -2


def test_full_text_search_title_body_and_tracking_number(world):
    a = f.complaint(world.agency, title="Kosmetik ilegal", body="Dijual bebas di pasar malam.")
    b = f.complaint(world.agency, title="Antrean KTP", body="Menunggu tiga jam di kantor.")
    f.complaint(world.other, title="Kosmetik ilegal juga", body="pasar malam")
    client = client_for(world.verifier)
    assert numbers(client.get(QUEUE, {"q": "kosmetik"})) == [a.display_tracking_number]
    assert numbers(client.get(QUEUE, {"q": "PASAR mal"})) == [a.display_tracking_number]
    assert numbers(client.get(QUEUE, {"q": "kantor antrean"})) == [b.display_tracking_number]
    assert numbers(client.get(QUEUE, {"q": b.tracking_number.lower()})) == [
        b.display_tracking_number
    ]
    assert numbers(client.get(QUEUE, {"q": "tidakadasamasekali"})) == []
    # punctuation that means something to tsquery is harmless
    assert client.get(QUEUE, {"q": "kosmetik & | ! ( ) :* '"}).status_code == 200


def test_search_reaches_open_and_closed_complaints_alike(world):
    # Open and closed complaints sit in two partial full-text indexes (complaints 0009).
    open_ = f.complaint(world.agency, title="Kosmetik ilegal di pasar")
    closed = f.complaint(world.agency, title="Kosmetik ilegal di toko")
    Complaint.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    client = client_for(world.verifier)

    def found(params):
        return set(numbers(client.get(QUEUE, {"q": "kosmetik ilegal", **params})))

    assert found({}) == {open_.display_tracking_number}
    assert found({"status": "closed"}) == {closed.display_tracking_number}
    assert found({"status": ["closed", "submitted"]}) == {
        open_.display_tracking_number,
        closed.display_tracking_number,
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "bogus"}, "Pilih status dari daftar"),
        ({"kind": "x"}, "Pilih jenis dari daftar"),
        ({"clock": "late"}, "Pilih keadaan tenggat dari daftar"),
        ({"category": "abc"}, "Pilih kategori dari daftar"),
        ({"category": "999999"}, "Pilih kategori dari daftar"),
        ({"unit": "-1"}, "Pilih instansi atau unit kerja dari daftar"),
        ({"assignee": "somebody"}, "Pilih penanggung jawab dari daftar"),
        ({"channel": "fax"}, "Pilih kanal dari daftar"),
        ({"privacy": "secret"}, "Pilih tanda kerahasiaan dari daftar"),
        ({"date_from": "2026-13-45"}, "Diterima sejak harus tanggal yang benar"),
        ({"date_from": "2026-08-10", "date_to": "2026-08-01"}, "Diterima sampai harus sama"),
        ({"sort": "DROP TABLE"}, "Pilih urutan dari judul kolom tabel"),
        ({"page": "abc"}, "Nomor halaman harus bilangan bulat"),
        ({"page": "0"}, "Nomor halaman harus 1 atau lebih"),
        ({"page": "99999999999"}, "Nomor halaman terlalu besar"),
        ({"q": "x" * 300}, "Kata pencarian harus 200 karakter atau kurang"),
    ],
)
def test_bad_filter_values_show_errors_not_500(world, params, message):
    f.complaint(world.agency)
    response = client_for(world.verifier).get(QUEUE, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Kesalahan: " in html
    assert "Ada masalah" in html
    assert message in html
    # the valid part of the view still shows the queue
    assert "queue-table" in html


def test_other_agency_unit_filter_is_an_error_not_a_leak(world):
    f.complaint(world.other)
    r = client_for(world.verifier).get(QUEUE, {"unit": world.other_unit.pk})
    assert "Pilih instansi atau unit kerja dari daftar" in r.content.decode()


def test_sorting_and_aria_sort(world):
    now = timezone.now()
    old = f.complaint(world.agency, now=now - dt.timedelta(days=10))
    new = f.complaint(world.agency, now=now)
    client = client_for(world.verifier)
    assert numbers(client.get(QUEUE)) == [old.display_tracking_number, new.display_tracking_number]
    r = client.get(QUEUE, {"sort": "-created"})
    assert numbers(r) == [new.display_tracking_number, old.display_tracking_number]
    assert 'aria-sort="descending"' in r.content.decode()
    assert numbers(client.get(QUEUE, {"sort": "-due"}))[0] == new.display_tracking_number


def test_a_view_of_closed_and_archived_complaints_lists_the_newest_first(world):
    now = timezone.now()
    old = f.complaint(world.agency, now=now - dt.timedelta(days=10))
    new = f.complaint(world.agency, now=now - dt.timedelta(days=1))
    live = f.complaint(world.agency, now=now - dt.timedelta(days=20))
    for c in (old, new):
        services.complaint_archive(complaint_id=c.pk, actor=world.verifier, reason="Spam")
    client = client_for(world.verifier)
    r = client.get(QUEUE, {"status": "archived"})
    assert numbers(r) == [new.display_tracking_number, old.display_tracking_number]
    html = r.content.decode()
    assert html.count('aria-sort="descending"') == 1  # the filing-date column says so
    assert 'aria-sort="ascending"' not in html
    # With an open status in the view, the deadline stays the default.
    r = client.get(QUEUE, {"status": ["archived", "submitted"]})
    assert numbers(r)[0] == live.display_tracking_number
    # A sort asked for wins.
    r = client.get(QUEUE, {"status": "archived", "sort": "created"})
    assert numbers(r) == [old.display_tracking_number, new.display_tracking_number]


def test_pagination_and_capped_count(world, monkeypatch):
    monkeypatch.setattr(queue_module, "PER_PAGE", 2)
    monkeypatch.setattr(queue_module, "COUNT_CAP", 4)
    for _ in range(7):
        f.complaint(world.agency)
    client = client_for(world.verifier)
    r = client.get(QUEUE, {"page": 2})
    page = r.context["page"]
    assert page.number == 2
    assert len(page.rows) == 2
    # 7 rows, counting capped at 4 after the offset: 2 + 4 = 6 known, more exist
    assert page.capped
    assert page.has_next
    html = r.content.decode()
    assert "halaman 2 dari" in html
    assert 'rel="next"' in html
    assert 'rel="prev"' in html
    r = client.get(QUEUE, {"page": 4})
    assert len(r.context["page"].rows) == 1
    assert not r.context["page"].has_next


def test_saved_views(world):
    client = client_for(world.verifier)
    r = client.post(
        reverse("staff:saved_filter_create"), {"name": "Lewat batas", "query": "clock=overdue"}
    )
    assert r.status_code == 302
    saved = SavedFilter.objects.get(user=world.verifier)
    assert saved.query == "clock=overdue"
    html = client.get(QUEUE).content.decode()
    assert "?clock=overdue" in html
    assert "Lewat batas" in html
    # no name → error banner, nothing saved
    client.post(reverse("staff:saved_filter_create"), {"name": "", "query": "kind=x"})
    assert SavedFilter.objects.count() == 1
    # someone else cannot delete it
    other = client_for(world.other_verifier)
    url = reverse("staff:saved_filter_delete", args=[saved.pk])
    assert other.post(url).status_code == 404
    assert client.post(url).status_code == 302
    assert not SavedFilter.objects.exists()


def test_csv_export_same_scope_and_filters_with_masked_identity(world):
    a = f.complaint(world.agency, title="=cmd|calc", is_anonymous=True, reporter_name="Siti")
    b = f.complaint(world.agency, title="Biasa", kind=Kind.SUGGESTION, reporter_name="Budi")
    f.complaint(world.other, title="Punya instansi lain")
    client = client_for(world.verifier)
    response = client.get(reverse("staff:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Nomor pelacakan"
    by_number = {r[0]: r for r in rows[1:]}
    assert set(by_number) == {a.display_tracking_number, b.display_tracking_number}
    assert by_number[a.display_tracking_number][1] == "'=cmd|calc"
    assert by_number[a.display_tracking_number][12] == "Identitas dirahasiakan"
    assert "Siti" not in body
    assert by_number[b.display_tracking_number][12] == "Budi"
    filtered = client.get(reverse("staff:export"), {"kind": "suggestion"})
    body = b"".join(filtered.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(body)))) == 2
    bad = client.get(reverse("staff:export"), {"kind": "bogus"})
    assert bad.status_code == 302


def test_home_badges(world):
    now = timezone.now()
    f.complaint(world.agency, now=now - dt.timedelta(days=30))  # overdue, to verify
    mine = f.complaint(world.agency)
    services.complaint_verify(complaint_id=mine.pk, actor=world.verifier)
    services.complaint_route(
        complaint_id=mine.pk, actor=world.verifier, unit=world.unit, assignee=world.officer
    )
    services.complaint_take(complaint_id=mine.pk, actor=world.officer)
    services.response_draft(complaint_id=mine.pk, actor=world.officer, body="Jawaban")
    f.complaint(world.other)
    counts = queue_module.staff_home_counts(actor=world.approver)
    assert counts["approval"] == 1
    assert counts["overdue"] == 1
    assert counts["to_verify"] == 1
    assert queue_module.staff_home_counts(actor=world.officer)["mine"] == 1
    html = client_for(world.approver).get(reverse("staff:home")).content.decode()
    assert "Menunggu persetujuan saya" in html
    r = client_for(world.approver).get(QUEUE, {"approval": "on"})
    assert numbers(r) == [mine.display_tracking_number]
    # officers do not get an approvals badge
    officer_html = client_for(world.officer).get(reverse("staff:home")).content.decode()
    assert "Menunggu persetujuan saya" not in officer_html


@pytest.mark.parametrize("n_rows", [1, 50])
def test_queue_query_count_is_fixed(world, django_assert_num_queries, n_rows):
    units = [world.unit, world.unit2]
    for i in range(n_rows):
        c = f.complaint(world.agency, category=world.category)
        if i % 2:
            services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
            services.complaint_route(
                complaint_id=c.pk, actor=world.verifier, unit=units[i % 2], assignee=None
            )
    client = client_for(world.verifier)
    # 1 session, 2 user, 3 memberships, 4 categories, 5 agencies/units, 6 officers (filter
    # choices), 7 capped count, 8 page rows, 9-11 every agency, category and staff name (the
    # rows' places, category and assignee): 4-6 and 9-11 built once per process
    # (common.refcache); 12 saved views (forwarded-away complaints are not in the default
    # views: no history query)
    with django_assert_num_queries(12):
        response = client.get(QUEUE, {"q": "obat", "clock": ["on_track", "due_soon"]})
    assert len(response.context["page"].rows) == n_rows
    with django_assert_num_queries(6):
        client.get(QUEUE)


def test_forwarded_complaint_stays_in_senders_queue_masked(world, django_assert_num_queries):
    c = f.complaint(world.agency, is_anonymous=True, reporter_name="Sembunyi")
    services.complaint_forward(
        complaint_id=c.pk, actor=world.verifier, agency=world.other, reason="Bukan wewenang"
    )
    client = client_for(world.verifier)
    # not in the sender's default view any more, but in its "forwarded" view
    assert client.get(QUEUE).context["page"].rows == []
    r = client.get(QUEUE, {"forwarded": "on"})
    rows = r.context["rows"]
    assert [x["pk"] for x in rows] == [c.pk]
    assert not rows[0]["handled"]  # read-only history for the sender
    assert rows[0]["agency"] == str(world.other)  # joined, no extra query
    assert "Sembunyi" not in r.content.decode()
    # the page's rows never carry the identity (masked by the selector as well)
    assert r.context["page"].rows[0].get("reporter_name", "") == ""
    # and the receiving agency has it too
    other = client_for(world.other_verifier).get(QUEUE)
    assert [x["pk"] for x in other.context["rows"]] == [c.pk]
    export = client.get(reverse("staff:export"), {"forwarded": "on"})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Sembunyi" not in body
    assert c.display_tracking_number in body


@pytest.mark.parametrize("n_rows", [1, 50])
def test_home_query_count_is_fixed(world, django_assert_num_queries, n_rows):
    for _ in range(n_rows):
        f.complaint(world.agency)
    client = client_for(world.approver)
    # 1 session, 2 user, 3 memberships, 4-7 four capped counts of the approver's badges
    # (unassigned, due soon, overdue, escalated), 8 approvals, 9 officer units (forwarded-away
    # complaints never count: no history query)
    with django_assert_num_queries(9):
        response = client.get(reverse("staff:home"))
    assert response.context["counts"]["due_soon"] + response.context["counts"]["overdue"] == 0
    # the verifier's badges: the same plus "waiting for verification", without approvals
    verifier = client_for(world.verifier)
    with django_assert_num_queries(9):
        response = verifier.get(reverse("staff:home"))
    assert response.context["counts"]["to_verify"] == n_rows


def test_category_list_narrows_for_national_scopes(world, monkeypatch):
    from complaints.views import staff_queue

    monkeypatch.setattr(staff_queue, "CATEGORY_LIST_MAX_AGENCIES", 1)
    a = f.complaint(world.agency, category=world.category)
    f.complaint(world.other, category=world.other_category)
    client = client_for(world.admin)
    r = client.get(QUEUE)
    assert [v for v, _label in r.context["form"].fields["category"].choices] == [""]
    assert "Pilih instansi dahulu" in r.content.decode()
    r = client.get(QUEUE, {"unit": world.agency.pk})
    choices = [v for v, _label in r.context["form"].fields["category"].choices]
    assert choices == ["", world.category.pk]
    # a category link (e.g. from a board) still filters without choosing the agency
    r = client.get(QUEUE, {"category": world.category.pk})
    assert not r.context["form"].errors
    assert numbers(r) == [a.display_tracking_number]


# ---------------------------------------------------------------------------------------------
# Complaints forwarded to another agency: history in the sender's queue, not work


def test_forwarded_away_complaint_leaves_the_senders_badges_views_and_clock_filters(world):
    # given a verified BPOM complaint forwarded to another agency and escalated there
    coordinator = f.staff(world.agency, Role.COORDINATOR, full_name="Koordinator")
    c = forwarded_complaint(world)
    services.complaint_escalate(
        complaint_id=c.pk,
        clock="response",
        cycle=c.clock_cycle,
        level=3,
        due_at=timezone.now(),
        notify=(),
    )
    # then the sender's badges do not count it (it is unassigned and escalated elsewhere)
    assert queue_module.staff_home_counts(actor=world.verifier)["unassigned"] == 0
    assert queue_module.staff_home_counts(actor=coordinator)["escalated"] == 0
    # and the receiving agency's do
    assert queue_module.staff_home_counts(actor=world.other_verifier)["unassigned"] == 1
    assert queue_module.staff_home_counts(actor=world.other_verifier)["escalated"] == 1
    # the sender's default view and clock filters leave it out
    client = client_for(coordinator)
    assert numbers(client.get(QUEUE)) == []
    assert numbers(client.get(QUEUE, {"clock": "escalated"})) == []
    # the explicit view lists it, read-only: no checkbox, no bulk buttons
    r = client_for(world.verifier).get(QUEUE, {"forwarded": "on"})
    html = r.content.decode()
    assert numbers(r) == [c.display_tracking_number]
    assert f'id="item-{c.pk}"' not in html
    assert 'name="action"' not in html
    assert "data-read-only-list" in html
    assert "Dilimpahkan ke instansi lain: Ya" in html  # the removable filter tag
    # and the case page stays readable
    page = client_for(world.verifier).get(case_url(c))
    assert page.status_code == 200
    assert "data-read-only" in page.content.decode()


def test_a_complaint_forwarded_back_is_current_work_again(world):
    c = forwarded_complaint(world)
    services.complaint_forward(
        complaint_id=c.pk, actor=world.other_verifier, agency=world.agency, reason="Kembali"
    )
    client = client_for(world.verifier)
    assert numbers(client.get(QUEUE)) == [c.display_tracking_number]
    assert numbers(client.get(QUEUE, {"forwarded": "on"})) == []
    # the other agency now has it in its forwarded view
    other = client_for(world.other_verifier)
    assert numbers(other.get(QUEUE, {"forwarded": "on"})) == [c.display_tracking_number]


@pytest.mark.parametrize("n_rows", [1, 20])
def test_forwarded_view_query_count_is_fixed(world, django_assert_num_queries, n_rows):
    for _ in range(n_rows):
        forwarded_complaint(world)
    client = client_for(world.verifier)
    # 1 session, 2 user, 3 memberships, 4 categories, 5 agencies/units, 6 officers (filter
    # choices), 7 forwarded-away ids, 8 capped count, 9 page rows, 10-12 every agency, category
    # and staff name (4-6 and 10-12 built once per process), 13 saved views
    with django_assert_num_queries(13):
        r = client.get(QUEUE, {"forwarded": "on"})
    assert len(r.context["page"].rows) == n_rows
    with django_assert_num_queries(7):
        client.get(QUEUE, {"forwarded": "on"})


# ---------------------------------------------------------------------------------------------
# CSV dates


def test_csv_dates_are_iso_8601_with_the_agencys_offset(world):
    world.agency.time_zone = "Asia/Makassar"
    world.agency.save(update_fields=["time_zone"])
    c = f.complaint(world.agency)
    body = b"".join(
        client_for(world.verifier).get(reverse("staff:export")).streaming_content
    ).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][8] == "Diterima (ISO 8601, waktu setempat instansi)"
    assert rows[0][9] == "Tenggat (ISO 8601, waktu setempat instansi)"
    c.refresh_from_db()
    wita = ZoneInfo("Asia/Makassar")
    assert rows[1][8] == c.created_at.astimezone(wita).isoformat(timespec="minutes")
    assert rows[1][9] == c.current_due_at.astimezone(wita).isoformat(timespec="minutes")
    assert rows[1][8].endswith("+08:00")
    assert dt.datetime.fromisoformat(rows[1][8]) == c.created_at.replace(second=0, microsecond=0)


# ---------------------------------------------------------------------------------------------
# Saved views under a name already used, or too long


def test_saving_a_view_under_a_name_already_used_is_refused_on_the_name_field(world):
    client = client_for(world.verifier)
    save = reverse("staff:saved_filter_create")
    client.post(save, {"name": "Lewat batas", "query": "clock=overdue"})
    # when the same name is saved again (in another letter case) for another view
    r = client.post(save, {"name": "lewat BATAS", "query": "kind=suggestion"})
    html = r.content.decode()
    # then nothing is overwritten: the error is on the name field, the input is kept
    assert r.status_code == 400
    assert "<title>Kesalahan: " in html
    message = "Anda sudah memiliki tampilan dengan nama ini. Masukkan nama lain"
    assert f'href="#id_name">{message}</a>' in html
    assert 'id="id_name-error"' in html
    assert 'value="lewat BATAS"' in html
    # and the view being saved is the one on the page
    assert r.context["form"].cleaned_data["kind"] == ["suggestion"]
    saved = SavedFilter.objects.get(user=world.verifier)
    assert (saved.name, saved.query) == ("Lewat batas", "clock=overdue")
    # another user may use the same name
    other = client_for(world.approver).post(save, {"name": "Lewat batas", "query": "kind=x"})
    assert other.status_code == 302
    assert SavedFilter.objects.filter(name="Lewat batas").count() == 2


def test_a_view_name_that_is_too_long_gets_the_house_wording(world):
    r = client_for(world.verifier).post(
        reverse("staff:saved_filter_create"), {"name": "x" * 101, "query": ""}
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "Nama tampilan ini harus 100 karakter atau kurang" in html
    assert "Pastikan" not in html
    assert not SavedFilter.objects.exists()


# ---------------------------------------------------------------------------------------------
# The filters' errors in the house wording


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 600}, "Kata pencarian harus 200 karakter atau kurang"),
        ({"q": "obat\x00"}, "Teks tidak boleh berisi karakter null"),
    ],
)
def test_bad_search_values_get_the_house_wording(world, params, message):
    f.complaint(world.agency)
    r = client_for(world.verifier).get(QUEUE, params)
    html = r.content.decode()
    assert r.status_code == 200
    assert f'href="#id_q">{message}</a>' in html
    assert f"</span> {message}</p>" in html  # beside the search box as well
    assert "Pastikan" not in html
    assert "tidak diperbolehkan" not in html
    assert "queue-table" in html


def test_no_queue_filter_value_gets_a_django_default_message(world):
    # every field of the filter form, each with a value it refuses
    f.complaint(world.agency)
    bad = {
        "q": ["x" * 201],
        "status": ["bogus"],
        "kind": ["x"],
        "clock": ["late"],
        "category": ["abc"],
        "unit": ["-1"],
        "assignee": ["somebody"],
        "channel": ["fax"],
        "privacy": ["secret"],
        "date_from": ["2026-13-45"],
        "date_to": ["kemarin"],
        "sort": ["DROP TABLE"],
        "page": ["abc"],
    }
    r = client_for(world.verifier).get(QUEUE, bad)
    form = r.context["form"]
    assert set(form.errors) == set(bad)
    from django import forms as django_forms

    defaults = set()
    for field_class in (
        django_forms.CharField,
        django_forms.ChoiceField,
        django_forms.MultipleChoiceField,
        django_forms.DateField,
        django_forms.IntegerField,
    ):
        defaults |= {str(m) for m in field_class().error_messages.values()}
    messages = [str(m) for errors in form.errors.values() for m in errors]
    assert not [m for m in messages if m in defaults or m.startswith("Pastikan")]
