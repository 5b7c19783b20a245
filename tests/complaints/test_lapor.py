"""SP4N-LAPOR! connector: a round trip against the stand-in national system (outbound filing,
inbound import, status, questions and answers both ways), the signed inbound webhook, and the
stand-in down for a while."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.management.commands.lapor_standin import StandinServer
from complaints.models import (
    Channel,
    Complaint,
    ComplaintEvent,
    EventType,
    LaporInbound,
    Notification,
    Status,
)
from complaints.outbox.lapor import LaporClient, LaporRejected, LaporUnavailable
from tests import factories as f
from tests.complaints.lapor_support import (
    TOKEN,
    in_progress,
    make_world,
    pending,
    publish,
    relay_and_deliver,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

LAPOR = Notification.Channel.LAPOR


@pytest.fixture
def standin():
    server = StandinServer(token=TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def w(standin):
    return make_world(standin)


def _national(standin: StandinServer, tracking_id: str) -> dict:
    return standin.state.complaints[tracking_id]


def _post(client, w, standin, event_type: str, data: dict, **sign):
    body, headers = standin.signed_call(event_type, data, **sign)
    return client.post(
        reverse("lapor:inbound", kwargs={"agency_slug": w.agency.slug}),
        data=body,
        content_type="application/json",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
    )


# ---------------------------------------------------------------------------------------------
# Outbound: filed here, sent there


def test_a_complaint_filed_here_reaches_the_national_system_and_keeps_its_id(w, standin):
    # given a complaint filed on the portal with a linked agency
    c = f.complaint(w.agency, title="Antrean puskesmas lama", body="Tiga jam menunggu.")
    # when the relay runs and the outbox delivers
    outcome = relay_and_deliver(LAPOR)
    # then the national system has it, and its tracking id is kept beside ours
    assert outcome == {"sent": 1, "retry": 0, "skipped": 0}
    c.refresh_from_db()
    national = _national(standin, c.lapor_id)
    assert national["title"] == "Antrean puskesmas lama"
    assert national["external_id"] == c.tracking_number
    assert national["reporter"]["name"] == "Budi Santoso"
    sync = ComplaintEvent.objects.get(complaint=c, type=EventType.LAPOR_SYNC)
    assert sync.data["lapor_id"] == c.lapor_id
    assert not sync.is_public


def test_an_anonymous_complaint_leaves_without_its_identity(w, standin):
    c = f.complaint(w.agency, is_anonymous=True, is_confidential=True)
    relay_and_deliver(LAPOR)
    c.refresh_from_db()
    national = _national(standin, c.lapor_id)
    assert national["reporter"] is None
    assert national["is_anonymous"] is True
    assert national["is_secret"] is True
    assert "budi" not in json.dumps(national).lower()


def test_status_questions_and_the_answer_follow_the_complaint_out(w, standin):
    # given a complaint already filed nationally
    c = f.complaint(w.agency)
    relay_and_deliver(LAPOR)
    c.refresh_from_db()
    # when it is asked about, then verified, routed, taken and answered here
    services.complaint_hold_for_info(
        complaint_id=c.pk, actor=w.verifier, message="Di puskesmas mana?"
    )
    services.complaint_supply_info(complaint_id=c.pk, body="Puskesmas Sukajadi.")
    in_progress(w, c.pk)
    publish(w, c.pk, body="Loket tambahan sudah dibuka.")
    outcome = relay_and_deliver(LAPOR)
    # then each change reached the national system, in its own words
    national = _national(standin, c.lapor_id)
    assert [s["status"] for s in national["statuses"]] == ["verified", "in_process"]
    assert national["followups"] == [
        {"kind": "info_request", "body": "Di puskesmas mana?"},
        {"kind": "answer", "body": "Loket tambahan sudah dibuka."},
    ]
    assert outcome["retry"] == 0
    # and running everything again sends nothing twice
    assert relay_and_deliver(LAPOR) == {"sent": 0, "retry": 0, "skipped": 0}
    assert len(_national(standin, c.lapor_id)["followups"]) == 2


def test_an_unlinked_agency_sends_nothing(w, standin):
    other = f.AgencyFactory(name="Dinas Lain")
    f.complaint(other)
    relay_and_deliver(LAPOR)
    assert standin.state.complaints == {}
    assert not Notification.objects.filter(channel=LAPOR).exists()


# ---------------------------------------------------------------------------------------------
# Inbound: filed there, imported here


NEW = {
    "title": "Jalan berlubang di depan sekolah",
    "content": "Lubang besar membahayakan anak-anak.",
    "location": "Jl. Merdeka 10",
    "incident_date": "2026-11-30",
    "is_anonymous": False,
    "is_secret": False,
    "reporter": {"name": "Sari Dewi", "email": "sari@example.com", "phone": "0812"},
}


def test_a_complaint_from_the_national_system_is_imported_as_an_ordinary_one(client, w, standin):
    # when the national system sends a new complaint
    answer = _post(client, w, standin, "complaint.created", {**NEW, "tracking_id": "LAPOR-42"})
    # then it is an ordinary complaint of the agency, from channel lapor, with both ids
    assert answer.status_code == 201, answer.content
    c = Complaint.objects.get(lapor_id="LAPOR-42")
    assert answer.json()["tracking_number"] == c.tracking_number
    assert (c.channel, c.agency, c.status) == (Channel.LAPOR, w.agency, Status.SUBMITTED)
    assert c.reporter_name == "Sari Dewi"
    assert c.incident_date == dt.date(2026, 11, 30)
    assert ComplaintEvent.objects.filter(complaint=c, type=EventType.SUBMITTED).exists()
    # and it is not sent back to where it came from
    relay_and_deliver(LAPOR)
    assert not Notification.objects.filter(channel=LAPOR, payload__call="file").exists()


def test_anonim_and_rahasia_are_kept_and_an_anonymous_identity_is_not_stored(client, w, standin):
    data = {**NEW, "tracking_id": "LAPOR-43", "is_anonymous": True, "is_secret": True}
    assert _post(client, w, standin, "complaint.created", data).status_code == 201
    c = Complaint.objects.get(lapor_id="LAPOR-43")
    assert c.is_anonymous
    assert c.is_confidential
    assert (c.reporter_name, c.reporter_email, c.reporter_phone) == ("", "", "")


def test_a_replayed_or_retried_call_changes_nothing(client, w, standin):
    # given a call applied once
    data = {**NEW, "tracking_id": "LAPOR-44"}
    first = _post(client, w, standin, "complaint.created", data, event_id="evt-1")
    # when the same event comes again (a retry, freshly signed)
    again = _post(client, w, standin, "complaint.created", data, event_id="evt-1")
    # then it is answered with the first outcome and nothing is filed twice
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["duplicate"] is True
    assert again.json()["tracking_number"] == first.json()["tracking_number"]
    assert Complaint.objects.filter(lapor_id="LAPOR-44").count() == 1
    # and a new event about the same national complaint finds it, and files nothing
    other = _post(client, w, standin, "complaint.created", data, event_id="evt-2")
    assert other.json()["outcome"] == "known"
    assert Complaint.objects.filter(lapor_id="LAPOR-44").count() == 1


@pytest.mark.parametrize(
    ("tamper", "status", "code"),
    [
        ("signature", 401, "bad_signature"),
        ("stale", 401, "stale"),
        ("unsigned", 401, "unsigned"),
        ("malformed", 400, "malformed"),
        ("oversized", 413, "too_large"),
        ("unknown_type", 422, "inbound_refused"),
        ("unknown_complaint", 422, "inbound_refused"),
    ],
)
def test_a_bad_call_is_refused_clearly_and_changes_nothing(
    client, w, standin, tamper, status, code
):
    url = reverse("lapor:inbound", kwargs={"agency_slug": w.agency.slug})
    data = {**NEW, "tracking_id": "LAPOR-45"}
    event_type = "complaint.created"
    if tamper == "unknown_type":
        event_type = "complaint.deleted"
    if tamper == "unknown_complaint":
        event_type, data = "complaint.reply", {"tracking_id": "LAPOR-999", "body": "Halo"}
    body, headers = standin.signed_call(
        event_type, data, timestamp=int(time.time()) - 3600 if tamper == "stale" else None
    )
    if tamper == "signature":
        headers["X-Lapor-Signature"] = "v1=" + "0" * 64
    if tamper == "unsigned":
        del headers["X-Lapor-Signature"]
    if tamper == "malformed":
        body = b"{not json"
        headers = _resign(standin, body, headers)
    if tamper == "oversized":
        body = json.dumps({"type": event_type, "data": {**data, "content": "x" * 300_000}}).encode()
        headers = {**headers, **_resign(standin, body, headers)}
    answer = client.post(
        url,
        data=body,
        content_type="application/json",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
    )
    assert answer.status_code == status
    assert answer.json()["error"]["code"] == code
    assert not Complaint.objects.exists()
    assert not LaporInbound.objects.exists()


def _resign(standin, body: bytes, headers: dict) -> dict:
    from complaints.outbox.lapor import inbound_headers

    return inbound_headers(
        standin.secret,
        event_id=headers["X-Lapor-Event-Id"],
        timestamp=int(headers["X-Lapor-Timestamp"]),
        body=body,
    )


def test_an_agency_without_a_link_refuses_calls(client, w, standin):
    other = f.AgencyFactory(name="Dinas Lain", slug="dinas-lain")
    body, headers = standin.signed_call("complaint.created", NEW)
    answer = client.post(
        reverse("lapor:inbound", kwargs={"agency_slug": other.slug}),
        data=body,
        content_type="application/json",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
    )
    assert answer.status_code == 404


def test_the_reporter_answers_and_closes_through_the_national_system(client, w, standin):
    # given an imported complaint that the agency asks about
    _post(client, w, standin, "complaint.created", {**NEW, "tracking_id": "LAPOR-46"})
    c = Complaint.objects.get(lapor_id="LAPOR-46")
    services.complaint_hold_for_info(complaint_id=c.pk, actor=w.verifier, message="Foto lubang?")
    relay_and_deliver(LAPOR)
    # then the question reached the national system under its id
    assert _national(standin, "LAPOR-46")["followups"] == [
        {"kind": "info_request", "body": "Foto lubang?"}
    ]
    # when the reporter answers there
    answer = _post(
        client,
        w,
        standin,
        "complaint.reply",
        {"tracking_id": "LAPOR-46", "body": "Ada di Jl. Merdeka 10."},
    )
    # then the information is supplied here and the verification clock resumes
    assert answer.json()["outcome"] == "info_supplied"
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED
    supplied = ComplaintEvent.objects.get(complaint=c, type=EventType.INFO_SUPPLIED)
    assert supplied.body == "Ada di Jl. Merdeka 10."
    # when the agency answers, the answer goes out
    in_progress(w, c.pk)
    publish(w, c.pk, body="Lubang sudah ditambal.")
    relay_and_deliver(LAPOR)
    national = _national(standin, "LAPOR-46")
    assert national["followups"][-1] == {"kind": "answer", "body": "Lubang sudah ditambal."}
    assert national["statuses"][-1]["status"] == "in_process"
    # and when the national system closes it, it is closed here
    closed = _post(
        client, w, standin, "complaint.status", {"tracking_id": "LAPOR-46", "status": "closed"}
    )
    assert closed.json()["outcome"] == "closed"
    c.refresh_from_db()
    assert c.status == Status.CLOSED
    # and our closing is told back once
    relay_and_deliver(LAPOR)
    assert _national(standin, "LAPOR-46")["statuses"][-1]["status"] == "closed"


def test_the_reporter_objects_through_the_national_system(client, w, standin):
    _post(client, w, standin, "complaint.created", {**NEW, "tracking_id": "LAPOR-47"})
    c = Complaint.objects.get(lapor_id="LAPOR-47")
    in_progress(w, c.pk)
    publish(w, c.pk)
    reply = {"tracking_id": "LAPOR-47", "decision": "object", "body": "Belum diperbaiki."}
    assert _post(client, w, standin, "complaint.reply", reply).json()["outcome"] == "objected"
    c.refresh_from_db()
    assert c.status == Status.IN_PROGRESS
    assert ComplaintEvent.objects.filter(complaint=c, type=EventType.OBJECTED).exists()


def test_the_stand_in_calls_the_portal_over_http(live_server, standin):
    # given the stand-in pointed at a running portal
    w = make_world(standin)
    standin.callback_url = live_server.url + reverse(
        "lapor:inbound", kwargs={"agency_slug": w.agency.slug}
    )
    # when it emits a new complaint
    status, answer = standin.emit("complaint.created", dict(NEW))
    # then the portal imported it under the id the stand-in gave it
    assert status == 201, answer
    assert (
        Complaint.objects.get(tracking_number=answer["tracking_number"]).lapor_id
        == answer["lapor_id"]
    )


# ---------------------------------------------------------------------------------------------
# The national system down for a while


def test_the_national_system_down_for_an_hour_loses_nothing_and_sends_nothing_twice(w, standin):
    start = timezone.now()
    # given the national system down
    standin.stop()
    c = f.complaint(w.agency)
    services.complaint_verify(complaint_id=c.pk, actor=w.verifier)
    # when the outbox tries for an hour
    tries = relay_and_deliver(LAPOR, now=start)
    assert tries == {"sent": 0, "retry": 2, "skipped": 0}  # the status waits for the filing
    for minutes in (20, 40, 60):
        relay_and_deliver(LAPOR, now=start + dt.timedelta(minutes=minutes))
    # then nothing has failed: every row waits for a later attempt
    rows = Notification.objects.filter(channel=LAPOR)
    assert {r.state for r in rows} == {Notification.State.PENDING}
    assert all(r.not_before and r.last_error for r in rows if r.payload["call"] == "file")
    # when it comes back
    standin.start()
    later = start + dt.timedelta(hours=3)
    relay_and_deliver(LAPOR, now=later)
    relay_and_deliver(LAPOR, now=later + dt.timedelta(hours=1))
    # then everything arrived, once, the filing first
    c.refresh_from_db()
    assert len(standin.state.complaints) == 1
    assert [s["status"] for s in _national(standin, c.lapor_id)["statuses"]] == ["verified"]
    assert set(rows.values_list("state", flat=True)) == {Notification.State.SENT}


def test_a_lost_answer_does_not_file_twice(w, standin):
    # given the national system that applies a filing but whose answer is lost
    standin.state.drop_answers = 1
    c = f.complaint(w.agency)
    assert relay_and_deliver(LAPOR)["retry"] == 1
    # when the outbox tries again later
    relay_and_deliver(LAPOR, now=timezone.now() + dt.timedelta(hours=1))
    # then the second call got the first answer: one national complaint, its id kept
    c.refresh_from_db()
    assert list(standin.state.complaints) == [c.lapor_id]
    assert standin.state.calls.count(("POST", "/complaints")) == 2


def test_a_refused_call_fails_without_retrying(w, standin):
    w.link.api_token = "wrong"
    w.link.save()
    f.complaint(w.agency)
    assert relay_and_deliver(LAPOR) == {"sent": 0, "retry": 0, "skipped": 1}
    row = Notification.objects.get(channel=LAPOR)
    assert row.state == Notification.State.FAILED
    assert "401" in row.last_error
    assert pending(LAPOR) == []


# ---------------------------------------------------------------------------------------------
# The adapter alone


def test_the_adapter_speaks_the_protocol(standin):
    client = LaporClient(base_url=standin.url, token=TOKEN)
    assert {t["id"] for t in client.topics()} >= {"kesehatan", "lainnya"}
    tracking_id = client.file_complaint({"title": "Judul", "content": "Isi"}, idempotency_key="k-1")
    assert client.file_complaint({"title": "Judul", "content": "Isi"}, idempotency_key="k-1") == (
        tracking_id
    )
    client.status_update(tracking_id, status="verified", note="", idempotency_key="k-2")
    assert client.complaint_get(tracking_id)["status"] == "verified"
    with pytest.raises(LaporRejected):
        client.followup_add(tracking_id, kind="gossip", body="x", idempotency_key="k-3")
    with pytest.raises(LaporRejected):
        LaporClient(base_url=standin.url, token="wrong").topics()
    standin.stop()
    with pytest.raises(LaporUnavailable):
        client.topics()


def test_the_relay_task_keeps_its_name():
    from complaints.lapor.tasks import connectors_relay_task

    assert connectors_relay_task.name == "complaints.connectors_relay"


def test_the_command_serves_the_protocol(tmp_path):
    """`manage.py lapor_standin` as `make run` demos use it (unlinked: no database write)."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "lapor_standin", "--port", "0", "--token", "t"],
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    try:
        line = process.stdout.readline()
        url = re.search(r"http://[\d.]+:\d+", line).group(0)
        assert "kesehatan" in {t["id"] for t in LaporClient(base_url=url, token="t").topics()}
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_the_link_is_configured_in_the_admin(client, w, standin):
    admin = f.UserFactory(is_staff=True, is_superuser=True, is_national_admin=True)
    client.force_login(admin)
    change = reverse("admin:complaints_laporlink_change", args=[w.link.pk])
    page = client.get(change).content.decode()
    assert w.link.inbound_secret in page
    assert reverse("lapor:inbound", kwargs={"agency_slug": w.agency.slug}) in page
    assert client.get(reverse("admin:complaints_laporlink_changelist")).status_code == 200
    assert client.get(reverse("admin:complaints_laporinbound_changelist")).status_code == 200
    assert client.get(reverse("admin:complaints_webhooksubscription_add")).status_code == 200
