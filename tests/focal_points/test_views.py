"""The focal pages through the full request stack: access, scope, forms, query counts."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from complaints.clock import WorkingCalendar
from complaints.models import ComplaintEvent, Escalation, EventType
from focal_points.models import CorrectiveAction, FocalPoint, Nudge
from focal_points.services import corrective_action_issue
from focal_points.vocabulary import OversightEvent
from tests.factories import AgencyFactory, UserFactory
from tests.focal_points.helpers import open_complaint

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_board_requires_sign_in_and_a_focal_role(client, world):
    response = client.get(reverse("focal:board"))
    assert response.status_code == 302
    login(client, world.officer_a1)
    assert client.get(reverse("focal:board")).status_code == 403


def test_focal_pages_do_not_advertise_themselves_to_reporters(client, world):
    from tests import factories as f

    login(client, f.UserFactory(email="warga@example.com"))
    pages = ("board", "escalation_list", "scorecard", "corrective_action_list", "directory")
    for name in pages:
        assert client.get(reverse(f"focal:{name}")).status_code == 404, name


def test_coordinator_board_shows_group_agencies_only(client, world):
    open_complaint(world.a, unit=world.a1, due=timezone.now() - dt.timedelta(days=3))
    open_complaint(world.c, title="Rahasia instansi lain")
    login(client, world.coordinator)
    response = client.get(reverse("focal:board"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Badan Pengawas Obat" in html
    assert "Dinas Kesehatan" in html
    assert "Kementerian Lain" not in html
    assert "Rahasia instansi lain" not in html
    assert f"?agency={world.a.pk}&amp;clock=overdue#list" in html


def test_board_filters_by_clock_and_shows_sla_label(client, world):
    now = timezone.now()
    late = open_complaint(world.a, unit=world.a1, due=now - dt.timedelta(days=7), title="Lama")
    open_complaint(world.a, unit=world.a1, due=now + dt.timedelta(days=30), title="Baru")
    login(client, world.focal_a)
    html = client.get(reverse("focal:board"), {"clock": "overdue"}).content.decode()
    assert late.display_tracking_number in html
    assert "Baru</a>" not in html
    assert "Lewat batas" in html


def test_scope_other_agency_complaint_is_404(client, world):
    other = open_complaint(world.c)
    login(client, world.focal_a)
    assert client.get(reverse("focal:complaint_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("focal:board"), {"agency": world.c.pk}).status_code == 404
    assert client.get(reverse("focal:scorecard"), {"agency": world.c.pk}).status_code == 404


def test_coordinator_reads_complaint_with_anonymous_identity_masked(client, world):
    c = open_complaint(world.b, is_anonymous=True)
    login(client, world.coordinator)
    html = client.get(reverse("focal:complaint_detail", args=[c.pk])).content.decode()
    assert "Identitas dirahasiakan" in html
    assert "Budi Santoso" not in html
    assert "budi@example.com" not in html


def test_complaint_page_says_which_deadline_finished_and_which_is_overdue(client, world):
    # given a complaint verified on time whose first response is a week late
    now = timezone.now()
    c = open_complaint(
        world.a,
        due=now - dt.timedelta(days=7),
        response_due_at=now - dt.timedelta(days=7),
        verify_due_at=now - dt.timedelta(days=12),
    )
    login(client, world.focal_a)
    html = client.get(reverse("focal:complaint_detail", args=[c.pk])).text
    verify = html.split('data-clock="verify"', 1)[1].split("</li>", 1)[0]
    response = html.split('data-clock="response"', 1)[1].split("</li>", 1)[0]
    assert "Selesai" in verify
    assert "Lewat" in response
    assert "hari kerja" in response
    assert "dalam hari kerja." in html


def test_nudge_confirm_then_send(client, world):
    c1 = open_complaint(world.a, unit=world.a1)
    c2 = open_complaint(world.a, unit=world.a2)
    login(client, world.focal_a)
    url = reverse("focal:nudge")
    page = client.get(url, {"complaint": [c1.pk, c2.pk]})
    assert page.status_code == 200
    assert c2.display_tracking_number in page.content.decode()
    empty = client.post(url, {"complaint": [c1.pk, c2.pk], "message": ""})
    assert empty.status_code == 200
    assert "Kesalahan: " in empty.content.decode()
    sent = client.post(url, {"complaint": [c1.pk, c2.pk], "message": "Mohon dijawab"})
    assert sent.status_code == 302
    assert Nudge.objects.count() == 2
    assert ComplaintEvent.objects.filter(type=OversightEvent.NUDGED).count() == 2


def test_nudge_without_selection_and_outside_scope(client, world):
    other = open_complaint(world.c)
    login(client, world.focal_a)
    response = client.get(reverse("focal:nudge"), follow=True)
    assert "Pilih minimal satu laporan" in response.content.decode()
    assert client.get(reverse("focal:nudge"), {"complaint": other.pk}).status_code == 404


def test_acknowledge_escalation(client, world):
    c = open_complaint(world.a, level=3)
    now = timezone.now()
    e = Escalation.objects.create(
        complaint=c, clock="response", level=3, due_at=now, created_at=now
    )
    login(client, world.focal_a)
    board = client.get(reverse("focal:board")).content.decode()
    assert "Konfirmasi eskalasi" in board
    response = client.post(reverse("focal:escalation_ack", args=[e.pk]))
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.acknowledged_by == world.focal_a
    assert ComplaintEvent.objects.filter(
        complaint=c, type=EventType.ESCALATION_ACKNOWLEDGED, actor=world.focal_a
    ).exists()


def test_issue_corrective_action_form_and_default_due(client, world):
    login(client, world.coordinator)
    url = reverse("focal:corrective_action_new")
    error = client.post(url, {"agency": world.a.pk, "title": "", "required_change": ""})
    assert error.status_code == 200
    assert "Masukkan judul singkat" in error.content.decode()
    response = client.post(
        url, {"agency": world.a.pk, "title": "Perbaiki SOP", "required_change": "Buat SOP"}
    )
    action = CorrectiveAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("focal:corrective_action_detail", args=[action.pk])
    expected = WorkingCalendar.for_agency(world.a).add_working_days(action.created_at, 60)
    assert action.due_at == expected
    # outside the group: refused
    other = client.post(url, {"agency": world.c.pk, "title": "x", "required_change": "y"})
    assert other.status_code == 200
    assert not CorrectiveAction.objects.filter(agency=world.c).exists()


def test_a_corrective_action_cannot_fall_due_on_a_day_off(client, world):
    login(client, world.coordinator)
    url = reverse("focal:corrective_action_new")
    today = timezone.localdate()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    monday = saturday + dt.timedelta(days=2)
    while not WorkingCalendar.for_agency(world.a).is_working_day(monday):
        monday += dt.timedelta(days=1)
    form = {"agency": world.a.pk, "title": "Perbaiki SOP", "required_change": "Buat SOP"}

    refused = client.post(url, {**form, "due_on": saturday.isoformat()})

    assert refused.status_code == 200
    assert f"Tenggat harus hari kerja di {world.a.name}" in refused.text
    assert "bukan hari kerja" in refused.text
    assert 'value="Perbaiki SOP"' in refused.text
    assert f'value="{saturday.isoformat()}"' in refused.text
    assert not CorrectiveAction.objects.exists()

    issued = client.post(url, {**form, "due_on": monday.isoformat()})
    assert issued.status_code == 302
    action = CorrectiveAction.objects.get()
    assert action.due_at == WorkingCalendar.for_agency(world.a).end_of_day(monday)


def _png():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buf, format="PNG")
    return SimpleUploadedFile("foto bukti.png", buf.getvalue(), content_type="image/png")


def test_progress_with_evidence_and_authorised_download(client, world):
    action = corrective_action_issue(
        actor=world.coordinator, agency=world.a, title="SOP", required_change="Buat SOP"
    )
    login(client, world.focal_a)
    url = reverse("focal:corrective_action_progress", args=[action.pk])
    response = client.post(url, {"body": "SOP selesai", "evidence": [_png()]})
    assert response.status_code == 302
    evidence = action.updates.get().evidence.get()
    download = client.get(reverse("focal:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    # Consuming the streamed file closes it (the test client's wrapper closes the response).
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    outsider = login(type(client)(), world.focal_c)
    assert outsider.get(reverse("focal:evidence_download", args=[evidence.pk])).status_code == 404
    # a file that is not an allowed type is refused with the field error
    bad = SimpleUploadedFile("x.png", b"<html>", content_type="image/png")
    refused = client.post(url, {"body": "lagi", "evidence": [bad]})
    assert refused.status_code == 400
    assert 'id="id_evidence-error"' in refused.content.decode()


def test_only_the_issuer_sees_and_uses_the_close_form(client, world):
    action = corrective_action_issue(
        actor=world.coordinator, agency=world.a, title="SOP", required_change="Buat SOP"
    )
    detail = reverse("focal:corrective_action_detail", args=[action.pk])
    close = reverse("focal:corrective_action_close", args=[action.pk])
    login(client, world.focal_a)
    assert "Tutup tindakan korektif" not in client.get(detail).content.decode()
    form = {"outcome": "accepted", "reason": "ok", "version": action.version}
    assert client.post(close, form).status_code == 403
    login(client, world.coordinator)
    assert "Tutup tindakan korektif" in client.get(detail).content.decode()
    stale = client.post(close, {**form, "version": action.version + 5})
    assert stale.status_code == 400
    assert client.post(close, form).status_code == 302
    action.refresh_from_db()
    assert action.state == CorrectiveAction.State.CLOSED_ACCEPTED


def test_corrective_action_list_is_scoped(client, world):
    corrective_action_issue(
        actor=world.focal_a, agency=world.a, title="Untuk A", required_change="y"
    )
    corrective_action_issue(
        actor=world.focal_c, agency=world.c, title="Untuk C", required_change="y"
    )
    login(client, world.verifier_a)
    html = client.get(reverse("focal:corrective_action_list")).content.decode()
    assert "Untuk A" in html
    assert "Untuk C" not in html


def test_scorecard_page_sort_links_and_csv(client, world):
    login(client, world.coordinator)
    html = client.get(reverse("focal:scorecard"), {"sort": "-received"}).content.decode()
    assert 'aria-sort="descending"' in html
    assert "Cara menghitung angka" in html or "<details" in html
    assert "Dinas Kesehatan" in html
    csv = client.get(reverse("focal:scorecard_csv"))
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("Instansi,Diterima")
    assert any(line.startswith("Dinas Kesehatan,") for line in lines)


def test_directory_edit_rights(client, world):
    login(client, world.focal_a)
    html = client.get(reverse("focal:directory")).content.decode()
    assert "Kepala Biro" in html
    own = FocalPoint.objects.get(user=world.focal_a)
    other = FocalPoint.objects.get(user=world.focal_c)
    assert client.get(reverse("focal:directory_edit", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("focal:directory_edit", args=[own.pk]),
        {"position": "Direktur", "phone": "0812", "email": "fokal@bpo.go.id", "is_active": "on"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.position == "Direktur"


def test_admin_adds_focal_point_page(client, world):
    from complaints.models import Role
    from tests.factories import staff

    staff(world.b, Role.VERIFIER, email="baru@dinkes.go.id")
    admin = UserFactory(is_national_admin=True)
    login(client, admin)
    response = client.post(
        reverse("focal:directory_add"), {"agency": world.b.pk, "user_email": "baru@dinkes.go.id"}
    )
    assert response.status_code == 302
    assert FocalPoint.objects.filter(agency=world.b, user__email="baru@dinkes.go.id").exists()


def test_focal_point_cannot_create_accounts_from_the_directory(client, world):
    from accounts.models import User

    login(client, world.focal_a)
    users_before = User.objects.count()
    response = client.post(
        reverse("focal:directory_add"),
        {"agency": world.a.pk, "user_email": "orang.baru@example.go.id", "position": "Staf"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert User.objects.count() == users_before
    assert not FocalPoint.objects.filter(user__email="orang.baru@example.go.id").exists()
    assert "<title>Kesalahan: " in html
    assert "Masukkan email petugas yang sudah terdaftar di instansi ini" in html
    assert 'href="#id_user_email"' in html
    assert 'value="orang.baru@example.go.id"' in html
    assert 'value="Staf"' in html


@pytest.mark.parametrize("n_agencies", [1, 6])
def test_board_and_scorecard_pages_query_counts(
    client, django_assert_num_queries, world, n_agencies
):
    from focal_points.services import coordination_group_sync

    now = timezone.now()
    for _ in range(n_agencies):
        agency = AgencyFactory()
        world.group.agencies.add(agency)
        open_complaint(agency, due=now - dt.timedelta(days=2))
        open_complaint(agency, due=now + dt.timedelta(days=20))
    coordination_group_sync(group=world.group)
    login(client, world.coordinator)
    client.get(reverse("focal:board"))  # warm the working-calendar cache
    # session, user, memberships (focal scope and complaints.selectors share them), snapshot
    # age, board GROUP BY, capped count, page of complaints, SLA policies (whose ladder steps
    # are addressed to the reader), escalations with their total (window count)
    with django_assert_num_queries(9):
        assert client.get(reverse("focal:board")).status_code == 200
    # session, user, focal scope, policy, bands, counters with histograms (one GROUP BY),
    # snapshot age, overdue, nudges, actions, refreshed
    with django_assert_num_queries(11):
        assert client.get(reverse("focal:scorecard")).status_code == 200


# -- QA fixes --------------------------------------------------------------------------------


def _esc(c, level):
    now = timezone.now()
    return Escalation.objects.create(
        complaint=c, clock="response", level=level, due_at=now, created_at=now
    )


def test_acknowledge_button_only_for_steps_addressed_to_the_reader(client, world):
    c = open_complaint(world.a, level=4)
    steps = {level: _esc(c, level) for level in (1, 2, 3, 4)}
    ack = reverse("focal:escalation_ack", args=[steps[4].pk])
    login(client, world.focal_a)
    board = client.get(reverse("focal:board")).content.decode()
    detail = client.get(reverse("focal:complaint_detail", args=[c.pk])).content.decode()
    for html in (board, detail):
        assert reverse("focal:escalation_ack", args=[steps[3].pk]) in html
        for level in (1, 2, 4):
            assert reverse("focal:escalation_ack", args=[steps[level].pk]) not in html
    # posting the coordinator's step anyway is refused and changes nothing
    assert client.post(ack).status_code == 403
    steps[4].refresh_from_db()
    assert steps[4].acknowledged_at is None
    login(client, world.coordinator)
    assert ack in client.get(reverse("focal:board")).content.decode()


@pytest.mark.parametrize("n", [1, 25])
def test_escalation_badge_counts_all_and_the_list_page_shows_them(
    client, django_assert_num_queries, world, n
):
    for _ in range(n):
        _esc(open_complaint(world.a, level=3), 3)
    login(client, world.focal_a)
    board = client.get(reverse("focal:board")).content.decode()
    assert f'<span class="focal-badge">{n}</span>' in board
    assert board.count("Konfirmasi eskalasi") == min(n, 20)
    assert (f'href="{reverse("focal:escalation_list")}"' in board) == (n > 20)
    url = reverse("focal:escalation_list")
    client.get(url)  # warm the working-calendar cache
    # session, user, focal scope, SLA policies, page count, page rows
    with django_assert_num_queries(6):
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("Konfirmasi eskalasi") == n
    login(client, world.officer_a1)
    assert client.get(url).status_code == 403


def test_agency_level_row_links_to_complaints_without_a_unit(client, world):
    open_complaint(world.a, title="Belum didisposisikan")
    open_complaint(world.a, unit=world.a1, title="Sudah di unit")
    login(client, world.focal_a)
    html = client.get(reverse("focal:board")).content.decode()
    link = f"?agency={world.a.pk}&amp;unit=none&amp;clock=on_track#list"
    assert link in html
    listed = client.get(reverse("focal:board"), {"agency": world.a.pk, "unit": "none"})
    listed = listed.content.decode()
    assert "Belum didisposisikan" in listed
    assert "Sudah di unit</a>" not in listed


def test_scorecard_csv_cells_headers_and_labels(client, world):
    from complaints.models import SlaPolicy

    SlaPolicy.objects.create(name="Nasional", verify_days=4, first_response_days=7)
    open_complaint(world.a, title="Satu")
    login(client, world.focal_a)
    lines = client.get(reverse("focal:scorecard_csv")).content.decode().splitlines()
    header = lines[0].split(",")
    assert header[0] == "Unit kerja"
    assert "Terverifikasi dalam 4 hari kerja (%)" in header
    assert "Tanggapan pertama dalam 5 hari kerja (%)" not in header
    assert "Tanggapan pertama dalam 7 hari kerja (%)" in header
    assert any(line.startswith("Tingkat instansi (belum didisposisikan),") for line in lines)
    assert any(line.startswith("Semua,") for line in lines)
    assert not any("'" in cell for line in lines[1:] for cell in line.split(","))
    html = client.get(reverse("focal:scorecard")).content.decode()
    assert "Terverifikasi dalam 4 hari kerja" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("focal:scorecard_csv")).content.decode().splitlines()
    assert english[0].startswith("Unit,Received,Verified within 4 working days (%)")
    assert any(line.startswith("All,") for line in english)


def test_scorecard_csv_formula_guard():
    from focal_points.views import _csv_cell

    assert [_csv_cell(v) for v in ("", None, "=1+1", "-3", "@x", "Dinas", 0)] == [
        "",
        "",
        "'=1+1",
        "'-3",
        "'@x",
        "Dinas",
        "0",
    ]


def test_board_escalations_and_detail_show_the_zone_of_the_unit_that_owns_the_clock(client, world):
    from complaints.models import TimeZone

    # given agency A (WIB) whose unit A1 runs on WITA, and a complaint routed to A1, with the
    # focal point's step waiting
    world.a1.time_zone = TimeZone.WITA
    world.a1.save(update_fields=["time_zone"])
    due = dt.datetime(2026, 11, 26, 16, 59, tzinfo=dt.UTC)  # 23.59 WIB, 00.59 WITA next day
    c = open_complaint(world.a, unit=world.a1, due=due, response_due_at=due, level=3)
    Escalation.objects.create(complaint=c, clock="response", level=3, due_at=due, created_at=due)
    ComplaintEvent.objects.create(
        complaint=c, type=EventType.NOTE, actor_label="system", is_public=False, created_at=due
    )
    login(client, world.focal_a)

    # then the board, the escalation list and the complaint page all read the unit's zone,
    # which owns the clock, as the staff case page does, with its comma
    board = client.get(reverse("focal:board")).content.decode()
    waiting = client.get(reverse("focal:escalation_list")).content.decode()
    detail = client.get(reverse("focal:complaint_detail", args=[c.pk])).content.decode()
    for html in (board, waiting, detail):
        assert "27 November 2026, pukul 00.59 WITA" in html
        assert "pukul 23.59 WIB" not in html
    # the first-response deadline and the timeline entry
    assert detail.count("27 November 2026, pukul 00.59 WITA") == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"period": "custom", "start": "2026-11", "end": "2026-09"},
            "Bulan akhir harus sama dengan atau sesudah bulan awal",
        ),
        ({"period": "custom"}, "Masukkan bulan awal"),
        ({"period": "custom", "start": "2026-11"}, "Masukkan bulan akhir"),
        ({"period": "bogus"}, "Pilih periode dari daftar"),
        (
            {"period": "custom", "start": "2026-13", "end": "2026-09"},
            "Bulan awal harus bulan yang benar, misalnya 11/2026",
        ),
    ],
)
def test_invalid_scorecard_period_shows_errors_and_keeps_values(client, world, query, message):
    login(client, world.focal_a)
    response = client.get(reverse("focal:scorecard"), query)
    html = response.content.decode()
    assert "<title>Kesalahan: " in html
    assert 'class="error-summary"' in html
    assert message in html
    assert "Dari bulan" not in html
    for value in query.values():
        if value != "bogus":
            assert f'value="{value}"' in html
    assert "yang valid" not in html
    assert "tidak valid" not in html
    csv = client.get(reverse("focal:scorecard_csv"), query)
    assert csv.status_code == 302


def test_board_filters_edited_in_the_url_use_ux_messages(client, world):
    login(client, world.focal_a)
    html = client.get(
        reverse("focal:board"), {"filed_from": "2026-13-45", "clock": "bogus"}
    ).content.decode()
    assert "<title>Kesalahan: " in html
    assert "Dilaporkan sejak harus tanggal yang benar" in html
    assert "Pilih keadaan tenggat dari daftar" in html
    assert "yang valid" not in html
    assert "tidak valid" not in html


def test_corrective_action_errors_prefix_the_title_and_hint_follows_language(client, world):
    action = corrective_action_issue(
        actor=world.coordinator, agency=world.a, title="SOP", required_change="Buat SOP"
    )
    login(client, world.focal_a)
    page = client.get(reverse("focal:corrective_action_detail", args=[action.pk]))
    assert "<title>Kesalahan: " not in page.content.decode()
    assert "JPG, PNG, atau PDF" in page.content.decode()
    html = client.post(
        reverse("focal:corrective_action_progress", args=[action.pk]), {"body": ""}
    ).content.decode()
    assert "<title>Kesalahan: SOP" in html
    login(client, world.coordinator)
    html = client.post(
        reverse("focal:corrective_action_close", args=[action.pk]),
        {"version": action.version},
    ).content.decode()
    assert "<title>Kesalahan: SOP" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    login(client, world.focal_a)
    english = client.get(reverse("focal:corrective_action_detail", args=[action.pk]))
    assert "JPG, PNG or PDF, each smaller than" in english.content.decode()


def test_timeline_labels_are_translated_and_escalations_name_clock_and_level(client, world):
    from complaints.models import ComplaintEvent, EventType

    c = open_complaint(world.a, level=3)
    ComplaintEvent.objects.create(
        complaint=c,
        type=EventType.ESCALATED,
        actor_label="system",
        is_public=False,
        data={"clock": "response", "cycle": 1, "level": 3, "name": "breach_2"},
        created_at=timezone.now(),
    )
    login(client, world.focal_a)
    html = client.get(reverse("focal:complaint_detail", args=[c.pk])).content.decode()
    assert "Sistem ·" in html
    assert "Pelapor ·" in html  # the filing event
    assert "system ·" not in html
    assert "reporter ·" not in html
    assert "Tanggapan pertama, tingkat 3" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("focal:complaint_detail", args=[c.pk])).content.decode()
    assert "System ·" in english
    assert "Reporter ·" in english
    assert "First response, level 3" in english


def test_board_heading_once_and_health_allows_head(client, world):
    login(client, world.focal_a)
    open_complaint(world.a)
    html = client.get(reverse("focal:board")).content.decode()
    assert html.count("Laporan terbuka, tenggat terlama di atas") == 1
    assert client.head(reverse("health")).status_code in (200, 503)
    assert client.post(reverse("health")).status_code == 405


def test_nudge_email_links_to_the_staff_case_page(client, world):
    from complaints.models import Notification

    c = open_complaint(world.a, unit=world.a1)
    login(client, world.focal_a)
    client.post(reverse("focal:nudge"), {"complaint": [c.pk], "message": "Segera jawab."})
    body = Notification.objects.get(kind="nudge").body
    assert f"/staf/laporan/{c.pk}/" in body


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-03", "2026-04"),  # what a month input sends
        ("03/2026", "4/2026"),  # typed where the browser shows a text box
        ("Maret 2026", "april 2026"),
        ("2026-03-01", "2026-04-30"),  # full dates from older links
    ],
)
def test_scorecard_months_are_month_inputs_and_accept_what_people_type(client, world, start, end):
    login(client, world.focal_a)
    html = client.get(
        reverse("focal:scorecard"), {"period": "custom", "start": start, "end": end}
    ).content.decode()
    assert "Kesalahan" not in html
    assert "1 Maret 2026 sampai 30 April 2026" in html
    # shown back as a month input understands them
    assert 'type="month" name="start" value="2026-03"' in html
    assert 'type="month" name="end" value="2026-04"' in html
    assert "Bulan awal" in html
    assert "Bulan akhir" in html
    csv = client.get(
        reverse("focal:scorecard_csv"), {"period": "custom", "start": start, "end": end}
    )
    assert csv.status_code == 200
    assert "kartu-kinerja-2026-03-01-2026-04-30.csv" in csv["Content-Disposition"]


def test_scorecard_csv_first_header_is_the_pages_column_word(client, world):
    login(client, world.coordinator)
    by_agency = client.get(reverse("focal:scorecard_csv")).content.decode().splitlines()
    by_unit = client.get(reverse("focal:scorecard_csv"), {"agency": world.a.pk})
    by_unit = by_unit.content.decode().splitlines()
    page = client.get(reverse("focal:scorecard"), {"agency": world.a.pk}).content.decode()
    assert by_agency[0].split(",")[0] == "Instansi"
    assert by_unit[0].split(",")[0] == "Unit kerja"
    assert ">Unit kerja</a></th>" in page


def test_a_second_objection_shows_as_escalated_on_board_queue_and_timeline(client, world):
    from complaints.models import Escalation
    from focal_points.services import board_snapshot_refresh
    from tests.focal_points.test_services import _objected_twice

    # given a complaint of A, routed to A1, whose reporter objected to the answer twice
    c = _objected_twice(world, world.a, unit=world.a1)
    escalation = Escalation.objects.get(complaint=c)
    assert (escalation.clock, escalation.level) == ("resolution", 3)

    # then the focal board lists it under Escalated, with the purple label and the reason
    login(client, world.focal_a)
    escalated = client.get(reverse("focal:board"), {"clock": "escalated"}).content.decode()
    assert c.display_tracking_number in escalated
    assert "Dieskalasi ke focal point" in escalated
    assert "Sanggahan kedua dari pelapor" in escalated  # the escalation waiting to be acknowledged
    on_track = client.get(reverse("focal:board"), {"clock": "on_track"}).content.decode()
    assert c.display_tracking_number not in on_track.split('id="list"')[1]
    board_snapshot_refresh()
    from focal_points.selectors import board_counts, focal_scope_for

    counts = board_counts(scope=focal_scope_for(actor=world.focal_a))
    assert counts.total.escalated == 1

    # and its timeline says why it was escalated
    detail = client.get(reverse("focal:complaint_detail", args=[c.pk])).content.decode()
    assert "Dieskalasi · Penyelesaian, tingkat 3: sanggahan kedua dari pelapor" in detail

    # and the staff queue's Escalated view lists it too
    login(client, world.verifier_a)
    queue = client.get(reverse("staff:queue"), {"clock": "escalated"}).content.decode()
    assert c.display_tracking_number in queue


def test_focal_timeline_names_the_unit_and_each_corrective_action_change(client, world):
    from focal_points import services as focal_services

    # given a complaint routed to A1, with a corrective action issued, answered and closed
    c = open_complaint(world.a, unit=world.a1, reporter_phone="")
    ComplaintEvent.objects.create(
        complaint=c,
        type=EventType.ROUTED,
        actor=world.verifier_a,
        actor_label="Verifikator A",
        is_public=True,
        data={"unit": world.a1.pk, "unit_name": world.a1.name, "assignee": None},
        created_at=timezone.now(),
    )
    action = corrective_action_issue(
        actor=world.focal_a, complaint_id=c.pk, title="SOP", required_change="Buat SOP"
    )
    focal_services.corrective_action_report_progress(
        actor=world.verifier_a, action_id=action.pk, body="Sudah disusun"
    )
    focal_services.corrective_action_close(
        actor=world.focal_a, action_id=action.pk, accepted=True, reason="Cukup"
    )

    login(client, world.focal_a)
    html = client.get(reverse("focal:complaint_detail", args=[c.pk])).content.decode()

    # then each entry says what happened
    assert "Didisposisikan ke Direktorat Obat" in html
    assert "Tindakan korektif diterbitkan" in html
    assert "Tindakan korektif: kemajuan dilaporkan" in html
    assert "Tindakan korektif ditutup: diterima" in html
    assert '<p class="timeline__title">Tindakan korektif <span' not in html
    # and the phone the reporter left empty reads as on the staff pages
    assert "<dt>Telepon</dt><dd>Tidak diisi</dd>" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("focal:complaint_detail", args=[c.pk])).content.decode()
    assert "Routed to Direktorat Obat" in english
    assert "Corrective action: progress reported" in english


def test_focal_banners_start_with_done_and_evidence_reads_type_and_size(client, world):
    # given an escalation of A waiting for its focal point
    c = open_complaint(world.a, level=3)
    step = Escalation.objects.create(
        complaint=c, clock="response", level=3, due_at=timezone.now(), created_at=timezone.now()
    )
    login(client, world.focal_a)

    # when the focal point acknowledges it, issues a corrective action and reports progress
    acked = client.post(reverse("focal:escalation_ack", args=[step.pk]), follow=True)
    issued = client.post(
        reverse("focal:corrective_action_new"),
        {"agency": world.a.pk, "title": "SOP", "required_change": "Buat SOP"},
        follow=True,
    )
    action = CorrectiveAction.objects.get()
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, format="PNG")
    png = SimpleUploadedFile("evid.png", buf.getvalue(), content_type="image/png")
    reported = client.post(
        reverse("focal:corrective_action_progress", args=[action.pk]),
        {"body": "Sudah", "evidence": [png]},
        follow=True,
    )

    # then every banner starts with "Berhasil:" as on the staff pages
    assert "Berhasil: eskalasi diterima." in acked.content.decode()
    assert "Berhasil: tindakan korektif diterbitkan." in issued.content.decode()
    page = reported.content.decode()
    assert "Berhasil: kemajuan dilaporkan." in page
    # and the evidence reads "evid.png (PNG, 123 B)"
    size = action.updates.get().evidence.get().size
    assert f"evid.png</a> (PNG, {size} B)" in page
    assert "image/png" not in page
    assert "bita" not in page
