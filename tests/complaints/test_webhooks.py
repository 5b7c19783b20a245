"""Agency webhooks (Standard Webhooks): signed deliveries verified with the standardwebhooks
verifier, only complaints in the agency's scope and masked, retries with a delivery log, a
failing subscription paused and its owner mailed, and the relay's query count."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from complaints import services
from complaints.jobs.connectors import connectors_relay
from complaints.models import (
    Notification,
    Role,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from complaints.services.connectors import (
    WEBHOOK_PAUSE_FAILURES,
    webhook_subscription_create,
    webhook_subscription_set_state,
)
from tests import factories as f
from tests.complaints.lapor_support import relay_and_deliver

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

WEBHOOK = Notification.Channel.WEBHOOK


class Receiver:
    """An agency system: records what it receives, answers with the next planned status."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                answer = b'{"ok": true}' if status < 300 else b"busy"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks/aduan"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def verified(self, secret: str) -> list[dict]:
        """Every message received, verified as the Standard Webhooks library verifies it."""
        return [Webhook(secret).verify(body, headers) for headers, body in self.received]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


@pytest.fixture
def w(db, receiver):
    f.SlaPolicyFactory()
    agency = f.AgencyFactory(name="Dinas Kesehatan Kota", responses_need_approval=False)
    unit = f.UnitFactory(parent=agency)
    focal = f.staff(agency, Role.FOCAL_POINT, email="fokal@example.go.id")
    connectors_relay()  # the relay starts at the present
    subscription = webhook_subscription_create(
        actor=focal,
        agency_id=agency.pk,
        url=receiver.url,
        event_types=[WebhookEvent.FILED, WebhookEvent.VERIFIED, WebhookEvent.ROUTED],
    )
    return type(
        "W",
        (),
        {
            "agency": agency,
            "unit": unit,
            "focal": focal,
            "subscription": subscription,
            "verifier": f.staff(agency, Role.VERIFIER),
        },
    )


def test_deliveries_are_signed_to_the_standard_and_verify(w, receiver):
    # given a complaint filed and verified in the agency
    c = f.complaint(w.agency)
    services.complaint_verify(complaint_id=c.pk, actor=w.verifier)
    # when the relay runs and the outbox delivers
    assert relay_and_deliver(WEBHOOK)["sent"] == 2
    # then both messages verify with the standardwebhooks verifier
    messages = receiver.verified(w.subscription.secret)
    assert [m["type"] for m in messages] == ["complaint.filed", "complaint.verified"]
    assert messages[0]["data"]["complaint"]["tracking_number"] == c.tracking_number
    headers = receiver.received[0][0]
    assert headers["webhook-id"].startswith("msg_")
    # and a forged or altered message does not
    with pytest.raises(WebhookVerificationError):
        Webhook(w.subscription.secret).verify(receiver.received[0][1] + b" ", headers)
    # and each attempt is in the delivery log with the receiver's answer
    log = list(WebhookDelivery.objects.filter(subscription=w.subscription))
    assert [(d.status_code, d.response_body) for d in log] == [(200, '{"ok": true}')] * 2


def test_only_complaints_in_the_agency_scope_and_chosen_events(w, receiver):
    other = f.AgencyFactory(name="Dinas Lain")
    f.complaint(other)
    c = f.complaint(w.agency)
    services.complaint_verify(complaint_id=c.pk, actor=w.verifier)
    services.complaint_route(complaint_id=c.pk, actor=w.verifier, unit=w.unit)
    relay_and_deliver(WEBHOOK)
    messages = receiver.verified(w.subscription.secret)
    assert [m["type"] for m in messages] == [
        "complaint.filed",
        "complaint.verified",
        "complaint.routed",
    ]
    assert {m["data"]["complaint"]["tracking_number"] for m in messages} == {c.tracking_number}


def test_an_anonymous_reporter_is_never_sent(w, receiver):
    f.complaint(w.agency, is_anonymous=True)
    relay_and_deliver(WEBHOOK)
    (message,) = receiver.verified(w.subscription.secret)
    assert message["data"]["complaint"]["reporter"] is None
    raw = receiver.received[0][1].decode()
    assert "Budi" not in raw
    assert "budi@example.com" not in raw
    assert "081234567890" not in raw


def test_a_failed_delivery_is_retried_later_with_the_same_id(w, receiver):
    # given a receiver that fails once
    receiver.statuses = [500]
    f.complaint(w.agency)
    assert relay_and_deliver(WEBHOOK) == {"sent": 0, "retry": 1, "skipped": 0}
    row = Notification.objects.get(channel=WEBHOOK)
    assert row.state == Notification.State.PENDING
    assert row.not_before is not None
    # when it is tried again after the backoff
    assert relay_and_deliver(WEBHOOK, now=timezone.now() + dt.timedelta(minutes=30))["sent"] == 1
    # then the receiver got the same message twice (one id to deduplicate on), and it is sent
    ids = {headers["webhook-id"] for headers, _body in receiver.received}
    assert len(receiver.received) == 2
    assert len(ids) == 1
    row.refresh_from_db()
    assert row.state == Notification.State.SENT
    assert [d.status_code for d in WebhookDelivery.objects.order_by("pk")] == [500, 200]
    w.subscription.refresh_from_db()
    assert w.subscription.consecutive_failures == 0


def test_a_receiver_down_for_an_hour_gets_everything_once(w, receiver):
    url = receiver.url
    receiver.stop()
    start = timezone.now()
    f.complaint(w.agency)
    for minutes in (0, 20, 40, 60):
        relay_and_deliver(WEBHOOK, now=start + dt.timedelta(minutes=minutes))
    w.subscription.refresh_from_db()
    assert w.subscription.paused_at is None
    back = Receiver()
    try:
        WebhookSubscription.objects.filter(pk=w.subscription.pk).update(url=back.url)
        relay_and_deliver(WEBHOOK, now=start + dt.timedelta(hours=2))
        assert [m["type"] for m in back.verified(w.subscription.secret)] == ["complaint.filed"]
    finally:
        back.stop()
    assert url != back.url


def test_a_subscription_failing_for_hours_is_paused_and_its_owner_mailed(w, receiver):
    receiver.statuses = [503] * 50
    start = timezone.now()
    for _ in range(3):
        f.complaint(w.agency)
    # when deliveries fail again and again over four hours
    for hour in range(5):
        at = start + dt.timedelta(hours=hour)
        with time_machine.travel(at, tick=False):
            relay_and_deliver(WEBHOOK, now=at)
    # then the subscription is paused and its owner told
    w.subscription.refresh_from_db()
    assert w.subscription.paused_at is not None
    assert w.subscription.consecutive_failures >= WEBHOOK_PAUSE_FAILURES
    mail = Notification.objects.get(kind="webhook_paused")
    assert mail.recipient == "fokal@example.go.id"
    assert receiver.url in mail.body
    # and its waiting deliveries are cancelled, nothing more is sent
    sent_before = len(receiver.received)
    relay_and_deliver(WEBHOOK, now=start + dt.timedelta(hours=6))
    assert len(receiver.received) == sent_before
    assert not Notification.objects.filter(
        channel=WEBHOOK, state=Notification.State.PENDING
    ).exists()
    # when the owner resumes it, new events flow again
    webhook_subscription_set_state(actor=w.focal, subscription_id=w.subscription.pk, state="resume")
    receiver.statuses = []
    f.complaint(w.agency)
    assert relay_and_deliver(WEBHOOK, now=start + dt.timedelta(hours=7))["sent"] == 1


def test_only_the_agency_focal_point_manages_its_subscriptions(w, receiver):
    from common.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        webhook_subscription_create(
            actor=w.verifier,
            agency_id=w.agency.pk,
            url=receiver.url,
            event_types=["complaint.filed"],
        )
    with pytest.raises(NotAllowed):
        webhook_subscription_set_state(
            actor=w.verifier, subscription_id=w.subscription.pk, state="pause"
        )


@pytest.mark.parametrize("n", [1, 10])
def test_the_relay_reads_a_batch_in_a_fixed_number_of_queries(
    w, receiver, n, django_assert_num_queries
):
    # given n complaints filed (n events) in the subscribed agency
    for _ in range(n):
        f.complaint(w.agency)
    # then the relay costs the same whatever n:
    #   savepoint, cursor (FOR UPDATE), events (+complaint, agency, category), links,
    #   subscriptions, existing messages, savepoint + insert + release, release
    with django_assert_num_queries(10):
        result = connectors_relay(settle=dt.timedelta(hours=1))
    assert result.written == n
    assert json.loads(json.dumps(result.__dict__))["examined"] == n


def test_the_relay_reads_on_in_batches_and_waits_for_late_commits(w, receiver):
    for _ in range(3):
        f.complaint(w.agency)
    # a full batch still inside the settling window: written, but read again later, no loop
    unsettled = connectors_relay(batch_size=2, settle=dt.timedelta(hours=1))
    assert (unsettled.written, unsettled.more) == (2, False)
    # settled: the cursor passes it, the next batch follows, nothing is written twice
    first = connectors_relay(batch_size=2, settle=dt.timedelta(0))
    second = connectors_relay(batch_size=2, settle=dt.timedelta(0))
    assert (first.written, first.more) == (0, True)
    assert (second.examined, second.written, second.more) == (1, 1, False)
    assert Notification.objects.filter(channel=WEBHOOK).count() == 3


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://localhost/hooks",
        "http://10.0.0.5/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hooks",
    ],
)
def test_a_receiver_on_our_own_network_is_refused(w, url, settings):
    from common.exceptions import ApplicationError
    from complaints.outbox.webhooks import webhook_post

    settings.ADUAN_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(ApplicationError):
        webhook_subscription_create(
            actor=w.focal, agency_id=w.agency.pk, url=url, event_types=["complaint.filed"]
        )
    # and a subscription made while it was allowed is not called either
    answer = webhook_post(
        url, secret=w.subscription.secret, msg_id="msg_1", message={}, timestamp=timezone.now()
    )
    assert answer.status_code is None
    assert "non-public address" in answer.error


def test_a_receiver_redirecting_elsewhere_is_not_followed(w, receiver):
    from complaints.outbox.webhooks import webhook_post

    receiver.statuses.append(302)
    answer = webhook_post(
        receiver.url,
        secret=w.subscription.secret,
        msg_id="msg_2",
        message={"x": 1},
        timestamp=timezone.now(),
    )
    assert answer.status_code == 302
    assert not answer.ok
