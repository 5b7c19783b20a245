"""Email intake from real .eml files: through the signed inbound-mail webhook with a real HTTP
client against the live server, and through the IMAP poll against a local stand-in IMAP
server. Plain, HTML-only, multipart with attachments, a reply; a forged From, a 30 MB
attachment, an HTML bomb and malformed mail never cause a 500 and store nothing they must
not."""

from __future__ import annotations

import imaplib
import re
import socketserver
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
import requests
from django.core import mail
from django.core.management import call_command

from complaints.intake.signing import sign
from complaints.jobs.mailbox import mailbox_poll
from complaints.models import (
    Attachment,
    Channel,
    Complaint,
    ComplaintEvent,
    EmailThread,
    InboundMessage,
    Notification,
    Status,
)
from complaints.outbox.delivery import notification_deliver

pytestmark = pytest.mark.django_db(transaction=True)

EML = Path(__file__).parent / "eml"
SECRET = "rahasia-surat-uji"
FIXED_TOKEN = "0123456789abcdef"  # the token reply.eml carries


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.ADUAN_INTAKE_WEBHOOK_SECRET = SECRET


def eml(name: str) -> bytes:
    return (EML / name).read_bytes()


def post(url: str, raw: bytes, *, secret: str = SECRET, ts: int | None = None):
    ts = int(time.time()) if ts is None else ts
    return requests.post(
        f"{url}/intake/email/",
        data=raw,
        headers={
            "Content-Type": "message/rfc822",
            "X-Aduan-Timestamp": str(ts),
            "X-Aduan-Signature": sign(raw, timestamp=ts, secret=secret),
        },
        timeout=60,
    )


def receipt_of(complaint: Complaint) -> Notification:
    return Notification.objects.get(complaint=complaint, kind="intake_email_receipt")


# --- the webhook ----------------------------------------------------------------------------


def test_a_plain_email_files_a_complaint_and_the_sender_gets_number_and_code(live_server):
    response = post(live_server.url, eml("plain.eml"))
    assert response.status_code == 200, response.text
    assert response.json()["result"] == "filed"
    c = Complaint.objects.get()
    assert c.channel == Channel.EMAIL
    assert c.status == Status.SUBMITTED
    assert c.agency is None  # the national triage queue
    assert c.title == "Pungutan liar di kantor kelurahan"
    assert "Rp50.000 tanpa kuitansi" in c.body
    assert c.reporter_email == "budi.santoso@example.net"
    assert c.reporter_name == "Budi Santoso"
    thread = EmailThread.objects.get(complaint=c)
    assert thread.email == "budi.santoso@example.net"

    receipt = receipt_of(c)
    # one receipt only: intake's, with the access code and the reply token
    assert not Notification.objects.filter(complaint=c, kind="receipt").exists()
    assert receipt.recipient == "budi.santoso@example.net"
    assert f"[#{thread.token}]" in receipt.subject
    assert c.display_tracking_number in receipt.body
    assert re.search(r"Kode akses: [A-Z0-9]{4}-[A-Z0-9]{4}", receipt.body)
    assert "kirim email ke lapor@aduan.go.id" in receipt.body
    # Delivered like any outbox message.
    assert notification_deliver(notification_id=receipt.pk)
    (sent,) = [m for m in mail.outbox if m.subject == receipt.subject]
    assert sent.to == ["budi.santoso@example.net"]


def test_an_html_only_email_is_read_as_text(live_server):
    assert post(live_server.url, eml("html_only.eml")).status_code == 200
    c = Complaint.objects.get()
    assert c.title == "Air PDAM mati sudah seminggu"
    assert "Perumahan Griya Asri blok C" in c.body
    assert "Nomor pelanggan: 0345-221" in c.body
    assert "<" not in c.body
    assert "alert" not in c.body
    assert "color: red" not in c.body


def test_attachments_are_checked_like_uploads(live_server):
    response = post(live_server.url, eml("multipart_attachments.eml"))
    assert response.status_code == 200
    assert response.json()["skipped_attachments"] == ["foto.exe"]
    c = Complaint.objects.get()
    assert c.body.startswith("Jalan di depan SD Negeri 3 Cimahi")
    assert sorted(
        Attachment.objects.filter(complaint=c).values_list("original_name", flat=True)
    ) == [
        "lubang.png",
        "surat-rt.pdf",
    ]
    assert "foto.exe" in receipt_of(c).body


def file_plain_with_fixed_token(url: str) -> Complaint:
    assert post(url, eml("plain.eml")).status_code == 200
    c = Complaint.objects.get()
    EmailThread.objects.filter(complaint=c).update(token=FIXED_TOKEN)
    return c


def test_a_reply_threads_onto_the_complaint_timeline(live_server):
    c = file_plain_with_fixed_token(live_server.url)
    response = post(live_server.url, eml("reply.eml"))
    assert response.status_code == 200
    assert response.json() == {
        "result": "threaded",
        "tracking_number": c.tracking_number,
        "skipped_attachments": [],
    }
    assert Complaint.objects.count() == 1
    event = ComplaintEvent.objects.get(complaint=c, type="reporter_message")
    assert event.actor_label == "reporter"
    assert event.body == (
        "Tambahan: petugas yang meminta uang itu berjaga di loket 2, sekitar pukul 10 pagi."
    )


def test_a_reply_while_information_is_asked_for_supplies_it(live_server):
    c = file_plain_with_fixed_token(live_server.url)
    Complaint.objects.filter(pk=c.pk).update(status=Status.NEEDS_INFO, verify_remaining_days=2)
    assert post(live_server.url, eml("reply.eml")).json()["result"] == "threaded"
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED
    assert ComplaintEvent.objects.filter(complaint=c, type="info_supplied").count() == 1


def test_a_forged_from_never_threads_into_someone_elses_complaint(live_server):
    c = file_plain_with_fixed_token(live_server.url)
    forged = (
        eml("reply.eml")
        .replace(
            b"From: Budi Santoso <budi.santoso@example.net>", b"From: Penipu <penipu@example.com>"
        )
        .replace(b"CAF3k9pReply0004", b"CAF3k9pForged0005")
    )
    assert post(live_server.url, forged).json()["result"] == "filed"
    assert not ComplaintEvent.objects.filter(complaint=c, type="reporter_message").exists()
    other = Complaint.objects.exclude(pk=c.pk).get()
    assert other.reporter_email == "penipu@example.com"
    assert "[#0123456789abcdef]" not in other.title
    # The right address without the token files anew too: nothing threads without both.
    no_token = (
        eml("reply.eml")
        .replace(b" [#0123456789abcdef]", b"")
        .replace(b"CAF3k9pReply0004", b"CAF3k9pNoToken0006")
    )
    assert post(live_server.url, no_token).json()["result"] == "filed"
    assert not ComplaintEvent.objects.filter(complaint=c, type="reporter_message").exists()


def test_the_same_message_twice_files_once(live_server):
    assert post(live_server.url, eml("plain.eml")).status_code == 200
    again = post(live_server.url, eml("plain.eml"))
    assert again.status_code == 409
    assert Complaint.objects.count() == 1
    assert Notification.objects.filter(kind="intake_email_receipt").count() == 1


@pytest.mark.parametrize("problem", ["secret", "stale", "none"])
def test_badly_signed_mail_is_refused(live_server, problem):
    raw = eml("plain.eml")
    if problem == "secret":
        response = post(live_server.url, raw, secret="salah")
    elif problem == "stale":
        response = post(live_server.url, raw, ts=int(time.time()) - 3600)
    else:
        response = requests.post(f"{live_server.url}/intake/email/", data=raw, timeout=30)
    assert response.status_code == 401
    assert not Complaint.objects.exists()
    assert not InboundMessage.objects.exists()


def with_attachment(size: int) -> bytes:
    m = EmailMessage()
    m["From"] = "Dewi <dewi@example.com>"
    m["To"] = "lapor@aduan.go.id"
    m["Subject"] = "Video antrean puskesmas"
    m["Message-ID"] = f"<big-{size}@example.com>"
    m.set_content("Antrean di Puskesmas Kecamatan mengular sampai jalan, video terlampir.")
    m.add_attachment(
        b"%PDF-1.4\n" + b"0" * size, maintype="application", subtype="pdf", filename="bukti.pdf"
    )
    return bytes(m)


def test_a_30_mb_attachment_is_not_kept(live_server):
    response = post(live_server.url, with_attachment(30 * 1024 * 1024))
    assert response.status_code == 200
    assert response.json()["skipped_attachments"] == ["bukti.pdf"]
    c = Complaint.objects.get()
    assert not Attachment.objects.filter(complaint=c).exists()
    assert "bukti.pdf" in receipt_of(c).body


def test_mail_over_the_size_limit_is_refused_unread(live_server, settings):
    settings.ADUAN_INTAKE_MAIL_MAX_BYTES = 1024 * 1024
    response = post(live_server.url, with_attachment(2 * 1024 * 1024))
    assert response.status_code == 413
    assert not Complaint.objects.exists()


def test_an_html_bomb_is_read_within_bounds(live_server):
    m = EmailMessage()
    m["From"] = "bom@example.com"
    m["To"] = "lapor@aduan.go.id"
    m["Subject"] = "HTML"
    m["Message-ID"] = "<bomb@example.com>"
    nested = "<div>" * 200_000 + "isi laporan" + "</div>" * 200_000
    m.set_content(nested + "<p>" + "A" * 5_000_000 + "</p>", subtype="html")
    started = time.monotonic()
    response = post(live_server.url, bytes(m))
    assert response.status_code == 200
    assert time.monotonic() - started < 30
    c = Complaint.objects.get()
    assert len(c.body) <= 5000
    assert "<div>" not in c.body


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage \x00",
        b"From: \r\nSubject: tanpa pengirim\r\n\r\nisi",
        b"From: warga@example.com\r\nSubject: \r\nContent-Type: text/plain\r\n\r\n",
        b"From: warga@example.com\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
        + b"Content-Type: multipart/mixed; boundary=x\r\n\r\n" * 3000,
        b"From: warga@example.com\r\nContent-Type: text/plain; charset=no-such-charset\r\n"
        + b"Subject: aneh\r\n\r\n\xff\xfe isi \xff",
    ],
)
def test_malformed_mail_is_refused_or_read_without_a_500(live_server, raw):
    response = post(live_server.url, raw)
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        assert not Complaint.objects.exists()
        assert not InboundMessage.objects.exists()
    else:
        c = Complaint.objects.get()
        assert c.reporter_email == "warga@example.com"


# --- the IMAP poll --------------------------------------------------------------------------


class _ImapHandler(socketserver.StreamRequestHandler):
    """Just enough IMAP4rev1 for imaplib: LOGIN, SELECT, UID SEARCH/FETCH/STORE, LOGOUT."""

    def send(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")

    def handle(self) -> None:
        box: ImapStandin = self.server.box  # type: ignore[attr-defined]
        self.send(b"* OK IMAP4rev1 stand-in ready")
        while line := self.rfile.readline():
            tag, _sp, rest = line.strip().partition(b" ")
            command = rest.split(b" ")
            verb = command[0].upper()
            if verb == b"CAPABILITY":
                self.send(b"* CAPABILITY IMAP4rev1")
            elif verb == b"LOGIN":
                if [c.strip(b'"') for c in command[1:3]] != [b"lapor", b"sandi"]:
                    self.send(tag + b" NO [AUTHENTICATIONFAILED] wrong")
                    continue
            elif verb == b"SELECT":
                self.send(b"* %d EXISTS" % len(box.messages))
                self.send(b"* 0 RECENT")
                self.send(tag + b" OK [READ-WRITE] SELECT completed")
                continue
            elif verb == b"LOGOUT":
                self.send(b"* BYE")
                self.send(tag + b" OK LOGOUT completed")
                return
            elif verb == b"UID":
                sub = command[1].upper()
                if sub == b"SEARCH":
                    unseen = [str(u).encode() for u in box.messages if u not in box.seen]
                    self.send(b"* SEARCH " + b" ".join(unseen))
                elif sub == b"FETCH":
                    uid = int(command[2])
                    raw = box.messages[uid]
                    if b"RFC822.SIZE" in rest:
                        self.send(b"* %d FETCH (UID %d RFC822.SIZE %d)" % (uid, uid, len(raw)))
                    else:
                        box.fetched.append(uid)
                        self.wfile.write(
                            b"* %d FETCH (UID %d BODY[] {%d}\r\n" % (uid, uid, len(raw))
                        )
                        self.wfile.write(raw)
                        self.send(b")")
                elif sub == b"STORE":
                    box.seen.add(int(command[2]))
                    self.send(b"* %s FETCH (FLAGS (\\Seen))" % command[2])
            self.send(tag + b" OK done")


class ImapStandin(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, messages: list[bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _ImapHandler)
        self.box = self
        self.messages = dict(enumerate(messages, 1))
        self.seen: set[int] = set()
        self.fetched: list[int] = []

    @property
    def url(self) -> str:
        return f"imap://lapor:sandi@127.0.0.1:{self.server_address[1]}/INBOX"


@pytest.fixture
def imap() -> Iterator[ImapStandin]:
    server = ImapStandin(
        [eml("plain.eml"), eml("html_only.eml"), eml("multipart_attachments.eml"), b"\x00\xff"]
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_poll_files_each_unseen_message_once(imap):
    counts = mailbox_poll(url=imap.url)
    assert counts == {"filed": 3, "refused": 1}
    assert imap.seen == {1, 2, 3, 4}
    assert set(Complaint.objects.values_list("channel", flat=True)) == {Channel.EMAIL}
    assert Complaint.objects.count() == 3
    # Seen messages are not read again; a message left unseen (a crash before the flag) is
    # read again and changes nothing.
    imap.seen.discard(1)
    assert mailbox_poll(url=imap.url) == {"duplicate": 1}
    assert Complaint.objects.count() == 3


def test_the_poll_leaves_oversized_messages_undownloaded(imap, settings):
    settings.ADUAN_INTAKE_MAIL_MAX_BYTES = 700  # all but the 2-byte one are larger
    counts = mailbox_poll(url=imap.url)
    assert counts["too_large"] == 3
    assert set(imap.fetched) == {4}  # only the small (malformed) one was downloaded
    assert not Complaint.objects.exists()


def test_a_wrong_password_stops_the_poll_and_files_nothing(imap):
    with pytest.raises(imaplib.IMAP4.error):
        mailbox_poll(url=imap.url.replace("sandi", "salah"))
    assert not Complaint.objects.exists()
    assert imap.seen == set()


def test_the_command_polls_the_configured_mailbox(imap, settings, capsys):
    settings.ADUAN_INTAKE_IMAP_URL = imap.url
    call_command("intake_mail_poll")
    assert "filed 3" in capsys.readouterr().out
    assert Complaint.objects.count() == 3


def test_the_poll_task_is_named_and_safe_to_run_twice(imap, settings):
    from complaints.tasks import intake_mail_poll_task

    assert intake_mail_poll_task.name == "complaints.intake_mail_poll"
    assert settings.CELERY_BEAT_SCHEDULE["intake-mail-poll"]["task"] == intake_mail_poll_task.name
    settings.ADUAN_INTAKE_IMAP_URL = ""
    assert intake_mail_poll_task.run() == {}
    settings.ADUAN_INTAKE_IMAP_URL = imap.url
    assert intake_mail_poll_task.run() == {"filed": 3, "refused": 1}
    imap.seen.clear()  # as if the flags were lost: the second run changes nothing
    assert intake_mail_poll_task.run() == {"duplicate": 3, "refused": 1}
    assert Complaint.objects.count() == 3
