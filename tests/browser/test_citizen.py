"""The citizen journey in headless Chromium: file on a phone, read the receipt, track, supply
information, object, accept and rate — in Bahasa Indonesia and in English, and by keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from complaints import services
from complaints.models import Complaint, Status
from tests import factories as f
from tests.complaints.public_support import png_bytes

pytestmark = pytest.mark.usefixtures("clear_cache")

SCREENSHOTS = "/tmp/aduan-browser"


def _answered(c, people):
    code = c.plain_access_code
    services.complaint_verify(complaint_id=c.pk, actor=people["verifier"])
    services.complaint_route(complaint_id=c.pk, actor=people["verifier"], unit=people["unit"])
    services.complaint_take(complaint_id=c.pk, actor=people["officer"])
    r = services.response_draft(
        complaint_id=c.pk, actor=people["officer"], body="Apotek sudah kami tegur."
    )
    services.response_approve(response_id=r.pk, actor=people["approver"])
    services.response_publish(response_id=r.pk, actor=people["approver"])
    c.refresh_from_db()
    c.plain_access_code = code
    return c


def _track(page: Page, number: str, code: str, button: str = "Lacak laporan"):
    page.goto("/lacak/")
    page.locator("#id_tracking_number").fill(number)
    page.locator("#id_access_code").fill(code)
    page.get_by_role("button", name=button).click()


def _continue(page: Page, name: str = "Lanjutkan"):
    page.get_by_role("button", name=name, exact=True).click()


def test_anonymous_reporter_files_with_a_photo_on_a_phone_and_tracks_it(
    phone_page: Page, agency, browser, live_server, tmp_path
):
    page = phone_page
    photo = tmp_path / "foto.png"
    photo.write_bytes(png_bytes())

    page.goto("/")
    expect(page).to_have_title(re.compile(r"^Laporkan masalah layanan publik \S Aduan$"))
    page.screenshot(path=f"{SCREENSHOTS}/citizen-home-375.png", full_page=True)
    page.get_by_role("button", name="Buat laporan").click()

    page.get_by_label("Pengaduan").check()
    _continue(page)

    page.locator("#id_q").fill("pengawas")
    page.get_by_role("button", name="Cari", exact=True).click()
    page.get_by_label("Badan Pengawas Obat dan Makanan (BPOM)").check()
    _continue(page)

    # an empty story is refused with a linked error summary
    _continue(page)
    expect(page).to_have_title(re.compile("^Kesalahan: "))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Masukkan judul laporan")
    page.screenshot(path=f"{SCREENSHOTS}/citizen-error-375.png", full_page=True)
    page.get_by_label("Judul laporan").fill("Obat kedaluwarsa di apotek")
    page.get_by_label("Apa yang terjadi?").fill("Apotek di Jalan Merdeka menjual obat kedaluwarsa.")
    _continue(page)

    page.get_by_label("Tanggal", exact=True).fill("3")
    page.get_by_label("Bulan").fill("Maret")
    page.get_by_label("Tahun").fill("2025")
    page.get_by_label("Di mana kejadiannya? (opsional)").fill("Jl. Merdeka 10, Bandung")
    _continue(page)

    page.locator("#id_files").set_input_files(str(photo))
    page.get_by_role("button", name="Unggah berkas").click()
    expect(page.locator(".summary-list")).to_contain_text("foto.png")
    _continue(page)

    page.get_by_label("Anonim").check()
    expect(
        page.get_by_text("Nama dan kontak Anda tidak ditampilkan kepada publik maupun instansi")
    ).to_be_visible()
    _continue(page)

    _continue(page)  # no contact details: allowed for an anonymous report
    expect(page.locator(".warning-text")).to_contain_text("satu-satunya cara")
    page.screenshot(path=f"{SCREENSHOTS}/citizen-check-375.png", full_page=True)
    page.get_by_label(re.compile("Saya telah membaca pemberitahuan privasi")).check()
    page.get_by_role("button", name="Kirim laporan").click()

    expect(page.get_by_role("heading", name="Laporan terkirim")).to_be_visible()
    number = page.get_by_test_id("tracking-number").inner_text()
    code = page.get_by_test_id("access-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", number)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    page.screenshot(path=f"{SCREENSHOTS}/citizen-receipt-375.png", full_page=True)
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous
    assert complaint.attachments.count() == 1

    # a different browser (no session) tracks it with the number and the code
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 375, "height": 667}
    )
    other = context.new_page()
    _track(other, number.lower(), code.replace("-", " "))
    expect(other.get_by_test_id("status")).to_have_text("Belum terverifikasi")
    expect(other.get_by_role("link", name="foto.png")).to_be_visible()
    other.screenshot(path=f"{SCREENSHOTS}/citizen-track-375.png", full_page=True)
    context.close()


def test_reporter_supplies_requested_information(page: Page, agency, people, tmp_path):
    c = f.complaint(agency)
    services.complaint_hold_for_info(
        complaint_id=c.pk, actor=people["verifier"], message="Kirim foto struk pembelian."
    )
    receipt = tmp_path / "struk.png"
    receipt.write_bytes(png_bytes())

    _track(page, c.tracking_number, c.plain_access_code)
    expect(page.get_by_test_id("status")).to_have_text("Perlu informasi dari Anda")
    page.get_by_role("link", name="Kirim informasi").click()
    expect(page.get_by_text("Kirim foto struk pembelian.")).to_be_visible()
    page.get_by_label("Informasi yang diminta").fill("Struk terlampir.")
    page.locator("#id_files").set_input_files(str(receipt))
    page.get_by_role("button", name="Kirim informasi").click()

    expect(page.get_by_role("status")).to_contain_text("Informasi Anda sudah terkirim")
    expect(page.get_by_test_id("status")).to_have_text("Belum terverifikasi")
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED


def test_reporter_objects_to_an_answer(page: Page, agency, people):
    c = _answered(f.complaint(agency), people)
    _track(page, c.tracking_number, c.plain_access_code)
    expect(page.get_by_text("Jawaban resmi dari Badan Pengawas Obat dan Makanan")).to_be_visible()
    page.screenshot(path=f"{SCREENSHOTS}/citizen-answered-1280.png", full_page=True)
    page.get_by_role("link", name="Tanggapi jawaban").click()
    page.get_by_label("Belum, saya menyanggah jawaban ini").check()
    page.get_by_label("Mengapa jawaban ini belum menyelesaikan laporan Anda?").fill(
        "Apotek masih menjual obat itu."
    )
    page.get_by_role("button", name="Kirim tanggapan").click()

    expect(page.get_by_test_id("status")).to_have_text("Sedang ditindaklanjuti")
    expect(page.get_by_text("Apotek masih menjual obat itu.")).to_be_visible()
    c.refresh_from_db()
    assert c.status == Status.IN_PROGRESS


def test_reporter_accepts_and_rates(page: Page, agency, people):
    c = _answered(f.complaint(agency), people)
    _track(page, c.tracking_number, c.plain_access_code)
    page.get_by_role("link", name="Tanggapi jawaban").click()
    page.get_by_label("Ya, masalah saya sudah selesai").check()
    page.get_by_role("button", name="Kirim tanggapan").click()
    expect(page.get_by_test_id("status")).to_have_text("Selesai")

    page.get_by_role("link", name="Beri penilaian").click()
    page.get_by_label("Puas", exact=True).check()
    page.get_by_label("Ceritakan lebih lanjut (opsional)").fill("Cepat ditangani.")
    page.screenshot(path=f"{SCREENSHOTS}/citizen-rate-1280.png", full_page=True)
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.get_by_role("status")).to_contain_text("Terima kasih atas penilaian Anda")
    c.refresh_from_db()
    assert c.rating == 4


def test_the_same_journey_in_english(page: Page, agency, people):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.screenshot(path=f"{SCREENSHOTS}/citizen-home-en-1280.png", full_page=True)
    page.get_by_role("button", name="Make a report").click()
    page.get_by_label("Information request").check()
    _continue(page, "Continue")
    page.get_by_label("I do not know").check()
    _continue(page, "Continue")
    page.get_by_label("Title of your report").fill("Opening hours of the passport office")
    page.get_by_label("What happened?").fill("When is the office open on Saturdays?")
    _continue(page, "Continue")
    # a future date is refused in English
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2999")
    _continue(page, "Continue")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".error-summary")).to_contain_text(
        "The date it happened must be today or in the past"
    )
    # switching language keeps the page and the answers
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.get_by_role("heading", name="Kapan dan di mana kejadiannya?")).to_be_visible()
    page.get_by_role("button", name="English").click()
    page.get_by_label("Day").fill("")
    page.get_by_label("Month").fill("")
    page.get_by_label("Year").fill("")
    _continue(page, "Continue")
    _continue(page, "Continue")  # no files
    _continue(page, "Continue")  # neither anonymous nor confidential
    page.get_by_label("Full name").fill("Siti Aminah")
    page.get_by_label("Email address").fill("siti@example.com")
    _continue(page, "Continue")
    expect(page.get_by_text("Opening hours of the passport office")).to_be_visible()
    page.get_by_label(re.compile("I have read the privacy notice")).check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    number = page.get_by_test_id("tracking-number").inner_text()
    code = page.get_by_test_id("access-code").inner_text()

    c = Complaint.objects.get()
    assert c.agency is None
    assert c.language == "en"
    # the national admin forwards it; the agency answers; the reporter replies in English
    admin = f.UserFactory(is_national_admin=True)
    services.complaint_forward(
        complaint_id=c.pk, actor=admin, agency=agency, reason="Wewenang BPOM"
    )
    c.plain_access_code = code.replace("-", "")
    _answered(c, people)

    _track(page, number, code, button="Track report")
    expect(page.get_by_test_id("status")).to_have_text("Answered")
    expect(page.get_by_text("Official answer from Badan Pengawas Obat dan Makanan")).to_be_visible()
    page.get_by_role("link", name="Reply to the answer").click()
    page.get_by_label("Yes, my problem is solved").check()
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_test_id("status")).to_have_text("Closed")
    page.get_by_role("link", name="Rate the handling").click()
    page.get_by_label("Very satisfied").check()
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for your rating")


def _tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def _enter(page: Page) -> None:
    """Press Enter on the focused link or button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_keyboard_only_pass_through_the_form(page: Page, agency):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    _tab_to(page, "a.button--start")
    _enter(page)

    _tab_to(page, "#id_kind_0")
    page.keyboard.press("Space")
    _tab_to(page, "button.button")
    _enter(page)

    _tab_to(page, "#id_agency_0")  # the only agency is listed without searching
    page.keyboard.press("Space")
    _tab_to(page, "form[method=post] button.button")
    _enter(page)

    _tab_to(page, "#id_title")
    page.keyboard.type("Loket tutup pada jam layanan")
    page.keyboard.press("Tab")
    expect(page.locator("#id_body")).to_be_focused()
    page.keyboard.type("Loket tutup pukul 10 padahal jadwalnya sampai pukul 15.")
    _tab_to(page, "button.button")
    _enter(page)

    _tab_to(page, "#id_incident_day")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.type("2025")
    _tab_to(page, "button.button")
    _enter(page)

    _tab_to(page, "button.button[value=continue]")
    _enter(page)

    _tab_to(page, "#id_privacy_1")
    page.keyboard.press("Space")
    _tab_to(page, "button.button")
    _enter(page)

    _tab_to(page, "#id_name")
    page.keyboard.type("Budi")
    page.keyboard.press("Tab")
    page.keyboard.type("budi@example.com")
    _tab_to(page, "button.button")
    _enter(page)

    _tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    _tab_to(page, "button.button")
    _enter(page)

    expect(page.get_by_role("heading", name="Laporan terkirim")).to_be_visible()
    c = Complaint.objects.get()
    assert c.is_confidential
    assert not c.is_anonymous
    assert c.incident_date.isoformat() == "2025-01-02"


@pytest.mark.parametrize("width", [320, 1280])
def test_pages_reflow_without_sideways_scrolling(browser, live_server, agency, width):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    for path in ("/", "/lapor/jenis/", "/lacak/", "/akun/masuk/", "/bantuan/"):
        page.goto(path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, (path, scroll)
        if width == 1280:
            name = path.strip("/").replace("/", "-") or "home"
            page.screenshot(path=f"{SCREENSHOTS}/citizen-{name}-{width}.png", full_page=True)
    context.close()


def test_reporter_follows_a_similar_report_instead_of_filing(phone_page: Page, agency, people):
    from complaints.models import ComplaintFollower, Notification

    existing = _answered(f.complaint(agency, title="Obat kedaluwarsa dijual apotek"), people)
    services.complaint_reporter_object(complaint_id=existing.pk, reason="Masih dijual.")
    page = phone_page
    page.goto("/lapor/")
    page.get_by_label("Pengaduan").check()
    _continue(page)
    page.locator("#id_q").fill("pengawas")
    page.get_by_role("button", name="Cari", exact=True).click()
    page.get_by_label("Badan Pengawas Obat dan Makanan (BPOM)").check()
    _continue(page)
    page.get_by_label("Judul laporan").fill("Obat kedaluwarsa di apotek")
    page.get_by_label("Apa yang terjadi?").fill("Apotek menjual obat kedaluwarsa.")
    _continue(page)
    _continue(page)

    expect(page.locator("h1")).to_have_text("Laporan serupa")
    page.get_by_role("button", name="Ikuti laporan ini").click()
    page.get_by_role("button", name="Ikuti laporan ini").click()  # no email yet
    expect(page.locator(".error-summary")).to_contain_text("Masukkan alamat email Anda")
    page.get_by_label("Alamat email").fill("ikut@example.com")
    page.get_by_role("button", name="Ikuti laporan ini").click()
    expect(page.locator("h1")).to_have_text("Periksa email Anda")
    page.screenshot(path=f"{SCREENSHOTS}/citizen-followed-375.png", full_page=True)

    mail = Notification.objects.get(kind="follow_confirm")
    link = re.search(r"https?://\S+?(/lacak/ikuti/konfirmasi/\S+/)", mail.body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Konfirmasi dan ikuti").click()
    expect(page.get_by_test_id("status")).to_have_text("Sedang ditindaklanjuti")
    expect(page.get_by_text("Apotek sudah kami tegur.")).to_be_visible()
    expect(page.get_by_text("Pelapor menyanggah jawaban")).to_be_visible()
    expect(page.get_by_text("Masih dijual.")).to_have_count(0)
    page.screenshot(path=f"{SCREENSHOTS}/citizen-follower-375.png", full_page=True)
    assert ComplaintFollower.objects.get().confirmed_at is not None
