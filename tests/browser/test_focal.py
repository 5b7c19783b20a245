"""Focal-point journeys in a real browser: the board (with acknowledging an escalation), a
nudge, a full corrective-action cycle and the scorecards."""

import datetime as dt
import io
import re
from pathlib import Path

from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from complaints.models import Escalation
from focal_points.models import CorrectiveAction
from focal_points.services import corrective_action_sweep
from reporting.facts import facts_refresh_due
from tests.focal_points.helpers import open_complaint

SHOTS = Path("/tmp/aduan-browser")


def sign_in(page: Page, live_server, user) -> None:
    """Sign in by handing the browser a session made by Django's test client."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"focal-{name}.png"), full_page=True)


def test_board_counts_link_to_the_list_and_escalation_is_acknowledged(
    page, live_server, focal_world
):
    now = timezone.now()
    late = open_complaint(
        focal_world.a, unit=focal_world.a1, due=now - dt.timedelta(days=6), title="Obat palsu"
    )
    open_complaint(
        focal_world.a, unit=focal_world.a2, due=now + dt.timedelta(days=20), title="Antre lama"
    )
    escalated = open_complaint(
        focal_world.b, due=now - dt.timedelta(days=9), level=4, title="Eskalasi"
    )
    # the agency focal point's step is not the coordinator's to acknowledge; the next one is
    for level in (3, 4):
        Escalation.objects.create(
            complaint=escalated, clock="response", level=level, due_at=now, created_at=now
        )
    open_complaint(focal_world.c, title="Bukan urusan kelompok")

    sign_in(page, live_server, focal_world.coordinator)
    page.goto("/focal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Papan pemantauan focal point")
    table = page.locator("table.focal-board")
    expect(table).to_contain_text("Badan Pengawas Obat")
    expect(table).to_contain_text("Dinas Kesehatan")
    expect(page.locator("body")).not_to_contain_text("Bukan urusan kelompok")
    shot(page, "board")

    # the overdue count of agency A opens the filtered list
    row = table.locator("tr", has_text="Badan Pengawas Obat")
    row.locator("td").nth(2).get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"clock=overdue"))
    results = page.locator("table.focal-list")
    expect(results).to_contain_text(late.display_tracking_number)
    expect(results).to_contain_text("Lewat batas · ")
    expect(results).not_to_contain_text("Antre lama")

    # acknowledge the waiting escalation
    page.get_by_role("button", name=re.compile("Konfirmasi eskalasi")).click()
    expect(page.locator(".banner--success")).to_contain_text("Berhasil: eskalasi diterima")
    expect(page.get_by_text("Tidak ada eskalasi yang menunggu.")).to_be_visible()
    assert Escalation.objects.get(level=4).acknowledged_by == focal_world.coordinator
    assert Escalation.objects.get(level=3).acknowledged_at is None


def test_nudge_from_the_board_appears_on_the_timeline(page, live_server, focal_world):
    now = timezone.now()
    c = open_complaint(
        focal_world.a, unit=focal_world.a1, due=now - dt.timedelta(days=2), title="Obat palsu"
    )
    sign_in(page, live_server, focal_world.focal_a)
    page.goto("/focal/")
    page.get_by_label(f"Pilih {c.display_tracking_number}").check()
    page.get_by_role("button", name="Kirim pengingat untuk yang dipilih").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kirim pengingat")
    page.get_by_role("button", name="Kirim pengingat").click()
    expect(page).to_have_title(re.compile("^Kesalahan: "))
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan pesan untuk unit kerja")
    page.get_by_label("Pesan untuk unit kerja").fill("Mohon jawab hari ini.")
    page.get_by_role("button", name="Kirim pengingat").click()
    expect(page.locator(".banner--success")).to_contain_text(
        "Berhasil: pengingat dikirim untuk 1 laporan"
    )
    page.get_by_role("link", name=re.compile("Obat palsu")).click()
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Pengingat")
    expect(timeline).to_contain_text("Mohon jawab hari ini.")
    shot(page, "complaint")


def _png(tmp_path: Path) -> Path:
    path = tmp_path / "bukti-sop.png"
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(buf, format="PNG")
    path.write_bytes(buf.getvalue())
    return path


def test_corrective_action_full_cycle(page, live_server, focal_world, tmp_path):
    # the coordinating focal point issues a corrective action to agency A
    sign_in(page, live_server, focal_world.coordinator)
    page.goto("/focal/tindakan-korektif/")
    page.get_by_role("link", name="Terbitkan tindakan korektif").click()
    page.get_by_label("Badan Pengawas Obat").check()
    page.get_by_label("Judul").fill("Perbaiki SOP pengawasan apotek")
    page.get_by_label("Yang harus diubah").fill("Susun SOP baru dan latih petugas.")
    page.get_by_role("button", name="Terbitkan tindakan korektif").click()
    expect(page.locator(".banner--success")).to_contain_text(
        "Berhasil: tindakan korektif diterbitkan"
    )
    expect(page.locator("h1")).to_have_text("Perbaiki SOP pengawasan apotek")
    action = CorrectiveAction.objects.get()
    detail = page.url

    # the agency's focal point reports progress with evidence
    sign_in(page, live_server, focal_world.focal_a)
    page.goto(detail)
    expect(page.get_by_role("heading", name="Tutup tindakan korektif")).to_have_count(0)
    page.get_by_label("Kemajuan").fill("SOP sudah disusun, pelatihan dijadwalkan.")
    page.get_by_label("Bukti (opsional)").set_input_files(str(_png(tmp_path)))
    page.get_by_role("button", name="Kirim kemajuan").click()
    expect(page.locator(".banner--success")).to_contain_text("Berhasil: kemajuan dilaporkan")
    expect(page.get_by_role("link", name="bukti-sop.png")).to_be_visible()

    # the due date passes: the sweep marks it overdue and tells the agency's focal point
    corrective_action_sweep(now=action.due_at + dt.timedelta(hours=1))
    page.reload()
    expect(page.locator(".tag--red")).to_have_text("Lewat batas")
    expect(page.locator("ol.timeline")).to_contain_text(
        "Lewat tenggat: focal point instansi diberi tahu"
    )

    # only the issuer closes it, with a reason
    sign_in(page, live_server, focal_world.coordinator)
    page.goto(detail)
    page.get_by_role("button", name="Tutup tindakan korektif").click()
    expect(page.locator(".error-summary")).to_contain_text("Pilih hasilnya")
    page.get_by_label("Diterima: perubahan sudah dilakukan").check()
    page.get_by_label("Alasan").fill("SOP dan daftar hadir pelatihan sudah diterima.")
    page.get_by_role("button", name="Tutup tindakan korektif").click()
    expect(page.locator(".banner--success")).to_contain_text("Berhasil: tindakan korektif ditutup")
    expect(page.locator(".tag--green")).to_have_text("Ditutup: diterima")
    shot(page, "corrective-action")
    action.refresh_from_db()
    assert action.state == CorrectiveAction.State.CLOSED_ACCEPTED


def test_scorecards_sort_and_explain(page, live_server, focal_world):
    from tests.focal_points.test_scorecards import at, filed

    # agency A verifies in 1 working day; agency B takes 6 (over a weekend)
    for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
        filed(focal_world.a, at(day), verified_at=at(day, 15), rating=5)
    filed(focal_world.b, at("2026-03-09"), verified_at=at("2026-03-17"), rating=2)
    facts_refresh_due()  # reporting's facts, which the scorecard reads

    sign_in(page, live_server, focal_world.coordinator)
    page.goto("/focal/kinerja/?period=custom&start=2026-03&end=2026-03")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kartu kinerja")
    table = page.locator("table.focal-scorecard")
    row_a = table.locator("tbody tr", has_text="Badan Pengawas Obat")
    row_b = table.locator("tbody tr", has_text="Dinas Kesehatan")
    expect(row_a.locator("td").nth(0)).to_have_text("3")
    expect(row_a.locator("td").nth(1)).to_contain_text("100,0 %")
    expect(row_a.locator("td").nth(1)).to_contain_text("Baik")
    expect(row_b.locator("td").nth(1)).to_contain_text("0,0 %")
    expect(row_b.locator("td").nth(1)).to_contain_text("Buruk")
    shot(page, "scorecard")

    # server-side sort: received, most first, then reversed
    header = table.locator("th", has_text="Diterima")
    header.get_by_role("link").click()
    expect(table.locator("th", has_text="Diterima")).to_have_attribute("aria-sort", "descending")
    expect(table.locator("tbody tr").first).to_contain_text("Badan Pengawas Obat")
    table.locator("th", has_text="Diterima").get_by_role("link").click()
    expect(table.locator("th", has_text="Diterima")).to_have_attribute("aria-sort", "ascending")
    expect(table.locator("tbody tr").first).to_contain_text("Dinas Kesehatan")

    # definitions in a details component, and the CSV of the same view
    page.get_by_text("Cara menghitung angka").click()
    expect(page.get_by_text("Senin sampai Jumat, tanpa hari libur nasional")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh sebagai CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Badan Pengawas Obat,3,100.0" in content

    # drill down to the units of agency A
    page.get_by_role("link", name="Badan Pengawas Obat").click()
    expect(page.locator("#scorecard-title")).to_contain_text("per unit kerja")
    expect(table).to_have_accessible_name(re.compile("per unit kerja"))


def test_scorecard_period_by_month_inputs_and_title_fits_a_phone(page, live_server, focal_world):
    sign_in(page, live_server, focal_world.coordinator)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/focal/kinerja/")
    # the months are month inputs; an empty one gets the natural instruction
    page.get_by_label("Bulan di bawah").check()
    page.get_by_role("button", name="Tampilkan periode").click()
    expect(page.locator(".error-summary")).to_contain_text("Masukkan bulan awal")
    start = page.get_by_label("Bulan awal")
    expect(start).to_have_attribute("type", "month")
    start.fill("2026-03")
    page.get_by_label("Bulan akhir").fill("2026-04")
    page.get_by_role("button", name="Tampilkan periode").click()
    expect(page.locator("main")).to_contain_text("1 Maret 2026 sampai 30 April 2026")
    expect(page.get_by_label("Bulan awal")).to_have_value("2026-03")
    # the table's title is a heading outside the scroll box: whole on a 375 px screen
    title = page.locator("#scorecard-title")
    expect(title).to_have_text("Kartu kinerja per instansi")
    box = title.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    shot(page, "scorecard-375")
