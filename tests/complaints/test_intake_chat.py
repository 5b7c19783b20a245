"""Chat intake (WhatsApp, SMS): a whole conversation in Indonesian through the signed webhook,
status questions in the chat, and every refused call (bad or stale signature, replay, junk)
changing nothing."""

from __future__ import annotations

import json
import time

import pytest

from complaints.intake.signing import sign
from complaints.models import ChatConversation, Complaint, InboundMessage, Status
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = "rahasia-webhook-uji"
PHONE = "+6281234567890"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.ADUAN_INTAKE_WEBHOOK_SECRET = SECRET


@pytest.fixture
def bpom():
    agency = f.AgencyFactory(name="Badan Pengawas Obat dan Makanan", short_name="BPOM")
    f.CategoryFactory(agency=agency, name="Obat", ordering=1)
    f.CategoryFactory(agency=agency, name="Kosmetika", ordering=2)
    return agency


class Chat:
    def __init__(self, client, channel: str = "whatsapp", sender: str = PHONE) -> None:
        self.client, self.channel, self.sender, self.n = client, channel, sender, 0

    def post(self, body: bytes, *, timestamp: int | None = None, secret: str = SECRET):
        ts = int(time.time()) if timestamp is None else timestamp
        return self.client.post(
            f"/intake/chat/{self.channel}/",
            body,
            content_type="application/json",
            headers={
                "X-Aduan-Timestamp": str(ts),
                "X-Aduan-Signature": sign(body, timestamp=ts, secret=secret),
            },
        )

    def body(self, text: str, message_id: str | None = None) -> bytes:
        self.n += 1
        mid = message_id or f"{self.channel}-{self.sender}-{self.n}"
        return json.dumps({"id": mid, "from": self.sender, "text": text}).encode()

    def say(self, text: str) -> str:
        response = self.post(self.body(text))
        assert response.status_code == 200, response.content
        assert response.json()["to"] == self.sender
        return response.json()["reply"]


def test_a_whole_conversation_files_a_complaint(client, bpom):
    chat = Chat(client)
    assert "instansi" in chat.say("Halo, saya mau melapor").lower()
    answer = chat.say("BPOM")
    assert "Balas dengan nomor" in answer
    assert "1. Obat" in answer
    assert "2. Kosmetika" in answer
    assert "Apa yang terjadi" in chat.say("2")
    assert "Di mana" in chat.say(
        "Krim pemutih tanpa izin edar dijual bebas di toko kosmetik dekat pasar."
    )
    assert "Kapan" in chat.say("Pasar Baru, Jl. Otto Iskandardinata, Bandung")
    # A date that cannot be read is asked again.
    assert "Kapan" in chat.say("minggu lalu")
    done = chat.say("kemarin")

    c = Complaint.objects.get()
    assert c.channel == "whatsapp"
    assert c.agency == bpom
    assert c.category.name == "Kosmetika"
    assert c.reporter_phone == PHONE
    assert c.location_text == "Pasar Baru, Jl. Otto Iskandardinata, Bandung"
    assert c.incident_date is not None
    assert c.status == Status.SUBMITTED
    assert c.title.startswith("Krim pemutih")
    assert "Terima kasih" in done
    assert c.display_tracking_number in done
    assert "Kode akses" in done
    assert not ChatConversation.objects.exists()

    # Status in the same chat, with the ADU- prefix or without.
    status = chat.say(f"status ADU-{c.display_tracking_number}")
    assert status == f"Laporan {c.display_tracking_number}: Belum terverifikasi."
    assert c.display_tracking_number in chat.say(f"STATUS {c.tracking_number}")


def test_tidak_tahu_goes_to_national_triage_over_sms(client, bpom):
    chat = Chat(client, channel="sms", sender="081298765432")
    chat.say("lapor")
    assert "Apa yang terjadi" in chat.say("tidak tahu")
    chat.say("Pelayanan KTP di kecamatan dipungut biaya tambahan tanpa kuitansi.")
    chat.say("Kantor Kecamatan Coblong")
    done = chat.say("tidak tahu")
    c = Complaint.objects.get()
    assert c.agency is None
    assert c.channel == "sms"
    assert c.incident_date is None
    assert c.display_tracking_number in done


def test_several_agencies_are_offered_by_number(client):
    f.AgencyFactory(name="Dinas Kesehatan Kota Bandung")
    f.AgencyFactory(name="Dinas Kesehatan Kota Bogor")
    chat = Chat(client)
    chat.say("halo")
    offer = chat.say("dinas kesehatan")
    assert "1. Dinas Kesehatan Kota Bandung" in offer
    assert "2. Dinas Kesehatan Kota Bogor" in offer
    assert "Apa yang terjadi" in chat.say("2")
    assert ChatConversation.objects.get().answers["agency_id"] is not None


def test_batal_cancels(client, bpom):
    chat = Chat(client)
    chat.say("halo")
    chat.say("BPOM")
    assert "dibatalkan" in chat.say("batal").lower()
    assert not ChatConversation.objects.exists()
    assert not Complaint.objects.exists()


def test_status_of_someone_elses_complaint_is_not_told(client, bpom):
    owner = Chat(client)
    owner.say("halo")
    owner.say("tidak tahu")
    owner.say("Jalan rusak parah di depan SD Negeri 5, sudah tiga bulan.")
    owner.say("Jl. Merdeka")
    owner.say("hari ini")
    c = Complaint.objects.get()
    other = Chat(client, sender="+628111111111")
    answer = other.say(f"status {c.display_tracking_number}")
    assert c.get_status_display() not in answer
    assert "Tidak ada laporan" in answer


def test_a_replay_is_refused_and_changes_nothing(client, bpom):
    chat = Chat(client)
    body = chat.body("halo", message_id="wamid.1")
    assert chat.post(body).status_code == 200
    before = ChatConversation.objects.get().updated_at
    again = chat.post(body)
    assert again.status_code == 409
    assert ChatConversation.objects.get().updated_at == before
    assert InboundMessage.objects.count() == 1


@pytest.mark.parametrize("problem", ["secret", "stale", "future", "tampered", "missing"])
def test_badly_signed_calls_are_refused(client, bpom, problem):
    chat = Chat(client)
    body = chat.body("halo")
    if problem == "secret":
        response = chat.post(body, secret="salah")
    elif problem == "stale":
        response = chat.post(body, timestamp=int(time.time()) - 3600)
    elif problem == "future":
        response = chat.post(body, timestamp=int(time.time()) + 3600)
    elif problem == "tampered":
        ts = int(time.time())
        response = client.post(
            "/intake/chat/whatsapp/",
            body.replace(b"halo", b"HALO"),
            content_type="application/json",
            headers={
                "X-Aduan-Timestamp": str(ts),
                "X-Aduan-Signature": sign(body, timestamp=ts, secret=SECRET),
            },
        )
    else:
        response = client.post("/intake/chat/whatsapp/", body, content_type="application/json")
    assert response.status_code == 401
    assert not ChatConversation.objects.exists()
    assert not InboundMessage.objects.exists()


def test_without_a_secret_every_call_is_refused(client, settings):
    settings.ADUAN_INTAKE_WEBHOOK_SECRET = ""
    chat = Chat(client)
    assert chat.post(chat.body("halo"), secret="x").status_code == 401


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"id": "1", "from": "+62"}', b'{"id": 1, "from": "+62", "text": "x"}'],
)
def test_malformed_calls_are_a_400(client, body):
    chat = Chat(client)
    assert chat.post(body).status_code == 400
    assert not InboundMessage.objects.exists()


def test_unknown_channel_and_oversized_body(client):
    chat = Chat(client, channel="telegram")
    assert chat.post(chat.body("halo")).status_code == 404
    big = Chat(client)
    assert big.post(big.body("x" * 70_000)).status_code == 413
    assert not InboundMessage.objects.exists()
